"""One typed settings class, read from ``TIMELINE_*`` environment variables."""

from __future__ import annotations

import contextlib
import ipaddress
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from store import TimelineStore


class Settings(BaseSettings):
    """Deployment settings. Tests pass values as keyword arguments."""

    model_config = SettingsConfigDict(env_prefix="TIMELINE_", extra="ignore")

    #: broker and store; ``redis://``, ``rediss://`` (TLS), ``unix://`` or
    #: ``redis+socket://`` URLs, with password or ACL user
    redis_url: str = "redis://localhost:6379/0"
    #: every key the service writes (store and broker) starts with ``{key_prefix}:``
    key_prefix: str = Field(default="timeline", pattern=r"^[A-Za-z0-9._\-]{1,64}$")
    queue: str = Field(default="timeline", pattern=r"^[A-Za-z0-9._\-]{1,64}$")

    max_text_chars: int = Field(default=200_000, ge=1, le=2_000_000)
    #: the producer refuses (or waits, see ``backpressure``) past this queue length
    max_queue_length: int = Field(default=100_000, ge=1)
    backpressure: Literal["refuse", "wait"] = "refuse"
    backpressure_wait_seconds: float = Field(default=60.0, ge=0)

    #: how long an operation keeps retrying on a transient Redis error (restart, failover)
    redis_retry_seconds: float = Field(default=30.0, ge=0)
    #: how often a worker looks for tasks the broker lost (one worker at a time)
    sweep_interval_seconds: float = Field(default=30.0, gt=0)

    task_soft_time_limit: float = Field(default=60.0, gt=0)
    task_time_limit: float = Field(default=90.0, gt=0)
    #: deliveries of one article before it is failed as poison
    max_attempts: int = Field(default=3, ge=1)
    worker_prefetch_multiplier: int = Field(default=4, ge=1)
    worker_max_tasks_per_child: int = Field(default=5_000, ge=1)
    worker_max_memory_per_child_kb: int = Field(default=512_000, ge=10_000)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"

    # -- publication times (producer/published.py) --
    #: IANA zone of publication times given without a UTC offset, when the outlet has
    #: no zone of its own; unset, such times are refused rather than guessed
    default_timezone: str | None = None
    #: JSON object: outlet name (or web host) → IANA zone, e.g. ``{"Al Ahram": "Africa/Cairo"}``
    outlet_timezones: dict[str, str] = Field(default_factory=dict)
    #: ``now``: an article without a usable publication time is accepted with the time it
    #: was received (``published_fallback`` set); ``reject``: it is refused
    published_fallback: Literal["reject", "now"] = "reject"

    # -- feeds and pages (producer/feeds.py, producer/html.py) --
    #: seconds to wait for a feed or a page
    fetch_timeout: float = Field(default=20.0, gt=0)
    #: larger feeds and pages are not read past this many bytes
    fetch_max_bytes: int = Field(default=10_000_000, ge=1_000)
    #: sent with every feed and page request
    user_agent: str = "timeline-feeds/0.1 (news timeline service)"
    #: feed entries already enqueued are remembered this many days
    feed_seen_days: int = Field(default=90, ge=1)

    # -- bulk import (producer/importer.py) --
    #: articles stored and queued per Redis round trip; the resume checkpoint is
    #: written after each such batch
    import_batch_size: int = Field(default=500, ge=1, le=10_000)

    # -- the HTTP API (api/) --
    #: bearer token the API asks for; unset, the API answers anyone who reaches it, and
    #: ``timeline serve`` listens on 127.0.0.1 only
    api_token: SecretStr | None = None
    #: entries per page when a request gives no ``limit``, and the most it may ask for
    api_page_size: int = Field(default=50, ge=1, le=1_000)
    api_max_page_size: int = Field(default=200, ge=1, le=1_000)
    #: a merged timeline is built from at most this many reports; a query matching more
    #: is refused with a message asking to narrow it
    max_query_reports: int = Field(default=20_000, ge=1, le=1_000_000)

    @field_validator("api_token")
    @classmethod
    def _empty_token_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value() else None

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            _check_zone(value)
        return value or None

    @field_validator("outlet_timezones")
    @classmethod
    def _known_zones(cls, value: dict[str, str]) -> dict[str, str]:
        for outlet, name in value.items():
            _check_zone(name, outlet)
        return value

    @model_validator(mode="after")
    def _hard_limit_over_soft(self) -> Settings:
        if self.task_time_limit <= self.task_soft_time_limit:
            raise ValueError("task_time_limit must be greater than task_soft_time_limit")
        return self

    #: seconds before the task of a worker that died is delivered again; by default well
    #: over the hard limit times the tasks a worker may hold, so that a live worker's task
    #: is not handed to a second one (and if it were, the result would still be one timeline)
    visibility_timeout_seconds: int | None = Field(default=None, ge=1)

    @property
    def visibility_timeout(self) -> int:
        if self.visibility_timeout_seconds is not None:
            return self.visibility_timeout_seconds
        return int(self.task_time_limit * (self.worker_prefetch_multiplier + 1) + 60)

    @property
    def stranded_after(self) -> float:
        """Seconds without a claim after which a queued article's task counts as lost:
        longer than a live worker keeps a task unacknowledged, plus the restore scan."""
        return self.visibility_timeout * 1.5 + 10

    def bind_problem(self, host: str) -> str | None:
        """Why the API may not listen on ``host``, or None when it may: without a token it
        answers anyone who reaches it, so it listens on the loopback only."""
        if self.api_token is not None or host in ("localhost", "127.0.0.1", "::1"):
            return None
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(host).is_loopback:
                return None
        return (
            f"--host: {host} is reachable from other machines; set TIMELINE_API_TOKEN to "
            "serve there, or listen on 127.0.0.1"
        )

    def open_store(self) -> TimelineStore:
        """The store as every shell uses it: retrying transient errors, this deployment's
        prefix and limits."""
        return TimelineStore.from_url(
            self.redis_url,
            self.key_prefix,
            retry_seconds=self.redis_retry_seconds,
            busy_seconds=self.task_time_limit + 30,
        )


def _check_zone(name: str, outlet: str | None = None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        where = f" (outlet {outlet!r})" if outlet else ""
        raise ValueError(f"unknown time zone {name!r}{where}: expected an IANA name") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
