"""The one module that talks to Redis about articles and timelines.

The producer accepts articles through it, the worker claims and saves them
through it, the client reads through it. Every multi-key change is one Lua
script, so a change is all or nothing and redelivered or duplicated work leaves
one timeline and one set of index entries.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
    ArticleView,
    EntryPage,
    FailedArticle,
    IndexedEvent,
    Timeline,
    content_digest,
)
from timeline.stories import (
    Query,
    article_entries,
    article_reports,
    decode_cursor,
    encode_cursor,
    in_range,
    index_words,
    merge_reports,
    page_after,
)

__all__ = [
    "TRANSIENT_ERRORS",
    "Acceptance",
    "Claim",
    "Keys",
    "Outcome",
    "TaskMessage",
    "TimelineStore",
    "TooManyReports",
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
-- ARGV[5..11]: how keys of the index are spelled (store/keys.py)
local left, right = ARGV[5], ARGV[6]
local reports, word, outlet_part = ARGV[7], ARGV[8], ARGV[9]
local story_part, story_days = ARGV[10], ARGV[11]
local function parse(entry)
  return string.match(entry, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$')
end
-- take out the article's old entries: a redelivery or a changed article leaves one set
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local day, ref, _, outlet, story, forms = parse(entry)
  local base = left .. day .. right
  redis.call('HDEL', base .. reports, ref)
  for form in string.gmatch(forms, '%S+') do redis.call('SREM', base .. word .. form, ref) end
  if outlet ~= '' then redis.call('SREM', base .. outlet_part .. outlet, ref) end
  if story ~= '' then
    redis.call('SREM', base .. story_part .. story, ref)
    if redis.call('EXISTS', base .. story_part .. story) == 0 then
      redis.call('ZREM', story_days .. story, day)
    end
  end
  if redis.call('EXISTS', base .. reports) == 0 then redis.call('ZREM', KEYS[4], day) end
end
redis.call('DEL', KEYS[3])
-- (entry, report JSON) pairs from ARGV[12]
for i = 12, #ARGV, 2 do
  local entry = ARGV[i]
  local day, ref, score, outlet, story, forms = parse(entry)
  local base = left .. day .. right
  redis.call('HSET', base .. reports, ref, ARGV[i + 1])
  redis.call('ZADD', KEYS[4], score, day)
  for form in string.gmatch(forms, '%S+') do redis.call('SADD', base .. word .. form, ref) end
  if outlet ~= '' then redis.call('SADD', base .. outlet_part .. outlet, ref) end
  if story ~= '' then
    redis.call('SADD', base .. story_part .. story, ref)
    redis.call('ZADD', story_days .. story, score, day)
  end
  redis.call('SADD', KEYS[3], entry)
end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'state', 'done', 'error', '', 'updated', ARGV[4])
if digest == false then redis.call('HSET', KEYS[1], 'digest', ARGV[2]) end
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
return 1
"""

