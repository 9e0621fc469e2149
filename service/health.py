"""``timeline health``: is the service able to do its work?"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from config.celeryconf import make_app
from config.logs import redact
from config.settings import Settings
from store import TimelineStore


@dataclass
class HealthReport:
    redis: bool = False
    redis_error: str | None = None
    queue_length: int | None = None
    workers: list[str] = field(default_factory=list)
    failed: int | None = None
    require_workers: bool = True

    @property
    def healthy(self) -> bool:
        return self.redis and (bool(self.workers) or not self.require_workers)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "healthy": self.healthy}


def check(
    settings: Settings, *, timeout: float = 2.0, require_workers: bool = True
) -> HealthReport:
    report = HealthReport(require_workers=require_workers)
    store = TimelineStore.from_url(settings.redis_url, settings.key_prefix, socket_timeout=timeout)
    try:
        store.redis.ping()
        report.redis = True
        report.queue_length = store.queue_length(settings.queue)
        report.failed = store.failed_count()
    except (redis.RedisError, OSError) as err:
        report.redis_error = redact(str(err))
        return report
    finally:
        store.redis.close()
    app = make_app(settings, "timeline-health")
    try:
        replies = app.control.ping(timeout=timeout) or []
        report.workers = sorted(name for reply in replies for name in reply)
    except Exception as err:  # the broker may fail while replies are collected
        report.redis_error = redact(f"worker ping failed: {err}")
    finally:
        app.close()
    return report
