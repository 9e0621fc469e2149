"""Redis connections from the one URL the service is configured with."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis

T = TypeVar("T")

#: errors after which the same operation may well succeed: Redis restarting, loading
#: its data set, failing over, or a network blip
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.BusyLoadingError,
    redis.ReadOnlyError,
)


def _with_scheme(url: str, scheme: str) -> str:
    return scheme + url[url.index("://") :]


def redis_py_url(url: str) -> str:
    """The redis-py spelling of a Celery/kombu broker URL (``redis+socket://`` → ``unix://``)."""
    if urlsplit(url).scheme in ("redis+socket", "socket"):
        return _with_scheme(url, "unix")
    return url


def broker_url(url: str) -> str:
    """The kombu spelling of a redis-py URL (``unix://`` → ``redis+socket://``)."""
    if urlsplit(url).scheme == "unix":
        return _with_scheme(url, "redis+socket")
    return url


def connect(url: str, **options: Any) -> redis.Redis:
    """A client with timeouts and health checks.

    It does not retry by itself: a command whose reply was lost may have run, and
    only the caller knows whether running it again is safe (see :func:`retrying`
    and the store, which retries what is idempotent and says so when it is not).
    """
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    defaults: dict[str, Any] = {
        "socket_timeout": 10.0,
        "socket_connect_timeout": 5.0,
        "health_check_interval": 30,
        # redis-py retries failed commands by default; not here (see above)
        "retry": Retry(NoBackoff(), 0),
        "retry_on_error": [],
        "retry_on_timeout": False,
    }
    defaults.update(options)
    return redis.Redis.from_url(redis_py_url(url), **defaults)


def retrying(
    call: Callable[[], T],
    *,
    seconds: float,
    first_delay: float = 0.05,
    max_delay: float = 3.0,
    on_retry: Callable[[Exception, float], None] | None = None,
) -> T:
    """Call ``call``; on a transient Redis error retry with exponential backoff and full
    jitter until ``seconds`` have passed, then let the error through."""
    deadline = time.monotonic() + seconds
    delay = first_delay
    while True:
        try:
            return call()
        except TRANSIENT_ERRORS as err:
            left = deadline - time.monotonic()
            if left <= 0:
                raise
            pause = min(left, random.uniform(0, delay))
            if on_retry is not None:
                on_retry(err, pause)
            time.sleep(pause)
            delay = min(delay * 2, max_delay)
