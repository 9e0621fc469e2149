"""End to end: articles per second through producer → Redis → Celery workers → store,
beside a task that does nothing, with the same message, broker and settings, in one run.

    .venv/bin/python -m bench.pipeline [--articles 800] [--repeat 2]
                                       [--sizes 250,1000,4000] [--concurrency 1,2]

Everything runs on a redis-server of the run's own (a free loopback port) and real
worker processes (``timeline worker``, see :class:`service.testing.WorkerProcess`).

* **Throughput**: ``--articles`` articles are stored and queued by the producer
  (:meth:`producer.Producer.enqueue_many`) while no worker runs; then a worker with
  ``--concurrency`` pool processes starts and the queue length is sampled every 10 ms
  until it is empty. The rate is the slope of the queue length between 85% and 15%
  left (start-up and the tail left out). The same is done, with the same articles and
  messages, for :mod:`bench.noop_worker`: the same worker whose task returns at once.
  The two workers run in turn, ``--repeat`` times each (so that other work on the
  machine weighs on both alike), and each rate is the median of its runs. The ratio
  of the two is the figure of the issue. The timeline runs are checked: every
  article done, none failed.
* **Latency**: once the pool processes are warm (25 articles each), a producer submits
  articles one by one at a steady pace (a fraction, ``--load``, of the throughput just
  measured) for ``--latency-seconds``; latency is from just before ``Producer.submit``
  to the time the worker stamps when it stores the timeline (``status.updated``).
* **Where the time goes**: the steps of one delivery (claim and read the article,
  validate, extract, save, log) timed in this process on the same Redis, beside
  Celery's own cost per task (one over the no-op's rate per pool process).
* **Bytes**: the queued message (as it sits in the Redis list), the stored article,
  and what a message carrying the article itself would take (``send_task`` with the
  article as its argument, as ``bench/enqueue.py`` sends it).

Prints tables and writes JSON (default ``bench/results/pipeline.json``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from bench.articles import mixed_article
from config.celeryconf import PROCESS_ARTICLE, make_app
from config.settings import Settings
from producer import Producer
from service.testing import RedisServer, WorkerProcess, redis_server_binary
from store import TimelineStore
from timeline.contract import Article, ArticleState

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "bench"
KINDS = {"no-op task": "bench.noop_worker", "timeline": "service.cli"}


def settings_for(url: str, count: int) -> Settings:
    """The deployment's defaults, but a queue bound the run never reaches."""
    return Settings(
        redis_url=url,
        key_prefix=PREFIX,
        max_queue_length=count * 4 + 1000,
        log_level="INFO",
        log_format="json",
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def drain_rate(samples: list[tuple[float, int]], total: int) -> float:
    """Tasks per second: the slope of the queue length from 85% to 15% left."""
    high, low = 0.85 * total, 0.15 * total
    first = next((t, n) for t, n in samples if n <= high)
    last = next((t, n) for t, n in samples if n <= low)
    return (first[1] - last[1]) / max(last[0] - first[0], 1e-9)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a process has used (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat", "rb") as fh:
        fields = fh.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_cpu(pid: int, redis_pid: int | None) -> dict[str, float]:
    """CPU seconds so far of a worker's main process, of its pool processes together,
    and of the redis-server."""
    pool = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                parent = int(fh.read().rsplit(b")", 1)[1].split()[1])
            if parent == pid:
                pool += cpu_seconds(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # a process that ended meanwhile
    found = {"main": cpu_seconds(pid), "pool": pool}
    if redis_pid is not None:
        found["redis"] = cpu_seconds(redis_pid)
    return found


def wait_for(check: Callable[[], bool], timeout: float, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the run did not finish in time")
        time.sleep(every)


class Stage:
    """One redis-server for the whole run; emptied between runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.redis = RedisServer(folder / "redis").start()

    def fresh(self, count: int) -> tuple[Settings, TimelineStore]:
        settings = settings_for(self.redis.url, count)
        store = settings.open_store()
        store.redis.flushall()  # our own server
        return settings, store

    def worker(self, settings: Settings, module: str, concurrency: int, log: str) -> WorkerProcess:
        return WorkerProcess(
            settings, self.folder / log, concurrency=concurrency, module=module
        ).start()

    def close(self) -> None:
        self.redis.stop()


def throughput(
    stage: Stage, articles: list[dict[str, Any]], kind: str, concurrency: int
) -> dict[str, Any]:
    """Prefill the queue, start a worker, time the drain."""
    total = len(articles)
    settings, store = stage.fresh(total)
    producer = Producer(settings)
    report = producer.enqueue_many(articles)
    assert len(report.accepted) == total, report.rejected[:3]
    queue = settings.queue
    label = f"{kind.split(maxsplit=1)[0]}-{concurrency}-{len(articles[0]['text'])}"
    began = time.monotonic()
    worker = stage.worker(settings, KINDS[kind], concurrency, f"{label}.log")
    samples: list[tuple[float, int]] = []
    assert worker.process is not None
    redis_pid = stage.redis.process.pid if stage.redis.process else None
    # CPU used over the same window as the rate: from 85% of the queue left to 15%
    cpu: list[tuple[int, dict[str, float]]] = []
    try:
        while True:
            left = store.queue_length(queue)
            samples.append((time.monotonic(), left))
            if len(cpu) < 2 and left <= (0.85, 0.15)[len(cpu)] * total:
                cpu.append((left, worker_cpu(worker.process.pid, redis_pid)))
            if left == 0:
                break
            if time.monotonic() - began > 600:
                raise TimeoutError(f"{label}: queue not drained")
            time.sleep(0.01)
        result: dict[str, Any] = {"articles": total, "per_second": drain_rate(samples, total)}
        (left_a, cpu_a), (left_b, cpu_b) = cpu
        result["cpu_ms_per_task"] = {
            part: round((cpu_b[part] - cpu_a[part]) * 1000 / max(left_a - left_b, 1), 3)
            for part in cpu_a
        }
        if kind == "timeline":
            ids = report.accepted

            def finished() -> bool:
                states = store.states(ids).values()
                return sum(s in (ArticleState.DONE, ArticleState.FAILED) for s in states) == total

            wait_for(finished, 300)
            states = list(store.states(ids).values())
            result["done"] = states.count(ArticleState.DONE)
            result["failed"] = states.count(ArticleState.FAILED)
            result["events_indexed"] = store.event_count()
            assert result["done"] == total, result
        result["seconds_to_drain"] = round(samples[-1][0] - samples[0][0], 2)
    finally:
        worker.stop()
        producer.close()
        store.redis.close()
    return result


def paired_runs(
    stage: Stage, articles: list[dict[str, Any]], concurrency: int, repeat: int
) -> dict[str, Any]:
    """The no-op and the timeline worker in turn, ``repeat`` times each, so that the
    machine's other work weighs on both alike; each rate is the median of its runs."""
    rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
    runs: dict[str, Any] = {}
    for _ in range(repeat):
        for kind in KINDS:
            result = throughput(stage, articles, kind, concurrency)
            rates[kind].append(result["per_second"])
            runs[kind] = result
    for kind in KINDS:
        runs[kind]["per_second"] = round(statistics.median(rates[kind]), 1)
        runs[kind]["runs_per_second"] = [round(r, 1) for r in rates[kind]]
    runs["ratio"] = {
        "timeline_over_noop": round(
            statistics.median(rates["timeline"]) / statistics.median(rates["no-op task"]), 3
        )
    }
    runs["projection"] = projection(
        runs["no-op task"]["cpu_ms_per_task"], runs["timeline"]["cpu_ms_per_task"]
    )
    return runs


def projection(noop: dict[str, float], timeline: dict[str, float]) -> dict[str, Any]:
    """What a worker needs for 80% of the no-op's rate when cores are not short.

    A worker's main process (fetching, dispatching to the pool, acknowledging) is one
    thread: the no-op can go no faster than one task per ``noop["main"]`` ms of it.
    Pool processes run side by side, so the timeline task keeps up with 80% of that
    rate once ``P`` of them deliver one task per ``0.8 × noop["main"]`` ms together:
    ``P = 0.8 × timeline["pool"] / noop["main"]`` — provided the timeline worker's own
    main process keeps up too (``timeline["main"] ≤ noop["main"] / 0.8``). Each pool
    process and the main process need a core; Redis needs its share of one.
    """
    noop_main, main = max(noop["main"], 1e-6), max(timeline["main"], 1e-6)
    pool = math.ceil(0.8 * timeline["pool"] / noop_main)
    redis_cores = timeline.get("redis", 0.0) * 0.8 / noop_main
    return {
        "noop_main_bound_per_second": round(1000 / noop_main),
        "timeline_main_bound_per_second": round(1000 / main),
        "main_process_keeps_up": main <= noop_main / 0.8,
        "pool_processes_for_80_percent": pool,
        "cores_for_80_percent": math.ceil(pool + 1 + redis_cores),
    }


def latency(
    stage: Stage, articles: list[dict[str, Any]], concurrency: int, rate: float, seconds: float
) -> dict[str, Any]:
    """Submit one article every 1/rate seconds; enqueue-to-stored times."""
    count = max(20, min(len(articles), round(rate * seconds)))
    settings, store = stage.fresh(count)
    producer = Producer(settings)
    worker = stage.worker(settings, KINDS["timeline"], concurrency, f"latency-{concurrency}.log")
    sent: dict[str, float] = {}
    try:
        # warm every pool process up (imports, caches, scripts loaded) before timing
        size = len(articles[0]["text"])
        warm = [mixed_article(10**6 + n, size, seed=99) for n in range(25 * concurrency)]
        warm_ids = producer.enqueue_many(warm).accepted
        wait_for(lambda: all(s is ArticleState.DONE for s in store.states(warm_ids).values()), 300)
        began = time.monotonic()
        for n, raw in enumerate(articles[:count]):
            pause = began + n / rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            at = time.time()
            sent[producer.submit(raw).article_id] = at

        ids = list(sent)

        def finished() -> bool:
            return all(s is ArticleState.DONE for s in store.states(ids).values())

        wait_for(finished, 300)
        took = []
        for article_id, at in sent.items():
            status = store.status(article_id)
            assert status is not None and status.updated is not None
            took.append((status.updated.timestamp() - at) * 1000)
    finally:
        worker.stop()
        producer.close()
        store.redis.close()
    return {
        "articles": count,
        "offered_per_second": round(rate, 1),
        "p50_ms": round(percentile(took, 0.5), 1),
        "p90_ms": round(percentile(took, 0.9), 1),
        "p99_ms": round(percentile(took, 0.99), 1),
        "max_ms": round(max(took), 1),
    }


def stages(stage: Stage, articles: list[dict[str, Any]]) -> dict[str, float]:
    """Milliseconds per article of each step of a delivery, in this process: the same
    calls :func:`worker.processing.process` makes, timed one by one."""
    import logging

    from config import logs
    from timeline.events import build_events
    from timeline.extract import extract_timeline
    from timeline.tagger import tag
    from worker.processing import Limits, process

    settings, store = stage.fresh(len(articles))
    producer = Producer(settings)
    ids = producer.enqueue_many(articles).accepted
    digests = {a.id: a.digest for a in map(Article.model_validate, articles)}
    limits = Limits(settings.max_text_chars, settings.max_attempts)
    log = logs.get_logger("worker")
    spent: dict[str, list[float]] = {}
    logs.configure("INFO", "json", force=True)
    handler = logging.getLogger().handlers[0]
    with open(os.devnull, "w", encoding="utf-8") as sink:
        handler.stream = sink  # type: ignore[attr-defined]
        for n, article_id in enumerate(ids):
            if n < 10:  # warm up: lazy imports, caches
                process(store, article_id, digests[article_id], f"w{n}", limits)
                continue
            marks = [time.perf_counter()]
            _, _, payload = store.claim_article(
                article_id, digests[article_id], f"t{n}", limits.max_attempts
            )
            marks.append(time.perf_counter())
            assert payload is not None
            article = Article.model_validate_json(
                payload, context={"max_text_chars": limits.max_text_chars}
            )
            marks.append(time.perf_counter())
            timeline = extract_timeline(article)
            marks.append(time.perf_counter())
            store.save(timeline)
            marks.append(time.perf_counter())
            log.info(
                "article.processed",
                saved=True,
                attempt=1,
                chars=len(article.text),
                time_expressions=len(timeline.time_expressions),
                events=len(timeline.events),
                contradictions=len(timeline.contradictions),
                duration_ms=1.0,
            )
            marks.append(time.perf_counter())
            timexes = tag(article.text, article.published)
            marks.append(time.perf_counter())
            build_events(article.text, article.published, timexes)
            marks.append(time.perf_counter())
            names = (
                "claim and read",
                "validate",
                "extract",
                "save",
                "log",
                "(of extract: tag)",
                "(of extract: events)",
            )
            for name, a, b in zip(names, marks[:-1], marks[1:], strict=True):
                spent.setdefault(name, []).append((b - a) * 1000)
    logs.configure("WARNING", "json", force=True)
    producer.close()
    store.redis.close()
    return {name: round(statistics.median(values), 3) for name, values in spent.items()}


def wire_bytes(stage: Stage, article: dict[str, Any]) -> dict[str, int]:
    """Bytes of one queued article: the message, the stored article, and the message a
    task carrying the article itself would be."""
    settings, store = stage.fresh(10)
    producer = Producer(settings)
    article_id = producer.enqueue(article)
    queue = store.keys.queue(settings.queue)
    message = cast(bytes, store.redis.lindex(queue, 0))
    stored = int(store.redis.strlen(store.keys.article(article_id)))
    probe = store.keys.queue("wire-probe")
    app = make_app(settings, "bench-wire")
    app.send_task(PROCESS_ARTICLE, args=[article], queue="wire-probe")
    inline = cast(bytes, store.redis.lindex(probe, 0))
    app.close()
    producer.close()
    store.redis.close()
    return {
        "message": len(message),
        "stored_article": stored,
        "by_reference_total": len(message) + stored,
        "article_in_message": len(inline),
        "text_utf8": len(article["text"].encode("utf-8")),
    }


def machine() -> dict[str, Any]:
    version = subprocess.run(
        [redis_server_binary(), "--version"], capture_output=True, text=True
    ).stdout.split()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": len(os.sched_getaffinity(0)),
        "redis-server": next((v.split("=")[1] for v in version if v.startswith("v=")), "?"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=800, help="articles per run")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each worker, in turn")
    parser.add_argument("--sizes", default="250,1000,4000", help="article sizes in characters")
    parser.add_argument("--concurrency", default="1,2", help="worker pool processes")
    parser.add_argument("--load", type=float, default=0.5, help="latency load / throughput")
    parser.add_argument("--latency-seconds", type=float, default=8.0)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "pipeline.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    levels = [int(c) for c in args.concurrency.split(",")]
    report: dict[str, Any] = {
        "machine": machine(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "articles_per_run": args.articles,
        "settings": {
            k: v
            for k, v in settings_for("redis://x", args.articles).model_dump().items()
            if k.startswith(("worker_", "task_", "max_text", "max_attempts", "log_"))
        },
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as scratch:
        stage = Stage(Path(scratch))
        try:
            for size in sizes:
                articles = [mixed_article(n, size, seed=size) for n in range(args.articles)]
                entry: dict[str, Any] = {"throughput": {}, "latency": {}}
                for concurrency in levels:
                    runs = paired_runs(stage, articles, concurrency, args.repeat)
                    entry["throughput"][concurrency] = runs
                    print(json.dumps({"size": size, "concurrency": concurrency, **runs}))
                    entry["latency"][concurrency] = latency(
                        stage,
                        articles,
                        concurrency,
                        runs["timeline"]["per_second"] * args.load,
                        args.latency_seconds,
                    )
                    print(json.dumps({"latency": entry["latency"][concurrency]}))
                entry["stages_ms"] = stages(stage, articles[:300])
                entry["bytes"] = wire_bytes(stage, articles[0])
                report["sizes"][size] = entry
        finally:
            stage.close()
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print_tables(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {args.output}")
    return 0


def print_tables(report: dict[str, Any]) -> None:
    print(
        f"\n{'size':>6} {'procs':>5} {'no-op/s':>9} {'timeline/s':>11} {'ratio':>6} "
        f"{'load/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
    )
    for size, entry in report["sizes"].items():
        for concurrency, runs in entry["throughput"].items():
            lat = entry["latency"][concurrency]
            print(
                f"{size:>6} {concurrency:>5} {runs['no-op task']['per_second']:>9} "
                f"{runs['timeline']['per_second']:>11} {runs['ratio']['timeline_over_noop']:>6} "
                f"{lat['offered_per_second']:>7} {lat['p50_ms']:>7} {lat['p99_ms']:>7}"
            )
    print(
        "\nCPU ms per task (main process / pool processes / redis-server), and what 80% of"
        "\nthe no-op's rate would take where cores are not short (see projection()):"
    )
    for size, entry in report["sizes"].items():
        for concurrency, runs in entry["throughput"].items():
            n, t, p = (
                runs["no-op task"]["cpu_ms_per_task"],
                runs["timeline"]["cpu_ms_per_task"],
                runs["projection"],
            )
            print(
                f"  {size:>5} chars, {concurrency} procs: no-op {n['main']} / {n['pool']} / "
                f"{n.get('redis', '-')}; timeline {t['main']} / {t['pool']} / {t.get('redis', '-')}"
                f"; no-op bound {p['noop_main_bound_per_second']}/s -> "
                f"{p['pool_processes_for_80_percent']} pool processes, "
                f"{p['cores_for_80_percent']} cores"
                + ("" if p["main_process_keeps_up"] else " (if its main process kept up)")
            )
    print("\nwhere a delivery's time goes (ms, median, in-process):")
    for size, entry in report["sizes"].items():
        print(f"  {size}: " + ", ".join(f"{k} {v}" for k, v in entry["stages_ms"].items()))
    m = report["machine"]
    print(
        f"\nload average: {m['load_average_at_start']} at start, {m['load_average_at_end']} at end"
    )
    print("\nbytes per queued article:")
    for size, entry in report["sizes"].items():
        b = entry["bytes"]
        print(
            f"  {size}: message {b['message']} + stored article {b['stored_article']} = "
            f"{b['by_reference_total']} (no-op: the same message); the article in the "
            f"message: {b['article_in_message']} (text {b['text_utf8']} bytes UTF-8)"
        )


if __name__ == "__main__":
    sys.exit(main())
