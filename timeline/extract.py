"""Text + publication time in, timeline out."""

from __future__ import annotations

from timeline.contract import Article, Timeline
from timeline.events import build_events
from timeline.tagger import tag


def extract_timeline(article: Article) -> Timeline:
    """Find the article's time expressions and events and order them into a timeline."""
    timexes = tag(article.text, article.published)
    events, timexes, contradictions = build_events(article.text, article.published, timexes)
    return Timeline(
        article_id=article.id,
        published=article.published,
        published_fallback=article.published_fallback,
        outlet=article.outlet,
        title=article.title,
        url=article.url,
        digest=article.digest,
        time_expressions=timexes,
        events=events,
        contradictions=contradictions,
    )
