"""``GET /events``: the merged timeline across articles, a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import PageQuery, get_settings, get_store, page_query, read_page
from config.settings import Settings
from store import TimelineStore
from timeline.contract import EntryPage

router = APIRouter(tags=["events"])


@router.get("/events", response_model=EntryPage)
def events(
    page: Annotated[PageQuery, Depends(page_query)],
    store: Annotated[TimelineStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> EntryPage:
    """Entries (one per happening, with every report of it) in chronological order;
    ``next`` is the cursor of the following page, absent on the last."""
    return read_page(store, settings, page)
