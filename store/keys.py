"""The Redis key layout: the only place that knows how keys are spelled.

Everything lives under one configurable prefix (default ``timeline``)::

    {p}:article:{id}         string  the accepted article, as JSON (the task's input)
    {p}:status:{id}          hash    state, digest, content, attempts, error, task_id,
                                     updated (ISO), claimed (epoch seconds)
    {p}:queued               zset    accepted articles no worker has claimed yet, scored by
                                     when their task was (last) sent; the sweeper finds
                                     tasks the broker lost here
    {p}:sweep-lock           string  held by the worker that is sweeping
    {p}:timeline:{id}        string  the article's Timeline, as JSON
    {p}:article-events:{id}  set     the article's members of the events index
    {p}:events               zset    every dated event of every article, scored by its
                                     earliest time (epoch seconds); member = IndexedEvent JSON
    {p}:content:{digest}     string  content digest -> id of the article holding that text
    {p}:failed               zset    ids of failed articles, scored by failure time
    {p}:failed-payload:{id}  string  what was handed in, for payloads that never validated
    {p}:seen:{feed-key}      zset    feed entries already enqueued (feed poller), scored by
                                     when they were first enqueued (epoch seconds)
    {p}:import:{source-key}  hash    bulk import checkpoint of one file (byte offset, line,
                                     counts), keyed by the file's path, size and mtime
    {p}:{queue}              list    the Celery queue (kombu's ``global_keyprefix``)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "timeline"

    def article(self, article_id: str) -> str:
        return f"{self.prefix}:article:{article_id}"

    def status(self, article_id: str) -> str:
        return f"{self.prefix}:status:{article_id}"

    def timeline(self, article_id: str) -> str:
        return f"{self.prefix}:timeline:{article_id}"

    def article_events(self, article_id: str) -> str:
        return f"{self.prefix}:article-events:{article_id}"

    @property
    def events(self) -> str:
        return f"{self.prefix}:events"

    def content(self, digest: str) -> str:
        return f"{self.prefix}:content:{digest}"

    @property
    def queued(self) -> str:
        return f"{self.prefix}:queued"

    @property
    def sweep_lock(self) -> str:
        return f"{self.prefix}:sweep-lock"

    @property
    def failed(self) -> str:
        return f"{self.prefix}:failed"

    def failed_payload(self, article_id: str) -> str:
        return f"{self.prefix}:failed-payload:{article_id}"

    def seen(self, feed: str) -> str:
        return f"{self.prefix}:seen:{feed}"

    @property
    def broker_prefix(self) -> str:
        """kombu's ``global_keyprefix``: the broker's keys sit under the same prefix."""
        return f"{self.prefix}:"

    def queue(self, name: str) -> str:
        return f"{self.broker_prefix}{name}"

    def import_checkpoint(self, source: str) -> str:
        return f"{self.prefix}:import:{source}"
