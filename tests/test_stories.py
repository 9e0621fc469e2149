"""Stories end to end: three outlets' articles through a real worker into one merged
timeline; the events index on a store of 10,000 events."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from bench.stories import OUTLETS, VOCABULARY, fill
from client import TimelineClient
from config.settings import Settings
from producer import Producer
from service.testing import run_cli
from store import TimelineStore
from tests.articles import story_articles
from tests.conftest import WorkerProcess
from timeline.contract import IndexedEvent
from timeline.stories import Query, article_reports, matches, sort_key


def tagged(tag: str) -> list[dict[str, Any]]:
    """The sample story's articles under ids and a story key of this run's own."""
    return [{**a, "id": f"{a['id']}-{tag}", "story": tag} for a in story_articles()]


@pytest.fixture
def story(
    shared_worker: WorkerProcess, shared_settings: Settings
) -> Iterator[tuple[str, TimelineClient]]:
    tag = f"story-{time.monotonic_ns()}"
    producer = Producer(shared_settings)
    # forced: the same texts under other ids would otherwise be duplicates of the first run's
    ids = [producer.enqueue(a, force=True) for a in tagged(tag)]
    producer.close()
    with TimelineClient(shared_settings.redis_url, prefix=shared_settings.key_prefix) as client:
        for article_id in ids:
            client.wait(article_id, timeout=60)
        yield tag, client


@pytest.mark.integration
def test_three_outlets_make_one_timeline(story: tuple[str, TimelineClient]) -> None:
    """Through the queue and a real worker: the signing reported twice is one entry with
    two sources, the exchange's two dates are flagged, and the order is right."""
    tag, client = story
    entries = list(client.story(key=tag, page_size=2))
    assert [(e.trigger, e.outlets) for e in entries] == [
        ("انطلقت", ["Wadi Post"]),
        ("وقعت", ["Nahr Agency", "Wadi Post"]),
        ("سيبدأ", ["Wadi Post", "Jabal Times"]),
        ("يجتمع", ["Nahr Agency"]),
    ]
    signing = entries[1]
    assert {s.article_id for s in signing.sources} == {
        f"nahr-truce-2019-03-13-{tag}",
        f"wadi-truce-2019-03-12-{tag}",
    }
    assert signing.disagreement is None and signing.value == "2019-03-12"
    exchange = entries[2]
    assert exchange.disagreement is not None
    assert exchange.disagreement.dates == {
        "2019-03-13": ["Wadi Post"],
        "2019-03-14": ["Jabal Times"],
    }
    assert [sort_key(e) for e in entries] == sorted(sort_key(e) for e in entries)
    # the same story for a query: words and a range, as `timeline story` asks
    by_words = list(client.story("الصخر", start=signing.earliest, end=exchange.latest))
    assert [e.key for e in by_words] == [e.key for e in entries[1:3]]


@pytest.mark.integration
def test_processing_an_article_again_leaves_one_set_of_entries(
    story: tuple[str, TimelineClient], shared_settings: Settings
) -> None:
    """A re-processed article replaces its index entries: no report is doubled."""
    tag, client = story
    before = client.store.reports(Query.build(story=tag))
    producer = Producer(shared_settings)
    again = tagged(tag)[0]
    assert producer.enqueue(again, force=True) == again["id"]
    producer.close()
    client.wait(again["id"], timeout=60)
    after = client.store.reports(Query.build(story=tag))
    assert [r.ref for r in after] == [r.ref for r in before]
    assert len({r.ref for r in after}) == len(after)


@pytest.mark.integration
def test_timeline_story_prints_the_merged_timeline(
    story: tuple[str, TimelineClient], shared_settings: Settings
) -> None:
    tag, _ = story
    run = run_cli(shared_settings, "story", "تبادل", "--key", tag, "--json")
    assert run.returncode == 0, run.stderr
    entries = [json.loads(line) for line in run.stdout.splitlines()]
    assert [e["trigger"] for e in entries] == ["سيبدأ"]
    assert entries[0]["outlets"] == ["Wadi Post", "Jabal Times"]
    table = run_cli(
        shared_settings,
        "story",
        "الصخر",
        "--key",
        tag,
        "--from",
        "2019-03-12",
        "--to",
        "2019-03-14",
    )
    assert table.returncode == 0, table.stderr
    assert "2: Nahr Agency, Wadi Post" in table.stdout
    assert "⚠ 2019-03-13 / 2019-03-14" in table.stdout
    bad = run_cli(shared_settings, "story", "الصخر", "--from", "soon")
    assert bad.returncode == 2 and "--from: not an ISO 8601 date" in bad.stderr
    nothing = run_cli(shared_settings, "story")
    assert nothing.returncode == 2 and "QUERY: give words to look for, or --key" in nothing.stderr


# -- 10,000 events --


@pytest.fixture(scope="module")
def big_store(redis_server: Any) -> tuple[TimelineStore, list[IndexedEvent]]:
    store = TimelineStore.from_url(redis_server.url, f"big-{time.monotonic_ns()}")
    timelines = fill(store, 10_000)
    reports = [r for t in timelines for r in article_reports(t)]
    assert len(reports) == store.event_count() == 10_000
    return store, reports


def read_all(store: TimelineStore, query: Query, page: int) -> list[list[str]]:
    """Every page of the query's merged timeline, as the refs of each entry's sources."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        found = store.entries(query, cursor=cursor, limit=page)
        pages.append([s.ref for e in found.entries for s in e.sources])
        assert all(len(e.sources) == 1 for e in found.entries)
        if found.next is None:
            return pages
        cursor = found.next


QUERIES = [
    {"start": "2017-03-01", "end": "2017-03-31"},
    {"start": "2017-06-10T12:00:00+03:00", "end": "2017-07-02T00:00:00+00:00"},
    {"q": VOCABULARY[3]},
    {"q": f"و{VOCABULARY[5]} {VOCABULARY[0]}"},
    {"q": VOCABULARY[7], "start": "2017-02-01", "end": "2017-05-15"},
    {"outlets": [OUTLETS[1], OUTLETS[3]], "start": "2017-09-01", "end": "2017-09-30"},
]


@pytest.mark.slow
@pytest.mark.parametrize("spec", QUERIES, ids=",".join)
def test_range_and_word_queries_are_exact_across_pages(
    big_store: tuple[TimelineStore, list[IndexedEvent]], spec: dict[str, Any]
) -> None:
    """On 10,000 stored events, every page together holds exactly the matching events,
    each once, in order."""
    store, reports = big_store
    query = Query.parse(**spec)
    expected = sorted((r for r in reports if matches(r, query)), key=lambda r: (r.earliest, r.ref))
    assert len(expected) > 40, "the query matches enough to need several pages"
    pages = read_all(store, query, page=37)
    assert len(pages) == -(-len(expected) // 37)
    assert [ref for page in pages for ref in page] == [r.ref for r in expected]
    starts = [r.earliest for r in expected]
    assert all(a <= b for a, b in pairwise(starts))
