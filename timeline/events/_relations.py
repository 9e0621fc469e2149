"""Reading the order the text states between events.

- a temporal connective orders its clause's event against the main clause
  («وصل بعد انسحابهم»: the withdrawal is BEFORE the arrival); a connective that
  opens the sentence depends on the clause after it;
- a connective without an event of its own («وبعد أيام من ذلك، …») and the
  sequencers («ثم»، «لاحقا»، «في الوقت نفسه») order their clause against the
  event told just before;
- a measured gap («بعد ساعات على…»، «بعد يومين») bounds how far apart they are;
- the pluperfect («وكان … قد …») puts its event before the narrative it
  interrupts (an inference, weaker than a stated connective);
- a restating verb («ويأتي القرار…»، «وجاء ذلك…») is the event told just before.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import timedelta

from timeline.contract import RelationType, Span, TimeExpression, TimeSource, TimexType
from timeline.events._anchoring import inherit
from timeline.events._clauses import ClauseKind
from timeline.events._lexicon import LEXICON
from timeline.events._model import Draft, Link
from timeline.events._words import Tokens

_DURATION = re.compile(r"^P(T)?(X|\d+(?:\.\d+)?)([YMWDH])$")

INVERSE = {
    RelationType.BEFORE: RelationType.AFTER,
    RelationType.AFTER: RelationType.BEFORE,
    RelationType.SIMULTANEOUS: RelationType.SIMULTANEOUS,
    RelationType.INCLUDES: RelationType.IS_INCLUDED,
    RelationType.IS_INCLUDED: RelationType.INCLUDES,
}

_NOT_ANTECEDENTS = frozenset([ClauseKind.RELATIVE, ClauseKind.ATTRIBUTION])
_NOT_NARRATIVE = frozenset([ClauseKind.RELATIVE, ClauseKind.SUBORDINATE, ClauseKind.ATTRIBUTION])


def gap_of(timex: TimeExpression) -> tuple[timedelta, timedelta | None] | None:
    """The least and most time a DURATION puts between two events."""
    if timex.type != TimexType.DURATION:
        return None
    m = _DURATION.match(timex.value.strip().upper())
    if m is None:
        return None
    unit = "TM" if m[1] and m[3] == "M" else m[3]
    gap = LEXICON.gaps.get(unit)
    if gap is None:
        return None
    count = None if m[2] == "X" else round(float(m[2]))
    return gap.bounds(count)


class _Discourse:
    """The body's events by sentence, to find what an event is told against."""

    def __init__(self, drafts: list[Draft]) -> None:
        self.drafts = drafts
        self.sentences: dict[int, list[Draft]] = {}
        for draft in drafts:
            if not draft.headline:
                self.sentences.setdefault(draft.sentence, []).append(draft)
        self.order = sorted(self.sentences)
        self.position = {
            draft.index: n for members in self.sentences.values() for n, draft in enumerate(members)
        }

    def members(self, draft: Draft) -> list[Draft]:
        return self.sentences.get(draft.sentence, [])

    def previous_sentence(self, draft: Draft) -> list[Draft]:
        at = bisect_left(self.order, draft.sentence)
        return self.sentences[self.order[at - 1]] if at > 0 else []

    def antecedent(self, draft: Draft) -> Draft | None:
        """The event told just before: the previous clause's event in the same sentence,
        or else the last non-reporting event of the previous sentence."""
        if draft.headline:
            return None
        position = self.position[draft.index]
        if position > 0:
            return self.members(draft)[position - 1]
        candidates = self.previous_sentence(draft)
        for other in reversed(candidates):
            if not other.reporting and other.kind not in _NOT_ANTECEDENTS:
                return other
        return candidates[-1] if candidates else None

    def main_of(self, draft: Draft) -> Draft | None:
        """The clause a subordinate clause depends on: the one before it, or after it
        when the subordinate clause opens the sentence."""
        members = self.members(draft)
        position = self.position.get(draft.index)
        if position is None:
            return None
        if position > 0:
            return members[position - 1]
        for other in members[1:]:
            if other.kind != ClauseKind.SUBORDINATE:
                return other
        return None

    def narrative_before(self, draft: Draft) -> Draft | None:
        """The nearest earlier event that carries the narrative (what a pluperfect interrupts)."""
        for position in range(draft.index - 1, -1, -1):
            other = self.drafts[position]
            if other.headline:
                return None
            if other.sentence == draft.sentence:
                continue
            if other.phase == 0 or other.background or other.state:
                continue
            if other.kind in _NOT_NARRATIVE:
                continue
            return other
        return None


