"""Batched enqueueing and bulk import: one round trip per batch, streaming, resumable."""

from __future__ import annotations

import base64
import gc
import json
import os
import subprocess
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import redis

from config.celeryconf import PROCESS_ARTICLE, make_app
from config.settings import Settings
from producer import InvalidArticle, Producer
from producer.importer import Importer, Source, file_source
from service.testing import run_cli
from store import Outcome, TimelineStore
from tests.articles import article
from timeline.contract import Article


def roomy(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update={"max_queue_length": 10_000_000, **changes})


def queued(settings: Settings) -> list[dict[str, Any]]:
    client = redis.Redis.from_url(settings.redis_url)
    key = TimelineStore.from_url(settings.redis_url, settings.key_prefix).keys.queue(settings.queue)
    return [json.loads(raw) for raw in client.lrange(key, 0, -1)]


def task_args(message: dict[str, Any]) -> list[str]:
    args, _, _ = json.loads(base64.b64decode(message["body"]))
    return list(args)


def write_jsonl(
    path: Path, count: int, *, bad_every: int = 0, tag: str = "imp", start: int = 1
) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            if bad_every and n % bad_every == 0:
                out.write(json.dumps({"id": f"{tag}-{n}", "text": 5}) + "\n")
            else:
                out.write(json.dumps(article(n, id=f"{tag}-{n}"), ensure_ascii=False) + "\n")
    return path


# -- the batch path --


def shape(value: Any) -> Any:
    """The keys of nested dicts (the message layout without its values)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


def test_batch_messages_are_the_messages_send_task_sends(settings: Settings) -> None:
    """A batch-queued message has the layout, headers and body of a send_task message."""
    app = make_app(settings, "reference")
    app.send_task(PROCESS_ARTICLE, args=["ref-1", "d" * 32], queue=settings.queue)
    [reference] = queued(settings)
    producer = Producer(settings)
    [acceptance] = producer.submit_batch([article(1)])
    assert acceptance.outcome is Outcome.NEW  # type: ignore[union-attr]
    ours = queued(settings)[0]
    ignore = {"id", "root_id", "argsrepr", "origin", "ignore_result"}
    assert shape(ours) == {**shape(reference), "headers": shape(ours["headers"])}
    assert set(ours["headers"]) == set(reference["headers"])
    for name, value in reference["headers"].items():
        if name not in ignore:
            assert ours["headers"][name] == value, name
    for name in ("content-type", "content-encoding"):
        assert ours[name] == reference[name]
    props, ref_props = ours["properties"], reference["properties"]
    assert props["delivery_info"] == ref_props["delivery_info"]
    for name in ("delivery_mode", "priority", "body_encoding"):
        assert props[name] == ref_props[name]
    args, kwargs, embed = json.loads(base64.b64decode(ours["body"]))
    _, ref_kwargs, ref_embed = json.loads(base64.b64decode(reference["body"]))
    assert args == ["art-1", Article.model_validate(article(1)).digest]
    assert (kwargs, embed) == (ref_kwargs, ref_embed)
    assert ours["headers"]["id"] == ours["headers"]["root_id"] == props["correlation_id"]
    assert ours["headers"]["argsrepr"] == repr(args)


def test_batch_stores_every_article_with_its_task(settings: Settings) -> None:
    """Each queued task's article is stored and marked sent with that task's id."""
    producer = Producer(settings)
    results = producer.submit_batch([article(n) for n in range(1, 51)])
    assert all(r.outcome is Outcome.NEW for r in results)  # type: ignore[union-attr]
    messages = queued(settings)
    assert len(messages) == 50
    for message in messages:
        article_id, digest = task_args(message)
        assert producer.store.load_article(article_id) is not None
        status = producer.store.status(article_id)
        assert status is not None and status.digest == digest
        assert status.task_id == message["headers"]["id"]
    assert producer.store.stranded(settings.queue, older_than=0) == []


def test_batch_reports_invalid_items_in_place(settings: Settings) -> None:
    producer = Producer(settings)
    results = producer.submit_batch([article(1), {"text": 5}, "{broken", article(2)])
    assert [type(r).__name__ for r in results] == [
        "Acceptance",
        "InvalidArticle",
        "InvalidArticle",
        "Acceptance",
    ]
    assert str(results[1]).startswith("text:") and isinstance(results[2], InvalidArticle)
    assert len(queued(settings)) == 2


def test_batch_dedupes_within_and_across_batches(settings: Settings) -> None:
    producer = Producer(settings)
    first = producer.submit_batch([article(1), article(1), article(2)])
    outcomes = [r.outcome for r in first]  # type: ignore[union-attr]
    assert outcomes == [Outcome.NEW, Outcome.DUPLICATE, Outcome.NEW]
    again = producer.submit_batch([article(1), article(2, id="other-id")])
    assert [(r.outcome, r.article_id) for r in again] == [  # type: ignore[union-attr]
        (Outcome.DUPLICATE, "art-1"),
        (Outcome.DUPLICATE, "art-2"),
    ]
    assert len(queued(settings)) == 2
    changed = producer.submit_batch([article(1, text=article(3)["text"] + " تعديل")])
    assert changed[0].outcome is Outcome.CHANGED  # type: ignore[union-attr]
    forced = producer.submit_batch([article(2)], force=True)
    assert forced[0].outcome is Outcome.AGAIN  # type: ignore[union-attr]
    assert len(queued(settings)) == 4


def test_sending_a_batch_again_queues_nothing_more(settings: Settings) -> None:
    """What the store's retry after a lost reply relies on: a resent batch is harmless."""
    producer = Producer(settings)
    articles = [Article.model_validate(article(n)) for n in range(1, 6)]
    entries = [(a, producer.messages.build(a.id, a.digest)) for a in articles]
    producer.store.accept_and_enqueue(entries, settings.queue)
    resent = producer.store.accept_and_enqueue(entries, settings.queue)
    assert {r.outcome for r in resent} == {Outcome.DUPLICATE}
    assert len(queued(settings)) == 5


