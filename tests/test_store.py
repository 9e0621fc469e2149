"""The store: atomic, idempotent writes and range reads on a real Redis."""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis

from config.settings import Settings
from producer import Producer
from store import Claim, Outcome, TaskMessage, TimelineStore
from tests.articles import article
from timeline.contract import (
    Article,
    ArticleState,
    Event,
    EventTime,
    Span,
    Timeline,
    TimeSource,
)
from timeline.stories import Query

DAY = datetime.fromisoformat("2017-05-04T00:00:00+03:00")


@pytest.fixture
def store(settings: Settings) -> TimelineStore:
    return TimelineStore.from_url(settings.redis_url, settings.key_prefix)


def dated_timeline(source: Article, days: list[int]) -> Timeline:
    events = [
        Event(
            id=f"e{i}",
            start=0,
            end=4,
            trigger=Span(text="أعلن", start=0, end=4),
            text=f"حدث {i}",
            time=EventTime(
                value=(DAY + timedelta(days=d)).date().isoformat(), source=TimeSource.OWN
            ),
            earliest=DAY + timedelta(days=d),
            latest=DAY + timedelta(days=d + 1),
        )
        for i, d in enumerate(days, start=1)
    ]
    return Timeline(
        article_id=source.id,
        published=source.published,
        outlet=source.outlet,
        digest=source.digest,
        events=events,
    )


def test_batches_are_queued_when_redis_has_forgotten_the_script(
    store: TimelineStore, settings: Settings
) -> None:
    """A Redis that lost its scripts (restart, SCRIPT FLUSH) still stores and queues."""
    store.redis.script_flush()
    one = Article.model_validate(article(1))
    message = TaskMessage("task-1", '{"body": "1"}', one.digest)
    [first] = store.accept_and_enqueue([(one, message)], settings.queue)
    store.redis.script_flush()
    two = Article.model_validate(article(2))
    [second] = store.accept_and_enqueue([(two, message)], settings.queue)
    assert first.outcome is Outcome.NEW and second.outcome is Outcome.NEW
    assert store.queue_length(settings.queue) == 2


def test_accept_is_idempotent(store: TimelineStore) -> None:
    """The same article accepted twice is stored once; the second time is a duplicate."""
    a = Article.model_validate(article(1))
    first = store.accept(a)
    store.mark_sent(a.id, "task-1")
    second = store.accept(a)
    assert first.outcome is Outcome.NEW and second.outcome is Outcome.DUPLICATE
    assert store.accept(a, force=True).outcome is Outcome.AGAIN


def test_same_article_again_is_a_duplicate_before_it_is_sent(store: TimelineStore) -> None:
    """While its task is on the way, the same article again is a duplicate, not a second send."""
    a = Article.model_validate(article(1))
    store.accept(a)
    assert store.accept(a).outcome is Outcome.DUPLICATE


def test_same_text_under_another_id_is_a_duplicate(store: TimelineStore) -> None:
    """Same normalised content under a new id points at the article already holding it."""
    a = Article.model_validate(article(1))
    store.accept(a)
    copy = Article.model_validate(article(1, id="other-feed-77", text=a.text + "\n"))
    outcome = store.accept(copy)
    assert outcome.outcome is Outcome.DUPLICATE and outcome.article_id == a.id


def test_lost_tasks_are_found_as_stranded(store: TimelineStore, settings: Settings) -> None:
    """An accepted article no worker claimed is stranded once a later task heads the queue."""
    producer = Producer(settings)
    lost = Article.model_validate(article(1))
    store.accept(lost)  # stored, its task never queued (or taken off and lost)
    assert store.stranded(settings.queue, older_than=3600) == []
    assert store.stranded(settings.queue, older_than=0) == [(lost.id, lost.digest)]
    time.sleep(1.1)
    later = producer.enqueue(article(2))  # its task now heads the queue, sent after
    assert store.stranded(settings.queue, older_than=0) == [(lost.id, lost.digest)]
    store.claim(lost.id, lost.digest, "task-1", 3)
    assert store.stranded(settings.queue, older_than=0) == []
    # an article whose task is still on the queue is never stranded
    assert later not in [i for i, _ in store.stranded(settings.queue, older_than=0)]


