"""How fast the temporal tagger runs, beside dateparser's ``search_dates``.

Measures articles per second on one core, p50/p99 per article and peak traced
memory for ``timeline.tagger.tag`` alone, for the whole ``extract_timeline``, and for
``dateparser.search.search_dates(text, languages=["ar"])`` on the same articles of
about 1, 4 and 20 KB, in the same run. Prints a table and writes JSON.

Articles are built from the project's own example sentences (the rule families'
corpora) mixed with sentences that hold no time, or, with ``--corpus PATH``, from
the texts of a JSON-lines file read at run time (nothing of it is stored).

    .venv/bin/python bench/extraction.py [--corpus FILE.jsonl] [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.contract import Article  # noqa: E402
from timeline.extract import extract_timeline  # noqa: E402
from timeline.tagger import tag  # noqa: E402
from timeline.tagger.grammar import GRAMMAR  # noqa: E402

SIZES = {"1KB": 1_000, "4KB": 4_000, "20KB": 20_000}
PUBLISHED = datetime.fromisoformat("2017-05-04T18:00:00+03:00")
#: sentences with no time in them, so that articles are not all time expressions
FILLER = [
    "وقال المتحدث باسم الوزارة إن الحكومة ملتزمة بتنفيذ الإصلاحات المتفق عليها مع الشركاء.",
    "وأشار التقرير إلى أن الطلب على الخدمات الأساسية تزايد بشكل ملحوظ في المدن الكبرى.",
    "ودعت المنظمات الحقوقية السلطات إلى احترام حرية التعبير والإفراج عن المعتقلين.",
    "وأكد مصدر مطلع أن المفاوضات تناولت ملفات الأمن والاقتصاد وعودة اللاجئين.",
    "ويرى محللون أن ارتفاع أسعار الوقود سيزيد الضغوط على الأسر ذات الدخل المحدود.",
    "ونقلت وكالة الأنباء الرسمية عن مسؤول محلي قوله إن فرق الإنقاذ ما زالت تعمل في المنطقة.",
    "وتسعى الشركة إلى توسيع حصتها في السوق عبر شراكات مع مستثمرين من المنطقة.",
    "وطالب نواب المعارضة بفتح تحقيق مستقل في ملابسات الحادث ومحاسبة المسؤولين عنه.",
]


def own_sentences() -> list[str]:
    examples = [e["text"] for f in GRAMMAR.families for e in f.examples]
    negatives = [e["text"] for f in GRAMMAR.families for e in f.negatives]
    return examples + negatives


def build_articles(size: int, count: int, corpus: list[str] | None, seed: int) -> list[str]:
    """``count`` different articles of about ``size`` characters."""
    rng = random.Random(seed * 7919 + size)
    articles = []
    for n in range(count):
        parts: list[str] = []
        length = 0
        if corpus:
            order = corpus[n % len(corpus) :] + corpus[: n % len(corpus)]
            for text in order * (size // max(1, sum(map(len, corpus))) + 2):
                parts.append(text)
                length += len(text) + 2
                if length >= size:
                    break
            text = "\n\n".join(parts)[:size]
        else:
            sentences = own_sentences()
            while length < size:
                pool = sentences if rng.random() < 0.4 else FILLER
                sentence = rng.choice(pool)
                parts.append(sentence)
                length += len(sentence) + 1
            text = " ".join(parts)
        articles.append(text)
    return articles


def time_runs(run: Callable[[str], Any], articles: list[str], budget: float) -> list[float]:
    """Per-article seconds, cycling over ``articles`` for about ``budget`` seconds."""
    run(articles[0])  # warm up (lazy imports, caches)
    times: list[float] = []
    began = time.perf_counter()
    gc.collect()
    while time.perf_counter() - began < budget or len(times) < len(articles):
        for text in articles:
            t0 = time.perf_counter()
            run(text)
            times.append(time.perf_counter() - t0)
        if len(times) >= 20_000:
            break
    return times


def peak_memory(run: Callable[[str], Any], articles: list[str]) -> int:
    """Peak traced allocation (bytes) while processing the articles once."""
    gc.collect()
    tracemalloc.start()
    for text in articles:
        run(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, help="JSON lines with a 'text' field, read at run time"
    )
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per engine and size")
    parser.add_argument("--articles", type=int, default=8, help="different articles per size")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "bench" / "results" / "extraction.json"
    )
    args = parser.parse_args()

    corpus = None
    if args.corpus:
        with args.corpus.open(encoding="utf-8") as fh:
            corpus = [json.loads(line)["text"] for line in fh if line.strip()]

    from dateparser.search import search_dates

    engines: dict[str, Callable[[str], Any]] = {
        "tagger": lambda text: tag(text, PUBLISHED),
        "extract_timeline": lambda text: extract_timeline(
            Article(id="bench", text=text, published=PUBLISHED)
        ),
        "dateparser.search_dates": lambda text: search_dates(text, languages=["ar"]),
    }
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "source": "corpus (read at run time)" if corpus else "project example sentences",
        "sizes": {},
    }
    rows = []
    for label, size in SIZES.items():
        articles = build_articles(size, args.articles, corpus, seed=1)
        per_engine: dict[str, Any] = {}
        for name, run in engines.items():
            budget = args.budget * (2 if name.startswith("dateparser") else 1)
            times = time_runs(run, articles, budget)
            mean = statistics.fmean(times)
            per_engine[name] = {
                "runs": len(times),
                "articles_per_second_per_core": round(1 / mean, 1),
                "mean_ms": round(mean * 1000, 3),
                "min_ms": round(min(times) * 1000, 3),
                "p50_ms": round(percentile(times, 0.5) * 1000, 3),
                "p99_ms": round(percentile(times, 0.99) * 1000, 3),
                "max_ms": round(max(times) * 1000, 3),
                "peak_memory_kib": round(peak_memory(run, articles[:2]) / 1024, 1),
            }
        # the ratio of medians: robust to other work on a shared machine, which slows
        # both engines of one run alike; the ratio of means is kept beside it
        base = per_engine["dateparser.search_dates"]
        for name in ("tagger", "extract_timeline"):
            per_engine[name]["times_faster_than_dateparser"] = round(
                base["p50_ms"] / per_engine[name]["p50_ms"], 1
            )
            per_engine[name]["times_faster_than_dateparser_by_mean"] = round(
                base["mean_ms"] / per_engine[name]["mean_ms"], 1
            )
        results["sizes"][label] = {
            "chars": round(statistics.fmean(map(len, articles))),
            "engines": per_engine,
        }
        for name, figures in per_engine.items():
            rows.append((label, name, figures))

    header = (
        f"{'size':>5} {'engine':<24} {'art/s/core':>11} {'min ms':>8} {'p50 ms':>9} "
        f"{'p99 ms':>9} {'peak KiB':>9} {'× dateparser (p50)':>19}"
    )
    print(header)
    print("-" * len(header))
    for label, name, f in rows:
        ratio = f.get("times_faster_than_dateparser")
        print(
            f"{label:>5} {name:<24} {f['articles_per_second_per_core']:>11} {f['min_ms']:>8} "
            f"{f['p50_ms']:>9} {f['p99_ms']:>9} {f['peak_memory_kib']:>9} "
            f"{(str(ratio) + '×') if ratio else '':>19}"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
