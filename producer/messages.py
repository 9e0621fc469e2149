"""Task messages built ahead, so a batch is stored and queued in one Redis round trip.

``send_task`` publishes one message per call (one round trip each, and much Python
around it). For batches the producer builds the same message here, with Celery's own
``create_task_message`` for the task protocol and kombu's envelope for the Redis
transport, and hands it to the store, which queues it in the same script that stores
the article (:meth:`store.TimelineStore.accept_and_enqueue`). A test compares these
messages with what ``send_task`` puts on the queue.
"""

from __future__ import annotations

import base64
import json
from uuid import uuid4

from celery import Celery
from kombu.serialization import dumps as serialize

from config.celeryconf import PROCESS_ARTICLE
from store import TaskMessage

__all__ = ["TaskMessages"]

#: kombu's persistent delivery mode (what ``Producer.publish`` sets by default)
_PERSISTENT = 2


class TaskMessages:
    """Builds ``timeline.process_article`` messages for one queue."""

    def __init__(self, app: Celery, queue: str) -> None:
        self.app = app
        self.queue = queue
        self.serializer = str(app.conf.task_serializer)
        self.reply_to = str(app.thread_oid)

    def build(self, article_id: str, digest: str) -> TaskMessage:
        task_id = str(uuid4())
        message = self.app.amqp.create_task_message(
            task_id,
            PROCESS_ARTICLE,
            [article_id, digest],
            {},
            reply_to=self.reply_to,
            ignore_result=None,
            # what Celery's saferepr gives for two short strings, without its cost
            argsrepr=repr([article_id, digest]),
            kwargsrepr="{}",
        )
        content_type, encoding, body = serialize(  # type: ignore[no-untyped-call]
            message.body, serializer=self.serializer
        )
        raw = body if isinstance(body, bytes) else body.encode(encoding or "utf-8")
        envelope = {
            "body": base64.b64encode(raw).decode("ascii"),
            "content-encoding": encoding,
            "content-type": content_type,
            "headers": message.headers,
            "properties": {
                **message.properties,
                "delivery_mode": _PERSISTENT,
                "delivery_info": {"exchange": "", "routing_key": self.queue},
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": str(uuid4()),
            },
        }
        return TaskMessage(task_id, json.dumps(envelope), digest)
