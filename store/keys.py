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
    {p}:article-events:{id}  set     the article's entries in the events index, one member
                                     per report: ``day, ref, day score, outlet id, story,
                                     index words`` (tab-separated; words space-separated),
                                     all that is needed to take them out again
    {p}:content:{digest}     string  content digest -> id of the article holding that text
    {p}:failed               zset    ids of failed articles, scored by failure time
    {p}:failed-payload:{id}  string  what was handed in, for payloads that never validated
    {p}:seen:{feed-key}      zset    feed entries already enqueued (feed poller), scored by
                                     when they were first enqueued (epoch seconds)
    {p}:import:{source-key}  hash    bulk import checkpoint of one file (byte offset, line,
                                     counts), keyed by the file's path, size and mtime
    {p}:{queue}              list    the Celery queue (kombu's ``global_keyprefix``)

The events index: every report (:func:`timeline.stories.article_reports`) sits in the
shard of the UTC day of its earliest time; ``ref`` is ``article_id/event_id``::

    {p}:days                          zset  days that hold reports (member ``YYYY-MM-DD``,
                                            score: the day's midnight, UTC epoch seconds)
    {p}:day:{D}:reports               hash  ref -> IndexedEvent JSON
    {p}:day:{D}:word:{form}           set   refs whose index words include ``form``
    {p}:day:{D}:outlet:{outlet-id}    set   refs from that outlet (id: :meth:`Keys.outlet_id`)
    {p}:day:{D}:story:{story}         set   refs of articles filed under the story
    {p}:story-days:{story}            zset  days that hold reports of the story (as ``days``)

A day's keys carry the hash tag ``{D}``: one Redis Cluster slot holds a whole day, so the
query of a day is one script on one node, and busy periods spread over the cluster day by
day. The save script writes the article's keys and its days' keys together; on a cluster
it would be split into one script per tag (the article's, then each day's), each
idempotent as the whole is today.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import ClassVar


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

    # -- the events index, sharded by day --

    @property
    def days(self) -> str:
        return f"{self.prefix}:days"

    def day_base(self, day: str) -> str:
        """What every key of a day's shard starts with; ``{day}`` is its hash tag."""
        return f"{self.prefix}:day:{{{day}}}:"

    #: the rest of a day's key names, after :meth:`day_base`
    DAY_REPORTS: ClassVar[str] = "reports"
    DAY_WORD: ClassVar[str] = "word:"
    DAY_OUTLET: ClassVar[str] = "outlet:"
    DAY_STORY: ClassVar[str] = "story:"

    def day_reports(self, day: str) -> str:
        return self.day_base(day) + self.DAY_REPORTS

    def day_word(self, day: str, form: str) -> str:
        return self.day_base(day) + self.DAY_WORD + form

    def day_outlet(self, day: str, outlet: str) -> str:
        return self.day_base(day) + self.DAY_OUTLET + self.outlet_id(outlet)

    def day_story(self, day: str, story: str) -> str:
        return self.day_base(day) + self.DAY_STORY + story

    @property
    def legacy_events(self) -> str:
        """The one sorted set that held every event before the index was sharded by day
        (``timeline reindex`` deletes it)."""
        return f"{self.prefix}:events"

    @property
    def story_days_base(self) -> str:
        return f"{self.prefix}:story-days:"

    def story_days(self, story: str) -> str:
        return self.story_days_base + story

    @staticmethod
    def outlet_id(outlet: str) -> str:
        """Outlet names are free text: keys hold a digest of the name."""
        return hashlib.sha256(outlet.encode("utf-8")).hexdigest()[:16]

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
