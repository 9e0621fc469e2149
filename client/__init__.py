"""Read timelines back: ``from client import TimelineClient``.

Depends on redis-py and the contract only (through the store module); never on Celery.
"""

from __future__ import annotations

import time
from datetime import datetime

from store import TimelineStore
from timeline.contract import ArticleState, ArticleStatus, FailedArticle, IndexedEvent, Timeline

__all__ = ["ArticleFailed", "TimelineClient"]

_DEFAULT_URL = "redis://localhost:6379/0"


class ArticleFailed(RuntimeError):
    """The article ended as a failure; ``status.error`` says why."""

    def __init__(self, status: ArticleStatus) -> None:
        super().__init__(f"article {status.article_id} failed: {status.error}")
        self.status = status


class TimelineClient:
    """Timelines per article, status, and events across articles by date range."""

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

    def events(
        self,
        start: datetime,
        end: datetime,
        *,
        outlet: str | None = None,
        limit: int | None = None,
    ) -> list[IndexedEvent]:
        """Events of every article starting in ``[start, end)``, earliest first."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must carry a UTC offset")
        return self.store.events(start, end, outlet=outlet, limit=limit)

    def failed(self, limit: int = 100) -> list[FailedArticle]:
        """The most recent failures with their reasons and payloads."""
        return self.store.failed(limit)

    def close(self) -> None:
        self.store.redis.close()

    def __enter__(self) -> TimelineClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
