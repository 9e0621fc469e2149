"""Tasks: thin adapters from a Celery message to :func:`worker.processing.process`."""

from __future__ import annotations

import json
from typing import Any

from celery import Task
from celery.exceptions import Reject, SoftTimeLimitExceeded

from config.celeryconf import PROCESS_ARTICLE
from config.logs import get_logger
from store import TRANSIENT_ERRORS, TimelineStore
from worker.app import app, settings
from worker.app import store as worker_store
from worker.processing import Limits, check_message, process

log = get_logger("worker")


_LIMITS = Limits(max_text_chars=settings.max_text_chars, max_attempts=settings.max_attempts)


@app.task(name=PROCESS_ARTICLE, bind=True, typing=False)
def process_article(self: Task, *args: Any, **kwargs: Any) -> str:
    """``(article_id, digest)``: turn a stored article into its stored timeline."""
    article_id = args[0] if args else kwargs.get("article_id")
    digest = args[1] if len(args) > 1 else kwargs.get("digest")
    task_id = self.request.id or ""
    problem = check_message(article_id, digest) or (
        "message: unexpected arguments"
        if len(args) > 2 or set(kwargs) - {"article_id", "digest"}
        else None
    )
    store = worker_store()
    if problem is not None:
        payload = json.dumps({"args": args, "kwargs": kwargs}, ensure_ascii=False, default=repr)
        store.fail(TimelineStore.payload_id(payload), f"invalid task message: {problem}", payload)
        log.warning("task.invalid_message", error=problem)
        return "failed"
    assert isinstance(article_id, str)
    try:
        return process(store, article_id, digest, task_id, _LIMITS)
    except TRANSIENT_ERRORS as err:
        # the store retried for redis_retry_seconds already; hand the message back so
        # it is delivered again (or, if Redis cannot take it back, restored after the
        # visibility timeout). Deliveries are counted, so this cannot loop forever.
        log.warning("task.redis_unavailable", error=str(err))
        raise Reject(f"redis unavailable: {err}", requeue=True) from None
    except SoftTimeLimitExceeded:
        store.fail(article_id, f"time limit of {settings.task_soft_time_limit:g} s exceeded")
        log.error("article.time_limit")
        return "failed"
    except Exception as err:
        store.fail(article_id, f"extraction failed: {type(err).__name__}: {err}")
        log.exception("article.crashed")
        return "failed"
