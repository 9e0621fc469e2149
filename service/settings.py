"""One typed settings class, read from ``TIMELINE_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @property
    def visibility_timeout(self) -> int:
        """Seconds before an unacknowledged task is redelivered: well over the hard limit
        times the prefetched tasks a worker may hold, so a live worker's task is never
        handed to a second worker."""
        return int(self.task_time_limit * (self.worker_prefetch_multiplier + 1) + 60)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
