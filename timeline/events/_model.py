"""The working record of one event while it is anchored, related and ordered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from timeline.contract import RelationType, Span, TimeExpression, TimeSource
from timeline.events._clauses import Clause, ClauseKind
from timeline.events._intervals import Interval


@dataclass(slots=True)
class Link:
    """A relation found in the text: ``source`` stands ``type`` to ``target``."""

    source: int
    type: RelationType
    target: int
    evidence: Span | None = None
    #: least and most time between the two events, when the text measures it
    least: timedelta = timedelta(0)
    most: timedelta | None = None
    #: stated by a connective («بعد»، «ثم») rather than inferred (the pluperfect)
    stated: bool = True
    #: the event-anchored expression that measures the gap («بعد ساعات»)
    timex: TimeExpression | None = None


@dataclass(slots=True)
class Draft:
    index: int
    clause: Clause
    start: int
    end: int
    #: where the clause's sentence starts (original offset)
    sentence_start: int
    #: the trigger's text and original offsets [start, end)
    trigger: tuple[str, int, int]
    text: str
    lemma: str
    reporting: bool
    #: what the clause says of the event (the clause is settled before drafts are made)
    id: str
    sentence: int
    kind: ClauseKind
    headline: bool
    future: bool
    #: told in the perfect (and not the future)
    past: bool
    state: bool
    #: the expression (or publication) that dates the event, and how it was found
    source: TimeSource | None = None
    timex: TimeExpression | None = None
    interval: Interval | None = None
    background: bool = False
    #: 0 for events told as background (pluperfect), 1 for the narrative
    phase: int = 1
    same_as: int | None = None
    #: for a time resolved against an earlier event («في اليوم التالي»): that event
    anchored_on: int | None = None
    #: for a reported event that took its time from its reporting frame: the frame
    reported_by: int | None = None
    links: tuple[Link, ...] = ()
    earliest: datetime | None = None
    latest: datetime | None = None
