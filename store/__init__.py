"""The one module that talks to Redis about articles and timelines.

The producer accepts articles through it, the worker claims and saves them
through it, the client reads through it. Every multi-key change is one Lua
script, so a change is all or nothing and redelivered or duplicated work leaves
one timeline and one set of index entries.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar, cast

import redis
from pydantic import TypeAdapter

from store.connection import TRANSIENT_ERRORS, connect, retrying
from store.keys import Keys
from timeline.contract import (
    Article,
    ArticleState,
    ArticleStatus,
    FailedArticle,
    IndexedEvent,
    Timeline,
    content_digest,
)

__all__ = [
    "TRANSIENT_ERRORS",
    "Acceptance",
    "Claim",
    "Keys",
    "Outcome",
    "TaskMessage",
    "TimelineStore",
    "connect",
    "retrying",
]

T = TypeVar("T")


class Outcome(StrEnum):
    NEW = "new"  #: never seen: stored and to be processed
    CHANGED = "changed"  #: same id, new content: replaces the old timeline when processed
    AGAIN = "again"  #: same content sent again and asked for (force, or it had failed)
    DUPLICATE = "duplicate"  #: already accepted with this content: nothing to do


@dataclass(frozen=True, slots=True)
class Acceptance:
    outcome: Outcome
    #: the article's id; for a duplicate of another id's text, that other id
    article_id: str

    @property
    def to_process(self) -> bool:
        return self.outcome is not Outcome.DUPLICATE


class Claim(StrEnum):
    GO = "go"  #: process it
    BUSY = "busy"  #: another delivery is processing it right now
    DONE = "done"  #: already processed for this content: a redelivery
    STALE = "stale"  #: the article changed since this message was sent
    MISSING = "missing"  #: no such article (unknown id)
    EXHAUSTED = "exhausted"  #: delivered too many times: poison


_ACCEPT = """
local st = redis.call('HMGET', KEYS[1], 'state', 'digest', 'content')
local state, digest, oldcontent = st[1], st[2], st[3]
if ARGV[6] ~= '1' then
  local owner = redis.call('GET', KEYS[3])
  if owner and owner ~= ARGV[1] then return {'duplicate', owner} end
  if state and digest == ARGV[2] and state ~= 'failed' then return {'duplicate', ARGV[1]} end
end
local outcome = 'new'
if state then
  if digest == ARGV[2] then outcome = 'again' else outcome = 'changed' end
end
if oldcontent and oldcontent ~= ARGV[3] then
  local oldkey = ARGV[7] .. oldcontent
  if redis.call('GET', oldkey) == ARGV[1] then redis.call('DEL', oldkey) end
end
redis.call('SET', KEYS[2], ARGV[4])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[1], 'state', 'queued', 'digest', ARGV[2], 'content', ARGV[3],
  'attempts', '0', 'error', '', 'task_id', '', 'updated', ARGV[5], 'claimed', '0')
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[8], ARGV[1])
return {outcome, ARGV[1]}
"""

_CLAIM = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[4], ARGV[7])
  return {'missing', 0}
end
local st = redis.call('HMGET', KEYS[1], 'state', 'digest', 'task_id', 'claimed')
if ARGV[1] ~= '' and st[2] and st[2] ~= ARGV[1] then return {'stale', 0} end
if st[1] == 'done' and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('ZREM', KEYS[4], ARGV[7])
  return {'done', 0}
end
local now = tonumber(ARGV[5])
local busy = st[1] == 'processing' and st[3] ~= ARGV[2]
if busy and now - tonumber(st[4] or '0') < tonumber(ARGV[6]) then return {'busy', 0} end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts > tonumber(ARGV[4]) then return {'exhausted', attempts} end
redis.call('HSET', KEYS[1], 'state', 'processing', 'task_id', ARGV[2], 'updated', ARGV[3],
  'claimed', ARGV[5])
redis.call('ZREM', KEYS[4], ARGV[7])
if ARGV[8] == '1' then return {'go', attempts, redis.call('GET', KEYS[2])} end
return {'go', attempts}
"""

_SAVE = """
local digest = redis.call('HGET', KEYS[1], 'digest')
if ARGV[2] ~= '' and digest and digest ~= ARGV[2] then return 0 end
local old = redis.call('SMEMBERS', KEYS[3])
for i = 1, #old, 500 do
  redis.call('ZREM', KEYS[4], unpack(old, i, math.min(i + 499, #old)))
end
redis.call('DEL', KEYS[3])
-- (score, member) pairs from ARGV[5]: ZADD and SADD take 500 at a time
for i = 5, #ARGV, 1000 do
  local last = math.min(i + 999, #ARGV)
  redis.call('ZADD', KEYS[4], unpack(ARGV, i, last))
  local members = {}
  for j = i + 1, last, 2 do members[#members + 1] = ARGV[j] end
  redis.call('SADD', KEYS[3], unpack(members))
end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'state', 'done', 'error', '', 'updated', ARGV[4])
if digest == false then redis.call('HSET', KEYS[1], 'digest', ARGV[2]) end
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
return 1
"""

