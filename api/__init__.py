"""The read-only HTTP API and the timeline page: ``timeline serve``.

One router per resource (``api.routes``); the app only wires them. Every route reads
through the store, which a dependency supplies (tests and embedders override
:func:`api.deps.get_store`).
"""

from api.app import create_app

__all__ = ["create_app"]
