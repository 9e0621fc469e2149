"""How time and memory grow: extraction with the article's size, the store with the
number of events it holds.

    .venv/bin/python -m bench.scaling [--events 1000000] [--days 365] [--queries 200]
                                      [--output FILE] [--only extraction|store]

* **Extraction** (pure core, one process): articles of 1 KB to 1 MB of
  :func:`bench.articles.mixed_text`; for ``tag`` and for the whole
  ``extract_timeline``, the median time of a few runs (one run from 256 KB up), the
  time per KB and the peak traced memory (``tracemalloc``, a separate run).
* **Store** (a redis-server of the run's own on a free port): synthetic timelines of
  ``--per-timeline`` dated events each, their days spread uniformly over ``--days``
  days, saved with :meth:`store.TimelineStore.save` until ``--events`` events are
  indexed. At 10^3, 10^4, 10^5 and 10^6 events: the time of a save per event (in this
  process, and on the server from Redis' own command statistics), one-day queries
  (:meth:`store.TimelineStore.events`, median and p99 over ``--queries`` random days,
  default 200, with Redis' own time for the range read, and the median with
  ``limit=100``), and Redis' memory per event.

Prints tables and writes JSON (default ``bench/results/scaling.json``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.articles import FILLER, mixed_text
from service.testing import RedisServer
from store import TimelineStore
from timeline.contract import Article, Event, EventTime, Span, Timeline, TimeSource
from timeline.extract import extract_timeline
from timeline.tagger import tag

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime.fromisoformat("2017-05-04T18:00:00+03:00")
FIRST_DAY = datetime.fromisoformat("2017-01-01T00:00:00+03:00")
SIZES = (1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000)
CHECKPOINTS = (1_000, 10_000, 100_000, 1_000_000)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def median_time(run: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_memory(run: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def extraction(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    rows = []
    tag(mixed_text(random.Random(0), 2000), PUBLISHED)  # warm up
    for size in sizes:
        text = mixed_text(random.Random(size), size)
        article = Article(id="scaling", text=text, published=PUBLISHED)
        runs = 1 if size >= 256_000 else max(3, 64_000 // size)
        timexes = len(tag(text, PUBLISHED))
        events = len(extract_timeline(article).events)
        tag_s = median_time(lambda: tag(text, PUBLISHED), runs)  # noqa: B023
        extract_s = median_time(lambda: extract_timeline(article), runs)  # noqa: B023
        kb = len(text) / 1000
        row = {
            "chars": len(text),
            "time_expressions": timexes,
            "events": events,
            "runs": runs,
            "tag_ms": round(tag_s * 1000, 2),
            "tag_us_per_kb": round(tag_s * 1e6 / kb, 1),
            "tag_peak_kib": round(peak_memory(lambda: tag(text, PUBLISHED)) / 1024),  # noqa: B023
            "extract_ms": round(extract_s * 1000, 2),
            "extract_us_per_kb": round(extract_s * 1e6 / kb, 1),
            "extract_peak_kib": round(peak_memory(lambda: extract_timeline(article)) / 1024),  # noqa: B023
        }
        print(json.dumps(row))
        rows.append(row)
    return rows


class Timelines:
    """Synthetic timelines of dated events, their days spread over ``days`` days."""

    def __init__(self, per_timeline: int, days: int, seed: int = 7) -> None:
        self.per_timeline = per_timeline
        self.days = days
        self.rng = random.Random(seed)
        self.count = 0

    def next(self) -> Timeline:
        n = self.count
        self.count += 1
        events = []
        for i in range(self.per_timeline):
            day = FIRST_DAY + timedelta(days=self.rng.randrange(self.days))
            text = self.rng.choice(FILLER)
            events.append(
                Event(
                    id=f"e{i + 1}",
                    start=0,
                    end=len(text),
                    trigger=Span(text=text.split()[0], start=0, end=len(text.split()[0])),
                    text=text,
                    time=EventTime(value=day.date().isoformat(), source=TimeSource.OWN),
                    earliest=day,
                    latest=day + timedelta(days=1),
                )
            )
        return Timeline(
            article_id=f"scaling-{n}",
            published=PUBLISHED,
            outlet=f"Outlet {n % 5}",
            digest=f"{n:032x}",
            events=events,
        )


def timed_queries(
    store: TimelineStore, days: list[datetime], limit: int | None
) -> tuple[list[float], list[int]]:
    """Milliseconds of one :meth:`TimelineStore.events` call per day, and events found.

    Only the call is timed. Freeing its result, and the young-generation collection
    that the models it made would set off at the next allocation, happen outside the
    timed region, so that no call pays for the one before it.
    """
    took, found = [], []
    for start in days:
        t0 = time.perf_counter()
        events = store.events(start, start + timedelta(days=1), limit=limit)
        took.append((time.perf_counter() - t0) * 1000)
        found.append(len(events))
        del events
        gc.collect(0)
    return took, found


def measure_store(
    store: TimelineStore, source: Timelines, saves: int, queries: int
) -> dict[str, Any]:
    """Time ``queries`` one-day queries, then ``saves`` saves (client and server side)."""
    indexed = store.event_count()
    rng = random.Random(indexed)
    days = [FIRST_DAY + timedelta(days=rng.randrange(source.days)) for _ in range(queries)]
    store.redis.config_resetstat()
    day_ms, found = timed_queries(store, days, None)
    server = store.redis.info("commandstats").get("cmdstat_zrangebyscore", {})
    limited_ms, _ = timed_queries(store, days, 100)
    memory = int(store.redis.info("memory")["used_memory"])
    store.redis.config_resetstat()
    took = []
    for _ in range(saves):
        timeline = source.next()
        t0 = time.perf_counter()
        store.save(timeline)
        took.append(time.perf_counter() - t0)
    server = store.redis.info("commandstats").get("cmdstat_evalsha", {})
    per_event_client = statistics.median(took) * 1e6 / source.per_timeline
    per_event_server = float(server.get("usec_per_call", 0.0)) / source.per_timeline
    return {
        "events_indexed": indexed,
        "save_us_per_event": round(per_event_client, 2),
        "save_server_us_per_event": round(per_event_server, 2),
        "day_query_events": round(statistics.fmean(found)),
        "day_query_p50_ms": round(percentile(day_ms, 0.5), 2),
        "day_query_p99_ms": round(percentile(day_ms, 0.99), 2),
        "day_query_server_ms": round(float(server.get("usec_per_call", 0.0)) / 1000, 2),
        "day_query_limit100_p50_ms": round(percentile(limited_ms, 0.5), 2),
        "redis_bytes_per_event": round(memory / max(1, indexed)),
    }


def store_scaling(
    total: int, per_timeline: int, days: int, queries: int, folder: Path
) -> list[dict[str, Any]]:
    server = RedisServer(folder / "redis").start()
    rows = []
    try:
        store = TimelineStore.from_url(server.url, "scaling")
        source = Timelines(per_timeline, days)
        began = time.monotonic()
        for checkpoint in (c for c in CHECKPOINTS if c <= total):
            # fill up to the checkpoint, then measure: queries at it, then saves that
            # add no more than a tenth to it
            while store.event_count() < checkpoint:
                store.save(source.next())
            saves = max(5, min(200, checkpoint // (10 * per_timeline)))
            row = {"checkpoint": checkpoint, **measure_store(store, source, saves, queries)}
            row["seconds_so_far"] = round(time.monotonic() - began, 1)
            print(json.dumps(row))
            rows.append(row)
        store.redis.close()
    finally:
        server.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events to store")
    parser.add_argument("--per-timeline", type=int, default=20, help="events per timeline")
    parser.add_argument("--days", type=int, default=365, help="days the events spread over")
    parser.add_argument("--queries", type=int, default=200, help="random days queried per size")
    parser.add_argument("--max-size", type=int, default=1_000_000, help="largest article")
    parser.add_argument("--only", choices=("extraction", "store"))
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "scaling.json")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": len(os.sched_getaffinity(0)),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "store_settings": {
            "per_timeline": args.per_timeline,
            "days": args.days,
            "queries": args.queries,
        },
    }
    if args.only in (None, "extraction"):
        report["extraction"] = extraction(tuple(s for s in SIZES if s <= args.max_size))
    if args.only in (None, "store"):
        with tempfile.TemporaryDirectory(prefix="bench-scaling-") as folder:
            report["store"] = store_scaling(
                args.events, args.per_timeline, args.days, args.queries, Path(folder)
            )
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print_tables(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


def print_tables(report: dict[str, Any]) -> None:
    if "extraction" in report:
        print(
            f"\n{'chars':>9} {'timexes':>8} {'tag ms':>9} {'µs/KB':>7} {'peak KiB':>9} "
            f"{'extract ms':>11} {'µs/KB':>7} {'peak KiB':>9}"
        )
        for r in report["extraction"]:
            print(
                f"{r['chars']:>9} {r['time_expressions']:>8} {r['tag_ms']:>9} "
                f"{r['tag_us_per_kb']:>7} {r['tag_peak_kib']:>9} {r['extract_ms']:>11} "
                f"{r['extract_us_per_kb']:>7} {r['extract_peak_kib']:>9}"
            )
    if "store" in report:
        print(
            f"\n{'events':>9} {'save µs/event':>14} {'server µs/event':>16} {'day: events':>12} "
            f"{'p50 ms':>7} {'p99 ms':>7} {'server ms':>10} {'limit 100 ms':>13} "
            f"{'bytes/event':>12}"
        )
        for r in report["store"]:
            print(
                f"{r['events_indexed']:>9} {r['save_us_per_event']:>14} "
                f"{r['save_server_us_per_event']:>16} {r['day_query_events']:>12} "
                f"{r['day_query_p50_ms']:>7} {r['day_query_p99_ms']:>7} "
                f"{r.get('day_query_server_ms', ''):>10} "
                f"{r['day_query_limit100_p50_ms']:>13} {r['redis_bytes_per_event']:>12}"
            )


if __name__ == "__main__":
    sys.exit(main())
