"""A real Scrapy crawl with the pipeline on: loopback site in, timelines out.

The crawl runs in a child process (``python -m tests.test_scrapy BASE``; Twisted's
reactor starts once per process) against the loopback site of :mod:`tests.feeds_site`,
enqueues through ``producer.scrapy.TimelinePipeline`` into the shared worker's
namespace, and the timelines are read back through ``client.TimelineClient``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from client import TimelineClient
from config.settings import Settings
from tests.conftest import ROOT, WorkerProcess
from tests.feeds_site import STORIES, FeedItem, Site, rss
from timeline.contract import derive_article_id

ZONES = {"جريدة الاختبار": "Asia/Beirut", "أخبار الجزائر": "Africa/Algiers"}


def crawl(base: str) -> dict[str, Any]:
    """The crawl: a spider reading the site's feed and pages; returns Scrapy's stats."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class NewsSpider(scrapy.Spider):
        name = "news"
        start_urls = [f"{base}/rss.xml"]  # noqa: RUF012

        def parse(self, response: Any) -> Iterator[Any]:
            for link in response.xpath("//item/link/text()").getall():
                yield response.follow(link, self.parse_page)

        def parse_page(self, response: Any) -> Iterator[dict[str, Any]]:
            slug = response.url.rsplit("/", 1)[-1].removesuffix(".html")
            if slug == "1004":  # some scrapers hand over the whole page
                yield {"article_id": f"news-{slug}", "page": response.text, "link": response.url}
                return
            yield {
                "article_id": f"news-{slug}",
                "headline": response.css("h1::text").get(),
                "body": response.css("article p::text").getall(),
                "date": (
                    response.css(".post-date::text").get()
                    or response.css("time::attr(datetime)").get()
                    or response.xpath("//meta[@property='article:published_time']/@content").get()
                    or _json_ld_date(response)
                ),
                "link": response.url,
                "source": response.xpath("//meta[@property='og:site_name']/@content").get(),
            }

    process = CrawlerProcess(
        settings={
            "ITEM_PIPELINES": {"producer.scrapy.TimelinePipeline": 300},
            "TIMELINE_REDIS_URL": os.environ["CRAWL_REDIS_URL"],
            "TIMELINE_KEY_PREFIX": os.environ["CRAWL_KEY_PREFIX"],
            "TIMELINE_FIELDS": {
                "id": "article_id",
                "text": "body",
                "title": "headline",
                "published": "date",
                "url": "link",
                "outlet": "source",
                "html": "page",
            },
            "TIMELINE_DEFAULT_OUTLET": "جريدة الاختبار",
            "TIMELINE_OUTLET_TIMEZONES": ZONES,
            "LOG_LEVEL": "INFO",
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "ROBOTSTXT_OBEY": False,
        }
    )
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler)
    process.start()
    return {key: value for key, value in crawler.stats.get_stats().items()}


def _json_ld_date(response: Any) -> str | None:
    for script in response.xpath("//script[@type='application/ld+json']/text()").getall():
        value = json.loads(script).get("datePublished")
        if value:
            return str(value)
    return None


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site().start()
    served.add_pages()
    served.set(
        "/rss.xml",
        rss(
            served.base,
            "جريدة الاختبار",
            [FeedItem(story, "") for story in STORIES.values()],
        ),
        "application/rss+xml",
    )
    yield served
    served.stop()


