"""The pipeline under faults and hostile input, on real processes (slow: `make slow`).

Each test runs one scenario of ``bench/reliability.py`` (the script that writes
``docs/reliability.md``) and asserts on what it counted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.reliability import concurrent_duplicates, hostile_input, kill_worker, restart_redis

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.mark.timeout(600)
def test_sigkill_mid_batch_loses_and_doubles_nothing(tmp_path: Path) -> None:
    """500 articles; the worker and its pool get SIGKILL mid-batch; a new worker finishes."""
    figures = kill_worker(tmp_path, n=500)
    assert 0 < figures.notes["done when killed"] < 500, "the kill must land mid-batch"
    assert figures.timelines_out == figures.done == 500
    assert figures.failed == figures.lost == 0
    assert figures.duplicate_index_entries == figures.index_entries_missing == 0


@pytest.mark.timeout(600)
def test_redis_restart_loses_nothing(tmp_path: Path) -> None:
    """Redis stops and starts again mid-run; producer and worker recover by themselves."""
    figures = restart_redis(tmp_path, n=300)
    assert figures.notes["refused by the producer"] == 0
    assert figures.articles_in == 300
    assert figures.lost == 0 and figures.failed == 0
    assert figures.timelines_out == 300
    assert figures.duplicate_index_entries == figures.index_entries_missing == 0


@pytest.mark.timeout(600)
def test_hostile_input_is_refused_or_processed_and_work_goes_on(tmp_path: Path) -> None:
    """1,000 hostile inputs at every door: each refused clearly or processed; the worker lives."""
    figures = hostile_input(tmp_path, n=1000)
    notes = figures.notes
    assert notes["rejected without a field name"] == 0
    refused = notes["rejected at the door with a message naming the field"]
    assert refused + notes["hostile inputs accepted (valid after all)"] == 1000
    assert notes["rejected by kind"]["50 MB text"] == notes["kinds"]["50 MB text"]
    assert notes["valid articles done"] == notes["valid articles interleaved"] == 100
    assert figures.lost == 0, "every accepted input ends done or failed"
    assert notes["worker still running"] and notes["worker pool processes lost"] == 0
    assert "over the limit" in notes["oversized article stored directly"]
    assert (
        notes["failed set size"] >= notes["garbage task messages sent straight to the queue"] // 2
    )


@pytest.mark.timeout(300)
def test_same_article_ten_times_concurrently_is_one_timeline(tmp_path: Path) -> None:
    figures = concurrent_duplicates(tmp_path, copies=10)
    assert figures.notes["distinct ids returned"] == 1
    assert figures.timelines_out == 1 and figures.notes["times processed"] == 1
    assert figures.duplicate_index_entries == 0
