"""``timeline demo``: the main job on the bundled sample articles, from nothing.

Finds a Redis (configured, local, or embedded), starts a worker process,
enqueues the samples through the producer, waits for their timelines through
the client and prints them, then stops the worker.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console

from client import ArticleFailed, TimelineClient
from config.logs import redact
from config.settings import Settings, get_settings
from producer import Producer
from service.redis_server import available_redis
from service.render import Bidi, article_table, entries_table, make_console


def sample_articles() -> list[dict[str, Any]]:
    text = resources.files("service").joinpath("samples/articles.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


#: the story the sample articles of three outlets are filed under
SAMPLE_STORY = "sakhr-truce-2019"


def run_demo(bidi: Bidi = "logical", serve_port: int | None = None) -> int:
    """Process the samples and print their timelines; with ``serve_port``, then keep Redis
    and the worker up and serve the API there until interrupted."""
    console = make_console()
    base = get_settings()
    with available_redis(os.environ.get("TIMELINE_REDIS_URL")) as (url, where):
        console.print(f"[bold]Redis[/]: {where} at {redact(url)}")
        settings = Settings(**{**base.model_dump(), "redis_url": url})
        log_path = Path(tempfile.gettempdir()) / "timeline-demo-worker.log"
        worker = _start(settings, ["-m", "service.cli", "worker", "--concurrency", "2"], log_path)
        console.print(f"[bold]Worker[/]: pid {worker.pid}, log in {log_path}")
        try:
            code = _enqueue_and_show(console, settings, bidi, log_path)
            if serve_port is None or code:
                return code
            return _serve(console, settings, serve_port)
        finally:
            _stop(worker)


def _serve(console: Console, settings: Settings, port: int) -> int:
    """The API in a child process until SIGINT or SIGTERM (or until it stops)."""
    log_path = Path(tempfile.gettempdir()) / "timeline-demo-api.log"
    api = _start(settings, ["-m", "api", "--host", "127.0.0.1", "--port", str(port)], log_path)
    base = f"http://127.0.0.1:{port}"
    console.print(f"\n[bold]API[/]: {base} (pid {api.pid}, log in {log_path})")
    console.print(f"[bold]The story's page[/]: {base}/timeline?story={SAMPLE_STORY}")
    console.print(f"[bold]Its JSON[/]: {base}/stories/{SAMPLE_STORY} · Ctrl-C stops everything")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            if api.poll() is not None:
                console.print(f"[red]the API stopped[/] (log: {log_path})")
                return 1
        return 0
    finally:
        _stop(api)


def _start(settings: Settings, args: list[str], log_path: Path) -> subprocess.Popen[bytes]:
    """``python ARGS`` against the demo's Redis, its output in ``log_path``."""
    env = {
        **os.environ,
        "TIMELINE_REDIS_URL": settings.redis_url,
        "TIMELINE_KEY_PREFIX": settings.key_prefix,
        "TIMELINE_LOG_FORMAT": "json",
    }
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, *args], env=env, stdout=log, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _enqueue_and_show(console: Console, settings: Settings, bidi: Bidi, log_path: Path) -> int:
    producer = Producer(settings)
    articles = sample_articles()
    try:
        ids = [producer.enqueue(article, force=True) for article in articles]
    finally:
        producer.close()
    console.print(f"[bold]Enqueued[/] {len(ids)} sample articles\n")
    failures = 0
    with TimelineClient(settings.redis_url, prefix=settings.key_prefix) as client:
        timelines = []
        for article_id in ids:
            try:
                timeline = client.wait(article_id, timeout=120)
            except (ArticleFailed, TimeoutError) as err:
                console.print(f"[red]{err}[/] (worker log: {log_path})")
                failures += 1
                continue
            timelines.append(timeline)
            view = client.article(article_id)
            if view is not None:
                console.print(article_table(view, bidi))
        if timelines:
            first = min(t.published for t in timelines) - timedelta(days=3 * 365)
            last = max(t.published for t in timelines) + timedelta(days=365)
            merged = [
                entry
                for entry in client.events(first, last)
                if any(source.article_id in ids for source in entry.sources)
            ]
            console.print(entries_table(merged, bidi, "merged timeline of the samples"))
            story = list(client.story(key=SAMPLE_STORY))
            console.print(entries_table(story, bidi, f"story {SAMPLE_STORY}"))
    return 1 if failures else 0