def test_requeue_sends_stranded_tasks(settings: Settings) -> None:
    producer = Producer(settings)
    lost = Article.model_validate(article(1))
    producer.store.accept(lost)
    assert producer.requeue_stranded(older_than=0) == 1
    assert producer.store.queue_length(settings.queue) == 1
    # its task now heads the queue: not stranded any more
    assert producer.requeue_stranded(older_than=0) == 0


def test_only_one_worker_sweeps_at_a_time(store: TimelineStore) -> None:
    assert store.sweep_lock(5, "w1")
    assert not store.sweep_lock(5, "w2")


def test_second_delivery_waits_for_the_first(store: TimelineStore) -> None:
    """A duplicate message does not claim an article another task is processing."""
    a = Article.model_validate(article(1))
    store.accept(a)
    assert store.claim(a.id, a.digest, "task-1", 3)[0] is Claim.GO
    assert store.claim(a.id, a.digest, "task-2", 3)[0] is Claim.BUSY
    # the same message redelivered (its worker died) is claimed again, and counted
    assert store.claim(a.id, a.digest, "task-1", 3) == (Claim.GO, 2)


def test_claim_reads_the_article_with_the_claim(store: TimelineStore) -> None:
    """A claim that lets the worker go hands it the stored article; other verdicts do not."""
    a = Article.model_validate(article(1))
    store.accept(a)
    verdict, attempts, payload = store.claim_article(a.id, a.digest, "task-1", 3)
    assert (verdict, attempts) == (Claim.GO, 1)
    assert payload is not None and Article.model_validate_json(payload) == a
    assert store.claim_article(a.id, a.digest, "task-2", 3) == (Claim.BUSY, 0, None)
    assert store.claim_article("nope", None, "task-3", 3) == (Claim.MISSING, 0, None)


def test_save_twice_leaves_one_set_of_index_entries(store: TimelineStore) -> None:
    """A redelivered task writes the same timeline again without doubling the index."""
    a = Article.model_validate(article(1))
    store.accept(a)
    timeline = dated_timeline(a, [0, 1, 2])
    assert store.save(timeline) and store.save(timeline)
    assert store.event_count() == 3
    assert store.timeline(a.id) == timeline
    status = store.status(a.id)
    assert status is not None and status.state is ArticleState.DONE


def test_changed_article_replaces_old_entries(store: TimelineStore) -> None:
    """A changed article's new timeline replaces its old index entries."""
    a = Article.model_validate(article(1))
    store.accept(a)
    store.save(dated_timeline(a, [0, 1, 2]))
    changed = Article.model_validate(article(1, text=a.text + " وأضاف الوزير."))
    assert store.accept(changed).outcome is Outcome.CHANGED
    store.save(dated_timeline(changed, [5]))
    found = store.events(DAY - timedelta(days=10), DAY + timedelta(days=10))
    assert [e.earliest for e in found] == [DAY + timedelta(days=5)]


def test_stale_result_is_not_written(store: TimelineStore) -> None:
    """A slow task for the old content cannot overwrite the newer content's timeline."""
    a = Article.model_validate(article(1))
    store.accept(a)
    changed = Article.model_validate(article(1, text=a.text + " وأضاف."))
    store.accept(changed)
    assert not store.save(dated_timeline(a, [0]))
    assert store.timeline(a.id) is None
    assert store.claim(a.id, a.digest, "t", 3)[0] is Claim.STALE


def test_claim_counts_deliveries_and_stops_poison(store: TimelineStore) -> None:
    """Each delivery is counted; past the bound the article is poison."""
    a = Article.model_validate(article(1))
    store.accept(a)
    verdicts = [store.claim(a.id, a.digest, "t", 2)[0] for _ in range(3)]
    assert verdicts == [Claim.GO, Claim.GO, Claim.EXHAUSTED]
    assert store.claim("nope", None, "t", 2)[0] is Claim.MISSING


def test_done_article_is_not_claimed_again(store: TimelineStore) -> None:
    a = Article.model_validate(article(1))
    store.accept(a)
    store.save(dated_timeline(a, [0]))
    assert store.claim(a.id, a.digest, "t", 3)[0] is Claim.DONE


