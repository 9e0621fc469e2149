"""What parsing finds: an underspecified mention, before any reference time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Mention:
    """A time expression as found in folded text, not yet resolved.

    ``start``/``end`` are offsets into the folded text. ``slots`` hold what the rule
    read (``weekday=3``, ``unit=UnitWord('D', 'two')``, ``direction='-1'``, ``mod``…)
    and the constants of the rule; ``kind`` says how to resolve them.
    """

    start: int
    end: int
    kind: str
    rule: str
    family: str
    slots: dict[str, Any] = field(default_factory=dict)
    #: the whole match, context words included, used to settle overlaps
    match_start: int = 0
    match_end: int = 0

    def get(self, name: str, default: Any = None) -> Any:
        return self.slots.get(name, default)
