"""Articles from whole web pages: main text, title and publication date.

The main text and title come from trafilatura (pure parsing: nothing is fetched, so it
runs offline). The publication date is the page's own metadata when it has any, in this
order: ``article:published_time`` and kindred ``<meta>`` tags, JSON-LD ``datePublished``,
``<time datetime>``; only without those is it guessed from the visible text (an element
whose class or id says date/time/publish, e.g. «نشر في: الخميس 4 أيار 2017 - 18:00»),
then by htmldate. Each candidate is read with :mod:`producer.published`; the first one
that gives a time wins.

Needs the ``feeds`` extra (``pip install timeline[feeds]``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from config.logs import get_logger
from producer.published import PublishedPolicy, UnusableDate, parse_published

__all__ = ["Page", "choose_published", "extract_page", "html_to_text", "page_fields"]

log = get_logger("producer.html")

#: ``<meta>`` names and properties that hold the publication time, best first
_META_DATES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publish-date",
    "publishdate",
    "pubdate",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
_DATE_HINT = re.compile(r"date|time|publish|posted|تاريخ", re.I)
_MAX_DATE_TEXT = 120


@dataclass
class Page:
    """What a page says about itself."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    #: ``(where, value)`` publication time candidates, best first
    dates: list[tuple[str, str]] = field(default_factory=list)


def _tree(html: str | bytes) -> Any:
    import lxml.html

    try:
        return lxml.html.document_fromstring(html)
    except (ValueError, TypeError, Exception):  # lxml raises ParserError for empty input
        return None


def extract_page(html: str | bytes, url: str | None = None) -> Page:
    """The main text, title, canonical URL, site name and date candidates of a page."""
    import trafilatura

    if isinstance(html, bytes):
        html = _decode(html)
    text = trafilatura.extract(
        html,
        url=url,
        favor_recall=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        with_metadata=False,
    )
    metadata = trafilatura.extract_metadata(html, default_url=url)
    tree = _tree(html)
    title = (metadata.title if metadata else None) or _first_text(tree, "//h1")
    page = Page(
        text=_strip_head(text or "", title),
        title=title or None,
        url=url or (metadata.url if metadata else None) or _canonical(tree),
        outlet=(metadata.sitename if metadata else None) or None,
    )
    if tree is not None:
        page.dates.extend(_metadata_dates(tree))
        page.dates.extend(_visible_dates(tree))
    guessed = _htmldate(html)
    if guessed:
        page.dates.append(("htmldate", guessed))
    return page


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's ``content:encoded``), paragraph per line."""
    import lxml.html

    if not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, TypeError, Exception):  # lxml's ParserError
        return ""
    for bad in root.xpath("//script|//style|//figure|//figcaption|//iframe"):
        bad.drop_tree()
    for block in root.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//blockquote"):
        block.tail = "\n" + (block.tail or "")
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def choose_published(
    candidates: list[tuple[str, str]],
    dates: PublishedPolicy,
    *,
    outlet: str | None,
    url: str | None,
    now: datetime,
) -> tuple[str, datetime] | None:
    """The first candidate that gives a publication time: ``(where, time)``."""
    zone = dates.zone_for(outlet, url)
    for where, value in candidates:
        try:
            return where, parse_published(value, zone=zone, now=now)
        except UnusableDate as err:
            log.debug("html.date_skipped", where=where, value=value, reason=str(err))
    return None


