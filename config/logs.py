"""structlog set up once: JSON when not on a terminal, readable on one.

Every line of a task carries ``article_id`` and ``task_id`` through
``structlog.contextvars``; secrets in Redis URLs are masked before they are logged.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

_state = {"configured": False}
_URL_SECRET = re.compile(r"(?P<scheme>[a-z+]+://)(?P<auth>[^@/\s]+)@")


def redact(text: str) -> str:
    """``redis://user:secret@host`` → ``redis://***@host``."""
    return _URL_SECRET.sub(r"\g<scheme>***@", text)


def _redact_values(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str) and "://" in value:
            event_dict[key] = redact(value)
    return event_dict


def configure(level: str = "INFO", fmt: str = "auto", *, force: bool = False) -> None:
    """Configure structlog and route stdlib logging (Celery's) through the same renderer."""
    if _state["configured"] and not force:
        return
    as_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _redact_values,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if as_json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _state["configured"] = True


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)


def configure_if_unset(level: str = "INFO", fmt: str = "auto") -> None:
    """Configure logging unless the application embedding us already configured structlog."""
    if not structlog.is_configured():
        configure(level, fmt)
