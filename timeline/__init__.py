"""The pure core: Arabic article text and publication time in, timeline out.

Nothing in this package does I/O, reads the clock, or knows about Celery or
Redis; the worker, producer, store and client are thin shells around it.
"""

from timeline.contract import SCHEMA_VERSION, Article, Event, TimeExpression, Timeline
from timeline.extract import extract_timeline

__all__ = ["SCHEMA_VERSION", "Article", "Event", "TimeExpression", "Timeline", "extract_timeline"]
