"""The baseline of ``bench/pipeline.py``: the worker with a task that does nothing.

    python -m bench.noop_worker worker --concurrency 2

It is ``timeline worker`` in every way but the task's body: the same Celery app
(settings, broker and transport options, prefetch, late acknowledgement, time limits,
logging, the stranded-task sweeper), the same queue, and a task of the same name that
takes the same ``(article_id, digest)`` message and returns at once, touching nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from config.celeryconf import PROCESS_ARTICLE
from worker.app import app, settings

# the worker's own tasks module is left out: the task below takes its name
app.conf.include = []


@app.task(name=PROCESS_ARTICLE, bind=True, typing=False)  # type: ignore[untyped-decorator]
def process_article(self: Any, *args: Any, **kwargs: Any) -> str:
    """Receive the message and do nothing with it."""
    return "done"


def main(argv: list[str]) -> None:
    """``worker [celery options]``, as ``timeline worker`` takes them."""
    if not argv or argv[0] != "worker":
        raise SystemExit("usage: python -m bench.noop_worker worker [celery worker options]")
    base = ["worker", "-Q", settings.queue, "--without-gossip", "--without-mingle"]
    app.worker_main([*base, *argv[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
