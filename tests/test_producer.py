"""The producer validates, stores and queues by task name, on a real Redis."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import redis

from config.settings import Settings
from producer import Producer, QueueFull
from store import TimelineStore
from tests.articles import article


def queued_messages(settings: Settings) -> list[dict[str, Any]]:
    client = redis.Redis.from_url(settings.redis_url)
    key = TimelineStore.from_url(settings.redis_url, settings.key_prefix).keys.queue(settings.queue)
    return [json.loads(raw) for raw in client.lrange(key, 0, -1)]


def test_enqueue_sends_task_by_name_as_json(settings: Settings) -> None:
    """One message per article: the task name, JSON content, the id and digest as arguments."""
    producer = Producer(settings)
    article_id = producer.enqueue(article(1))
    [message] = queued_messages(settings)
    assert message["headers"]["task"] == "timeline.process_article"
    assert message["content-type"] == "application/json"
    args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
    assert args[0] == article_id == "art-1" and len(args[1]) == 32 and kwargs == {}
    status = producer.store.status(article_id)
    assert status is not None and status.state.value == "queued" and status.task_id


def test_same_article_twice_is_queued_once(settings: Settings) -> None:
    producer = Producer(settings)
    assert producer.enqueue(article(1)) == producer.enqueue(article(1)) == "art-1"
    assert len(queued_messages(settings)) == 1
    producer.enqueue(article(1), force=True)
    assert len(queued_messages(settings)) == 2


def test_id_is_derived_from_content(settings: Settings) -> None:
    producer = Producer(settings)
    body = article(2)
    del body["id"]
    first = producer.enqueue(body)
    again = producer.enqueue({**body, "text": body["text"] + "  "})
    assert first == again and first.startswith("a-")
    assert len(queued_messages(settings)) == 1


def test_bad_lines_are_reported_good_lines_queued(settings: Settings) -> None:
    """A bad line is reported with its number and field; the good lines are still queued."""
    lines = [
        json.dumps(article(1), ensure_ascii=False),
        "",
        "{broken",
        json.dumps(article(2, published="2017-05-04"), ensure_ascii=False),
        json.dumps(article(3), ensure_ascii=False),
    ]
    report = Producer(settings).enqueue_lines(lines)
    assert report.accepted == ["art-1", "art-3"]
    assert [n for n, _ in report.rejected] == [3, 4]
    assert report.rejected[0][1].startswith("article: not valid JSON")
    assert report.rejected[1][1].startswith("published:")
    assert len(queued_messages(settings)) == 2


def test_queue_bound_refuses(settings: Settings) -> None:
    """Past the queue bound the producer refuses instead of filling Redis."""
    bounded = settings.model_copy(update={"max_queue_length": 3})
    producer = Producer(bounded)
    with pytest.raises(QueueFull) as caught:
        producer.enqueue_many([article(n) for n in range(10)])
    assert caught.value.report is not None and len(caught.value.report.accepted) == 3
    assert len(queued_messages(settings)) == 3


def test_queue_bound_waits(settings: Settings) -> None:
    """In wait mode the producer waits for room, then gives up with QueueFull."""
    bounded = settings.model_copy(
        update={"max_queue_length": 1, "backpressure": "wait", "backpressure_wait_seconds": 0.5}
    )
    producer = Producer(bounded)
    producer.enqueue(article(1))
    with pytest.raises(QueueFull):
        producer.enqueue(article(2))
