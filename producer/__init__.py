"""Hand articles to the service: validate, store, enqueue by task name.

>>> from producer import enqueue
>>> enqueue({"text": "…", "published": "2017-05-04T18:00:00+03:00"})  # doctest: +SKIP
'a-…'

The producer never imports the worker: it sends ``timeline.process_article``
by name. An article is stored before its task is queued, so nothing accepted
is lost; the same article sent twice is one article.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from itertools import islice
from typing import Any

from celery import Celery
from pydantic import ValidationError

from config import logs
from config.celeryconf import PROCESS_ARTICLE, make_app
from config.errors import describe
from config.logs import get_logger
from config.settings import Settings, get_settings
from producer.messages import TaskMessages
from producer.published import PublishedPolicy, UnusableDate
from store import Acceptance, Outcome, TimelineStore
from timeline.contract import Article

__all__ = [
    "BatchReport",
    "InvalidArticle",
    "Producer",
    "PublishedPolicy",
    "QueueFull",
    "enqueue",
    "enqueue_many",
    "parse_article",
]

log = get_logger("producer")

RawArticle = Article | Mapping[str, Any] | str | bytes

#: raw JSON larger than this is refused before it is parsed
_RAW_BYTES_PER_CHAR = 8
_RAW_SLACK = 64 * 1024


class InvalidArticle(ValueError):
    """The input is not a valid article; the message names the field at fault."""


class QueueFull(RuntimeError):
    """The queue is longer than the configured bound.

    Raised from a batch, it carries the report of what was done before it.
    """

    report: BatchReport | None = None


def parse_article(
    raw: RawArticle,
    *,
    max_text_chars: int,
    dates: PublishedPolicy | None = None,
    now: datetime | None = None,
) -> Article:
    """Validate one article given as a model, a mapping or a JSON document.

    Before validation ``published`` is normalized to an aware datetime from any form
    scrapers deliver (see :mod:`producer.published`), read in the outlet's time zone from
    ``dates``; ``now`` (the receive time, default the clock) anchors relative times and is
    the fallback publication time when ``dates`` allows one.
    """
    if isinstance(raw, Article):
        data: Any = raw.model_dump()
    elif isinstance(raw, bytes | str):
        limit = max_text_chars * _RAW_BYTES_PER_CHAR + _RAW_SLACK
        if len(raw) > limit:
            raise InvalidArticle(
                f"article: the document is {len(raw)} bytes, over the limit of {limit}"
            )
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InvalidArticle(f"article: not valid JSON ({err})") from None
        except RecursionError:
            raise InvalidArticle("article: JSON nested too deeply") from None
    elif isinstance(raw, Mapping):
        data = raw
    else:
        raise InvalidArticle(f"article: expected an object, got {type(raw).__name__}")
    if not isinstance(data, Mapping):
        raise InvalidArticle(f"article: expected a JSON object, got {type(data).__name__}")
    date_error: str | None = None
    try:
        data = (dates or _STRICT).normalize(data, now or datetime.now(UTC))
    except UnusableDate as err:
        date_error = f"published: {err}"
    try:
        # a value the model reads itself stays valid even where normalization gave up
        return Article.model_validate(data, context={"max_text_chars": max_text_chars})
    except ValidationError as err:
        raise InvalidArticle(_describe(err, date_error)) from None


def _describe(error: ValidationError, date_error: str | None) -> str:
    """The model's message, with the reason ``published`` could not be read in its place."""
    if date_error is None:
        return describe(error)
    parts = [date_error]
    for item in error.errors(include_url=False):
        if tuple(item["loc"]) == ("published",):
            continue
        where = ".".join(str(p) for p in item["loc"]) or "article"
        parts.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


_STRICT = PublishedPolicy()
#: a place held in a batch's results until the store answers
_PENDING = InvalidArticle("article: not stored")


@dataclass
class BatchReport:
    """What became of a batch: one entry per input item."""

    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    #: ``(item number, message)``; item numbers start at 1 (line numbers for JSONL)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return len(self.accepted) + len(self.duplicates) + len(self.rejected)


