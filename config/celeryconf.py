"""Celery configuration shared by the worker and the producer.

The producer builds its own small app from this and enqueues by task name
(``send_task``); it never imports the worker.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from config.settings import Settings
from store.connection import broker_url
from store.keys import Keys

#: the task every article goes through: ``(article_id, digest)``
PROCESS_ARTICLE = "timeline.process_article"


def celery_config(settings: Settings) -> dict[str, Any]:
    keys = Keys(settings.key_prefix)
    transport: dict[str, Any] = {
        # a task not acknowledged within this many seconds is redelivered
        "visibility_timeout": settings.visibility_timeout,
        # look for tasks of dead workers often enough that they come back soon after the
        # visibility timeout (kombu's default looks every 10 s x 10 = 100 s); the scan is
        # one bounded ZRANGE
        "unacked_restore_interval": max(1, min(10, settings.visibility_timeout // 5)),
        "unacked_restore_throttle": 1,
        # the broker's keys live under the same prefix as the store's
        "global_keyprefix": keys.broker_prefix,
        "socket_timeout": 15,
        "socket_connect_timeout": 5,
        "health_check_interval": 25,
        "retry_on_timeout": True,
    }
    return {
        "broker_url": broker_url(settings.redis_url),
        "broker_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        "broker_channel_error_retry": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_serializer": "json",
        "result_accept_content": ["json"],
        "task_ignore_result": True,
        "result_backend": None,
        "task_default_queue": settings.queue,
        "task_create_missing_queues": True,
        # at-least-once: acknowledge after the work is stored, redeliver if the worker dies
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": True,
        "task_soft_time_limit": settings.task_soft_time_limit,
        "task_time_limit": settings.task_time_limit,
        "worker_prefetch_multiplier": settings.worker_prefetch_multiplier,
        "worker_max_tasks_per_child": settings.worker_max_tasks_per_child,
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_kb,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "worker_send_task_events": False,
        "task_send_sent_event": False,
        "worker_enable_remote_control": True,
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        "enable_utc": True,
    }


def make_app(settings: Settings, main: str) -> Celery:
    app = Celery(main, set_as_current=False)
    app.conf.update(celery_config(settings))
    return app
