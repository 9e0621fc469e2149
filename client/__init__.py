"""Read timelines back: ``from client import TimelineClient``.

Depends on redis-py and the contract only (through the store module); never on Celery.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import datetime

from store import TimelineStore, TooManyReports
from timeline.contract import (
    ArticleState,
    ArticleStatus,
    ArticleView,
    EntryPage,
    FailedArticle,
    IndexedEvent,
    Timeline,
    TimelineEntry,
)
from timeline.stories import Query

__all__ = ["ArticleFailed", "Query", "TimelineClient", "TooManyReports"]

_DEFAULT_URL = "redis://localhost:6379/0"


class ArticleFailed(RuntimeError):
    """The article ended as a failure; ``status.error`` says why."""

    def __init__(self, status: ArticleStatus) -> None:
        super().__init__(f"article {status.article_id} failed: {status.error}")
        self.status = status


class TimelineClient:
    """Timelines per article, status, and merged timelines across articles."""

    def __init__(self, url: str | None = None, *, prefix: str | None = None) -> None:
        if url is None or prefix is None:
            from config.settings import get_settings

            settings = get_settings()
            url = url or settings.redis_url
            prefix = prefix or settings.key_prefix
        self.store = TimelineStore.from_url(url or _DEFAULT_URL, prefix)

    def get(self, article_id: str) -> Timeline | None:
        """The article's timeline, or None when there is none (yet)."""
        return self.store.timeline(article_id)

    def status(self, article_id: str) -> ArticleStatus | None:
        """Where the article is (queued, processing, done, failed), or None if unknown."""
        return self.store.status(article_id)

    def wait(self, article_id: str, timeout: float = 30.0, poll: float = 0.05) -> Timeline:
        """Block until the article is done; raise :class:`ArticleFailed` or ``TimeoutError``."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.store.status(article_id)
            if status is not None and status.state is ArticleState.DONE:
                timeline = self.store.timeline(article_id)
                if timeline is not None:
                    return timeline
            if status is not None and status.state is ArticleState.FAILED:
                raise ArticleFailed(status)
            if time.monotonic() >= deadline:
                state = status.state.value if status else "unknown"
                raise TimeoutError(f"article {article_id} not done after {timeout:g} s ({state})")
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))
            poll = min(poll * 1.5, 0.5)

    def article(self, article_id: str, *, show_all: bool = False) -> ArticleView | None:
        """The article's state and its timeline as entries, one per happening (clauses
        with no time too with ``show_all``); None for an unknown id."""
        return self.store.article_view(article_id, show_all=show_all)

    def events(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        q: str | None = None,
        outlet: str | Iterable[str] | None = None,
        story: str | None = None,
        page_size: int = 100,
        max_reports: int | None = None,
    ) -> Iterator[TimelineEntry]:
        """The merged timeline across articles, earliest first: one entry per happening
        with every report of it. Entries whose earliest time falls in ``[start, end)``,
        matching every word of ``q``, from any of ``outlet``, filed under ``story``.

        Fetched a page at a time as the iterator is consumed (see :meth:`pages`).
        """
        query = self.query(start, end, q=q, outlet=outlet, story=story)
        return self._entries(query, page_size, max_reports)

    def story(
        self,
        q: str | None = None,
        *,
        key: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        outlet: str | Iterable[str] | None = None,
        page_size: int = 100,
        max_reports: int | None = None,
    ) -> Iterator[TimelineEntry]:
        """A story's merged timeline: the articles filed under ``key``, or any query
        (``q``, a range, outlets); at least one of ``q`` and ``key``."""
        if not (q and q.strip()) and key is None:
            raise ValueError("give q (words) or key (a story key)")
        return self.events(
            start, end, q=q, outlet=outlet, story=key, page_size=page_size, max_reports=max_reports
        )

    def pages(
        self,
        query: Query,
        *,
        cursor: str | None = None,
        page_size: int = 100,
        max_reports: int | None = None,
    ) -> Iterator[EntryPage]:
        """The pages of a query's merged timeline from ``cursor``, each with the cursor
        of the next."""
        while True:
            page = self.store.entries(
                query, cursor=cursor, limit=page_size, max_reports=max_reports
            )
            yield page
            if page.next is None:
                return
            cursor = page.next

    @staticmethod
    def query(
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        q: str | None = None,
        outlet: str | Iterable[str] | None = None,
        story: str | None = None,
    ) -> Query:
        """A query; ``ValueError`` naming the part at fault (naive datetimes, an empty
        range, a query of no content word)."""
        outlets = [outlet] if isinstance(outlet, str) else list(outlet or ())
        return Query.build(start=start, end=end, q=q, outlets=outlets, story=story)

    def _entries(
        self, query: Query, page_size: int, max_reports: int | None
    ) -> Iterator[TimelineEntry]:
        for page in self.pages(query, page_size=page_size, max_reports=max_reports):
            yield from page.entries

    def reports(
        self,
        start: datetime,
        end: datetime,
        *,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[IndexedEvent]:
        """Every report (one article's account of a happening) starting in
        ``[start, end)``, earliest first, unmerged."""
        query = self.query(start, end, outlet=outlet)
        found = self.store.reports(query)
        return found if limit is None else found[:limit]

    def failed(self, limit: int = 100) -> list[FailedArticle]:
        """The most recent failures with their reasons and payloads."""
        return self.store.failed(limit)

    def close(self) -> None:
        self.store.redis.close()

    def __enter__(self) -> TimelineClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