def test_enqueue_many_respects_the_queue_bound_per_batch(settings: Settings) -> None:
    producer = Producer(settings.model_copy(update={"max_queue_length": 7}))
    from producer import QueueFull

    with pytest.raises(QueueFull) as caught:
        producer.enqueue_many([article(n) for n in range(20)])
    assert caught.value.report is not None and len(caught.value.report.accepted) == 7
    assert len(queued(settings)) == 7


# -- bulk import --


def test_import_reports_bad_lines_and_queues_good_ones(settings: Settings, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", 25, bad_every=10)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n\n{broken\n")
    rejected: list[tuple[int, str]] = []
    importer = Importer(
        Producer(roomy(settings)),
        batch_size=4,
        on_reject=lambda _, number, message: rejected.append((number, message)),
    )
    stats = importer.run([file_source(path)])
    assert (stats.accepted, stats.duplicates, stats.rejected) == (23, 0, 3)
    assert [n for n, _ in rejected] == [10, 20, 28]
    assert rejected[0][1].startswith("text: Input should be a valid string")
    assert rejected[2][1].startswith("article: not valid JSON")
    assert len(queued(settings)) == 23
    # done: no checkpoint is left behind
    assert importer.store.import_checkpoint(file_source(path).key or "") is None


class Interrupt(Exception):
    pass


def test_interrupted_import_resumes_without_resending(settings: Settings, tmp_path: Path) -> None:
    """After an interrupt, the same file resumes at its checkpoint: nothing twice."""
    path = write_jsonl(tmp_path / "big.jsonl", 100, bad_every=25)
    batches = 0

    def stop_after_three(_: object) -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            raise Interrupt

    first = Importer(Producer(roomy(settings)), batch_size=10, on_progress=stop_after_three)
    with pytest.raises(Interrupt):
        first.run([file_source(path)])
    assert first.stats.lines == 30 and len(queued(settings)) == 29
    checkpoint = first.store.import_checkpoint(file_source(path).key or "")
    assert checkpoint is not None and checkpoint["line"] == "30"
    assert int(checkpoint["offset"]) == len(b"".join(path.read_bytes().splitlines(True)[:30]))

    second = Importer(Producer(roomy(settings)), batch_size=10)
    stats = second.run([file_source(path)])
    assert stats.resumed_lines == 30 and stats.lines == 70  # the first 30 not read again
    assert (stats.accepted, stats.duplicates, stats.rejected) == (96, 0, 4)
    messages = queued(settings)
    ids = [task_args(m)[0] for m in messages]
    assert len(ids) == len(set(ids)) == 96


