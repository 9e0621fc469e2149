"""Real parts for tests: a redis-server of our own on a free port, real worker processes.

Nothing here touches a Redis database the tests did not start; every test that
writes uses its own key prefix.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from config.settings import Settings
from service.testing import ROOT, RedisServer, WorkerProcess
from tests.articles import HOSTILE, story_articles
from tests.live import LiveAPI, store_articles

__all__ = ["ROOT", "RedisServer", "WorkerProcess"]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def settings(redis_server: RedisServer) -> Settings:
    """Settings of a fresh namespace on the tests' own Redis."""
    return Settings(redis_url=redis_server.url, key_prefix=f"t-{uuid.uuid4().hex[:10]}")


@pytest.fixture(scope="session")
def shared_settings(redis_server: RedisServer) -> Settings:
    """The namespace of the session's shared worker."""
    return Settings(redis_url=redis_server.url, key_prefix="shared", max_text_chars=50_000)


@pytest.fixture(scope="session")
def shared_worker(
    shared_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    """One real worker process for the tests that only need one running."""
    path = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = WorkerProcess(shared_settings, path, concurrency=2).start()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def story_api(redis_server: RedisServer) -> Iterator[LiveAPI]:
    """The API over real HTTP, its store holding the sample story (three outlets) and a
    hostile outlet's article about it; pages of three entries (at most fifty)."""
    settings = Settings(
        redis_url=redis_server.url,
        key_prefix=f"api-{uuid.uuid4().hex[:8]}",
        api_page_size=3,
        api_max_page_size=50,
    )
    store_articles(settings, [*story_articles(), HOSTILE])
    server = LiveAPI(settings).start()
    yield server
    server.stop()
