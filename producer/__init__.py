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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from celery import Celery
from pydantic import ValidationError

from service import logs
from service.celeryconf import PROCESS_ARTICLE, make_app
from service.errors import describe
from service.logs import get_logger
from service.settings import Settings, get_settings
from store import Acceptance, Outcome, TimelineStore
from timeline.contract import Article

__all__ = [
    "BatchReport",
    "InvalidArticle",
    "Producer",
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


def parse_article(raw: RawArticle, *, max_text_chars: int) -> Article:
    """Validate one article given as a model, a mapping or a JSON document."""
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
    try:
        return Article.model_validate(data, context={"max_text_chars": max_text_chars})
    except ValidationError as err:
        raise InvalidArticle(describe(err)) from None


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
    ) -> None:
        self.settings = settings or get_settings()
        logs.configure_if_unset(self.settings.log_level, self.settings.log_format)
        self.store = store or TimelineStore.from_url(
            self.settings.redis_url, self.settings.key_prefix
        )
        self.app = app or make_app(self.settings, "timeline-producer")
        self._since_check = 0

    def validate(self, raw: RawArticle) -> Article:
        return parse_article(raw, max_text_chars=self.settings.max_text_chars)

    def submit(self, raw: RawArticle, *, force: bool = False) -> Acceptance:
        """Validate, store and enqueue one article; say whether it was new."""
        article = self.validate(raw)
        self._respect_bound()
        acceptance = self.store.accept(article, force=force)
        if acceptance.to_process:
            self._send(article.id, article.digest)
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

    def retry(self, article_id: str) -> bool:
        """Queue a stored article again (after a failure); False if nothing is stored."""
        digest = self.store.retry(article_id)
        if digest is None:
            return False
        self._send(article_id, digest)
        return True

    def requeue_unsent(self) -> int:
        """Send the tasks of accepted articles whose enqueue never completed."""
        count = 0
        for article_id, digest in self.store.unsent():
            self._send(article_id, digest)
            count += 1
        return count

    def close(self) -> None:
        self.store.redis.close()
        self.app.close()

    def _batch(self, items: Iterable[tuple[int, RawArticle]], force: bool) -> BatchReport:
        report = BatchReport()
        try:
            for number, item in items:
                self._one(report, number, item, force)
        except QueueFull as err:
            err.report = report
            raise
        return report

    def _one(self, report: BatchReport, number: int, item: RawArticle, force: bool) -> None:
        try:
            acceptance = self.submit(item, force=force)
        except InvalidArticle as err:
            report.rejected.append((number, str(err)))
            log.warning("article.rejected", item=number, error=str(err))
            return
        if acceptance.outcome is Outcome.DUPLICATE:
            report.duplicates.append(acceptance.article_id)
        else:
            report.accepted.append(acceptance.article_id)

    def _send(self, article_id: str, digest: str) -> None:
        result = self.app.send_task(
            PROCESS_ARTICLE,
            args=[article_id, digest],
            queue=self.settings.queue,
            retry=True,
            retry_policy={
                "max_retries": 30,
                "interval_start": 0.1,
                "interval_step": 0.5,
                "interval_max": 3.0,
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
