"""Redis connections from the one URL the service is configured with."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis


def redis_py_url(url: str) -> str:
    """The redis-py spelling of a Celery/kombu broker URL (``redis+socket://`` → ``unix://``)."""
    parts = urlsplit(url)
    if parts.scheme in ("redis+socket", "socket"):
        return urlunsplit(("unix", parts.netloc, parts.path, parts.query, parts.fragment))
    return url


def broker_url(url: str) -> str:
    """The kombu spelling of a redis-py URL (``unix://`` → ``redis+socket://``)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(("redis+socket", parts.netloc, parts.path, parts.query, parts.fragment))
    return url


def connect(url: str, **options: Any) -> redis.Redis:
    """A client with timeouts, health checks and retries on connection errors."""
    from redis.backoff import ExponentialWithJitterBackoff
    from redis.retry import Retry

    defaults: dict[str, Any] = {
        "socket_timeout": 10.0,
        "socket_connect_timeout": 5.0,
        "health_check_interval": 30,
        "retry": Retry(ExponentialWithJitterBackoff(base=0.05, cap=2.0), retries=3),
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
    }
    defaults.update(options)
    return redis.Redis.from_url(redis_py_url(url), **defaults)
