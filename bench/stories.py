"""Merged-timeline queries at size: how long a page of ``/events`` takes on a full store.

    .venv/bin/python -m bench.stories [--events 10000] [--queries 30] [--output FILE]

A redis-server of the run's own (free port) is filled with synthetic timelines
(:func:`synthetic_timelines`: ``--per-timeline`` dated events each, days spread over a
year, two words of a small vocabulary per event, so word queries match a share of the
store) saved with :meth:`store.TimelineStore.save`. Then, each over ``--queries`` random
ranges or words, the time of the first page (50 entries) of
:meth:`store.TimelineStore.entries` for: a day, a week, a month, the whole year, one
word, two words, a word within a month, an outlet within a month; and the time to read
every page of a month. Each row gives the median and p95 in milliseconds and how many
reports the query matched (the merged timeline is built from all of them).

Prints the rows as JSON lines and writes them to ``bench/results/stories.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from service.testing import RedisServer
from store import TimelineStore
from timeline.contract import Event, EventTime, Span, Timeline, TimeSource
from timeline.stories import Query

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime.fromisoformat("2017-12-31T18:00:00+03:00")
FIRST_DAY = datetime.fromisoformat("2017-01-01T00:00:00+03:00")
#: two of these go into each event: word queries match about a tenth of the store
_WORDS = """الحكومة المعارضة الهدنة الميناء الانتخابات البرلمان النفط المصرف الجامعة المستشفى
الصحراء المطار الجسر السدود القمح الكهرباء المدارس الطرق الموانئ الزراعة"""
VOCABULARY = tuple(_WORDS.split())
#: letters that are no clitic and no verb affix: the triggers made of them are distinct
_LETTERS = "جحخدذرزشصضطظعغقم"
OUTLETS = ("Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E")


def trigger_word(n: int) -> str:
    """A word of its own for event ``n``: distinct triggers are never one happening."""
    letters = []
    for _ in range(4):
        n, digit = divmod(n, len(_LETTERS))
        letters.append(_LETTERS[digit])
    return "ق" + "".join(letters)


def synthetic_timelines(
    events: int, per_timeline: int = 10, days: int = 365, seed: int = 7
) -> Iterator[Timeline]:
    """Timelines of dated events (a day each), none of which report the same happening."""
    rng = random.Random(seed)
    made = 0
    article = 0
    while made < events:
        batch = []
        for i in range(min(per_timeline, events - made)):
            day = FIRST_DAY + timedelta(days=rng.randrange(days))
            trigger = trigger_word(made)
            first, second = rng.sample(VOCABULARY, 2)
            text = f"{trigger} {first} في {second}"
            batch.append(
                Event(
                    id=f"e{i + 1}",
                    start=i * 100,
                    end=i * 100 + len(text),
                    trigger=Span(text=trigger, start=i * 100, end=i * 100 + len(trigger)),
                    text=text,
                    time=EventTime(value=day.date().isoformat(), source=TimeSource.OWN),
                    earliest=day,
                    latest=day + timedelta(days=1),
                )
            )
            made += 1
        yield Timeline(
            article_id=f"synthetic-{article}",
            published=PUBLISHED,
            outlet=OUTLETS[article % len(OUTLETS)],
            digest=f"{article:032x}",
            events=batch,
        )
        article += 1


def fill(store: TimelineStore, events: int, per_timeline: int = 10) -> list[Timeline]:
    """Save synthetic timelines until ``events`` reports are indexed; returns them."""
    timelines = list(synthetic_timelines(events, per_timeline))
    for timeline in timelines:
        store.save(timeline)
    return timelines


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure(
    name: str, queries: list[Query], run: Callable[[Query], int], count: Callable[[Query], int]
) -> dict[str, Any]:
    """Only ``run`` is timed; ``count`` says how many reports the query matched."""
    times, matched = [], []
    for query in queries:
        t0 = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - t0) * 1000)
        matched.append(count(query))
    return {
        "query": name,
        "runs": len(queries),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
        "reports_matched_median": statistics.median(matched),
    }


def run(events: int, queries: int, per_timeline: int) -> dict[str, Any]:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder, RedisServer(Path(folder)) as server:
        store = TimelineStore.from_url(server.url, "bench-stories")
        t0 = time.perf_counter()
        fill(store, events, per_timeline)
        fill_s = time.perf_counter() - t0
        assert store.event_count() == events

        def day(offset: int) -> datetime:
            return FIRST_DAY + timedelta(days=offset)

        def ranges(width: int) -> list[Query]:
            starts = [rng.randrange(365 - width + 1) for _ in range(queries)]
            return [Query.build(start=day(s), end=day(s + width)) for s in starts]

        def words(count: int, width: int | None = None) -> list[Query]:
            found = []
            for _ in range(queries):
                q = " ".join(rng.sample(VOCABULARY, count))
                if width is None:
                    found.append(Query.build(q=q))
                else:
                    s = rng.randrange(365 - width + 1)
                    found.append(Query.build(start=day(s), end=day(s + width), q=q))
            return found

        def first_page(query: Query) -> int:
            return len(store.entries(query, limit=50).entries)

        def count(query: Query) -> int:
            return len(store.reports(query))

        def every_page(query: Query) -> int:
            cursor, seen = None, 0
            while True:
                page = store.entries(query, cursor=cursor, limit=50)
                seen += len(page.entries)
                if page.next is None:
                    return seen
                cursor = page.next

        month_outlets = [
            Query.build(start=q.start, end=q.end, outlets=[rng.choice(OUTLETS)]) for q in ranges(30)
        ]
        rows = [
            _measure("range: one day", ranges(1), first_page, count),
            _measure("range: one week", ranges(7), first_page, count),
            _measure("range: one month", ranges(30), first_page, count),
            _measure(
                "range: the whole year", ranges(365)[: max(3, queries // 5)], first_page, count
            ),
            _measure("one word", words(1), first_page, count),
            _measure("two words", words(2), first_page, count),
            _measure("one word within a month", words(1, 30), first_page, count),
            _measure("one outlet within a month", month_outlets, first_page, count),
            _measure("every page of a month (50 a page)", ranges(30)[:10], every_page, count),
        ]
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return {
            "events": events,
            "per_timeline": per_timeline,
            "fill_seconds": round(fill_s, 2),
            "redis": server.version(),
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
            },
            "rows": rows,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--per-timeline", type=int, default=10)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "stories.json")
    args = parser.parse_args()
    result = run(args.events, args.queries, args.per_timeline)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
