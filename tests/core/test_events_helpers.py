"""Hand-made time expressions for event tests, so that they do not depend on the tagger."""

from __future__ import annotations

from datetime import datetime

from timeline.contract import (
    Anchor,
    AnchorKind,
    Contradiction,
    Event,
    TimeExpression,
    TimexType,
)
from timeline.events import build_events


def timex(
    text: str,
    phrase: str,
    value: str,
    kind: TimexType = TimexType.DATE,
    *,
    mod: str | None = None,
    nth: int = 0,
    anchor: AnchorKind = AnchorKind.PUBLICATION,
) -> TimeExpression:
    """The expression ``phrase`` (its ``nth`` occurrence) in ``text`` with ``value``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return TimeExpression(
        id=f"t{start}",
        text=phrase,
        start=start,
        end=start + len(phrase),
        type=kind,
        value=value,
        mod=mod,
        anchor=Anchor(kind=anchor),
    )


def run(
    text: str, published: str, *timexes: TimeExpression
) -> tuple[list[Event], list[TimeExpression], list[Contradiction]]:
    ordered = sorted(timexes, key=lambda t: t.start)
    return build_events(text, datetime.fromisoformat(published), ordered)


def find(events: list[Event], trigger: str) -> Event:
    """The event whose trigger is ``trigger``."""
    matches = [e for e in events if e.trigger.text == trigger]
    assert matches, f"no event {trigger!r} among {[e.trigger.text for e in events]}"
    return matches[0]


def position(events: list[Event], trigger: str) -> int:
    return events.index(find(events, trigger))


def assert_order(events: list[Event], *triggers: str) -> None:
    """The events with these triggers come in this order in the timeline."""
    places = [position(events, t) for t in triggers]
    assert places == sorted(places), (
        f"expected {triggers}, timeline is {[e.trigger.text for e in events]}"
    )
