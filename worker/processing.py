"""What one delivery of an article does: claim, validate, extract, store.

Kept apart from the Celery task so that the steps read in one place and the
task stays a thin adapter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from config.errors import describe
from config.logs import get_logger
from store import Claim, TimelineStore
from timeline.contract import Article, ArticleId
from timeline.extract import extract_timeline

log = get_logger("worker")

_ARTICLE_ID: TypeAdapter[str] = TypeAdapter(ArticleId)


@dataclass(frozen=True, slots=True)
class Limits:
    max_text_chars: int
    max_attempts: int


def check_message(article_id: Any, digest: Any) -> str | None:
    """Why a task message is malformed, or None when it is well formed."""
    if not isinstance(article_id, str):
        return f"article_id: expected a string, got {type(article_id).__name__}"
    try:
        _ARTICLE_ID.validate_python(article_id)
    except ValidationError:
        return "article_id: not a valid article id (1-200 of A-Z a-z 0-9 . _ : -)"
    if digest is not None and not isinstance(digest, str):
        return f"digest: expected a string, got {type(digest).__name__}"
    return None


def process(
    store: TimelineStore, article_id: str, digest: str | None, task_id: str, limits: Limits
) -> str:
    """Process one delivery; returns what happened (``done``, ``duplicate``, ``failed``…)."""
    began = time.perf_counter()
    verdict, attempts, payload = store.claim_article(
        article_id, digest, task_id, limits.max_attempts
    )
    if verdict is Claim.MISSING:
        store.fail(article_id, "article_id: unknown article (nothing was stored under this id)")
        log.warning("article.unknown")
        return "failed"
    if verdict is Claim.DONE:
        log.info("article.duplicate_delivery")
        return "duplicate"
    if verdict is Claim.BUSY:
        log.info("article.busy_elsewhere")
        return "duplicate"
    if verdict is Claim.STALE:
        log.info("article.stale_message", digest=digest)
        return "stale"
    if verdict is Claim.EXHAUSTED:
        error = f"gave up after {attempts - 1} deliveries (the worker died or timed out each time)"
        store.fail(article_id, error)
        log.error("article.poison", attempts=attempts - 1)
        return "failed"

    if payload is None:  # cannot happen: the claim read it in the step that found it
        store.fail(article_id, "article_id: unknown article (nothing was stored under this id)")
        return "failed"
    try:
        article = Article.model_validate_json(
            payload, context={"max_text_chars": limits.max_text_chars}
        )
    except ValidationError as err:
        reason = describe(err)
        store.fail(article_id, f"invalid article: {reason}")
        log.warning("article.invalid", error=reason)
        return "failed"

    timeline = extract_timeline(article)
    saved = store.save(timeline, article.story)
    log.info(
        "article.processed",
        saved=saved,
        attempt=attempts,
        chars=len(article.text),
        time_expressions=len(timeline.time_expressions),
        events=len(timeline.events),
        contradictions=len(timeline.contradictions),
        duration_ms=round((time.perf_counter() - began) * 1000, 2),
    )
    return "done" if saved else "stale"