def page_fields(
    page: Page,
    dates: PublishedPolicy,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: Any = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The article fields of a page; ``published`` given by the caller (a feed) wins."""
    fields: dict[str, Any] = {
        "text": page.text,
        "title": page.title,
        "url": url or page.url,
        "outlet": outlet or page.outlet,
    }
    if published is not None:
        fields["published"] = published
    else:
        chosen = choose_published(
            page.dates,
            dates,
            outlet=fields["outlet"],
            url=fields["url"],
            now=now or datetime.now(UTC),
        )
        if chosen is not None:
            fields["published"] = chosen[1]
            log.debug("html.date", where=chosen[0], published=chosen[1].isoformat())
        elif page.dates:
            fields["published"] = page.dates[0][1]  # unreadable: the producer says why
    if fields["url"] is not None and not re.match(r"^https?://", fields["url"], re.I):
        fields["url"] = None
    return {name: value for name, value in fields.items() if value is not None}


# -- helpers --


def _decode(raw: bytes) -> str:
    head = raw[:2048].decode("ascii", "ignore")
    match = re.search(r"charset=[\"']?([A-Za-z0-9_\-]+)", head, re.I)
    for encoding in (match.group(1) if match else None, "utf-8", "windows-1256"):
        if not encoding:
            continue
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", "replace")


def _first_text(tree: Any, xpath: str) -> str | None:
    if tree is None:
        return None
    for node in tree.xpath(xpath):
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None


def _canonical(tree: Any) -> str | None:
    if tree is None:
        return None
    for value in tree.xpath("//link[@rel='canonical']/@href|//meta[@property='og:url']/@content"):
        if str(value).startswith(("http://", "https://")):
            return str(value)
    return None


def _strip_head(text: str, title: str | None) -> str:
    """Drop the headline and a bare date line that trafilatura keeps at the top."""
    lines = text.split("\n")
    while lines:
        first = lines[0].strip()
        if not first or (title and first == title.strip()) or _is_date_line(first):
            lines.pop(0)
            continue
        break
    return "\n".join(lines).strip()


def _is_date_line(line: str) -> bool:
    if len(line) > 60:
        return False
    try:
        parse_published(line, zone=UTC, now=datetime(2000, 1, 1, tzinfo=UTC))
    except UnusableDate:
        return False
    return True


def _metadata_dates(tree: Any) -> Iterator[tuple[str, str]]:
    metas: dict[str, str] = {}
    for meta in tree.xpath("//meta"):
        name = (
            (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        )
        content = (meta.get("content") or "").strip()
        if name and content and name not in metas:
            metas[name] = content
    for name in _META_DATES:
        if name in metas:
            yield f"meta {name}", metas[name]
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except (json.JSONDecodeError, RecursionError):
            continue
        for value in _json_ld_dates(data):
            yield "json-ld datePublished", value
    for node in tree.xpath("//*[@itemprop='datePublished']"):
        value = node.get("datetime") or node.get("content")
        if value:
            yield "itemprop datePublished", value.strip()
    times = tree.xpath("//article//time[@datetime]") or tree.xpath("//time[@datetime]")
    preferred = [
        t for t in times if t.get("pubdate") is not None or _DATE_HINT.search(t.get("class") or "")
    ]
    for node in preferred or times[:1]:
        yield "time datetime", node.get("datetime").strip()


def _json_ld_dates(data: Any, depth: int = 0) -> Iterator[str]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_dates(item, depth + 1)
    elif isinstance(data, dict):
        value = data.get("datePublished")
        if isinstance(value, str | int | float) and str(value).strip():
            yield str(value).strip()
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "article"):
            if key in data:
                yield from _json_ld_dates(data[key], depth + 1)


def _visible_dates(tree: Any) -> Iterator[tuple[str, str]]:
    """Short texts in elements whose class or id hints at a date («نشر في: …»)."""
    seen = 0
    for node in tree.xpath("//body//*[@class or @id]"):
        hint = f"{node.get('class') or ''} {node.get('id') or ''}"
        if not _DATE_HINT.search(hint):
            continue
        text = " ".join(node.text_content().split())
        if text and len(text) <= _MAX_DATE_TEXT:
            yield f"text .{hint.strip()}", text
            seen += 1
            if seen >= 5:
                return


def _htmldate(html: str) -> str | None:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - installed with trafilatura
        return None
    try:
        found = find_date(html, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return str(found) if found else None
