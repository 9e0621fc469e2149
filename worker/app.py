"""The worker's Celery app (``celery -A worker.app worker``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery import signals

from service import logs
from service.celeryconf import make_app
from service.settings import get_settings
from store import TimelineStore
from worker import compat
from worker.sweeper import sweeper_step

compat.install()
settings = get_settings()
app = make_app(settings, "timeline-worker")
app.conf.include = ["worker.tasks"]


@lru_cache(maxsize=1)
def store() -> TimelineStore:
    """One store (one connection pool) per worker process."""
    return settings.open_store()


app.steps["worker"].add(sweeper_step(store, settings))


@signals.setup_logging.connect
def _setup_logging(**_: Any) -> None:
    """Celery's own log lines go through structlog too."""
    logs.configure(settings.log_level, settings.log_format)


@signals.task_prerun.connect
def _bind_task(task_id: str | None = None, task: Any = None, args: Any = None, **_: Any) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
    article_id = args[0] if args and isinstance(args[0], str) else None
    structlog.contextvars.bind_contextvars(
        task_id=task_id, task=getattr(task, "name", None), article_id=article_id
    )


@signals.task_postrun.connect
def _unbind_task(**_: Any) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
