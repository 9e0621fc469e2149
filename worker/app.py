"""The worker's Celery app (``celery -A worker.app worker``)."""

from __future__ import annotations

import gc
from functools import lru_cache
from typing import Any

from celery import signals

from config import logs
from config.celeryconf import make_app
from config.settings import get_settings
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


@signals.worker_process_init.connect
@signals.worker_ready.connect
def _freeze_startup_heap(**_: Any) -> None:
    """What start-up loaded (the grammar, Celery, the models) lives as long as the
    process: the collector leaves it alone from here on, so that a collection scans only
    what tasks allocate (a full one over the start-up heap takes tens of milliseconds)
    and does not write to pages a pool process shares with its parent. In each pool
    process as it starts, and in the main process once the worker is ready."""
    gc.freeze()


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