def test_events_by_range_and_outlet(store: TimelineStore) -> None:
    """Range reads return events starting in [start, end), in time order, across articles."""
    a = Article.model_validate(article(1, outlet="A"))
    b = Article.model_validate(article(2, outlet="B"))
    for source, days in ((a, [3, 0]), (b, [1, 5])):
        store.accept(source)
        store.save(dated_timeline(source, days))
    found = store.events(DAY, DAY + timedelta(days=4))
    assert [(e.article_id, (e.earliest - DAY).days) for e in found] == [
        (a.id, 0),
        (b.id, 1),
        (a.id, 3),
    ]
    only_b = store.events(DAY, DAY + timedelta(days=10), outlet="B")
    assert {e.article_id for e in only_b} == {b.id}
    assert len(store.events(DAY, DAY + timedelta(days=10), limit=2)) == 2


def test_range_reads_leave_the_collector_as_they_found_it(store: TimelineStore) -> None:
    """The cycle collector paused while a range is parsed is on again after, and a
    caller's own choice to keep it off is kept."""
    source = Article.model_validate(article(1))
    store.accept(source)
    store.save(dated_timeline(source, [0, 1]))
    assert gc.isenabled()
    assert len(store.events(DAY, DAY + timedelta(days=4))) == 2
    assert gc.isenabled()
    gc.disable()
    try:
        assert len(store.events(DAY, DAY + timedelta(days=4))) == 2
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_failures_are_listed_with_reason_and_payload(store: TimelineStore) -> None:
    a = Article.model_validate(article(1))
    store.accept(a)
    store.fail(a.id, "extraction failed: boom")
    store.fail("invalid-1", "invalid task message", payload='{"args": [1]}')
    failures = {f.article_id: f for f in store.failed()}
    assert failures[a.id].error == "extraction failed: boom"
    assert failures[a.id].payload is not None and a.text in failures[a.id].payload
    assert failures["invalid-1"].payload == '{"args": [1]}'
    assert store.retry(a.id) == a.digest
    assert store.failed_count() == 1
    assert store.retry("invalid-1") is None


def test_keys_stay_under_the_prefix(store: TimelineStore, settings: Settings) -> None:
    """Every key written is under the configured prefix."""
    a = Article.model_validate(article(1))
    store.accept(a)
    store.save(dated_timeline(a, [0]))
    store.fail("x", "e", payload="p")
    client = redis.Redis.from_url(settings.redis_url)
    keys = [k.decode() for k in client.scan_iter(match=f"{settings.key_prefix}*")]
    assert len(keys) >= 6
    assert all(k.startswith(settings.key_prefix + ":") for k in keys)


def test_replaced_entries_leave_no_index_keys_behind(
    store: TimelineStore, settings: Settings
) -> None:
    """A changed article's new entries replace the old in every shard: the old days'
    keys, its story's days, are gone; each key a day holds carries the day's hash tag."""
    a = Article.model_validate(article(1, story="first"))
    store.accept(a)
    assert store.save(dated_timeline(a, [0, 1]), "first")
    changed = Article.model_validate(article(1, text=a.text + " وأضاف.", story="second"))
    store.accept(changed)
    assert store.save(dated_timeline(changed, [5]), "second")
    day = (DAY + timedelta(days=5)).astimezone(UTC).date().isoformat()
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    shard_keys = list(client.scan_iter(match=f"{settings.key_prefix}:day:*"))
    assert shard_keys and all(
        k.startswith(f"{settings.key_prefix}:day:{{{day}}}:") for k in shard_keys
    )
    assert client.zrange(store.keys.days, 0, -1) == [day]
    assert not client.exists(store.keys.story_days("first"))
    assert client.zrange(store.keys.story_days("second"), 0, -1) == [day]
    assert [r.story for r in store.reports(Query.build(story="second"))] == ["second"]
    assert store.reports(Query.build(story="first")) == []


def test_reindex_rebuilds_the_index_from_stored_timelines(store: TimelineStore) -> None:
    """Timelines stored before the index existed (or was laid out as now) are indexed
    again, with their story; the single index of earlier versions goes."""
    a = Article.model_validate(article(1, story="kept"))
    store.accept(a)
    store.save(dated_timeline(a, [0, 2]), "kept")
    expected = [r.ref for r in store.reports(Query.build())]
    index_keys = [store.keys.days, *store.redis.scan_iter(match=f"{store.keys.prefix}:day:*")]
    store.redis.delete(*index_keys, store.keys.story_days("kept"))
    store.redis.zadd(store.keys.legacy_events, {"old": 1})
    assert store.reports(Query.build()) == []
    assert store.reindex() == 1
    assert [r.ref for r in store.reports(Query.build(story="kept"))] == expected
    assert not store.redis.exists(store.keys.legacy_events)
