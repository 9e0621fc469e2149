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
from service.render import Bidi, events_table, make_console, print_timeline


def sample_articles() -> list[dict[str, Any]]:
    text = resources.files("service").joinpath("samples/articles.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_demo(bidi: Bidi = "logical") -> int:
    console = make_console()
    base = get_settings()
    with available_redis(os.environ.get("TIMELINE_REDIS_URL")) as (url, where):
        console.print(f"[bold]Redis[/]: {where} at {redact(url)}")
        settings = Settings(**{**base.model_dump(), "redis_url": url})
        log_path = Path(tempfile.gettempdir()) / "timeline-demo-worker.log"
        worker = _start_worker(settings, log_path)
        console.print(f"[bold]Worker[/]: pid {worker.pid}, log in {log_path}")
        try:
            return _enqueue_and_show(console, settings, bidi, log_path)
        finally:
            _stop(worker)


def _start_worker(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TIMELINE_REDIS_URL": settings.redis_url,
        "TIMELINE_KEY_PREFIX": settings.key_prefix,
        "TIMELINE_LOG_FORMAT": "json",
    }
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker", "--concurrency", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


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
            print_timeline(timeline, bidi=bidi, console=console)
        if timelines:
            first = min(t.published for t in timelines) - timedelta(days=3 * 365)
            last = max(t.published for t in timelines) + timedelta(days=365)
            merged = [
                e for e in client.events(first, last, limit=10_000) if e.article_id in set(ids)
            ]
            console.print(events_table(merged, bidi))
    return 1 if failures else 0
