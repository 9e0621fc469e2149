"""One typed settings class, read from ``TIMELINE_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
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
    #: an accepted article whose task was not confirmed on the queue this long ago is
    #: sent again when it is resent or ``timeline requeue`` runs
    pending_grace_seconds: float = Field(default=60.0, ge=0)

    task_soft_time_limit: float = Field(default=60.0, gt=0)
    task_time_limit: float = Field(default=90.0, gt=0)
    #: deliveries of one article before it is failed as poison
    max_attempts: int = Field(default=3, ge=1)
    worker_prefetch_multiplier: int = Field(default=4, ge=1)
    worker_max_tasks_per_child: int = Field(default=5_000, ge=1)
    worker_max_memory_per_child_kb: int = Field(default=512_000, ge=10_000)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"

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

    def open_store(self) -> TimelineStore:
        """The store as every shell uses it: retrying transient errors, this deployment's
        prefix and limits."""
        return TimelineStore.from_url(
            self.redis_url,
            self.key_prefix,
            retry_seconds=self.redis_retry_seconds,
            pending_grace_seconds=self.pending_grace_seconds,
            busy_seconds=self.task_time_limit + 30,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