_FAIL = """
redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[2], 'updated', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if ARGV[5] ~= '' then redis.call('SET', KEYS[3], ARGV[5]) end
return 1
"""

_RETRY = """
if redis.call('EXISTS', KEYS[2]) == 0 then return false end
redis.call('HSET', KEYS[1], 'state', 'queued', 'attempts', '0', 'error', '',
  'task_id', '', 'updated', ARGV[1], 'claimed', '0')
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2])
return redis.call('HGET', KEYS[1], 'digest')
"""


#: accept, then queue the task message and mark it sent, in one step: the article is
#: stored before (and together with) its task; a duplicate queues nothing. The accept
#: logic is ``_ACCEPT`` itself; the extra keys and arguments go last so it never sees them.
_ACCEPT_AND_PUSH = (
    "local function accept()\n"
    + _ACCEPT
    + """
end
local reply = accept()
if reply[1] ~= 'duplicate' then
  local n = #ARGV
  redis.call('LPUSH', KEYS[#KEYS], ARGV[n])
  redis.call('HSET', KEYS[1], 'task_id', ARGV[n - 1])
end
return reply
"""
)


@dataclass(frozen=True, slots=True)
class TaskMessage:
    """A broker message ready to be queued: the task's id and the serialised message."""

    task_id: str
    body: str
    #: the article digest the task carries (spares computing it again)
    digest: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else value


_INDEXED_EVENTS: TypeAdapter[list[IndexedEvent]] = TypeAdapter(list[IndexedEvent])


