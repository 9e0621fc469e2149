"""A Scrapy item pipeline that hands scraped articles to the timeline service.

In the Scrapy project's ``settings.py``::

    ITEM_PIPELINES = {"producer.scrapy.TimelinePipeline": 300}
    TIMELINE_REDIS_URL = "redis://localhost:6379/0"
    TIMELINE_KEY_PREFIX = "timeline"
    # article field -> item field (only the ones that differ from the article's names)
    TIMELINE_FIELDS = {"text": "body", "title": "headline", "published": "date"}
    TIMELINE_DEFAULT_OUTLET = "Example News"        # for items without an outlet
    TIMELINE_DEFAULT_STORY = "astana-talks-2017"     # for items without a story (optional)
    TIMELINE_DEFAULT_TIMEZONE = "Asia/Beirut"       # naive dates are read in this zone
    TIMELINE_OUTLET_TIMEZONES = {"Example News": "Asia/Beirut"}
    TIMELINE_PUBLISHED_FALLBACK = "reject"          # or "now"

Each item is validated and enqueued through :class:`producer.Producer` (dates in any
form :mod:`producer.published` reads). An item mapped to an ``html`` field and no text
is a whole page: its text, title and date are extracted as ``timeline enqueue --html``
does. An item that is not a valid article is logged and dropped with Scrapy's
``DropItem``, naming the field; the crawl goes on. Counts go to the crawl's stats
(``timeline/new``, ``timeline/duplicate``, ``timeline/rejected``…).

Any setting not given here is read from the ``TIMELINE_*`` environment as the service
reads it. Scrapy is the ``scrapy`` extra (``pip install 'timeline[scrapy]'``); importing
:mod:`producer` never needs it. Items are enqueued synchronously (a few Redis round
trips, well under a millisecond each on a local network).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

try:
    from itemadapter import ItemAdapter
    from scrapy.exceptions import DropItem
except ImportError as err:  # pragma: no cover - depends on the install
    raise ImportError(
        f"producer.scrapy needs Scrapy: pip install 'timeline[scrapy]' ({err})"
    ) from err

import redis

from config.logs import get_logger
from config.settings import Settings
from producer import InvalidArticle, Producer, QueueFull

__all__ = ["ARTICLE_FIELDS", "TimelinePipeline"]

log = get_logger("producer.scrapy")

#: the article fields an item can map, and ``html`` for whole pages
ARTICLE_FIELDS = ("id", "text", "title", "url", "published", "outlet", "story", "html")

#: Scrapy setting → service setting
_SETTINGS = {
    "TIMELINE_REDIS_URL": "redis_url",
    "TIMELINE_KEY_PREFIX": "key_prefix",
    "TIMELINE_QUEUE": "queue",
    "TIMELINE_MAX_TEXT_CHARS": "max_text_chars",
    "TIMELINE_MAX_QUEUE_LENGTH": "max_queue_length",
    "TIMELINE_BACKPRESSURE": "backpressure",
    "TIMELINE_DEFAULT_TIMEZONE": "default_timezone",
    "TIMELINE_OUTLET_TIMEZONES": "outlet_timezones",
    "TIMELINE_PUBLISHED_FALLBACK": "published_fallback",
}


class TimelinePipeline:
    """``ITEM_PIPELINES = {"producer.scrapy.TimelinePipeline": 300}``."""

    def __init__(
        self,
        settings: Settings,
        *,
        fields: Mapping[str, str] | None = None,
        default_outlet: str | None = None,
        default_story: str | None = None,
        stats: Any = None,
    ) -> None:
        unknown = set(fields or {}) - set(ARTICLE_FIELDS)
        if unknown:
            raise ValueError(
                f"TIMELINE_FIELDS: unknown article fields {sorted(unknown)} "
                f"(expected some of {', '.join(ARTICLE_FIELDS)})"
            )
        self.settings = settings
        self.fields = {name: name for name in ARTICLE_FIELDS} | dict(fields or {})
        self.default_outlet = default_outlet
        self.default_story = default_story
        self.stats = stats
        self.producer: Producer | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> TimelinePipeline:
        scrapy_settings = crawler.settings
        values: dict[str, Any] = {}
        for name, field in _SETTINGS.items():
            value = scrapy_settings.get(name)
            if value is None:
                continue
            if field == "outlet_timezones":
                value = scrapy_settings.getdict(name)
            values[field] = value
        settings = Settings(**values)
        return cls(
            settings,
            fields=scrapy_settings.getdict("TIMELINE_FIELDS"),
            default_outlet=scrapy_settings.get("TIMELINE_DEFAULT_OUTLET"),
            default_story=scrapy_settings.get("TIMELINE_DEFAULT_STORY"),
            stats=crawler.stats,
        )

    def open_spider(self, spider: Any = None) -> None:
        self.producer = Producer(self.settings)
        log.info("scrapy.pipeline_open", prefix=self.settings.key_prefix, queue=self.settings.queue)

    def close_spider(self, spider: Any = None) -> None:
        if self.producer is not None:
            self.producer.close()
            self.producer = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if self.producer is None:
            self.open_spider(spider)
        assert self.producer is not None
        fields = self.article_fields(item)
        html = fields.pop("html", None)
        try:
            if html and not fields.get("text"):
                acceptance = self.producer.submit_html(
                    html,
                    url=fields.get("url"),
                    outlet=fields.get("outlet"),
                    published=fields.get("published"),
                    article_id=fields.get("id"),
                    story=fields.get("story"),
                )
            else:
                acceptance = self.producer.submit(fields)
        except InvalidArticle as err:
            self._count("rejected")
            log.warning("scrapy.item_rejected", url=fields.get("url"), error=str(err))
            raise DropItem(f"timeline: {err}") from None
        except (QueueFull, redis.RedisError) as err:
            self._count("failed")
            log.error("scrapy.item_not_queued", url=fields.get("url"), error=str(err))
            raise DropItem(f"timeline: not queued: {err}") from None
        self._count(acceptance.outcome.value)
        log.debug(
            "scrapy.item_queued", article_id=acceptance.article_id, outcome=acceptance.outcome.value
        )
        return item

    def article_fields(self, item: Any) -> dict[str, Any]:
        """The article fields of an item, through the field mapping."""
        adapter = ItemAdapter(item)
        fields: dict[str, Any] = {}
        for name, source in self.fields.items():
            value = _clean(adapter.get(source), joined=name in ("text", "html"))
            if value is not None:
                fields[name] = value
        if "outlet" not in fields and self.default_outlet:
            fields["outlet"] = self.default_outlet
        if "story" not in fields and self.default_story:
            fields["story"] = self.default_story
        return fields

    def _count(self, outcome: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"timeline/{outcome}")


def _clean(value: Any, *, joined: bool) -> Any:
    """Item values as scrapers leave them: strip strings, join or pick from lists."""
    if isinstance(value, list | tuple):
        parts = [_clean(v, joined=False) for v in value]
        parts = [p for p in parts if p not in (None, "")]
        if not parts:
            return None
        if joined:
            return "\n".join(str(p) for p in parts)
        return parts[0]
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
