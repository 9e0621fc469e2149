"""Reliability runs against real processes: what survives faults and hostile input.

    python -m bench.reliability                      # every scenario, default sizes
    python -m bench.reliability --scenarios kill,duplicates --markdown docs/reliability.md

Each scenario starts its own redis-server on a free port and real ``timeline worker``
processes, does something unpleasant, and counts: articles in, timelines out, index
entries doubled, articles lost, time to recover. The slow tests in
``tests/test_faults.py`` run the same scenarios and assert on the figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import signal
import string
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.articles import make_article
from config.celeryconf import PROCESS_ARTICLE, make_app
from config.settings import Settings
from producer import InvalidArticle, Producer
from service.testing import RedisServer, WorkerProcess, redis_server_binary
from store import TimelineStore
from timeline.contract import Article, ArticleState
from timeline.stories import Query, article_reports

FINAL = (ArticleState.DONE, ArticleState.FAILED)


@dataclass
class Figures:
    scenario: str
    articles_in: int = 0
    timelines_out: int = 0
    done: int = 0
    failed: int = 0
    lost: int = 0
    duplicate_index_entries: int = 0
    index_entries_missing: int = 0
    redelivered: int = 0
    seconds_to_recover: float | None = None
    seconds_total: float = 0.0
    notes: dict[str, Any] = field(default_factory=dict)


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()


def count_states(store: TimelineStore, ids: list[str]) -> Counter[ArticleState | None]:
    return Counter(store.states(ids).values())


def audit(store: TimelineStore, ids: list[str], figures: Figures) -> None:
    """Timelines out, final states, and whether the index holds each dated event once."""
    ids = list(dict.fromkeys(ids))
    states = count_states(store, ids)
    figures.done = states[ArticleState.DONE]
    figures.failed = states[ArticleState.FAILED]
    figures.lost = len(ids) - figures.done - figures.failed
    expected: set[tuple[str, str]] = set()
    for article_id in ids:
        timeline = store.timeline(article_id)
        if timeline is None:
            continue
        figures.timelines_out += 1
        expected |= {(article_id, r.event_id) for r in article_reports(timeline)}
    pairs: Counter[tuple[str, str]] = Counter()
    for report in store.reports(Query()):
        pairs[(report.article_id, report.event_id)] += 1
    wanted = set(ids)
    figures.duplicate_index_entries = sum(
        n - 1 for (aid, _), n in pairs.items() if aid in wanted and n > 1
    )
    figures.index_entries_missing = len(expected - set(pairs))
    figures.redelivered = sum(
        1 for i in ids if (s := store.status(i)) is not None and s.attempts > 1
    )


class Stage:
    """A redis-server and settings of one scenario, in a scratch folder."""

    def __init__(self, root: Path, name: str, persistent: bool = False, **settings: Any) -> None:
        self.folder = root / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.redis = RedisServer(self.folder / "redis", persistent=persistent).start()
        self.settings = Settings(
            redis_url=self.redis.url, key_prefix=name, max_text_chars=100_000, **settings
        )
        self.store = self.settings.open_store()
        self.workers: list[WorkerProcess] = []

    def worker(self, label: str, concurrency: int = 2) -> WorkerProcess:
        log = self.folder / f"{label}.log"
        started = WorkerProcess(self.settings, log, concurrency=concurrency).start()
        self.workers.append(started)
        return started

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.store.redis.close()
        self.redis.stop()


def kill_worker(root: Path, n: int = 500, size: int = 6000) -> Figures:
    """SIGKILL a worker (with its pool) in the middle of a batch; a new worker finishes."""
    figures = Figures("worker killed with SIGKILL mid-batch", articles_in=n)
    stage = Stage(root, "kill", visibility_timeout_seconds=5, sweep_interval_seconds=5)
    began = time.monotonic()
    try:
        first = stage.worker("worker-1")
        producer = Producer(stage.settings)
        ids = producer.enqueue_many(make_article(i, size, seed=1) for i in range(n)).accepted
        assert len(ids) == n
        wait_until(lambda: count_states(stage.store, ids)[ArticleState.DONE] >= n // 10, 120, 0.02)
        done_before = count_states(stage.store, ids)[ArticleState.DONE]
        first.kill()
        killed = time.monotonic()
        stage.worker("worker-2")
        wait_until(lambda: sum(count_states(stage.store, ids)[s] for s in FINAL) == n, 300, 0.2)
        figures.seconds_to_recover = round(time.monotonic() - killed, 2)
        figures.notes = {"done when killed": done_before, "visibility timeout (s)": 5}
        audit(stage.store, ids, figures)
    finally:
        stage.close()
    figures.seconds_total = round(time.monotonic() - began, 2)
    return figures


def restart_redis(root: Path, n: int = 300, size: int = 3000, down: float = 3.0) -> Figures:
    """Stop Redis (persistent, append-only) during a run and start it again."""
    figures = Figures("Redis stopped and restarted during a run", articles_in=n)
    stage = Stage(
        root,
        "restart",
        persistent=True,
        visibility_timeout_seconds=10,
        redis_retry_seconds=60,
        sweep_interval_seconds=5,
    )
    began = time.monotonic()
    accepted: list[str] = []
    refused: list[str] = []
    try:
        stage.worker("worker")
        producer = Producer(stage.settings)

        def produce() -> None:
            for i in range(n):
                try:
                    accepted.append(producer.enqueue(make_article(i, size, seed=2)))
                except Exception as err:  # counted: an article the producer could not accept
                    refused.append(f"{type(err).__name__}: {err}")
                time.sleep(0.01)

        thread = threading.Thread(target=produce)
        thread.start()
        wait_until(lambda: len(accepted) >= n // 3, 60, 0.01)
        stage.redis.stop(signal.SIGTERM)
        time.sleep(down)
        stage.redis.start()
        restarted = time.monotonic()
        thread.join(timeout=300)
        wait_until(
            lambda: (
                sum(count_states(stage.store, accepted)[s] for s in FINAL) == len(set(accepted))
            ),
            300,
            0.2,
        )
        figures.seconds_to_recover = round(time.monotonic() - restarted, 2)
        figures.articles_in = len(set(accepted))
        figures.notes = {
            "offered": n,
            "refused by the producer": len(refused),
            "Redis down for (s)": down,
            "persistence": "appendonly yes, appendfsync always",
        }
        audit(stage.store, accepted, figures)
    finally:
        stage.close()
    figures.seconds_total = round(time.monotonic() - began, 2)
    return figures


def hostile_inputs(count: int, seed: int = 7) -> Iterator[tuple[str, Any]]:
    """``(kind, raw)`` pairs: malformed, mistyped, oversized, nested, bidi-laden, random."""
    rng = random.Random(seed)
    base = make_article(0, 800, seed=seed)
    arabic = "".join(chr(c) for c in range(0x0621, 0x064B))
    marks = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
    wrong_values: list[Any] = [None, 0, -1, 1.5, True, [], {}, "", "x" * 300, [1, 2], {"a": 1}]
    fifty_mb = "ا" * (50 * 1024 * 1024)
    makers: list[Callable[[int], tuple[str, Any]]] = [
        lambda i: ("random bytes", rng.randbytes(rng.randint(1, 3000))),
        lambda i: (
            "truncated JSON",
            json.dumps(make_article(i, 500, seed=seed), ensure_ascii=False)[: rng.randint(1, 400)],
        ),
        lambda i: (
            "wrong type",
            {
                **base,
                rng.choice(["text", "published", "id", "url", "outlet"]): rng.choice(wrong_values),
            },
        ),
        lambda i: (
            "bad date",
            {
                **base,
                "published": rng.choice(
                    [
                        "2017-13-45T00:00:00+03:00",
                        "yesterday",
                        "0000-00-00",
                        "2017-05-04T25:00:00Z",
                        "2017-05-04",
                        "99999-01-01T00:00:00+00:00",
                        "0001-01-01T00:00:00+14:00",
                    ]
                ),
            },
        ),
        lambda i: ("50 MB text", {**base, "id": f"huge-{i}", "text": fifty_mb}),
        lambda i: ("deep nesting", '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}"),
        lambda i: (
            "control characters",
            {
                **make_article(i, 600, seed=seed),
                "text": "".join(
                    rng.choice([*arabic, " ", "\x00", "\x07", "\x1b", "\r", "\t"])
                    for _ in range(600)
                ),
            },
        ),
        lambda i: (
            "bidi marks",
            {
                **make_article(i, 900, seed=seed),
                "text": "".join(
                    ch + (rng.choice(marks) if rng.random() < 0.3 else "")
                    for ch in make_article(i, 600, seed=seed + 1)["text"]
                ),
            },
        ),
        lambda i: (
            "random unicode",
            {
                **make_article(i, 500, seed=seed),
                "text": "ق"
                + "".join(
                    chr(rng.choice([rng.randint(0x20, 0x2FFF), rng.randint(0x0600, 0x06FF)]))
                    for _ in range(rng.randint(1, 3000))
                ),
            },
        ),
        lambda i: (
            "not Arabic",
            {**base, "text": "".join(rng.choices(string.ascii_letters, k=400))},
        ),
        lambda i: ("JSON not an object", rng.choice(["[]", "null", "42", '"text"', "[{}]"])),
        lambda i: (
            "hostile strings",
            {
                **base,
                "id": rng.choice(["../../etc/passwd", "a b", "x;rm -rf /", "\u202etxt"]),
                "url": rng.choice(
                    ["javascript:alert(1)", "file:///etc/passwd", "http://ok.example/"]
                ),
            },
        ),
    ]
    for i in range(count):
        yield makers[i % len(makers)](i)


def hostile_input(root: Path, n: int = 1000, garbage_tasks: int = 100) -> Figures:
    """Malformed and hostile input at every door while valid articles keep flowing."""
    figures = Figures("malformed and hostile input")
    stage = Stage(root, "hostile")
    began = time.monotonic()
    try:
        worker = stage.worker("worker")
        producer = Producer(stage.settings)
        kinds: Counter[str] = Counter()
        rejected: Counter[str] = Counter()
        unclear: list[str] = []
        accepted: list[str] = []
        valid: list[str] = []
        for number, (kind, raw) in enumerate(hostile_inputs(n)):
            kinds[kind] += 1
            try:
                accepted.append(producer.enqueue(raw))
            except InvalidArticle as err:
                rejected[kind] += 1
                message = str(err)
                if ":" not in message.split(" ", maxsplit=1)[0]:
                    unclear.append(message[:120])
            if number % 10 == 0:
                valid.append(producer.enqueue(make_article(number, 1500, seed=3)))
        # straight to the task, bypassing the producer
        sender = make_app(stage.settings, "hostile-sender")
        rng = random.Random(11)
        junk: list[Any] = [None, 1, "", "x" * 500, {"a": 1}, [1], "../../x", "\u202e", 1e308]
        for _ in range(garbage_tasks):
            args = [rng.choice(junk) for _ in range(rng.randint(0, 4))]
            sender.send_task(PROCESS_ARTICLE, args=args, queue=stage.settings.queue)
        # an oversized article stored directly: the worker's own limit must catch it
        oversized = Article.model_construct(
            id="oversized-direct",
            text="ا" * 200_001,
            published=Article.model_validate(make_article(0, 100)).published,
            language="ar",
            published_fallback=False,
        )
        stage.store.accept(oversized)
        sender.send_task(PROCESS_ARTICLE, args=[oversized.id, None], queue=stage.settings.queue)
        everyone = [*accepted, *valid, oversized.id]
        wait_until(
            lambda: (
                sum(count_states(stage.store, everyone)[s] for s in FINAL) == len(set(everyone))
            ),
            300,
            0.2,
        )
        wait_until(lambda: stage.store.failed_count() >= 2, 30)
        audit(stage.store, [*accepted, *valid], figures)
        valid_states = count_states(stage.store, valid)
        oversized_status = stage.store.status(oversized.id)
        figures.articles_in = len(set(accepted) | set(valid))
        figures.notes = {
            "hostile inputs": n,
            "rejected at the door with a message naming the field": sum(rejected.values())
            - len(unclear),
            "rejected without a field name": len(unclear),
            "hostile inputs accepted (valid after all)": len(accepted),
            "valid articles interleaved": len(valid),
            "valid articles done": valid_states[ArticleState.DONE],
            "garbage task messages sent straight to the queue": garbage_tasks,
            "failed set size": stage.store.failed_count(),
            "oversized article stored directly": oversized_status.error
            if oversized_status
            else None,
            "worker still running": worker.process is not None and worker.process.poll() is None,
            "worker pool processes lost": worker.log().count("WorkerLostError"),
            "kinds": dict(kinds),
            "rejected by kind": dict(rejected),
        }
    finally:
        stage.close()
    figures.seconds_total = round(time.monotonic() - began, 2)
    return figures


def concurrent_duplicates(root: Path, copies: int = 10) -> Figures:
    """The same article sent by ``copies`` producers at once."""
    figures = Figures("one article sent 10 times concurrently", articles_in=copies)
    stage = Stage(root, "dupes")
    began = time.monotonic()
    try:
        worker = stage.worker("worker")
        barrier = threading.Barrier(copies)
        ids: list[str] = []
        source = make_article(1, 3000, seed=4)

        def send() -> None:
            producer = Producer(stage.settings)
            barrier.wait()
            ids.append(producer.enqueue(source))

        threads = [threading.Thread(target=send) for _ in range(copies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        distinct = sorted(set(ids))
        wait_until(lambda: count_states(stage.store, distinct)[ArticleState.DONE] == 1, 60)
        time.sleep(1.0)  # let any second task show itself
        audit(stage.store, distinct, figures)
        processed = sum(
            1
            for line in worker.log().splitlines()
            if '"article.processed"' in line and distinct[0] in line
        )
        figures.notes = {"distinct ids returned": len(distinct), "times processed": processed}
    finally:
        stage.close()
    figures.seconds_total = round(time.monotonic() - began, 2)
    return figures


SCENARIOS: dict[str, Callable[[Path], Figures]] = {
    "kill": kill_worker,
    "restart": restart_redis,
    "hostile": hostile_input,
    "duplicates": concurrent_duplicates,
}


def machine() -> dict[str, str]:
    version = subprocess.run(
        [redis_server_binary(), "--version"], capture_output=True, text=True
    ).stdout.split()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(len(__import__("os").sched_getaffinity(0))),
        "redis-server": next((v.split("=")[1] for v in version if v.startswith("v=")), "?"),
    }


BEGIN, END = "<!-- figures: begin -->", "<!-- figures: end -->"


def figures_block(results: list[Figures], info: dict[str, str], command: str) -> str:
    """The generated part of docs/reliability.md: command, machine, table, notes."""
    rows = [
        "| scenario | articles in | timelines out | done | failed | lost | doubled index "
        "entries | missing index entries | redelivered | recovery (s) | total (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in results:
        recovery = "—" if f.seconds_to_recover is None else f.seconds_to_recover
        rows.append(
            f"| {f.scenario} | {f.articles_in} | {f.timelines_out} | {f.done} | {f.failed} | "
            f"{f.lost} | {f.duplicate_index_entries} | {f.index_entries_missing} | "
            f"{f.redelivered} | {recovery} | {f.seconds_total} |"
        )
    notes = []
    for f in results:
        notes += ["", f"### {f.scenario}", ""]
        notes += [f"- {key}: {value}" for key, value in f.notes.items()]
    machine_line = ", ".join(f"{k} {v}" for k, v in info.items())
    return "\n".join(
        [BEGIN, "", f"```sh\n{command}\n```", "", f"Machine: {machine_line}", "", *rows,
         *notes, "", END]
    )  # fmt: skip


def write_report(path: Path, block: str) -> None:
    """Replace the figures block of the report (the prose around it stays)."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Reliability\n\n{BEGIN}{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(head + block + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--markdown", type=Path, help="write the report here")
    parser.add_argument("--json", type=Path, default=Path("bench/results/reliability.json"))
    args = parser.parse_args()
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="timeline-reliability-") as scratch:
        for name in names:
            figures = SCENARIOS[name](Path(scratch))
            results.append(figures)
            print(json.dumps(asdict(figures), ensure_ascii=False))
    info = machine()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=2)
    )
    if args.markdown:
        command = "python -m bench.reliability --markdown " + str(args.markdown)
        write_report(args.markdown, figures_block(results, info, command))


if __name__ == "__main__":
    main()
