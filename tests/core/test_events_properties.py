"""Whatever the text, events keep their invariants: valid, ordered, non-overlapping spans."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.contract import TimeExpression, TimexType
from timeline.events import build_events

PUBLISHED = datetime.fromisoformat("2018-03-10T12:00:00+02:00")

WORDS = [
    "وأعلن", "الوزير", "أن", "بعد", "قبل", "انسحاب", "الوفد", "وكانت", "قد", "أغلقت",
    "الذي", "تم", "التوصل", "ثم", "منذ", "ثورة", "قال", "إن", "سيعلن", "مع", "الخميس",
    "2016", "٤", "ـ", "َ", "«", "»", '"', "،", ".", "؟", ":", "\n", "(CNN)--", "*", "-",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)


def _dates(text: str) -> list[TimeExpression]:
    found, start = [], text.find("الخميس")
    while start >= 0:
        found.append(
            TimeExpression(
                id=f"t{start}",
                text="الخميس",
                start=start,
                end=start + 6,
                type=TimexType.DATE,
                value="2018-03-08",
            )
        )
        start = text.find("الخميس", start + 1)
    return found


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_events_are_well_formed_for_any_text(text: str) -> None:
    """Spans lie in the text, hold their trigger, never overlap; ids are unique; every
    relation points at an event of the timeline."""
    events, timexes, contradictions = build_events(text, PUBLISHED, _dates(text))
    ids = [e.id for e in events]
    assert len(ids) == len(set(ids))
    spans = sorted((e.start, e.end) for e in events)
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start
    for event in events:
        assert 0 <= event.start <= event.trigger.start < event.trigger.end <= event.end
        assert event.end <= len(text)
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert all(r.target in ids for r in event.relations)
        if event.earliest is not None and event.latest is not None:
            assert event.earliest <= event.latest
    assert all(set(c.events) <= set(ids) for c in contradictions)
    assert len(timexes) == len(_dates(text))