def _parse_indexed(members: list[bytes]) -> list[IndexedEvent]:
    """Index members as models: one JSON array validated in one call.

    That is several times faster than one call per member on a day of thousands of
    events. The objects made are acyclic, so the cycle collector is paused while they
    are made: otherwise the allocations set off collections that find nothing and,
    in a process holding much, take longer than the parsing itself.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _INDEXED_EVENTS.validate_json(b"[" + b",".join(members) + b"]")
    finally:
        if paused:
            gc.enable()


def index_entries(timeline: Timeline) -> list[tuple[float, str]]:
    """The events index members of a timeline: ``(earliest epoch seconds, JSON)``."""
    entries = []
    for event in timeline.events:
        if event.earliest is None or event.latest is None or event.same_as:
            continue
        entry = IndexedEvent(
            article_id=timeline.article_id,
            event_id=event.id,
            outlet=timeline.outlet,
            text=event.text,
            trigger=event.trigger.text,
            value=event.time.value if event.time else None,
            earliest=event.earliest,
            latest=event.latest,
        )
        entries.append((event.earliest.timestamp(), entry.model_dump_json()))
    return entries


class TimelineStore:
    """Articles, their status, their timelines and the cross-article events index."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = "timeline",
        *,
        retry_seconds: float = 0.0,
        busy_seconds: float = 120.0,
    ) -> None:
        self.redis = client
        self.keys = Keys(prefix)
        #: keep retrying an operation on a transient Redis error this long (backoff + jitter)
        self.retry_seconds = retry_seconds
        #: a claim younger than this blocks a second delivery from claiming (hard limit + margin)
        self.busy_seconds = busy_seconds
        self._accept = client.register_script(_ACCEPT)
        self._claim = client.register_script(_CLAIM)
        self._save = client.register_script(_SAVE)
        self._fail = client.register_script(_FAIL)
        self._retry = client.register_script(_RETRY)

    @classmethod
    def from_url(
        cls,
        url: str,
        prefix: str = "timeline",
        *,
        retry_seconds: float = 0.0,
        busy_seconds: float = 120.0,
        **options: Any,
    ) -> TimelineStore:
        return cls(
            connect(url, **options),
            prefix,
            retry_seconds=retry_seconds,
            busy_seconds=busy_seconds,
        )

    def _run(self, call: Callable[[], T]) -> T:
        return retrying(call, seconds=self.retry_seconds)

    # -- producer side --

    def accept(self, article: Article, *, force: bool = False) -> Acceptance:
        """Store an article for processing, unless the same content is already in."""
        keys, args = self._accept_call(article, force, _now())
        reply = self._run(lambda: self._accept(keys=keys, args=args))
        outcome, article_id = (cast(str, _text(x)) for x in reply)
        return Acceptance(Outcome(outcome), article_id)

    def mark_sent(self, article_id: str, task_id: str) -> None:
        """The article's task is on the queue."""
        k = self.keys

        def mark() -> None:
            pipe = self.redis.pipeline(transaction=True)
            pipe.zadd(k.queued, {article_id: _now().timestamp()}, xx=True)
            pipe.hset(k.status(article_id), "task_id", task_id)
            pipe.execute()

        self._run(mark)

    def queue_length(self, queue: str) -> int:
        return int(self._run(lambda: self.redis.llen(self.keys.queue(queue))))

    def retry(self, article_id: str) -> str | None:
        """Put a stored article back to ``queued``; its digest, or None if there is none."""
        k = self.keys
        now = _now()
        digest = self._run(
            lambda: self._retry(
                keys=[k.status(article_id), k.article(article_id), k.failed, k.queued],
                args=[now.isoformat(), article_id, now.timestamp()],
            )
        )
        return _text(digest)

    def stranded(self, queue: str, older_than: float) -> list[tuple[str, str]]:
        """Accepted articles whose task the broker has lost: ``(id, digest)``.

        An article is stranded when no worker has claimed it for ``older_than`` seconds
        (longer than a live worker keeps a task unacknowledged) and its task was sent
        before the task now at the head of the queue: queues are first in, first out,
        so that task was taken off the queue, and no worker ever saw it through.
        """
        k = self.keys
        head_sent = self._sent_at(self._head_article(queue)) if queue else None
        cutoff = _now().timestamp() - older_than
        if head_sent is not None:
            cutoff = min(cutoff, head_sent - 1.0)
        found = cast(
            list[bytes], self._run(lambda: self.redis.zrangebyscore(k.queued, "-inf", cutoff))
        )
        ids = [cast(str, _text(i)) for i in found]
        pipe = self.redis.pipeline(transaction=False)
        for article_id in ids:
            pipe.hmget(k.status(article_id), "state", "digest")
        replies = cast(list[list[bytes | None]], self._run(pipe.execute)) if ids else []
        return [
            (article_id, _text(digest) or "")
            for article_id, (state, digest) in zip(ids, replies, strict=True)
            if _text(state) == ArticleState.QUEUED.value
        ]

    def _head_article(self, queue: str) -> str | None:
        """The article of the task that will be taken off ``queue`` next, if any."""
        raw = cast(bytes | None, self._run(lambda: self.redis.lindex(self.keys.queue(queue), -1)))
        if raw is None:
            return None
        try:
            body = json.loads(base64.b64decode(json.loads(raw)["body"]))
            args = body[0]
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        if isinstance(args, list) and args and isinstance(args[0], str):
            return args[0]
        return None

    def _sent_at(self, article_id: str | None) -> float | None:
        if article_id is None:
            return None
        score = self._run(lambda: self.redis.zscore(self.keys.queued, article_id))
        return None if score is None else float(score)

    def sweep_lock(self, seconds: float, holder: str) -> bool:
        """Take the sweeper's lock for ``seconds``; False when another worker holds it."""
        key = self.keys.sweep_lock
        return bool(self._run(lambda: self.redis.set(key, holder, nx=True, px=int(seconds * 1000))))

    # -- worker side --

    def load_article(self, article_id: str) -> str | None:
        key = self.keys.article(article_id)
        return _text(cast(bytes | None, self._run(lambda: self.redis.get(key))))

    def claim(
        self, article_id: str, digest: str | None, task_id: str, max_attempts: int
    ) -> tuple[Claim, int]:
        """Mark the article as being processed by ``task_id``, or say why not."""
        verdict, attempts, _ = self._claim_call(article_id, digest, task_id, max_attempts, False)
        return verdict, attempts

    def claim_article(
        self, article_id: str, digest: str | None, task_id: str, max_attempts: int
    ) -> tuple[Claim, int, str | None]:
        """:meth:`claim`, and on ``GO`` the stored article (JSON) read in the same step:
        one round trip per delivery instead of two."""
        return self._claim_call(article_id, digest, task_id, max_attempts, True)

    def _claim_call(
        self, article_id: str, digest: str | None, task_id: str, max_attempts: int, load: bool
    ) -> tuple[Claim, int, str | None]:
        k = self.keys
        now = _now()
        reply = self._run(
            lambda: self._claim(
                keys=[
                    k.status(article_id),
                    k.article(article_id),
                    k.timeline(article_id),
                    k.queued,
                ],
                args=[
                    digest or "",
                    task_id,
                    now.isoformat(),
                    max_attempts,
                    now.timestamp(),
                    self.busy_seconds,
                    article_id,
                    "1" if load else "0",
                ],
            )
        )
        payload = _text(reply[2]) if len(reply) > 2 else None
        return Claim(cast(str, _text(reply[0]))), int(reply[1]), payload

    def save(self, timeline: Timeline) -> bool:
        """Store a timeline and replace the article's index entries, atomically.

        Returns False (and writes nothing) when the article has changed since:
        the newer content's own task will write its timeline.
        """
        k = self.keys
        aid = timeline.article_id
        args: list[Any] = [aid, timeline.digest or "", timeline.model_dump_json()]
        args.append(_now().isoformat())
        for score, member in index_entries(timeline):
            args.extend((score, member))
        saved = self._run(
            lambda: self._save(
                keys=[
                    k.status(aid),
                    k.timeline(aid),
                    k.article_events(aid),
                    k.events,
                    k.failed,
                    k.queued,
                ],
                args=args,
            )
        )
        return bool(saved)

    def fail(self, article_id: str, error: str, payload: str | None = None) -> None:
        """Record a failure with its reason; keep the payload when there is no article."""
        k = self.keys
        now = _now()
        self._run(
            lambda: self._fail(
                keys=[k.status(article_id), k.failed, k.failed_payload(article_id), k.queued],
                args=[article_id, error[:2000], now.isoformat(), now.timestamp(), payload or ""],
            )
        )

    @staticmethod
    def payload_id(payload: str) -> str:
        """A stable id for a payload that carries no usable article id."""
        return "invalid-" + hashlib.sha256(payload.encode("utf-8", "replace")).hexdigest()[:16]

    # -- reading --

    def timeline(self, article_id: str) -> Timeline | None:
        raw = cast(bytes | None, self.redis.get(self.keys.timeline(article_id)))
        return None if raw is None else Timeline.model_validate_json(raw)

    def status(self, article_id: str) -> ArticleStatus | None:
        raw = cast(dict[bytes, bytes], self.redis.hgetall(self.keys.status(article_id)))
        if not raw:
            return None
        fields = {cast(str, _text(key)): _text(value) or "" for key, value in raw.items()}
        return ArticleStatus(
            article_id=article_id,
            state=ArticleState(fields.get("state") or "queued"),
            error=fields.get("error") or None,
            task_id=fields.get("task_id") or None,
            attempts=int(fields.get("attempts") or 0),
            updated=datetime.fromisoformat(fields["updated"]) if fields.get("updated") else None,
            digest=fields.get("digest") or None,
        )

    def states(self, article_ids: list[str]) -> dict[str, ArticleState | None]:
        """The state of many articles in one round trip (None for unknown ids)."""
        pipe = self.redis.pipeline(transaction=False)
        for article_id in article_ids:
            pipe.hget(self.keys.status(article_id), "state")
        replies = cast(list[bytes | None], self._run(pipe.execute))
        return {
            article_id: ArticleState(state.decode()) if state else None
            for article_id, state in zip(article_ids, replies, strict=True)
        }

    def events(
        self,
        start: datetime,
        end: datetime,
        *,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[IndexedEvent]:
        """Events of every article whose earliest time falls in ``[start, end)``, in order."""
        members = cast(
            list[bytes],
            self.redis.zrangebyscore(
                self.keys.events,
                start.timestamp(),
                f"({end.timestamp()}",
                start=0 if limit and not outlet else None,
                num=limit if limit and not outlet else None,
            ),
        )
        if not members:
            return []
        found = _parse_indexed(members)
        if outlet is not None:
            found = [event for event in found if event.outlet == outlet]
        return found if limit is None else found[:limit]

    def failed(self, limit: int = 100) -> list[FailedArticle]:
        """The most recent failures, newest first."""
        k = self.keys
        rows = cast(
            list[tuple[bytes, float]],
            self.redis.zrevrange(k.failed, 0, limit - 1, withscores=True),
        )
        failures = []
        for raw_id, score in rows:
            article_id = cast(str, _text(raw_id))
            error = _text(cast(bytes | None, self.redis.hget(k.status(article_id), "error")))
            payload = self.load_article(article_id) or _text(
                cast(bytes | None, self.redis.get(k.failed_payload(article_id)))
            )
            failures.append(
                FailedArticle(
                    article_id=article_id,
                    error=error or "unknown error",
                    failed_at=datetime.fromtimestamp(score, UTC),
                    payload=payload,
                )
            )
        return failures

    def failed_count(self) -> int:
        return int(self.redis.zcard(self.keys.failed))

    def event_count(self) -> int:
        return int(self.redis.zcard(self.keys.events))

    # -- producer side: batches --

    def accept_and_enqueue(
        self,
        entries: Sequence[tuple[Article, TaskMessage]],
        queue: str,
        *,
        force: bool = False,
    ) -> list[Acceptance]:
        """Store many articles and queue their tasks in one round trip.

        Per article this is :meth:`accept` and, unless it is a duplicate, pushing its
        task message onto ``queue`` and marking it sent, all in one script: an article
        is never queued without being stored. On a lost connection the batch is sent
        again (for up to ``retry_seconds``); that is safe, since an article stored and
        queued by the first try comes back as a duplicate of itself.
        """
        if not entries:
            return []
        script = self._accept_and_push
        queue_key = self.keys.queue(queue)
        now = _now()

        def send() -> list[Any]:
            # EVALSHA straight into the pipeline: redis-py would otherwise ask Redis
            # whether the script is loaded (SCRIPT EXISTS) before every batch, a
            # second round trip for a single article
            pipe = self.redis.pipeline(transaction=False)
            for article, message in entries:
                keys, args = self._accept_call(article, force, now, message.digest)
                keys.append(queue_key)
                pipe.evalsha(script.sha, len(keys), *keys, *args, message.task_id, message.body)
            return pipe.execute()

        def run() -> list[Any]:
            try:
                return send()
            except redis.exceptions.NoScriptError:
                # a Redis that does not know the script (new, restarted, flushed) ran
                # none of the batch; load it and send the batch again (safe even if
                # some had run: they come back as duplicates of themselves)
                self.redis.script_load(_ACCEPT_AND_PUSH)
                return send()

        replies = self._run(run)
        acceptances = []
        for reply in replies:
            outcome, article_id = (cast(str, _text(x)) for x in reply)
            acceptances.append(Acceptance(Outcome(outcome), article_id))
        return acceptances

    @cached_property
    def _accept_and_push(self) -> Any:
        return self.redis.register_script(_ACCEPT_AND_PUSH)

    def _accept_call(
        self, article: Article, force: bool, now: datetime, digest: str | None = None
    ) -> tuple[list[str], list[Any]]:
        """The keys and arguments of the accept script for ``article``."""
        content = content_digest(article.text)
        k = self.keys
        keys = [
            k.status(article.id),
            k.article(article.id),
            k.content(content),
            k.failed,
            k.queued,
        ]
        args: list[Any] = [
            article.id,
            digest or article.digest,
            content,
            article.model_dump_json(),
            now.isoformat(),
            "1" if force else "0",
            k.content(""),
            now.timestamp(),
        ]
        return keys, args

    # -- feed poller: entries already enqueued --

    def unseen(self, feed: str, entries: Sequence[str]) -> list[str]:
        """The entries of ``feed`` (by guid or link) not yet enqueued, in their order."""
        if not entries:
            return []
        scores: list[float | None] = self.redis.zmscore(self.keys.seen(feed), list(entries))
        return [entry for entry, score in zip(entries, scores, strict=True) if score is None]

    def mark_seen(self, feed: str, entries: Iterable[str], *, keep_days: float = 90) -> None:
        """Remember entries as enqueued; forget those first seen over ``keep_days`` ago."""
        now = time.time()
        mapping = {entry: now for entry in entries}
        key = self.keys.seen(feed)
        pipe = self.redis.pipeline(transaction=False)
        if mapping:
            pipe.zadd(key, mapping, nx=True)
        pipe.zremrangebyscore(key, "-inf", now - keep_days * 86400)
        pipe.expire(key, int(keep_days * 86400) + 86400)
        pipe.execute()

    def seen_count(self, feed: str) -> int:
        return int(self.redis.zcard(self.keys.seen(feed)))

    # -- bulk import: resume checkpoints --

    def import_checkpoint(self, source: str) -> dict[str, str] | None:
        """Where an interrupted import of ``source`` (a file's key) stopped, or None."""
        raw = cast(dict[bytes, bytes], self.redis.hgetall(self.keys.import_checkpoint(source)))
        if not raw:
            return None
        return {cast(str, _text(k)): cast(str, _text(v)) for k, v in raw.items()}

    def save_import_checkpoint(
        self, source: str, values: Mapping[str, str | int | float], *, keep_days: float = 30
    ) -> None:
        """Record progress; call it only after the lines it covers are accepted."""
        key = self.keys.import_checkpoint(source)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, mapping={name: value for name, value in values.items()})
        pipe.expire(key, int(keep_days * 86400))
        pipe.execute()

    def clear_import_checkpoint(self, source: str) -> None:
        self.redis.delete(self.keys.import_checkpoint(source))
