"""What routes depend on: the store, the settings, the bearer token, the query."""

from __future__ import annotations

import dataclasses
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status

from config.settings import Settings
from store import TimelineStore
from timeline.contract import EntryPage, StoryKey
from timeline.stories import Query as EntryQuery

__all__ = [
    "PageQuery",
    "get_settings",
    "get_store",
    "page_query",
    "read_page",
    "require_token",
    "story_page_query",
]

#: the most characters of ``q``, and the most outlets one request may name
MAX_Q_CHARS = 200
MAX_OUTLETS = 10


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> TimelineStore:
    store: TimelineStore = request.app.state.store
    return store


def require_token(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    """With ``TIMELINE_API_TOKEN`` set, every request carries it as a bearer token."""
    if settings.api_token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = settings.api_token.get_secret_value()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "authorization: a bearer token is required (Authorization: Bearer …)",
            headers={"WWW-Authenticate": "Bearer"},
        )


class PageQuery:
    """A merged timeline query and the page asked for."""

    def __init__(self, query: EntryQuery, cursor: str | None, limit: int) -> None:
        self.query = query
        self.cursor = cursor
        self.limit = limit


def page_query(
    settings: Annotated[Settings, Depends(get_settings)],
    start: Annotated[
        str | None,
        Query(
            alias="from",
            max_length=40,
            description="ISO date (that whole day) or date-time: earliest time from",
        ),
    ] = None,
    end: Annotated[
        str | None,
        Query(
            alias="to",
            max_length=40,
            description="ISO date (included) or date-time (excluded): earliest time up to",
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=MAX_Q_CHARS, description="words every entry must match"),
    ] = None,
    outlet: Annotated[
        list[str] | None,
        Query(max_length=MAX_OUTLETS, description="only these outlets (repeat for several)"),
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=512, description="the `next` of the page before")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=1_000, description="entries per page")] = None,
) -> PageQuery:
    for name in outlet or ():
        if not 0 < len(name) <= 200:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "outlet: 1 to 200 characters")
    size = settings.api_page_size if limit is None else limit
    if size > settings.api_max_page_size:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"limit: {size} is over the most a page holds ({settings.api_max_page_size})",
        )
    try:
        query = EntryQuery.parse(start=start, end=end, q=q, outlets=outlet or ())
    except ValueError as err:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(err)) from None
    return PageQuery(query, cursor, size)


def story_page_query(
    key: StoryKey,
    settings: Annotated[Settings, Depends(get_settings)],
    page: Annotated[PageQuery, Depends(page_query)],
) -> PageQuery:
    return PageQuery(dataclasses.replace(page.query, story=key), page.cursor, page.limit)


def read_page(store: TimelineStore, settings: Settings, page: PageQuery) -> EntryPage:
    """The page from the store; a cursor that is not the query's, or a query too broad
    to merge, is the client's error (400)."""
    try:
        return store.entries(
            page.query,
            cursor=page.cursor,
            limit=page.limit,
            max_reports=settings.max_query_reports,
        )
    except ValueError as err:  # TooManyReports is one
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(err)) from None
