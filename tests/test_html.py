"""Whole web pages in: main text, title and the page's own date, offline."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings
from producer import InvalidArticle, Producer
from producer.html import extract_page, html_to_text, page_fields
from producer.published import PublishedPolicy
from tests.conftest import ROOT
from tests.feeds_site import STORIES, page
from timeline.contract import Article, content_digest, derive_article_id

NOW = datetime(2019, 4, 10, 12, 0, tzinfo=UTC)
BEIRUT = PublishedPolicy(default_timezone="Asia/Beirut")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail any connection to an address off this machine (the extraction must need none)."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not (
            str(host).startswith("127.") or host in ("::1", "localhost")
        ):
            attempts.append(address)
            raise OSError(f"network access to {address} during extraction")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", _no_lookup(socket.getaddrinfo, attempts))
    yield attempts
    assert attempts == [], f"the extraction tried the network: {attempts}"


def _no_lookup(real: Any, attempts: list[Any]) -> Any:
    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not str(host).startswith(("127.", "::1")):
            attempts.append(host)
            raise OSError(f"name lookup of {host} during extraction")
        return real(host, *args, **kwargs)

    return lookup


@pytest.mark.parametrize("slug", ["1001", "1002", "1003", "1004", "1005"])
def test_page_gives_main_text_title_and_its_own_date(slug: str, no_network: list[Any]) -> None:
    story = STORIES[slug]
    extracted = extract_page(page(story), url=f"https://news.example{story.path}")
    assert content_digest(extracted.text) == content_digest(story.text), extracted.text
    assert extracted.title == story.title and extracted.outlet == story.outlet
    fields = page_fields(extracted, BEIRUT, now=NOW)
    expected = {
        "1001": "2017-05-04T18:00:00+03:00",  # visible «نشر في: الخميس 4 أيار 2017 - 18:00»
        "1002": "2018-08-12T10:05:00+03:00",  # article:published_time
        "1003": "2018-08-13T09:30:00+02:00",  # JSON-LD datePublished
        "1004": "2019-04-03T14:30:00+01:00",  # <time datetime>
        "1005": "2019-04-03T14:30:00+03:00",  # visible Maghrebi date, read in the given zone
    }[slug]
    assert fields["published"].isoformat() == expected
    assert fields["url"] == f"https://news.example{story.path}"


def test_page_metadata_wins_over_visible_dates() -> None:
    html = page(STORIES["1002"]).replace(
        "<div class='body'>", "<span class='date'>نشر في: 1 كانون الثاني 2010</span><div>"
    )
    extracted = extract_page(html)
    assert extracted.dates[0] == ("meta article:published_time", "2018-08-12T10:05:00+03:00")
    fields = page_fields(extracted, BEIRUT, now=NOW)
    assert fields["published"].isoformat() == "2018-08-12T10:05:00+03:00"


def test_unreadable_metadata_falls_through_to_the_next_candidate() -> None:
    html = page(STORIES["1001"]).replace(
        "</head>", '<meta property="article:published_time" content="قريبا"></head>'
    )
    fields = page_fields(extract_page(html), BEIRUT, now=NOW)
    assert fields["published"].isoformat() == "2017-05-04T18:00:00+03:00"


def test_feed_fragment_to_text() -> None:
    fragment = "<p>الفقرة الأولى.</p><script>x()</script><p>الفقرة <b>الثانية</b>.</p>"
    assert html_to_text(fragment) == "الفقرة الأولى.\nالفقرة الثانية."
    assert html_to_text("نص بلا وسوم") == "نص بلا وسوم"


def test_enqueue_html_stores_the_article(settings: Settings, no_network: list[Any]) -> None:
    producer = Producer(
        settings.model_copy(update={"outlet_timezones": {"جريدة الاختبار": "Asia/Beirut"}}),
        clock=lambda: NOW,
    )
    story = STORIES["1001"]
    article_id = producer.enqueue_html(page(story), url=f"https://news.example{story.path}")
    assert article_id == derive_article_id(story.text)
    raw = producer.store.load_article(article_id)
    assert raw is not None
    article = Article.model_validate_json(raw)
    assert article.published.isoformat() == "2017-05-04T18:00:00+03:00"
    assert article.title == story.title and article.outlet == "جريدة الاختبار"
    status = producer.store.status(article_id)
    assert status is not None and status.state.value == "queued"
    assert article.story is None
    filed = producer.page_article(page(story), url=f"https://news.example{story.path}", story="s1")
    assert filed["story"] == "s1"


def test_page_without_article_text_is_rejected(settings: Settings) -> None:
    producer = Producer(settings, clock=lambda: NOW)
    with pytest.raises(InvalidArticle, match=r"^text:"):
        producer.enqueue_html(
            "<html><body><p>English only page, nothing Arabic here at all.</p></body></html>",
            published="2019-04-03T14:30:00+01:00",
        )


def test_cli_enqueues_a_folder_of_pages(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for story in STORIES.values():
        (folder / f"{story.slug}.html").write_text(page(story), encoding="utf-8")
    env = {
        "TIMELINE_REDIS_URL": settings.redis_url,
        "TIMELINE_KEY_PREFIX": settings.key_prefix,
        "TIMELINE_DEFAULT_TIMEZONE": "Asia/Beirut",
        "TIMELINE_LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
    }
    run = subprocess.run(
        [sys.executable, "-m", "service.cli", "enqueue", "--html", str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr  # the undated page is rejected
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["accepted"] == 5 and summary["rejected"] == 1
    assert f"{folder / '1006.html'}: published:" in run.stderr
    producer = Producer(settings)
    raw = producer.store.load_article(derive_article_id(STORIES["1003"].text))
    assert raw is not None
    assert Article.model_validate_json(raw).published.isoformat() == "2018-08-13T09:30:00+02:00"