def test_a_changed_file_is_imported_from_the_start(settings: Settings, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", 30)

    def interrupt(_: object) -> None:
        raise Interrupt

    with pytest.raises(Interrupt):
        Importer(Producer(roomy(settings)), batch_size=10, on_progress=interrupt).run(
            [file_source(path)]
        )
    write_jsonl(path, 40, tag="changed", start=1000)
    os.utime(path, ns=(1, 1))
    stats = Importer(Producer(roomy(settings)), batch_size=10).run([file_source(path)])
    assert stats.resumed_lines == 0 and stats.lines == 40 and stats.accepted == 40


def test_overlong_line_is_rejected_without_reading_it_whole(
    settings: Settings, tmp_path: Path
) -> None:
    small = roomy(settings, max_text_chars=1_000)
    path = tmp_path / "long.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(article(1), ensure_ascii=False) + "\n")
        out.write('{"text": "' + "خ" * 200_000 + '"}\n')
        out.write(json.dumps(article(2), ensure_ascii=False) + "\n")
    rejected: list[tuple[int, str]] = []
    importer = Importer(
        Producer(small), on_reject=lambda _, number, message: rejected.append((number, message))
    )
    stats = importer.run([file_source(path)])
    assert stats.accepted == 2 and [n for n, _ in rejected] == [2]
    assert "over the limit" in rejected[0][1]


def _import_peak(settings: Settings, path: Path) -> int:
    importer = Importer(Producer(roomy(settings)), batch_size=500)
    gc.collect()
    tracemalloc.start()
    try:
        importer.run([file_source(path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert importer.stats.accepted == sum(1 for _ in path.open("rb"))
    return peak


def test_import_memory_does_not_grow_with_the_file(settings: Settings, tmp_path: Path) -> None:
    """Peak memory importing 20k lines is that of 2k lines: the file is streamed."""
    small = write_jsonl(tmp_path / "small.jsonl", 2_000, tag="small")
    large = write_jsonl(tmp_path / "large.jsonl", 20_000, tag="large", start=10_000)
    small_peak = _import_peak(settings, small)
    large_peak = _import_peak(settings, large)
    assert large.stat().st_size > 9 * small.stat().st_size
    assert large_peak < small_peak * 1.5 + 512 * 1024, (small_peak, large_peak)


# -- the command --


def cli(
    settings: Settings, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(settings, *args, stdin=stdin, **{"TIMELINE_LOG_LEVEL": "ERROR", **env})


def test_cli_imports_a_folder_with_a_json_summary(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "one.jsonl", 12, bad_every=5, tag="one")
    write_jsonl(folder / "two.ndjson", 8, tag="two", start=100)
    (folder / "notes.txt").write_text("not an import file")
    run = cli(settings, "enqueue", str(folder))
    assert run.returncode == 1, run.stderr
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["files"] == 2 and summary["accepted"] == 18 and summary["rejected"] == 2
    assert summary["per_second"] > 0
    assert f"{folder / 'one.jsonl'}: line 5: text:" in run.stderr
    assert len(queued(settings)) == 18


def test_cli_resumes_an_interrupted_import(settings: Settings, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", 50)

    def interrupt(_: object) -> None:
        raise Interrupt

    with pytest.raises(Interrupt):
        Importer(Producer(roomy(settings)), batch_size=20, on_progress=interrupt).run(
            [file_source(path)]
        )
    run = cli(settings, "enqueue", str(path))
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["resumed_lines"] == 20 and summary["lines"] == 30
    assert summary["accepted"] == 50 and len(queued(settings)) == 50
    again = cli(settings, "enqueue", str(path), "--restart")
    assert json.loads(again.stdout.strip().splitlines()[-1])["duplicates"] == 50


def test_cli_progress_bar_on_a_terminal(settings: Settings, tmp_path: Path) -> None:
    """On a terminal the bar shows count, rate, rejected so far and the ETA."""
    path = write_jsonl(tmp_path / "p.jsonl", 30, bad_every=10)
    run = cli(settings, "enqueue", str(path), "--progress", COLUMNS="200")
    assert run.returncode == 1
    assert "30 articles" in run.stderr and "3 rejected" in run.stderr
    assert "/s" in run.stderr and "ETA" in run.stderr and "100%" in run.stderr


def test_stdin_is_imported_without_a_checkpoint(settings: Settings) -> None:
    lines = "".join(json.dumps(article(n), ensure_ascii=False) + "\n" for n in range(5))
    run = cli(settings, "enqueue", "-", stdin=lines)
    assert run.returncode == 0 and json.loads(run.stdout)["accepted"] == 5
    assert Source("-").key is None