class Producer:
    """Validates, stores and enqueues articles. Reuse one per process."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: TimelineStore | None = None,
        app: Celery | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.dates = PublishedPolicy.from_settings(self.settings)
        #: the receive time of an article (tests pass a fixed one)
        self.clock = clock or (lambda: datetime.now(UTC))
        logs.configure_if_unset(self.settings.log_level, self.settings.log_format)
        self.store = store or self.settings.open_store()
        self.app = app or make_app(self.settings, "timeline-producer")
        self._since_check = 0

    def validate(self, raw: RawArticle) -> Article:
        return parse_article(
            raw, max_text_chars=self.settings.max_text_chars, dates=self.dates, now=self.clock()
        )

    def submit(self, raw: RawArticle, *, force: bool = False) -> Acceptance:
        """Validate, store and enqueue one article; say whether it was new."""
        article = self.validate(raw)
        self._respect_bound()
        message = self.messages.build(article.id, article.digest)
        [acceptance] = self.store.accept_and_enqueue(
            [(article, message)], self.settings.queue, force=force
        )
        log.debug(
            "article.accepted",
            article_id=acceptance.article_id,
            outcome=acceptance.outcome.value,
        )
        return acceptance

    def enqueue(self, raw: RawArticle, *, force: bool = False) -> str:
        """Enqueue one article; returns its id (for a duplicate, the id already holding it)."""
        return self.submit(raw, force=force).article_id

    def enqueue_many(self, items: Iterable[RawArticle], *, force: bool = False) -> BatchReport:
        """Enqueue every valid item; invalid ones are reported with their number, not raised."""
        return self._batch(enumerate(items, start=1), force)

    def enqueue_lines(self, lines: Iterable[str | bytes], *, force: bool = False) -> BatchReport:
        """Enqueue JSON lines; blank lines are skipped, bad lines reported by line number."""
        return self._batch(_numbered(lines), force)

    def page_article(
        self,
        html: str | bytes,
        *,
        url: str | None = None,
        outlet: str | None = None,
        published: Any = None,
        article_id: str | None = None,
        story: str | None = None,
    ) -> dict[str, Any]:
        """The article fields of a whole web page (see :mod:`producer.html`).

        Main text and title by trafilatura, offline; the publication time from the
        page's own metadata before any guess, unless ``published`` is given. Without
        ``article_id`` the id is derived from the text.
        """
        try:
            from producer.html import extract_page, page_fields
        except ImportError as err:  # pragma: no cover - depends on the install
            raise ImportError(
                f"reading web pages needs the feeds extra: pip install 'timeline[feeds]' ({err})"
            ) from err
        page = extract_page(html, url=url)
        fields = page_fields(
            page, self.dates, url=url, outlet=outlet, published=published, now=self.clock()
        )
        if article_id is not None:
            fields["id"] = article_id
        if story is not None:
            fields["story"] = story
        return fields

    def submit_html(
        self,
        html: str | bytes,
        *,
        url: str | None = None,
        outlet: str | None = None,
        published: Any = None,
        article_id: str | None = None,
        story: str | None = None,
        force: bool = False,
    ) -> Acceptance:
        """Extract an article from a web page, then store and queue it like :meth:`submit`."""
        fields = self.page_article(
            html, url=url, outlet=outlet, published=published, article_id=article_id, story=story
        )
        return self.submit(fields, force=force)

    def enqueue_html(
        self,
        html: str | bytes,
        *,
        url: str | None = None,
        outlet: str | None = None,
        published: Any = None,
        article_id: str | None = None,
        story: str | None = None,
        force: bool = False,
    ) -> str:
        """Enqueue the article of a whole web page; returns its id.

        >>> Producer().enqueue_html(page, url="https://example.com/a/1", outlet="Example")
        ... # doctest: +SKIP
        """
        return self.submit_html(
            html,
            url=url,
            outlet=outlet,
            published=published,
            article_id=article_id,
            story=story,
            force=force,
        ).article_id

    def retry(self, article_id: str) -> bool:
        """Queue a stored article again (after a failure); False if nothing is stored."""
        digest = self.store.retry(article_id)
        if digest is None:
            return False
        self._send(article_id, digest)
        return True

    def requeue_stranded(self, older_than: float | None = None) -> int:
        """Send again the tasks of accepted articles the broker lost (see
        :meth:`store.TimelineStore.stranded`); workers also do this by themselves."""
        wait = self.settings.stranded_after if older_than is None else older_than
        stranded = self.store.stranded(self.settings.queue, wait)
        for article_id, digest in stranded:
            self._send(article_id, digest)
        return len(stranded)

    def close(self) -> None:
        self.store.redis.close()
        self.app.close()

    def submit_batch(
        self, items: Sequence[RawArticle], *, force: bool = False
    ) -> list[Acceptance | InvalidArticle]:
        """Validate many articles, then store and queue the valid ones in one round trip.

        One result per item, in order: its :class:`Acceptance`, or the
        :class:`InvalidArticle` saying why it was refused. Each article is stored in
        the same step that queues its task, so none is queued without being stored.
        The caller minds the queue bound (:meth:`room`).
        """
        results: list[Acceptance | InvalidArticle] = []
        valid: list[tuple[int, Article]] = []
        for index, item in enumerate(items):
            try:
                article = self.validate(item)
            except InvalidArticle as err:
                results.append(err)
                continue
            results.append(_PENDING)
            valid.append((index, article))
        build = self.messages.build
        entries = [(article, build(article.id, article.digest)) for _, article in valid]
        accepted = self.store.accept_and_enqueue(entries, self.settings.queue, force=force)
        for (index, _), acceptance in zip(valid, accepted, strict=True):
            results[index] = acceptance
        return results

    def room(self) -> int:
        """How many more tasks the queue takes before its bound; waits or refuses at it."""
        bound = self.settings.max_queue_length
        deadline = time.monotonic() + self.settings.backpressure_wait_seconds
        while (length := self.store.queue_length(self.settings.queue)) >= bound:
            if self.settings.backpressure == "refuse" or time.monotonic() >= deadline:
                raise QueueFull(f"queue holds {length} tasks, at or over the bound of {bound}")
            time.sleep(0.2)
        return bound - length

    @cached_property
    def messages(self) -> TaskMessages:
        return TaskMessages(self.app, self.settings.queue)

    def _batch(self, items: Iterable[tuple[int, RawArticle]], force: bool) -> BatchReport:
        report = BatchReport()
        pending = iter(items)
        try:
            while True:
                size = min(self.settings.import_batch_size, self.room())
                chunk = list(islice(pending, size))
                if not chunk:
                    break
                results = self.submit_batch([item for _, item in chunk], force=force)
                for (number, _), result in zip(chunk, results, strict=True):
                    _record(report, number, result)
        except QueueFull as err:
            err.report = report
            raise
        return report

    def _send(self, article_id: str, digest: str) -> None:
        result = self.app.send_task(
            PROCESS_ARTICLE,
            args=[article_id, digest],
            queue=self.settings.queue,
            retry=True,
            retry_policy={
                "max_retries": max(1, int(self.settings.redis_retry_seconds)),
                "interval_start": 0.1,
                "interval_step": 0.5,
                "interval_max": 2.0,
            },
        )
        self.store.mark_sent(article_id, result.id)

    def _respect_bound(self) -> None:
        """Refuse or wait while the queue is over ``max_queue_length``."""
        self._since_check += 1
        bound = self.settings.max_queue_length
        if self._since_check < min(100, max(1, bound // 100)):
            return
        self._since_check = 0
        deadline = time.monotonic() + self.settings.backpressure_wait_seconds
        while (length := self.store.queue_length(self.settings.queue)) >= bound:
            if self.settings.backpressure == "refuse" or time.monotonic() >= deadline:
                raise QueueFull(f"queue holds {length} tasks, at or over the bound of {bound}")
            time.sleep(0.2)


def _record(report: BatchReport, number: int, result: Acceptance | InvalidArticle) -> None:
    if isinstance(result, InvalidArticle):
        report.rejected.append((number, str(result)))
        log.warning("article.rejected", item=number, error=str(result))
    elif result.outcome is Outcome.DUPLICATE:
        report.duplicates.append(result.article_id)
    else:
        report.accepted.append(result.article_id)


def _numbered(lines: Iterable[str | bytes]) -> Iterator[tuple[int, str | bytes]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


_default: dict[str, Producer] = {}


def _producer() -> Producer:
    if "p" not in _default:
        _default["p"] = Producer()
    return _default["p"]


def enqueue(article: RawArticle, *, force: bool = False) -> str:
    """Enqueue one article with the default settings; returns its id."""
    return _producer().enqueue(article, force=force)


def enqueue_many(articles: Iterable[RawArticle], *, force: bool = False) -> BatchReport:
    """Enqueue many articles with the default settings; invalid ones are reported."""
    return _producer().enqueue_many(articles, force=force)
