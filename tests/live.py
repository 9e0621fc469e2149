"""The API served for real: uvicorn on a free port in a thread, called over HTTP."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from api import create_app
from config.settings import Settings
from service.testing import free_port
from store import TimelineStore
from timeline.contract import Article
from timeline.extract import extract_timeline


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class LiveAPI:
    """``create_app(settings)`` served on 127.0.0.1 until :meth:`stop`."""

    settings: Settings
    port: int = field(default_factory=free_port)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveAPI:
        config = uvicorn.Config(
            create_app(self.settings), host="127.0.0.1", port=self.port, log_config=None
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)

    def get(self, path: str, *, method: str = "GET", **kwargs: Any) -> Reply:
        return call(self.base + path, method=method, **kwargs)


def call(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> Reply:
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as err:
        return Reply(err.code, err.read(), dict(err.headers))


def store_articles(settings: Settings, articles: list[dict[str, Any]]) -> list[str]:
    """Extract and save articles straight into the store (no queue): what a worker
    leaves behind."""
    store = TimelineStore.from_url(settings.redis_url, settings.key_prefix)
    ids = []
    for raw in articles:
        article = Article.model_validate(raw)
        store.accept(article)
        store.save(extract_timeline(article), article.story)
        ids.append(article.id)
    store.redis.close()
    return ids
