"""The FastAPI app: routers wired, limits and headers, errors that name the parameter."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import redis
from fastapi import Depends, FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from api.deps import require_token
from api.routes import articles, events, health, page, stories
from config.logs import get_logger
from config.settings import Settings, get_settings
from store import TimelineStore
from timeline.contract import SCHEMA_VERSION

log = get_logger("api")

#: the longest request target (path and query) served; longer ones get 414
MAX_TARGET_BYTES = 4096
#: the API is read-only: a request body larger than this gets 413
MAX_BODY_BYTES = 1024

#: no script, no outside resource: the page is markup and its own inline style
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(settings: Settings | None = None, store: TimelineStore | None = None) -> FastAPI:
    """The API over ``store`` (by default the one ``settings`` opens)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="timeline",
        summary="Arabic news timelines: articles, merged events across outlets, stories.",
        version=SCHEMA_VERSION,
        docs_url=None,  # the interactive docs load scripts from elsewhere
        redoc_url=None,
        openapi_url=None,  # served below, behind the token like everything else
    )
    app.state.settings = settings
    app.state.store = store or settings.open_store()
    guarded = [Depends(require_token)]
    app.include_router(health.router)
    for router in (articles.router, events.router, stories.router, page.router):
        app.include_router(router, dependencies=guarded)

    @app.get("/openapi.json", include_in_schema=False, dependencies=guarded)
    def openapi() -> dict[str, Any]:
        return app.openapi()

    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(redis.RedisError, _store_unavailable)
    app.middleware("http")(_limits_and_headers)
    return app


async def _invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
    """400 with one line per problem, each naming the parameter."""
    parts = []
    for item in error.errors():
        where = [str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body")]
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(where) or 'request'}: {message}")
    return JSONResponse({"detail": "; ".join(parts)}, status_code=status.HTTP_400_BAD_REQUEST)


async def _store_unavailable(_: Request, error: Exception) -> JSONResponse:
    """503 without the error's text: it may name the Redis host."""
    log.warning("api.store_unavailable", error=type(error).__name__)
    return JSONResponse(
        {"detail": "store: unavailable, try again later"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
    )


async def _limits_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    began = time.perf_counter()
    target = request.scope.get("raw_path", b"") + b"?" + request.scope.get("query_string", b"")
    length = request.headers.get("content-length")
    response: Response
    if len(target) > MAX_TARGET_BYTES:
        response = _refuse(414, f"request: the URL is over {MAX_TARGET_BYTES} bytes")
    elif "transfer-encoding" in request.headers or (
        length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES)
    ):
        response = _refuse(413, f"request: bodies over {MAX_BODY_BYTES} bytes are refused")
    else:
        response = await call_next(request)
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    log.info(
        "http.request",
        method=request.method,
        path=request.url.path,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - began) * 1000, 2),
    )
    return response


def _refuse(code: int, message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=code)
