"""End to end: producer -> Redis -> a real Celery worker process -> store -> client."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest

from client import ArticleFailed, TimelineClient
from config.celeryconf import PROCESS_ARTICLE, make_app
from config.settings import Settings
from producer import Producer
from service.testing import run_cli
from tests.articles import article
from tests.conftest import WorkerProcess
from timeline.stories import article_reports

pytestmark = pytest.mark.integration


@pytest.fixture
def client(shared_settings: Settings) -> TimelineClient:
    return TimelineClient(shared_settings.redis_url, prefix=shared_settings.key_prefix)


@pytest.fixture
def producer(shared_settings: Settings) -> Producer:
    return Producer(shared_settings)


def unique(tag: str) -> str:
    return f"{tag}-{time.monotonic_ns()}"


def test_article_becomes_a_stored_timeline(
    shared_worker: WorkerProcess, producer: Producer, client: TimelineClient
) -> None:
    """An enqueued article comes back through the client as its timeline."""
    article_id = producer.enqueue(article(1, id=unique("e2e")))
    timeline = client.wait(article_id, timeout=30)
    assert timeline.article_id == article_id
    assert timeline.outlet == "Test Wire"
    yesterday = [t for t in timeline.time_expressions if t.text == "أمس"]
    assert yesterday and yesterday[0].value == "2017-05-03"
    assert timeline.events, "the article's events are in its timeline"
    status = client.status(article_id)
    assert status is not None and status.state.value == "done" and status.attempts == 1


def test_many_articles_through_two_processes(
    shared_worker: WorkerProcess, producer: Producer, client: TimelineClient
) -> None:
    tag = unique("batch")
    report = producer.enqueue_many(article(n, id=f"{tag}-{n}") for n in range(100, 120))
    assert len(report.accepted) == 20
    for article_id in report.accepted:
        assert client.wait(article_id, timeout=60).article_id == article_id


def test_logs_are_json_with_ids_bound(
    shared_worker: WorkerProcess, producer: Producer, client: TimelineClient
) -> None:
    """Every task log line carries article_id and task_id; one summary line per article."""
    article_id = producer.enqueue(article(2, id=unique("logs")))
    client.wait(article_id, timeout=30)
    status = client.status(article_id)
    assert status is not None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [json.loads(x) for x in shared_worker.log().splitlines() if article_id in x]
        if any(x["event"] == "article.processed" for x in lines):
            break
        time.sleep(0.1)
    assert lines and all(x["task_id"] == status.task_id for x in lines)
    [summary] = [x for x in lines if x["event"] == "article.processed"]
    assert summary["article_id"] == article_id
    assert {"time_expressions", "events", "duration_ms"} <= set(summary)


def test_bad_task_messages_fail_cleanly_and_worker_keeps_serving(
    shared_worker: WorkerProcess,
    shared_settings: Settings,
    producer: Producer,
    client: TimelineClient,
) -> None:
    """Garbage sent straight to the task lands in the failed set; valid work continues."""
    app = make_app(shared_settings, "test-sender")
    app.send_task(PROCESS_ARTICLE, args=[{"not": "an id"}], queue=shared_settings.queue)
    app.send_task(PROCESS_ARTICLE, args=["no-such-article", None], queue=shared_settings.queue)
    app.send_task(PROCESS_ARTICLE, args=[], kwargs={"x": 1}, queue=shared_settings.queue)
    article_id = producer.enqueue(article(3, id=unique("after-garbage")))
    assert client.wait(article_id, timeout=30).article_id == article_id
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        failures = {f.error for f in client.failed(limit=500)}
        if any("unknown article" in e for e in failures) and any(
            "article_id: expected a string" in e for e in failures
        ):
            break
        time.sleep(0.1)
    assert any("unknown article" in e for e in failures)
    assert any("article_id: expected a string, got dict" in e for e in failures)
    unknown = client.status("no-such-article")
    assert unknown is not None and unknown.state.value == "failed"
    with pytest.raises(ArticleFailed, match="unknown article"):
        client.wait("no-such-article", timeout=1)


def test_events_across_articles(
    shared_worker: WorkerProcess, producer: Producer, client: TimelineClient
) -> None:
    """Every dated happening of processed articles can be read back by date range, as a
    report and within a merged entry."""
    ids = [producer.enqueue(article(n, id=unique("range"))) for n in (4, 5)]
    timelines = [client.wait(i, timeout=30) for i in ids]
    expected = {(t.article_id, r.event_id) for t in timelines for r in article_reports(t)}
    assert expected, "the articles' happenings are dated"
    start = min(r.earliest for t in timelines for r in article_reports(t)) - timedelta(days=1)
    found = client.reports(start, start + timedelta(days=5), limit=10_000)
    assert expected <= {(e.article_id, e.event_id) for e in found}
    merged = client.events(start, start + timedelta(days=5))
    in_entries = {(s.article_id, s.event_id) for entry in merged for s in entry.sources}
    assert expected <= in_entries


def test_client_rejects_naive_range(client: TimelineClient) -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        client.events(datetime(2017, 1, 1), datetime(2017, 2, 1))


def test_get_unknown_is_none(client: TimelineClient) -> None:
    assert client.get("never-enqueued") is None
    assert client.status("never-enqueued") is None


cli = run_cli


def test_cli_enqueue_fetch_status(shared_worker: WorkerProcess, shared_settings: Settings) -> None:
    """`timeline enqueue -` reports bad lines, exits 1, queues good ones; fetch prints them."""
    good = article(6, id=unique("cli"))
    lines = "\n".join([json.dumps(good, ensure_ascii=False), '{"text": 5}']) + "\n"
    run = cli(shared_settings, "enqueue", "-", stdin=lines)
    assert run.returncode == 1
    assert "line 2: text: Input should be a valid string" in run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1])["accepted"] == 1
    TimelineClient(shared_settings.redis_url, prefix=shared_settings.key_prefix).wait(
        good["id"], timeout=30
    )
    table = cli(shared_settings, "fetch", good["id"])
    assert table.returncode == 0 and "أعلنت" in table.stdout
    as_json = cli(shared_settings, "fetch", good["id"], "--json")
    assert json.loads(as_json.stdout)["article_id"] == good["id"]
    state = cli(shared_settings, "status", good["id"])
    assert json.loads(state.stdout)["state"] == "done"
    missing = cli(shared_settings, "fetch", "not-there")
    assert missing.returncode == 1 and "no timeline for not-there" in missing.stderr


def test_health_sees_the_worker(shared_worker: WorkerProcess, shared_settings: Settings) -> None:
    run = cli(shared_settings, "health")
    report = json.loads(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert report["redis"] and report["workers"] and report["healthy"]


def test_health_fails_without_redis(settings: Settings) -> None:
    dead = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    run = cli(dead, "health", "--timeout", "0.5")
    assert run.returncode == 1 and json.loads(run.stdout)["redis"] is False


def test_worker_stops_cleanly_on_sigterm(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`timeline worker` finishes its work and exits 0 on SIGTERM."""
    worker = WorkerProcess(settings, tmp_path / "w.log").start()
    article_id = Producer(settings).enqueue(article(7))
    TimelineClient(settings.redis_url, prefix=settings.key_prefix).wait(article_id, timeout=30)
    assert worker.stop(timeout=30) == 0
    assert "warm shutdown" in worker.log().lower()
