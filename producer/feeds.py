"""RSS and Atom feeds: poll, remember what was sent, enqueue what is new.

Each feed is read with feedparser. An entry is known by its guid (else its link, else its
title and summary); the entries already enqueued are kept in Redis through the store, so
a restarted poller does not send them again. ``published`` is the entry's own date
(Arabic date strings included, read in the outlet's time zone); when the feed carries
only a summary, the article page is fetched and its main text extracted as in
:mod:`producer.html`. A feed that fails is logged and reported, and the others go on.

Needs the ``feeds`` extra (``pip install timeline[feeds]``).
"""

from __future__ import annotations

import calendar
import hashlib
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from config.logs import get_logger
from producer import InvalidArticle, Producer, QueueFull
from producer.html import html_to_text
from producer.published import UnusableDate, parse_published
from store import Outcome
from timeline.contract import StoryKey

__all__ = [
    "FeedError",
    "FeedPoller",
    "FeedReport",
    "Fetcher",
    "PollReport",
    "read_feed_list",
]

log = get_logger("producer.feeds")


class FeedError(RuntimeError):
    """A feed or page could not be fetched or read."""


_STORY_KEY: TypeAdapter[str] = TypeAdapter(StoryKey)


def read_feed_list(path: Path) -> list[str]:
    """Feed URLs, one a line; blank lines and ``#`` comments are skipped.

    Raises ``ValueError`` naming the line of anything that is not an http(s) URL.
    """
    return list(read_feed_stories(path))


def read_feed_stories(path: Path) -> dict[str, str | None]:
    """Feed URLs and the story each one's entries are filed under: a line is a URL,
    optionally followed by ``story=KEY``.

    Raises ``ValueError`` naming the line of anything else.
    """
    feeds: dict[str, str | None] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split(" #", 1)[0].strip()
        if not text or text.startswith("#"):
            continue
        url, _, rest = text.partition(" ")
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"{path} line {number}: not an http(s) URL: {url!r}")
        story = None
        if rest.strip():
            key = rest.strip().removeprefix("story=")
            if not rest.strip().startswith("story=") or not _valid_story(key):
                raise ValueError(
                    f"{path} line {number}: expected story=KEY after the URL, got {rest!r}"
                )
            story = key
        feeds.setdefault(url, story)
    return feeds


def _valid_story(key: str) -> bool:
    try:
        _STORY_KEY.validate_python(key)
    except ValidationError:
        return False
    return True


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    headers: dict[str, str]


class Fetcher:
    """HTTP GET with the standard library: a timeout, a user agent and a size cap."""

    def __init__(self, *, timeout: float, user_agent: str, max_bytes: int) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self.max_bytes = max_bytes

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Response:
        if not url.lower().startswith(("http://", "https://")):
            raise FeedError(f"not an http(s) URL: {url!r}")
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                body = reply.read(self.max_bytes + 1)
                if len(body) > self.max_bytes:
                    raise FeedError(f"{url}: larger than {self.max_bytes} bytes")
                return Response(
                    reply.geturl(),
                    reply.status,
                    body,
                    {k.lower(): v for k, v in reply.headers.items()},
                )
        except urllib.error.HTTPError as err:
            if err.code == 304:
                return Response(url, 304, b"", {})
            raise FeedError(f"{url}: HTTP {err.code} {err.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            raise FeedError(f"{url}: {reason}") from None


@dataclass
class FeedReport:
    """What one poll of one feed did."""

    url: str
    error: str | None = None
    entries: int = 0
    new: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    #: new entries whose page could not be fetched: tried again at the next poll
    deferred: int = 0
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class PollReport:
    feeds: list[FeedReport] = field(default_factory=list)

    @property
    def failed(self) -> list[FeedReport]:
        return [f for f in self.feeds if not f.ok]

    def as_dict(self) -> dict[str, Any]:
        total = {
            name: sum(getattr(f, name) for f in self.feeds)
            for name in ("entries", "new", "accepted", "duplicates", "rejected", "deferred")
        }
        return {
            "feeds": len(self.feeds),
            "failed": len(self.failed),
            **total,
            "errors": {f.url: f.error for f in self.failed},
        }


def feed_key(url: str) -> str:
    """The store's name for a feed: a digest of its URL."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def entry_key(entry: Any) -> str:
    """An entry's identity: its guid, else its link, else a digest of title and summary."""
    for name in ("id", "link"):
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:1000]
    basis = f"{entry.get('title', '')}|{entry.get('summary', '')}"
    return "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()


