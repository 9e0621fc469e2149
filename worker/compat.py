"""Keep Celery 5.7 workers alive when the Redis broker goes away.

On a lost broker connection the consumer first collects the connection (tearing
down its transport) and then closes it; acknowledgements of tasks that finish
meanwhile go to the same dead channel. Each of these asks kombu's Redis channel
for connection parameters through the connection that no longer exists, and
``AttributeError`` (``'NoneType' object has no attribute 'hostname'`` or
``'client'``, the failure of kombu#582) escapes where Celery only expects
connection errors: the worker process exits.

Raising ``redis.ConnectionError`` there instead lets every caller handle it as
the connection error it is: the close goes on, a lost acknowledgement leaves the
message in Redis' unacked hash, from where it is delivered again after the
visibility timeout (and the store turns that delivery into a no-op).
"""

from __future__ import annotations

from typing import Any

import redis
from kombu.transport import redis as kombu_redis

_original = kombu_redis.Channel._connparams


def _connparams(self: Any, asynchronous: bool = False) -> Any:
    connection = self.connection
    if connection is None or connection.client is None:
        raise redis.ConnectionError("the broker connection was already closed")
    return _original(self, asynchronous=asynchronous)  # type: ignore[no-untyped-call]


def install() -> None:
    """Patch kombu's Redis channel once, in the worker process."""
    if kombu_redis.Channel._connparams is not _connparams:
        kombu_redis.Channel._connparams = _connparams  # type: ignore[method-assign]
