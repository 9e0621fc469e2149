"""``python -m api`` (what ``timeline serve`` runs): the API under uvicorn, on 127.0.0.1
unless a token guards it."""

from __future__ import annotations

import argparse
import sys

from config import logs
from config.settings import Settings, get_settings

__all__ = ["main", "serve"]


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the API in the foreground until SIGINT or SIGTERM."""
    import uvicorn

    from api.app import create_app

    problem = settings.bind_problem(host)
    if problem is not None:
        raise ValueError(problem)
    logs.configure(settings.log_level, settings.log_format)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,  # our structlog set-up, not uvicorn's
        access_log=False,  # one line per request comes from the app itself
        server_header=False,
        limit_concurrency=256,
        h11_max_incomplete_event_size=16 * 1024,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="timeline serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    try:
        serve(get_settings(), args.host, args.port)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)  # noqa: T201
        return 2
    return 0