class FeedPoller:
    """Polls feeds and enqueues their new entries through a producer."""

    def __init__(
        self,
        producer: Producer,
        *,
        fetcher: Fetcher | None = None,
        stories: Mapping[str, str | None] | None = None,
    ) -> None:
        settings = producer.settings
        self.producer = producer
        #: feed URL -> the story its entries are filed under
        self.stories = dict(stories or {})
        self.store = producer.store
        self.fetcher = fetcher or Fetcher(
            timeout=settings.fetch_timeout,
            user_agent=settings.user_agent,
            max_bytes=settings.fetch_max_bytes,
        )
        self.keep_days = settings.feed_seen_days
        #: ETag / Last-Modified of each feed, for conditional requests in a polling loop
        self._validators: dict[str, dict[str, str]] = {}

    def poll(self, urls: Iterable[str]) -> PollReport:
        """Poll each feed once; a failing feed is reported and does not stop the others."""
        report = PollReport()
        for url in urls:
            try:
                feed = self.poll_feed(url)
            except QueueFull:
                raise
            except Exception as err:  # one bad feed must not stop the others
                feed = FeedReport(url, error=f"{type(err).__name__}: {err}")
                log.exception("feed.crashed", feed=url)
            report.feeds.append(feed)
        return report

    def run(
        self,
        urls: list[str],
        every: float,
        stop: threading.Event,
        on_poll: Callable[[PollReport], None] | None = None,
    ) -> int:
        """Poll every ``every`` seconds until ``stop`` is set; returns the number of polls."""
        polls = 0
        while not stop.is_set():
            report = self.poll(urls)
            polls += 1
            log.info("feeds.polled", poll=polls, **_loggable(report.as_dict()))
            if on_poll is not None:
                on_poll(report)
            if stop.wait(every):
                break
        return polls

    def poll_feed(self, url: str) -> FeedReport:
        import feedparser

        report = FeedReport(url)
        try:
            response = self.fetcher.get(url, headers=self._validators.get(url))
        except FeedError as err:
            report.error = str(err)
            log.warning("feed.failed", feed=url, error=str(err))
            return report
        if response.status == 304:
            report.not_modified = True
            return report
        parsed = feedparser.parse(
            response.body,
            response_headers={"content-location": response.url, **response.headers},
        )
        entries = list(parsed.entries)
        if not entries and parsed.get("bozo"):
            report.error = f"not a feed: {parsed.get('bozo_exception')}"
            log.warning("feed.failed", feed=url, error=report.error)
            return report
        self._remember_validators(url, response.headers)
        report.entries = len(entries)
        outlet = _text(parsed.feed.get("title"))
        keys = [entry_key(entry) for entry in entries]
        fresh = set(self.store.unseen(feed_key(url), keys))
        done: list[str] = []
        for entry, key in zip(entries, keys, strict=True):
            if key not in fresh:
                continue
            fresh.discard(key)  # the same guid twice in one feed is one entry
            report.new += 1
            outcome = self._enqueue_entry(url, entry, outlet)
            if outcome == "deferred":
                report.deferred += 1
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            done.append(key)
        if done:
            self.store.mark_seen(feed_key(url), done, keep_days=self.keep_days)
        log.info(
            "feed.polled",
            feed=url,
            entries=report.entries,
            new=report.new,
            accepted=report.accepted,
            duplicates=report.duplicates,
            rejected=report.rejected,
            deferred=report.deferred,
        )
        return report

    def _enqueue_entry(self, feed: str, entry: Any, outlet: str | None) -> str:
        link = _text(entry.get("link"))
        published = self._published(entry, outlet, link)
        title = _text(entry.get("title"))
        content = _full_text(entry)
        try:
            if content is not None or not link:
                fields: dict[str, Any] = {
                    "text": content if content is not None else _summary(entry),
                    "title": title,
                    "url": link,
                    "outlet": outlet,
                    "published": published,
                }
            else:
                try:
                    page = self.fetcher.get(link)
                except FeedError as err:
                    log.warning("feed.page_failed", feed=feed, url=link, error=str(err))
                    return "deferred"
                # an entry date we cannot read gives way to the page's own
                usable = None if isinstance(published, str) else published
                fields = self.producer.page_article(
                    page.body, url=link, outlet=outlet, published=usable
                )
                if title:
                    fields["title"] = title
            fields["story"] = self.stories.get(feed)
            fields = {name: value for name, value in fields.items() if value is not None}
            acceptance = self.producer.submit(fields)
        except InvalidArticle as err:
            log.warning("feed.entry_rejected", feed=feed, entry=entry_key(entry), error=str(err))
            return "rejected"
        if acceptance.outcome is Outcome.DUPLICATE:
            return "duplicates"
        return "accepted"

    def _published(self, entry: Any, outlet: str | None, link: str | None) -> Any:
        """The entry's own date: its text read by our parser, else feedparser's reading."""
        raw = None
        # dict.get: feedparser's own get maps a missing "updated" to "published", warning
        for name in ("published", "updated", "created"):
            value = dict.get(entry, name)
            if isinstance(value, str) and value.strip():
                raw = value.strip()
                break
        zone = self.producer.dates.zone_for(outlet, link)
        if raw is not None:
            try:
                return parse_published(raw, zone=zone, now=self.producer.clock())
            except UnusableDate:
                pass
        for name in ("published_parsed", "updated_parsed", "created_parsed"):
            value = dict.get(entry, name)
            if value:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
        return raw  # None (the page's date, or the fallback, decides) or unreadable text

    def _remember_validators(self, url: str, headers: dict[str, str]) -> None:
        validators = {}
        if headers.get("etag"):
            validators["If-None-Match"] = headers["etag"]
        if headers.get("last-modified"):
            validators["If-Modified-Since"] = headers["last-modified"]
        self._validators[url] = validators


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _full_text(entry: Any) -> str | None:
    """The entry's full text (``content:encoded`` or Atom content), if it has one."""
    summary = html_to_text(entry.get("summary") or "")
    for content in entry.get("content") or []:
        text = html_to_text(content.get("value") or "")
        if text and text != summary:
            return text
    return None


def _summary(entry: Any) -> str:
    return html_to_text(entry.get("summary") or "")


def _loggable(summary: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in summary.items() if name != "feeds"} | {
        "feed_count": summary["feeds"]
    }
