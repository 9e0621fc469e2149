"""RSS and Atom polling against a loopback site: new entries only, Arabic dates, pages."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.settings import Settings
from producer import Producer
from producer.feeds import FeedPoller, read_feed_list
from tests.conftest import ROOT
from tests.feeds_site import STORIES, FeedItem, Site, atom, rss
from timeline.contract import Article, derive_article_id

NOW = datetime(2019, 4, 10, 12, 0, tzinfo=UTC)
ZONES = {"جريدة الاختبار": "Asia/Beirut", "أخبار الجزائر": "Africa/Algiers"}


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site().start()
    served.add_pages()
    yield served
    served.stop()


@pytest.fixture
def feed_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"outlet_timezones": ZONES, "fetch_timeout": 5.0})


def stored(producer: Producer, slug: str) -> Article | None:
    raw = producer.store.load_article(derive_article_id(STORIES[slug].text))
    return None if raw is None else Article.model_validate_json(raw)


def publish_first_feeds(site: Site) -> None:
    site.set(
        "/rss.xml",
        rss(
            site.base,
            "جريدة الاختبار",
            [
                # summary only, the date as an Arabic string: the page is fetched
                FeedItem(STORIES["1001"], "الخميس، 4 أيار 2017 - 18:00"),
                # full text in content:encoded, an RFC 822 date: no page fetch
                FeedItem(STORIES["1002"], "Sun, 12 Aug 2018 10:05:00 +0300", full=True),
            ],
        ),
        "application/rss+xml; charset=utf-8",
    )
    site.set(
        "/atom.xml",
        atom(
            site.base,
            "أخبار الجزائر",
            [
                FeedItem(STORIES["1005"], "الأربعاء 3 أفريل 2019 - 14:30", full=True),
                FeedItem(STORIES["1003"], "2018-08-13T09:30:00+02:00"),
            ],
        ),
        "application/atom+xml; charset=utf-8",
    )


def test_second_poll_enqueues_only_new_entries(feed_settings: Settings, site: Site) -> None:
    publish_first_feeds(site)
    producer = Producer(feed_settings, clock=lambda: NOW)
    poller = FeedPoller(producer)
    feeds = [f"{site.base}/rss.xml", f"{site.base}/atom.xml"]

    first = poller.poll(feeds)
    assert not first.failed
    summary = first.as_dict()
    assert (summary["entries"], summary["new"], summary["accepted"]) == (4, 4, 4)
    # pages fetched only for the summary-only entries
    assert sorted(p for p in site.requests if p.startswith("/news/")) == [
        "/news/1001.html",
        "/news/1003.html",
    ]
    expected = {
        "1001": "2017-05-04T18:00:00+03:00",  # Arabic, Levantine month, Beirut summer time
        "1002": "2018-08-12T10:05:00+03:00",
        "1005": "2019-04-03T14:30:00+01:00",  # Maghrebi month name, Algiers
        "1003": "2018-08-13T09:30:00+02:00",
    }
    for slug, published in expected.items():
        article = stored(producer, slug)
        assert article is not None, f"story {slug} was not stored under its text's id"
        assert article.published.isoformat() == published, slug
        assert article.published_fallback is False
        assert article.title == STORIES[slug].title
        assert article.url == f"{site.base}{STORIES[slug].path}"
    assert stored(producer, "1001").outlet == "جريدة الاختبار"  # type: ignore[union-attr]
    assert stored(producer, "1005").outlet == "أخبار الجزائر"  # type: ignore[union-attr]

    # new entries appear: one with Arabic-Indic digits, one with no date anywhere
    site.set(
        "/atom.xml",
        atom(
            site.base,
            "أخبار الجزائر",
            [
                FeedItem(STORIES["1004"], "الأربعاء ٣ أفريل ٢٠١٩ - ١٤:٣٠"),
                FeedItem(STORIES["1005"], "الأربعاء 3 أفريل 2019 - 14:30", full=True),
                FeedItem(STORIES["1003"], "2018-08-13T09:30:00+02:00"),
            ],
        ),
        "application/atom+xml",
    )
    rss_items = [
        FeedItem(STORIES["1006"], ""),
        FeedItem(STORIES["1001"], "الخميس، 4 أيار 2017 - 18:00"),
        FeedItem(STORIES["1002"], "Sun, 12 Aug 2018 10:05:00 +0300", full=True),
    ]
    site.set("/rss.xml", rss(site.base, "جريدة الاختبار", rss_items), "application/rss+xml")
    site.requests.clear()
    second = poller.poll(feeds).as_dict()
    assert (second["entries"], second["new"], second["accepted"], second["rejected"]) == (
        6,
        2,
        1,
        1,
    )
    assert sorted(p for p in site.requests if p.startswith("/news/")) == [
        "/news/1004.html",
        "/news/1006.html",
    ]
    article = stored(producer, "1004")
    assert article is not None and article.published.isoformat() == "2019-04-03T14:30:00+01:00"
    assert stored(producer, "1006") is None  # no date in the feed nor on the page

    # a restarted poller remembers: nothing is sent again
    restarted = FeedPoller(Producer(feed_settings, clock=lambda: NOW))
    third = restarted.poll(feeds).as_dict()
    assert third["entries"] == 6 and third["new"] == 0


def test_undated_entry_takes_the_receive_time_when_allowed(
    feed_settings: Settings, site: Site
) -> None:
    site.set("/rss.xml", rss(site.base, "جريدة الاختبار", [FeedItem(STORIES["1006"], "")]))
    lenient = feed_settings.model_copy(update={"published_fallback": "now"})
    producer = Producer(lenient, clock=lambda: NOW)
    report = FeedPoller(producer).poll([f"{site.base}/rss.xml"]).as_dict()
    assert report["accepted"] == 1
    article = stored(producer, "1006")
    assert article is not None and article.published == NOW and article.published_fallback


def test_page_date_is_used_when_the_entry_has_none(feed_settings: Settings, site: Site) -> None:
    site.set("/rss.xml", rss(site.base, "جريدة الاختبار", [FeedItem(STORIES["1002"], "")]))
    producer = Producer(feed_settings, clock=lambda: NOW)
    FeedPoller(producer).poll([f"{site.base}/rss.xml"])
    article = stored(producer, "1002")
    assert article is not None and article.published.isoformat() == "2018-08-12T10:05:00+03:00"


def test_a_failing_feed_does_not_stop_the_others(feed_settings: Settings, site: Site) -> None:
    publish_first_feeds(site)
    site.set("/broken.xml", "<html><body>no feed here</body></html>")
    closed = Site().start()
    dead = f"{closed.base}/rss.xml"
    closed.stop()
    producer = Producer(feed_settings, clock=lambda: NOW)
    feeds = [f"{site.base}/missing.xml", dead, f"{site.base}/broken.xml", f"{site.base}/rss.xml"]
    report = FeedPoller(producer).poll(feeds)
    errors = {f.url: f.error for f in report.failed}
    assert "HTTP 404" in (errors[f"{site.base}/missing.xml"] or "")
    assert dead in errors and "not a feed" in (errors[f"{site.base}/broken.xml"] or "")
    assert report.as_dict()["accepted"] == 2


def test_an_entry_whose_page_fails_is_tried_again(feed_settings: Settings, site: Site) -> None:
    site.set("/rss.xml", rss(site.base, "جريدة الاختبار", [FeedItem(STORIES["1003"], "")]))
    del site.routes[STORIES["1003"].path]
    poller = FeedPoller(Producer(feed_settings, clock=lambda: NOW))
    first = poller.poll([f"{site.base}/rss.xml"]).as_dict()
    assert first["deferred"] == 1 and first["accepted"] == 0
    site.add_pages()
    second = poller.poll([f"{site.base}/rss.xml"]).as_dict()
    assert second["new"] == 1 and second["accepted"] == 1


def test_feed_list_skips_comments_and_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# Levant\nhttps://a.example/rss.xml  # main\n\n  https://b.example/atom.xml\n"
        "https://a.example/rss.xml\n"
    )
    assert read_feed_list(path) == ["https://a.example/rss.xml", "https://b.example/atom.xml"]
    path.write_text("https://a.example/rss.xml\nftp://c.example/feed\n")
    with pytest.raises(ValueError, match="line 2: not an http"):
        read_feed_list(path)


def feeds_cli(settings: Settings, *args: str) -> tuple[list[str], dict[str, str]]:
    env = {
        "TIMELINE_REDIS_URL": settings.redis_url,
        "TIMELINE_KEY_PREFIX": settings.key_prefix,
        "TIMELINE_OUTLET_TIMEZONES": json.dumps(ZONES),
        "TIMELINE_LOG_FORMAT": "json",
        "PATH": "/usr/bin:/bin",
    }
    return [sys.executable, "-m", "service.cli", "feeds", "poll", *args], env


def test_cli_polls_once_and_reports_failures(
    feed_settings: Settings, site: Site, tmp_path: Path
) -> None:
    publish_first_feeds(site)
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# test feeds\n{site.base}/rss.xml\n{site.base}/nope.xml\n")
    argv, env = feeds_cli(feed_settings, str(listing))
    run = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["accepted"] == 2 and summary["failed"] == 1
    assert "HTTP 404" in summary["errors"][f"{site.base}/nope.xml"]


def test_cli_every_polls_until_sigterm(feed_settings: Settings, site: Site, tmp_path: Path) -> None:
    publish_first_feeds(site)
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{site.base}/rss.xml\n")
    argv, env = feeds_cli(feed_settings, str(listing), "--every", "0.3s")
    process = subprocess.Popen(
        argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        lines = [json.loads(process.stdout.readline()) for _ in range(3)]
        assert lines[0]["new"] == 2 and lines[1]["new"] == 0 and lines[2]["new"] == 0
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert time.monotonic() - began < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_rejects_a_bad_interval(feed_settings: Settings, tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://a.example/rss.xml\n")
    argv, env = feeds_cli(feed_settings, str(listing), "--every", "soon")
    run = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--every: expected a duration" in run.stderr


def test_feed_list_files_a_feed_under_a_story(tmp_path: Path) -> None:
    from producer.feeds import read_feed_stories

    path = tmp_path / "feeds.txt"
    path.write_text(
        "https://a.example/rss.xml story=astana-talks-2017  # the talks\n"
        "https://b.example/atom.xml\n"
    )
    assert read_feed_stories(path) == {
        "https://a.example/rss.xml": "astana-talks-2017",
        "https://b.example/atom.xml": None,
    }
    path.write_text("https://a.example/rss.xml topic=x\n")
    with pytest.raises(ValueError, match="line 1: expected story=KEY after the URL"):
        read_feed_stories(path)


def test_entries_of_a_feed_are_filed_under_its_story(feed_settings: Settings, site: Site) -> None:
    publish_first_feeds(site)
    producer = Producer(feed_settings, clock=lambda: NOW)
    feed = f"{site.base}/atom.xml"
    poller = FeedPoller(producer, stories={feed: "algiers-2019"})
    assert not poller.poll([feed]).failed
    article = stored(producer, "1005")
    assert article is not None and article.story == "algiers-2019"
