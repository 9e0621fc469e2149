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
from datetime import timedelta

from timeline.contract import RelationType, Span, TimeExpression, TimeSource, TimexType
from timeline.events._anchoring import inherit
from timeline.events._clauses import ClauseKind
from timeline.events._lexicon import LEXICON
from timeline.events._model import Draft, Link
from timeline.events._words import Token

_DURATION = re.compile(r"^P(T)?(X|\d+(?:\.\d+)?)([YMWDH])$")

INVERSE = {
    RelationType.BEFORE: RelationType.AFTER,
    RelationType.AFTER: RelationType.BEFORE,
    RelationType.SIMULTANEOUS: RelationType.SIMULTANEOUS,
    RelationType.INCLUDES: RelationType.IS_INCLUDED,
    RelationType.IS_INCLUDED: RelationType.INCLUDES,
}


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


def _span(text: str, tokens: list[Token], first: int, last: int) -> Span:
    start, end = tokens[first].ostart, tokens[last - 1].oend
    return Span(text=text[start:end], start=start, end=end)


def _duration_near(timexes: list[TimeExpression], start: int, end: int) -> TimeExpression | None:
    for timex in timexes:
        if timex.type == TimexType.DURATION and start <= timex.start < end:
            return timex
        if timex.type == TimexType.DURATION and timex.start <= start < timex.end:
            return timex
    return None


def _antecedent(drafts: list[Draft], draft: Draft) -> Draft | None:
    """The event told just before: the previous clause's event in the same sentence, or
    else the last non-reporting event of the previous sentence."""
    earlier = [d for d in drafts[: draft.index] if not d.headline]
    if not earlier:
        return None
    if earlier[-1].sentence == draft.sentence:
        return earlier[-1]
    last_sentence = earlier[-1].sentence
    candidates = [d for d in earlier if d.sentence == last_sentence]
    for d in reversed(candidates):
        if not d.reporting and d.kind not in (ClauseKind.RELATIVE, ClauseKind.ATTRIBUTION):
            return d
    return candidates[-1]


def _narrative_before(drafts: list[Draft], draft: Draft) -> Draft | None:
    """The nearest earlier event that carries the narrative (what a pluperfect interrupts)."""
    for d in reversed(drafts[: draft.index]):
        if d.headline:
            return None
        if d.sentence == draft.sentence:
            continue
        if d.phase == 0 or d.background or d.state:
            continue
        if d.kind in (ClauseKind.RELATIVE, ClauseKind.SUBORDINATE, ClauseKind.ATTRIBUTION):
            continue
        return d
    return None


def relate(
    drafts: list[Draft], timexes: list[TimeExpression], tokens: list[Token], text: str
) -> None:
    """Find the stated and inferred relations and store them on the drafts."""
    _mark_background_phase(drafts)
    for draft in drafts:
        clause = draft.clause
        if clause.connective is not None and clause.cue is not None:
            _connective_link(drafts, draft, timexes, tokens, text)
        if clause.anaphoric is not None and clause.anaphoric_cue is not None:
            target = _antecedent(drafts, draft)
            if target is not None:
                first, last = clause.anaphoric_cue
                duration = _duration_near(timexes, tokens[first].ostart, tokens[last - 1].oend + 12)
                link = Link(
                    draft.index,
                    INVERSE[clause.anaphoric.relation],
                    target.index,
                    _evidence(text, tokens, first, last, duration),
                    timex=duration,
                )
                _measure(link, duration)
                draft.links.append(link)
        for first, last in clause.sequencer_cues:
            relation = _sequencer(tokens, first, last)
            if relation is None:
                continue
            target = _antecedent(drafts, draft)
            if target is None:
                continue
            duration = _duration_near(timexes, tokens[first].ostart, tokens[last - 1].oend)
            link = Link(
                draft.index,
                relation,
                target.index,
                _evidence(text, tokens, first, last, duration),
                timex=duration,
            )
            _measure(link, duration)
            draft.links.append(link)
            if relation == RelationType.SIMULTANEOUS:
                inherit(draft, target, TimeSource.DISCOURSE)
        analysis = clause.analysis
        if (
            analysis is not None
            and analysis.sense.lemma in LEXICON.restating
            and clause.trigger is not None
            and draft.kind in (ClauseKind.MAIN, ClauseKind.COORD)
        ):
            target = _antecedent(drafts, draft)
            if target is not None and target.sentence != draft.sentence:
                trigger = clause.trigger
                draft.links.append(
                    Link(
                        draft.index,
                        RelationType.SIMULTANEOUS,
                        target.index,
                        _span(text, tokens, trigger, trigger + 1),
                    )
                )
                inherit(draft, target, TimeSource.DISCOURSE)
    for draft in drafts:
        if not draft.clause.pluperfect:
            continue
        target = _narrative_before(drafts, draft)
        if target is None or (draft.source is not None and target.source is not None):
            continue
        aux = draft.clause.aux
        evidence = _span(text, tokens, aux, aux + 1) if aux is not None else None
        draft.links.append(
            Link(draft.index, RelationType.BEFORE, target.index, evidence, stated=False)
        )


def _sequencer(tokens: list[Token], first: int, last: int) -> RelationType | None:
    words = tuple(t.text for t in tokens[first:last])
    for phrase, relation in LEXICON.sequencers.items():
        if len(phrase) == len(words) and all(
            w == p or w[1:] == p for w, p in zip(words, phrase, strict=True)
        ):
            return relation
    return None


def _mark_background_phase(drafts: list[Draft]) -> None:
    pluperfect_sentences = {d.sentence for d in drafts if d.clause.pluperfect}
    for draft in drafts:
        connective = draft.clause.connective
        if connective is not None and connective.background:
            draft.background = True
        if draft.sentence in pluperfect_sentences:
            first = min(
                d.clause.first
                for d in drafts
                if d.sentence == draft.sentence and d.clause.pluperfect
            )
            if draft.clause.first >= first:
                draft.phase = 0


def _evidence(
    text: str, tokens: list[Token], first: int, last: int, duration: TimeExpression | None
) -> Span:
    start, end = tokens[first].ostart, tokens[last - 1].oend
    if duration is not None:
        start, end = min(start, duration.start), max(end, duration.end)
    return Span(text=text[start:end], start=start, end=end)


def _measure(link: Link, duration: TimeExpression | None) -> None:
    if duration is None:
        return
    gap = gap_of(duration)
    if gap is not None:
        link.least, link.most = gap


def _connective_link(
    drafts: list[Draft],
    draft: Draft,
    timexes: list[TimeExpression],
    tokens: list[Token],
    text: str,
) -> None:
    clause = draft.clause
    assert clause.connective is not None and clause.cue is not None
    same = [d for d in drafts if d.sentence == draft.sentence and not d.headline]
    position = same.index(draft)
    target: Draft | None = None
    if position == 0:
        for d in same[1:]:
            if d.kind != ClauseKind.SUBORDINATE:
                target = d
                break
    else:
        target = same[position - 1]
    if target is None:
        return
    first, last = clause.cue
    trigger = clause.trigger if clause.trigger is not None else last
    duration = _duration_near(timexes, tokens[first].ostart, tokens[max(trigger - 1, first)].oend)
    link = Link(
        draft.index,
        clause.connective.relation,
        target.index,
        _evidence(text, tokens, first, last, duration),
        timex=duration,
    )
    _measure(link, duration)
    draft.links.append(link)
    if clause.connective.relation == RelationType.SIMULTANEOUS:
        inherit(draft, target, TimeSource.SENTENCE)
