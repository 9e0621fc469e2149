"""``GET /timeline``: the merged timeline as a right-to-left page a person can read."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Annotated
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import PageQuery, get_settings, get_store, page_query, read_page
from config.settings import Settings
from store import TimelineStore
from timeline.contract import EntryPage, StoryKey, TimelineEntry
from timeline.stories import when

router = APIRouter(tags=["page"])


@cache
def _templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("api", "templates"),
        autoescape=True,  # every value is escaped: scraped text never becomes markup
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["when"] = _when
    environment.filters["uncertain"] = _uncertain
    return environment


def _when(entry: TimelineEntry) -> str:
    return when(entry.value, entry.earliest, entry.latest)


def _uncertain(entry: TimelineEntry) -> bool:
    """True when the entry has bounds rather than one date."""
    return entry.disagreement is not None or "…" in _when(entry)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(
    request: Request,
    page: Annotated[PageQuery, Depends(page_query)],
    store: Annotated[TimelineStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
    story: Annotated[
        StoryKey | None, Query(description="only the articles filed under this story")
    ] = None,
) -> HTMLResponse:
    """The page: a vertical time axis, one card per happening with its date or bounds,
    outlet badges and links to every source."""
    if story is not None:
        page = PageQuery(dataclasses.replace(page.query, story=story), page.cursor, page.limit)
    if not (page.query.words or page.query.story or page.query.start or page.query.end):
        found = EntryPage(entries=[])
        asked = False
    else:
        found = read_page(store, settings, page)
        asked = True
    params = dict(request.query_params)
    more = None
    if found.next:
        more = "?" + urlencode({**params, "cursor": found.next})
    html = (
        _templates()
        .get_template("timeline.html")
        .render(
            entries=found.entries,
            asked=asked,
            q=params.get("q", ""),
            start=params.get("from", ""),
            end=params.get("to", ""),
            story=story or "",
            more=more,
        )
    )
    return HTMLResponse(html)
