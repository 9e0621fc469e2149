"""``GET /stories/{key}``: the merged timeline of the articles filed under a story."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import PageQuery, get_settings, get_store, read_page, story_page_query
from config.settings import Settings
from store import TimelineStore
from timeline.contract import EntryPage

router = APIRouter(tags=["stories"])


@router.get("/stories/{key}", response_model=EntryPage)
def story(
    page: Annotated[PageQuery, Depends(story_page_query)],
    store: Annotated[TimelineStore, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> EntryPage:
    """Entries of the story's articles (narrowed by the same parameters as ``/events``);
    a key no article was filed under gives an empty page."""
    return read_page(store, settings, page)