@pytest.mark.integration
def test_scrapy_crawl_ends_in_timelines(
    site: Site, shared_worker: WorkerProcess, shared_settings: Settings
) -> None:
    env = {
        **os.environ,
        "CRAWL_REDIS_URL": shared_settings.redis_url,
        "CRAWL_KEY_PREFIX": shared_settings.key_prefix,
        "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",  # Scrapy's tldextract: no download
        "TIMELINE_LOG_FORMAT": "json",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.test_scrapy", site.base],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    stats = json.loads(run.stdout.strip().splitlines()[-1])
    assert stats["finish_reason"] == "finished"
    assert stats["item_scraped_count"] == 5 and stats["item_dropped_count"] == 1
    assert stats.get("timeline/new", 0) + stats.get("timeline/duplicate", 0) == 5
    assert stats["timeline/rejected"] == 1
    # the undated page is dropped with a reason naming the field, and logged
    assert "timeline: published:" in run.stderr

    client = TimelineClient(shared_settings.redis_url, prefix=shared_settings.key_prefix)
    expected = {
        "news-1001": "2017-05-04T18:00:00+03:00",  # «نشر في: الخميس 4 أيار 2017 - 18:00»
        "news-1002": "2018-08-12T10:05:00+03:00",
        "news-1003": "2018-08-13T09:30:00+02:00",
        "news-1004": "2019-04-03T14:30:00+01:00",  # the whole page, its <time datetime>
        "news-1005": "2019-04-03T14:30:00+01:00",  # «الأربعاء 3 أفريل 2019 - 14:30», Algiers
    }
    for article_id, published in expected.items():
        timeline = client.wait(article_id, timeout=60)
        slug = article_id.removeprefix("news-")
        assert timeline.published.isoformat() == published, article_id
        assert timeline.title == STORIES[slug].title
        assert timeline.url == f"{site.base}{STORIES[slug].path}"
        assert timeline.events, f"{article_id} has no events"
    assert client.get("news-1006") is None and client.status("news-1006") is None
    one = client.get("news-1001")
    assert one is not None and one.outlet == "جريدة الاختبار"
    assert any(t.text.startswith("أمس") for t in one.time_expressions)
    assert derive_article_id(STORIES["1001"].text) != "news-1001"  # the item's own id won


def test_pipeline_maps_fields_and_drops_invalid_items(settings: Settings) -> None:
    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from producer.scrapy import TimelinePipeline

    crawler = get_crawler(
        settings_dict={
            "TIMELINE_REDIS_URL": settings.redis_url,
            "TIMELINE_KEY_PREFIX": settings.key_prefix,
            "TIMELINE_FIELDS": {"text": "body", "published": "date"},
            "TIMELINE_DEFAULT_OUTLET": "Scraped Wire",
            "TIMELINE_DEFAULT_TIMEZONE": "Asia/Beirut",
        }
    )
    pipeline = TimelinePipeline.from_crawler(crawler)
    pipeline.open_spider(None)
    try:
        item = {
            "id": "scraped-1",
            "body": ["  أعلنت الحكومة أمس عن خطة جديدة.  ", "", "وقال الوزير إنها تبدأ غدا."],
            "date": "نشر في: الخميس ٤ أيار ٢٠١٧ - ١٨:٠٠",
            "title": ["عنوان الخبر", "عنوان آخر"],
        }
        assert pipeline.article_fields(item) == {
            "id": "scraped-1",
            "text": "أعلنت الحكومة أمس عن خطة جديدة.\nوقال الوزير إنها تبدأ غدا.",
            "published": "نشر في: الخميس ٤ أيار ٢٠١٧ - ١٨:٠٠",
            "title": "عنوان الخبر",
            "outlet": "Scraped Wire",
        }
        assert pipeline.process_item(item, None) is item
        assert pipeline.producer is not None
        stored = pipeline.producer.store.load_article("scraped-1")
        assert stored is not None and '"published":"2017-05-04T18:00:00+03:00"' in stored
        with pytest.raises(DropItem, match=r"timeline: published: cannot read 'soon'"):
            pipeline.process_item({"body": "نص الخبر", "date": "soon"}, None)
        with pytest.raises(DropItem, match=r"timeline: text: text contains no Arabic"):
            pipeline.process_item({"body": "English", "date": "2017-05-04T18:00:00Z"}, None)
        assert crawler.stats.get_value("timeline/new") == 1
        assert crawler.stats.get_value("timeline/rejected") == 2
    finally:
        pipeline.close_spider(None)


def test_unknown_mapped_field_is_named(settings: Settings) -> None:
    from producer.scrapy import TimelinePipeline

    with pytest.raises(ValueError, match=r"TIMELINE_FIELDS: unknown article fields \['body'\]"):
        TimelinePipeline(settings, fields={"body": "text"})


def test_importing_producer_does_not_import_scrapy() -> None:
    code = "import sys, producer, producer.feeds, producer.importer; print('scrapy' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert run.stdout.strip() == "False", run.stderr


if __name__ == "__main__":
    print(json.dumps(crawl(sys.argv[1]), default=str))  # noqa: T201


def test_items_are_filed_under_their_story(settings: Settings) -> None:
    """An item's own story field, else TIMELINE_DEFAULT_STORY, goes with the article."""
    from scrapy.utils.test import get_crawler

    from producer.scrapy import TimelinePipeline

    crawler = get_crawler(
        settings_dict={
            "TIMELINE_REDIS_URL": settings.redis_url,
            "TIMELINE_KEY_PREFIX": settings.key_prefix,
            "TIMELINE_DEFAULT_STORY": "budget-2017",
        }
    )
    pipeline = TimelinePipeline.from_crawler(crawler)
    pipeline.open_spider(None)
    try:
        own = {"id": "s-1", "text": "أعلنت الحكومة أمس خطة.", "published": "2017-05-04T18:00:00Z",
               "story": "plan-2017"}  # fmt: skip
        default = {"id": "s-2", "text": "وافق البرلمان أمس على الميزانية.",
                   "published": "2017-05-04T18:00:00Z"}  # fmt: skip
        for item in (own, default):
            pipeline.process_item(item, None)
        assert pipeline.producer is not None
        load = pipeline.producer.store.load_article
        assert '"story":"plan-2017"' in (load("s-1") or "")
        assert '"story":"budget-2017"' in (load("s-2") or "")
        with pytest.raises(Exception, match="story: String should match pattern"):
            pipeline.process_item({**own, "id": "s-3", "story": "no spaces please"}, None)
    finally:
        pipeline.close_spider(None)
