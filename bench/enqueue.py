"""Enqueue throughput: the bulk import path beside Celery's plain ``send_task`` loop.

    .venv/bin/python bench/enqueue.py [--count 100000] [--output bench/results/enqueue.json]

Starts its own redis-server on a free loopback port (nothing else is touched), writes
``--count`` distinct articles to a JSON-lines file, and times, on that same Redis:

* ``import``: ``timeline enqueue FILE``'s path (:class:`producer.importer.Importer`):
  stream the file, validate, store each article and queue its task in one round trip
  per batch, checkpoint after each batch;
* ``submit``: :meth:`producer.Producer.enqueue` one article at a time (the per-article
  path: accept, ``send_task``, mark sent) on the first ``--submit-count`` articles;
* ``celery send_task``: a plain loop of ``app.send_task(name, args=[article])`` with one
  pooled producer, the same articles as payloads (no validation, nothing stored).

Prints a table with each rate and its ratio to the plain loop, and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from config.celeryconf import PROCESS_ARTICLE, make_app  # noqa: E402
from config.settings import Settings  # noqa: E402
from producer import Producer  # noqa: E402
from producer.importer import Importer, file_source  # noqa: E402
from service.testing import RedisServer  # noqa: E402

SENTENCES = (
    "أعلنت الحكومة أمس عن خطة جديدة لدعم المزارعين في المحافظات الشمالية",
    "وقال الوزير في مؤتمر صحفي إن التنفيذ سيبدأ مطلع الشهر المقبل",
    "وكانت النقابة قد طالبت في آذار الماضي بزيادة الدعم بعد موسم جفاف صعب",
    "ومن المقرر أن تعقد اللجنة اجتماعها المقبل يوم الخميس لمراجعة النتائج",
)


def write_articles(path: Path, count: int) -> int:
    """``count`` distinct articles, one JSON line each; returns the file's size."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            text = (
                f"{SENTENCES[n % 4]} رقم {n}. {SENTENCES[(n + 1) % 4]}. "
                f"{SENTENCES[(n + 2) % 4]} في العام {2000 + n % 20}."
            )
            article = {
                "id": f"bench-{n}",
                "outlet": "Bench Wire",
                "url": f"https://bench.example/news/{n}",
                "title": f"خبر رقم {n}",
                "published": "2017-05-04T18:00:00+03:00",
                "text": text,
            }
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path.stat().st_size


def settings_for(url: str, prefix: str, count: int) -> Settings:
    return Settings(
        redis_url=url,
        key_prefix=prefix,
        max_queue_length=count * 4 + 1000,
        log_level="WARNING",
        log_format="json",
    )


def queue_length(settings: Settings) -> int:
    client = redis.Redis.from_url(settings.redis_url)
    return int(client.llen(f"{settings.key_prefix}:{settings.queue}"))


def bench_import(url: str, path: Path, count: int, batch: int) -> dict[str, Any]:
    settings = settings_for(url, "bench-import", count)
    producer = Producer(settings)
    importer = Importer(producer, batch_size=batch)
    began = time.perf_counter()
    stats = importer.run([file_source(path)])
    seconds = time.perf_counter() - began
    producer.close()
    assert stats.accepted == count, stats
    assert queue_length(settings) == count
    return {"articles": count, "seconds": round(seconds, 3), "per_second": count / seconds}


def bench_submit(url: str, path: Path, count: int) -> dict[str, Any]:
    settings = settings_for(url, "bench-submit", count)
    producer = Producer(settings)
    lines = []
    with path.open("rb") as source:
        for _ in range(count):
            lines.append(source.readline())
    began = time.perf_counter()
    for line in lines:
        producer.enqueue(line)
    seconds = time.perf_counter() - began
    producer.close()
    assert queue_length(settings) == count
    return {"articles": count, "seconds": round(seconds, 3), "per_second": count / seconds}


def bench_send_task(url: str, path: Path, count: int) -> dict[str, Any]:
    settings = settings_for(url, "bench-celery", count)
    app = make_app(settings, "bench-celery")
    payloads = []
    with path.open("rb") as source:
        for _ in range(count):
            payloads.append(json.loads(source.readline()))
    with app.producer_or_acquire() as pooled:
        began = time.perf_counter()
        for payload in payloads:
            app.send_task(PROCESS_ARTICLE, args=[payload], queue=settings.queue, producer=pooled)
        seconds = time.perf_counter() - began
    app.close()
    assert queue_length(settings) == count
    return {"articles": count, "seconds": round(seconds, 3), "per_second": count / seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="articles (default 100000)")
    parser.add_argument(
        "--submit-count", type=int, default=5_000, help="articles for the one-by-one path"
    )
    parser.add_argument("--batch-size", type=int, default=500, help="import batch size")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "enqueue.json")
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="bench-enqueue-") as folder,
        RedisServer(Path(folder) / "redis") as server,
    ):
        path = Path(folder) / "articles.jsonl"
        size = write_articles(path, args.count)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results = {"import": bench_import(server.url, path, args.count, args.batch_size)}
        rss_after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        redis.Redis(port=server.port).flushall()  # our own server
        submit_count = min(args.submit_count, args.count)
        results["submit"] = bench_submit(server.url, path, submit_count)
        redis.Redis(port=server.port).flushall()
        results["celery send_task"] = bench_send_task(server.url, path, args.count)
        redis_version = server.version()

    plain = results["celery send_task"]["per_second"]
    for result in results.values():
        result["per_second"] = round(result["per_second"], 1)
        result["ratio_to_send_task"] = round(result["per_second"] / plain, 2)
    report = {
        "count": args.count,
        "file_bytes": size,
        "batch_size": args.batch_size,
        "results": results,
        "import_peak_rss_mb": round(rss_after_import / 1024, 1),
        "peak_rss_mb_before_import": round(rss_before / 1024, 1),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "redis": redis_version,
            "platform": platform.platform(),
        },
    }
    print(f"{'path':<18} {'articles':>9} {'seconds':>9} {'articles/s':>11} {'vs send_task':>13}")
    for name, result in results.items():
        print(
            f"{name:<18} {result['articles']:>9} {result['seconds']:>9.2f} "
            f"{result['per_second']:>11,.0f} {result['ratio_to_send_task']:>12.2f}x"
        )
    print(
        f"import of {size / 1e6:.1f} MB: peak RSS {report['import_peak_rss_mb']} MB "
        f"(before the import {report['peak_rss_mb_before_import']} MB)"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
