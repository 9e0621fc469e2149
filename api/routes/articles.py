"""``GET /articles/{id}``: an article's state and its timeline, one entry per happening."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from api.deps import get_store
from store import TimelineStore
from timeline.contract import ArticleId, ArticleView

router = APIRouter(tags=["articles"])


@router.get(
    "/articles/{article_id}",
    response_model=ArticleView,
    responses={404: {"description": "no article under this id"}},
)
def article(
    article_id: ArticleId,
    store: Annotated[TimelineStore, Depends(get_store)],
    show_all: Annotated[
        bool, Query(alias="all", description="also the clauses with no time of their own")
    ] = False,
) -> ArticleView:
    """The article's state (queued, processing, done, failed) and, once done, its entries."""
    found = store.article_view(article_id, show_all=show_all)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"article_id: unknown article {article_id}")
    return found
