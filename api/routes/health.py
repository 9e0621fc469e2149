"""``GET /health``: does the API reach its Redis?"""

from __future__ import annotations

from typing import Annotated, Literal

import redis
from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel

from api.deps import get_store
from store import TimelineStore

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    redis: bool


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health(store: Annotated[TimelineStore, Depends(get_store)], response: Response) -> Health:
    """``ok`` when Redis answers; 503 otherwise (no detail: addresses stay private)."""
    try:
        store.redis.ping()
    except (redis.RedisError, OSError):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Health(status="unavailable", redis=False)
    return Health(status="ok", redis=True)