def relate(drafts: list[Draft], timexes: list[TimeExpression], tokens: Tokens, text: str) -> None:
    """Find the stated and inferred relations and store them on the drafts."""
    discourse = _Discourse(drafts)
    durations = sorted((t for t in timexes if t.type == TimexType.DURATION), key=lambda t: t.start)
    _mark_background_phase(discourse)
    for draft in drafts:
        clause = draft.clause
        if draft.source == TimeSource.DISCOURSE and draft.timex is not None:
            antecedent = discourse.antecedent(draft)
            if antecedent is not None:
                draft.anchored_on = antecedent.index
        if clause.connective is not None and clause.cue is not None:
            target = discourse.main_of(draft)
            if target is not None:
                first, last = clause.cue
                trigger = clause.trigger if clause.trigger is not None else last
                duration = _duration_in(
                    durations, tokens.starts[first], tokens.ends[max(trigger - 1, first)]
                )
                relation = clause.connective.relation
                _link(draft, relation, target, tokens, text, first, last, duration)
                if relation == RelationType.SIMULTANEOUS:
                    # «مع»، «خلال» attach to a nearby noun as often as to the clause
                    # before: an inference that gives a time, never overrides one
                    draft.links[-1].stated = False
                    inherit(draft, target, TimeSource.SENTENCE)
        if clause.anaphoric is not None and clause.anaphoric_cue is not None:
            target = discourse.antecedent(draft)
            if target is not None:
                first, last = clause.anaphoric_cue
                duration = _duration_in(durations, tokens.starts[first], tokens.ends[last - 1] + 12)
                relation = INVERSE[clause.anaphoric.relation]
                _link(draft, relation, target, tokens, text, first, last, duration)
        for first, last, relation in clause.sequencer_cues:
            target = discourse.antecedent(draft)
            if target is None:
                continue
            duration = _duration_in(durations, tokens.starts[first], tokens.ends[last - 1])
            _link(draft, relation, target, tokens, text, first, last, duration)
            if relation == RelationType.SIMULTANEOUS:
                inherit(draft, target, TimeSource.DISCOURSE)
        analysis = clause.analysis
        if (
            analysis is not None
            and analysis.sense.lemma in LEXICON.restating
            and clause.trigger is not None
            and draft.kind in (ClauseKind.MAIN, ClauseKind.COORD)
        ):
            target = discourse.antecedent(draft)
            if target is not None and target.sentence != draft.sentence:
                at = clause.trigger
                _link(draft, RelationType.SIMULTANEOUS, target, tokens, text, at, at + 1, None)
                inherit(draft, target, TimeSource.DISCOURSE)
    for draft in drafts:
        if not draft.clause.pluperfect:
            continue
        target = discourse.narrative_before(draft)
        if target is None or (draft.source is not None and target.source is not None):
            continue
        aux = draft.clause.aux
        evidence = _span(text, tokens, aux, aux + 1) if aux is not None else None
        draft.links += (
            Link(draft.index, RelationType.BEFORE, target.index, evidence, stated=False),
        )


def _mark_background_phase(discourse: _Discourse) -> None:
    """Events of «منذ» are background; a pluperfect clause and what follows it in its
    sentence are told as background to the narrative (phase 0)."""
    for members in discourse.sentences.values():
        pluperfect_from: int | None = None
        for draft in members:
            connective = draft.clause.connective
            if connective is not None and connective.background:
                draft.background = True
            if draft.clause.pluperfect and pluperfect_from is None:
                pluperfect_from = draft.index
            if pluperfect_from is not None:
                draft.phase = 0


def _duration_in(durations: list[TimeExpression], start: int, end: int) -> TimeExpression | None:
    """The first length of time that starts in [start, end) or covers ``start``."""
    for timex in durations:
        if timex.start >= end:
            return None
        if start <= timex.start or timex.start <= start < timex.end:
            return timex
    return None


def _span(text: str, tokens: Tokens, first: int, last: int) -> Span:
    start, end = tokens.starts[first], tokens.ends[last - 1]
    return Span(text=text[start:end], start=start, end=end)


def _link(
    draft: Draft,
    relation: RelationType,
    target: Draft,
    tokens: Tokens,
    text: str,
    first: int,
    last: int,
    duration: TimeExpression | None,
) -> None:
    start, end = tokens.starts[first], tokens.ends[last - 1]
    if duration is not None:
        start, end = min(start, duration.start), max(end, duration.end)
    link = Link(
        draft.index,
        relation,
        target.index,
        Span(text=text[start:end], start=start, end=end),
        timex=duration,
    )
    gap = gap_of(duration) if duration is not None else None
    if gap is not None:
        link.least, link.most = gap
    draft.links += (link,)