#: the reports of one day that match every group of set keys (a group matches when the
#: report is in any of its sets): the smallest group gives the candidates, the others
#: are checked member by member. KEYS[1]: the day's reports hash; ARGV: the number of
#: groups, then the number of keys in each.
_QUERY_DAY = """
local count = tonumber(ARGV[1])
if count == 0 then return redis.call('HVALS', KEYS[1]) end
local groups, at = {}, 2
for g = 1, count do
  local keys = {}
  for j = 1, tonumber(ARGV[g + 1]) do keys[j] = KEYS[at]; at = at + 1 end
  groups[g] = keys
end
local smallest, size = 1, -1
for g, keys in ipairs(groups) do
  local n = 0
  for _, key in ipairs(keys) do n = n + redis.call('SCARD', key) end
  if size < 0 or n < size then smallest, size = g, n end
end
if size == 0 then return {} end
local refs = {}
for _, ref in ipairs(redis.call('SUNION', unpack(groups[smallest]))) do
  local wanted = true
  for g, keys in ipairs(groups) do
    if g ~= smallest then
      local found = false
      for _, key in ipairs(keys) do
        if redis.call('SISMEMBER', key, ref) == 1 then found = true; break end
      end
      if not found then wanted = false; break end
    end
  end
  if wanted then refs[#refs + 1] = ref end
end
local docs = {}
for i = 1, #refs, 500 do
  local part = redis.call('HMGET', KEYS[1], unpack(refs, i, math.min(i + 499, #refs)))
  for _, doc in ipairs(part) do if doc then docs[#docs + 1] = doc end end
end
return docs
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


def _day_of(moment: datetime) -> tuple[str, float]:
    """The UTC day a report is filed under, and the score of that day."""
    day = moment.astimezone(UTC).date()
    return day.isoformat(), datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def index_entries(keys: Keys, timeline: Timeline, story: str | None = None) -> list[str]:
    """The events index entries of a timeline, as the save script reads them: for each
    report an entry (see :mod:`store.keys`) and the report's JSON."""
    args: list[str] = []
    for report in article_reports(timeline, story):
        day, score = _day_of(report.earliest)
        outlet = keys.outlet_id(report.outlet) if report.outlet else ""
        forms = " ".join(sorted(index_words(report)))
        args.append(f"{day}\t{report.ref}\t{score:.0f}\t{outlet}\t{story or ''}\t{forms}")
        args.append(report.model_dump_json())
    return args


