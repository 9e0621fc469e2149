"""JSON only, authenticated and TLS Redis, no secrets in logs, keys under the prefix."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import redis

from client import TimelineClient
from config.celeryconf import PROCESS_ARTICLE, make_app
from config.settings import Settings
from producer import Producer
from service.testing import RedisServer, WorkerProcess, make_tls_files
from tests.articles import article

pytestmark = pytest.mark.integration


class Explosive:
    """Unpickling this runs a shell command that leaves a file behind."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_pickle_payload_is_refused(
    shared_worker: WorkerProcess, shared_settings: Settings, tmp_path: Path
) -> None:
    """A pickled task sent straight to the queue is refused, never run; work goes on."""
    marker = tmp_path / "unpickled"
    sender = make_app(shared_settings, "attacker")
    sender.conf.update(task_serializer="pickle", accept_content=["pickle", "json"])
    sender.send_task(PROCESS_ARTICLE, args=[Explosive(marker)], queue=shared_settings.queue)
    good = Producer(shared_settings).enqueue(article(40, id=f"after-pickle-{time.time_ns()}"))
    client = TimelineClient(shared_settings.redis_url, prefix=shared_settings.key_prefix)
    assert client.wait(good, timeout=30).article_id == good
    deadline = time.monotonic() + 5
    while "pickle" not in shared_worker.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Refusing to deserialize untrusted content of type pickle" in shared_worker.log()
    assert not marker.exists()


def run_through(settings: Settings, log_path: Path, n: int) -> WorkerProcess:
    """Start a worker on ``settings``, push one article through, return the worker."""
    worker = WorkerProcess(settings, log_path).start()
    try:
        article_id = Producer(settings).enqueue(article(n))
        timeline = TimelineClient(settings.redis_url, prefix=settings.key_prefix).wait(
            article_id, timeout=30
        )
        assert timeline.article_id == article_id
    finally:
        worker.stop()
    return worker


def all_keys(url: str) -> list[str]:
    client = redis.Redis.from_url(url)
    return [k.decode() for k in client.scan_iter(count=1000)]


def test_password_url_works_and_stays_out_of_logs(tmp_path: Path) -> None:
    """A password in the URL reaches broker and store, never the logs; keys stay prefixed."""
    secret = "s3cret-Pa55word"
    server = RedisServer(tmp_path / "redis", password=secret).start()
    try:
        settings = Settings(redis_url=server.url, key_prefix="guarded")
        worker = run_through(settings, tmp_path / "worker.log", 41)
        assert secret not in worker.log()
        keys = all_keys(server.url)
        assert keys and all(k.startswith("guarded:") for k in keys), keys
    finally:
        server.stop()


def test_acl_user_url(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis", acl_user=("timeline", "acl-Secret-1")).start()
    try:
        url = server.url_as(("timeline", "acl-Secret-1"))
        worker = run_through(Settings(redis_url=url, key_prefix="acl"), tmp_path / "w.log", 42)
        assert "acl-Secret-1" not in worker.log()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis.from_url(server.url_as(("timeline", "wrong"))).ping()
    finally:
        server.stop()


def test_tls_url(tmp_path: Path) -> None:
    """rediss:// with certificate verification works for broker and store."""
    files = make_tls_files(tmp_path / "tls")
    server = RedisServer(tmp_path / "redis", tls=files).start()
    try:
        assert server.url.startswith("rediss://")
        run_through(Settings(redis_url=server.url, key_prefix="tls"), tmp_path / "w.log", 43)
        with pytest.raises(redis.ConnectionError):
            redis.Redis(port=server.port, socket_connect_timeout=1, socket_timeout=1).ping()
    finally:
        server.stop()
