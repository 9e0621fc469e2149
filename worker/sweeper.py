"""Find the tasks the broker lost and send them again.

kombu's Redis transport takes a task off the queue (BRPOP) before it records it
as unacknowledged; a connection that breaks in between loses the task. The
store knows every accepted article that no worker has claimed; one worker at a
time looks for those stranded (see :meth:`store.TimelineStore.stranded`) and
sends their tasks again. A task sent twice is harmless: the second claim finds
the article done or busy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery, bootsteps

from config.celeryconf import PROCESS_ARTICLE
from config.logs import get_logger
from config.settings import Settings
from store import TimelineStore

log = get_logger("worker")


def sweep(app: Celery, store: TimelineStore, settings: Settings, holder: str) -> int:
    """Send again the stranded tasks, unless another worker is sweeping now."""
    if not store.sweep_lock(settings.sweep_interval_seconds * 0.9, holder):
        return 0
    stranded = store.stranded(settings.queue, settings.stranded_after)
    for article_id, digest in stranded:
        result = app.send_task(PROCESS_ARTICLE, args=[article_id, digest], queue=settings.queue)
        store.mark_sent(article_id, result.id)
    if stranded:
        log.warning("sweeper.requeued", count=len(stranded), ids=[i for i, _ in stranded][:20])
    return len(stranded)


def sweeper_step(
    store: Callable[[], TimelineStore], settings: Settings
) -> type[bootsteps.StartStopStep]:
    """A worker bootstep running :func:`sweep` on the worker's timer."""

    class StrandedSweeper(bootsteps.StartStopStep):
        requires = ("celery.worker.components:Timer",)

        def __init__(self, worker: Any, **kwargs: Any) -> None:
            super().__init__(worker, **kwargs)
            self.tref: Any = None

        def start(self, worker: Any) -> None:
            def tick() -> None:
                try:
                    sweep(worker.app, store(), settings, worker.hostname)
                except Exception as err:  # never let the sweeper take the worker down
                    log.warning("sweeper.failed", error=f"{type(err).__name__}: {err}")

            self.tref = worker.timer.call_repeatedly(settings.sweep_interval_seconds, tick)

        def stop(self, worker: Any) -> None:
            if self.tref is not None:
                self.tref.cancel()

    return StrandedSweeper