class TooManyReports(ValueError):
    """A query matched more reports than one merged timeline is built from."""


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
        self._query_day = client.register_script(_QUERY_DAY)

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

    def save(self, timeline: Timeline, story: str | None = None) -> bool:
        """Store a timeline and replace the article's index entries, atomically.

        ``story``: the story key the article is filed under. Returns False (and writes
        nothing) when the article has changed since: the newer content's own task will
        write its timeline.
        """
        k = self.keys
        aid = timeline.article_id
        args: list[Any] = [aid, timeline.digest or "", timeline.model_dump_json()]
        args.append(_now().isoformat())
        left, _, right = k.day_base("\0").partition("\0")
        args += [left, right, k.DAY_REPORTS, k.DAY_WORD, k.DAY_OUTLET, k.DAY_STORY]
        args.append(k.story_days_base)
        args += index_entries(k, timeline, story)
        saved = self._run(
            lambda: self._save(
                keys=[
                    k.status(aid),
                    k.timeline(aid),
                    k.article_events(aid),
                    k.days,
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
        """Reports of every article whose earliest time falls in ``[start, end)``, in order."""
        query = Query(start, end, outlets=(outlet,) if outlet is not None else ())
        found = self.reports(query)
        return found if limit is None else found[:limit]

    def reports(self, query: Query, *, max_reports: int | None = None) -> list[IndexedEvent]:
        """The reports a query asks for (see :func:`timeline.stories.matches`), ordered by
        earliest time, then ref. Raises :class:`TooManyReports` past ``max_reports``."""
        k = self.keys
        days = self._days(query)
        groups = [[k.day_word("\0", form) for form in forms] for forms in query.word_forms()]
        if query.outlets:
            groups.append([k.day_outlet("\0", outlet) for outlet in query.outlets])
        if query.story is not None:
            groups.append([k.day_story("\0", query.story)])
        counts = [len(g) for g in groups]
        members: list[bytes] = []
        for first in range(0, len(days), 64):
            calls = []
            for day in days[first : first + 64]:
                day_keys = [key.replace("\0", day) for group in groups for key in group]
                calls.append(([k.day_reports(day), *day_keys], [len(groups), *counts]))
            for part in self._evalsha_all(self._query_day, calls):
                members.extend(part)
            if max_reports is not None and len(members) > max_reports:
                raise TooManyReports(
                    f"the query matches over {max_reports} reports: narrow it with from, to, "
                    "q or outlet"
                )
        if not members:
            return []
        found = [r for r in _parse_indexed(members) if in_range(r, query)]  # days are whole
        found.sort(key=lambda r: (r.earliest.timestamp(), r.ref))
        return found

    def entries(
        self,
        query: Query,
        *,
        cursor: str | None = None,
        limit: int = 50,
        max_reports: int | None = None,
    ) -> EntryPage:
        """A page of the query's merged timeline (:func:`timeline.stories.merge_reports`)
        after ``cursor``; ``ValueError`` naming the cursor when it is not one of this
        query's."""
        after = decode_cursor(cursor, query) if cursor else None
        merged = merge_reports(self.reports(query, max_reports=max_reports))
        chosen, more = page_after(merged, after, limit)
        following = encode_cursor(chosen[-1], query) if more and chosen else None
        return EntryPage(entries=chosen, next=following)

    def reindex(self) -> int:
        """Index every stored timeline again (after the index's layout or the stories
        rules changed); returns how many. Each is one save, as a worker's: safe while
        workers run, and again after an interruption."""
        pattern = self.keys.timeline("*")
        count = 0
        for key in self.redis.scan_iter(match=pattern, count=500):
            article_id = cast(bytes, key).decode()[len(self.keys.timeline("")) :]
            timeline = self.timeline(article_id)
            if timeline is None:
                continue
            self.save(timeline, self._story_of(article_id))
            count += 1
        # the single index of earlier versions
        self.redis.delete(self.keys.legacy_events)
        return count

    def _story_of(self, article_id: str) -> str | None:
        raw = self.load_article(article_id)
        if raw is None:
            return None
        with contextlib.suppress(ValueError):
            found = json.loads(raw).get("story")
            return found if isinstance(found, str) else None
        return None

    def article_view(self, article_id: str, *, show_all: bool = False) -> ArticleView | None:
        """The article's state and its timeline as entries; None for an unknown id."""
        status = self.status(article_id)
        if status is None:
            return None
        story = self._story_of(article_id)
        view = ArticleView(article_id=article_id, state=status.state, error=status.error)
        timeline = self.timeline(article_id)
        if timeline is None:
            return view
        entries, hidden = article_entries(timeline, story=story, show_all=show_all)
        return view.model_copy(
            update={
                "outlet": timeline.outlet,
                "title": timeline.title,
                "url": timeline.url,
                "published": timeline.published,
                "story": story,
                "entries": entries,
                "hidden": hidden,
            }
        )

    def _days(self, query: Query) -> list[str]:
        """The days (in order) whose shards may hold the query's reports."""
        start, end = query.day_range()
        low: float | str = "-inf" if start is None else _day_of(start)[1]
        high: float | str = "+inf" if end is None else _day_of(end - timedelta(microseconds=1))[1]
        key = self.keys.days if query.story is None else self.keys.story_days(query.story)
        found = cast(list[bytes], self._run(lambda: self.redis.zrangebyscore(key, low, high)))
        return [day.decode() for day in found]

    def _evalsha_all(self, script: Any, calls: Sequence[tuple[list[str], list[Any]]]) -> list[Any]:
        """Run a registered script once per ``(keys, args)`` in one round trip."""

        def send() -> list[Any]:
            pipe = self.redis.pipeline(transaction=False)
            for keys, args in calls:
                pipe.evalsha(script.sha, len(keys), *keys, *args)
            return pipe.execute()

        def run() -> list[Any]:
            try:
                return send()
            except redis.exceptions.NoScriptError:
                # a Redis that does not know the script (new, restarted, flushed)
                self.redis.script_load(script.script)
                return send()

        return self._run(run)

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
        """How many reports the events index holds."""
        days = [d.decode() for d in cast(list[bytes], self.redis.zrange(self.keys.days, 0, -1))]
        pipe = self.redis.pipeline(transaction=False)
        for day in days:
            pipe.hlen(self.keys.day_reports(day))
        return sum(cast(list[int], pipe.execute())) if days else 0

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
        queue_key = self.keys.queue(queue)
        now = _now()
        calls = []
        for article, message in entries:
            keys, args = self._accept_call(article, force, now, message.digest)
            calls.append(([*keys, queue_key], [*args, message.task_id, message.body]))
        # a Redis that does not know the script ran none of the batch, which is then sent
        # again; that is safe even if some had run: they come back as duplicates of
        # themselves
        replies = self._evalsha_all(self._accept_and_push, calls)
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
