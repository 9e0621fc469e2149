"""Limits: no catastrophic backtracking, time limits that fail an article cleanly."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from client import ArticleFailed, TimelineClient
from config.celeryconf import celery_config
from config.settings import Settings
from producer import Producer
from service.testing import WorkerProcess
from tests.articles import article
from timeline.contract import Article
from timeline.extract import extract_timeline

PUBLISHED = datetime.fromisoformat("2017-05-04T18:00:00+03:00")

#: shapes that make backtracking regexes explode: long runs of what rules repeat
ADVERSARIAL = {
    "digits and slashes": "قال " + "1/" * 40_000,
    "digits and dashes": "قال " + "12-" * 30_000,
    "clock times": "الساعة " + "10:" * 30_000,
    "number words": "ثلاثة و" * 15_000,
    "month names": "يناير " * 15_000,
    "prepositions": "في " * 30_000,
    "weekday chain": "الخميس و" * 12_000,
    "offset chain": "قبل بعد " * 12_000,
    "diacritics": "ا" + "\u064e" * 60_000,
    "tatweel": "ل" + "\u0640" * 60_000 + "أمس",
    "one long word": "ب" * 100_000,
    "brackets": "(" * 40_000 + "أمس" + ")" * 40_000,
    # event building: clauses, connectives, reporting frames and quotes by the thousand
    "connective chain": "ثم أعلن الوزير " * 8_000,
    "pluperfect chain": "وكان قد انسحب بعد أن قال " * 5_000,
    "reporting frames": 'وذكرت وكالة الأنباء أن "' * 5_000,
    "dated clauses": "أعلن الخميس، وانسحب أمس، ثم عاد بعد ساعات؛ " * 3_000,
    "one endless sentence": "و".join(["أعلن الوزير توقيع الاتفاق"] * 6_000),
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_text_finishes(name: str) -> None:
    """Each 100 KB-class adversarial text is tagged at all, within the test's time bound,
    with valid offsets (a catastrophic backtrack would hang here)."""
    text = ADVERSARIAL[name]
    timeline = extract_timeline(Article(text=text, published=PUBLISHED))
    for t in timeline.time_expressions:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text


def test_worker_limits_are_configured() -> None:
    """Pool processes are recycled by task count and memory; time limits are set."""
    config = celery_config(Settings())
    assert config["worker_max_tasks_per_child"] > 0
    assert config["worker_max_memory_per_child"] > 0
    assert config["task_time_limit"] > config["task_soft_time_limit"] > 0
    assert config["broker_transport_options"]["visibility_timeout"] > config["task_time_limit"]
    assert config["accept_content"] == ["json"] and config["task_serializer"] == "json"


@pytest.mark.integration
def test_soft_time_limit_fails_the_article_and_the_worker_goes_on(
    settings: Settings, tmp_path: Path
) -> None:
    """An article that outlasts the soft limit ends failed with the reason; work goes on."""
    tight = settings.model_copy(
        update={
            "task_soft_time_limit": 0.05,
            "task_time_limit": 5.0,
            "max_text_chars": 2_000_000,
        }
    )
    worker = WorkerProcess(tight, tmp_path / "worker.log").start()
    try:
        producer = Producer(tight)
        client = TimelineClient(tight.redis_url, prefix=tight.key_prefix)
        long_text = " ".join(article(n)["text"] for n in range(4000))  # about 500 KB
        slow = producer.enqueue(article(1, id="too-long", text=long_text))
        with pytest.raises(ArticleFailed, match=r"time limit of 0.05 s exceeded"):
            client.wait(slow, timeout=60)
        quick = producer.enqueue(article(2, id="short"))
        assert client.wait(quick, timeout=30).article_id == "short"
        time.sleep(0.2)
        assert worker.process is not None and worker.process.poll() is None
    finally:
        worker.stop()
