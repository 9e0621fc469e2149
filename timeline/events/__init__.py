"""Events: find them, give them times and relations, order them into a timeline.

The pipeline, one module a step:

- ``_words``: the text's tokens, folded, and what each word may be (verb, verbal noun);
- ``_clauses``: sentences (and headline lines) into clauses, one trigger a clause;
- ``_anchoring``: each event's time — own, sentence, discourse or publication;
- ``_relations``: the order the text states (connectives, sequencers, the pluperfect);
- ``_ordering``: bounds tightened by relations, contradictions, and the final order.

The Arabic knowledge lives in ``timeline/data/events_*.toml`` (``_lexicon``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from timeline.contract import (
    Anchor,
    AnchorKind,
    Contradiction,
    Event,
    OrderBasis,
    TimeExpression,
    TimeSource,
    TimexType,
)
from timeline.events._anchoring import anchor
from timeline.events._clauses import Clause, segment, split_sentences
from timeline.events._model import Draft
from timeline.events._ordering import order, tighten
from timeline.events._relations import relate
from timeline.events._words import analyze, original_offset, tokenize

__all__ = ["build_events", "verb_form"]

_TEXT_LIMIT = 160


def build_events(
    text: str, published: datetime, timexes: list[TimeExpression]
) -> tuple[list[Event], list[TimeExpression], list[Contradiction]]:
    """The article's events in chronological order, the (possibly refined) expressions,
    and any contradictions found between stated times and relations."""
    tokens = tokenize(text)
    sentences = split_sentences(tokens)
    clauses = segment(tokens, sentences, timexes)
    starts, ends = tokens.starts, tokens.ends
    drafts = [
        _draft(n, clause, clauses, starts, ends, text, starts[sentences[clause.sentence].first])
        for n, clause in enumerate(clauses)
    ]

    anchor(drafts, timexes, tokens, published)
    relate(drafts, timexes, tokens, text)
    _link_headline(drafts)
    links, contradictions = tighten(drafts, published)
    ordered = order(drafts, links, published)

    timexes = _anchor_expressions(drafts, timexes)
    day = published.date().isoformat()
    events = _EVENTS.validate_python([_event(d, drafts, day) for d in ordered], strict=True)
    return events, timexes, contradictions


def verb_form(word: str) -> str | None:
    """How a folded word the verb lexicon knows is inflected: ``perfect``,
    ``imperfect``, ``future`` (سـ + imperfect) or ``purpose`` (لـ + imperfect: «لتعقد»),
    its clitics allowed; else None."""
    found = analyze(word)
    if found is None or found.sense.pos not in ("perfect", "imperfect"):
        return None
    if found.future:
        return "future"
    return "purpose" if found.purpose else found.sense.pos


def _draft(
    index: int,
    clause: Clause,
    clauses: list[Clause],
    starts: list[int],
    ends: list[int],
    text: str,
    sentence_start: int,
) -> Draft:
    analysis = clause.analysis
    assert clause.trigger is not None and analysis is not None
    at = clause.trigger
    start, end = starts[at], ends[at]
    if analysis.skip:
        start = original_offset(text, start, end, analysis.skip)
    clause_start, clause_end = starts[clause.first], ends[clause.last - 1]
    sense = analysis.sense
    reporting = sense.reporting == "always"
    if sense.reporting == "frame":
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        reporting = (
            following is not None and following.sentence == clause.sentence and following.reported
        )
    future = clause.future
    return Draft(
        index,
        clause,
        clause_start,
        clause_end,
        sentence_start,
        (text[start:end], start, end),
        _short(text[clause_start:clause_end]),
        sense.lemma,
        reporting,
        f"e{index + 1}",
        clause.sentence,
        clause.kind,
        clause.headline,
        future,
        sense.pos == "perfect" and not future,
        sense.state,
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _TEXT_LIMIT:
        return text
    cut = text.rfind(" ", 0, _TEXT_LIMIT)
    return text[: cut if cut > 0 else _TEXT_LIMIT] + "…"


def _link_headline(drafts: list[Draft]) -> None:
    """A headline event that repeats a body event is the same event (``same_as``)."""
    first_in_body: dict[str, int] = {}
    for draft in drafts:
        if not draft.headline:
            first_in_body.setdefault(draft.lemma, draft.index)
    for draft in drafts:
        if draft.headline and draft.lemma in first_in_body:
            draft.same_as = first_in_body[draft.lemma]


def _anchor_expressions(drafts: list[Draft], timexes: list[TimeExpression]) -> list[TimeExpression]:
    """Point each event-anchored expression at the event it is counted from: a length of
    time («بعد ساعات») at the event of its connective, a date resolved against the
    discourse («في اليوم التالي») at the event told before, where the tagger left it open."""
    refs: dict[str, str] = {}
    for draft in drafts:
        if (
            draft.anchored_on is not None
            and draft.timex is not None
            and draft.timex.anchor.kind == AnchorKind.EVENT
            and draft.timex.anchor.ref is None
        ):
            refs.setdefault(draft.timex.id, drafts[draft.anchored_on].id)
        for link in draft.links:
            if link.timex is None or link.timex.type != TimexType.DURATION:
                continue
            # the event the length is counted from: the earlier of the two for «بعد»,
            # the later for «قبل»; both are the connective's own event or antecedent
            measured_from = drafts[link.source] if draft.clause.connective else drafts[link.target]
            refs.setdefault(link.timex.id, measured_from.id)
    if not refs:
        return timexes
    return [
        t.model_copy(update={"anchor": Anchor(kind=AnchorKind.EVENT, ref=refs[t.id])})
        if t.id in refs
        else t
        for t in timexes
    ]


def _event(draft: Draft, drafts: list[Draft], day: str) -> dict[str, Any]:
    """The draft as the contract's Event (as plain data, validated in bulk by the caller);
    ``day``: the publication date."""
    time: dict[str, Any] | None = None
    basis = OrderBasis.TEXT
    links = draft.links
    if draft.source is not None:
        value = (
            day
            if draft.source == TimeSource.PUBLICATION
            else (draft.timex.value if draft.timex is not None else None)
        )
        time = {
            "timex": draft.timex.id if draft.timex is not None else None,
            "value": value,
            "source": draft.source,
        }
        basis = OrderBasis.TIME
    elif draft.earliest is not None and draft.latest is not None and links:
        measured = next((link.timex for link in links if link.timex is not None), None)
        time = {
            "timex": measured.id if measured is not None else None,
            "value": f"{draft.earliest.date().isoformat()}/{draft.latest.date().isoformat()}",
            "source": TimeSource.RELATION,
        }
        basis = OrderBasis.RELATION
    elif links or draft.background:
        basis = OrderBasis.RELATION
    text, start, end = draft.trigger
    return {
        "id": draft.id,
        "start": draft.start,
        "end": draft.end,
        "trigger": {"text": text, "start": start, "end": end},
        "text": draft.text,
        "time": time,
        "earliest": draft.earliest,
        "latest": draft.latest,
        "relations": [
            {"type": link.type, "target": drafts[link.target].id, "evidence": link.evidence}
            for link in links
        ]
        if links
        else [],
        "order": basis,
        "reporting": draft.reporting,
        "same_as": drafts[draft.same_as].id if draft.same_as is not None else None,
    }


_EVENTS = TypeAdapter(list[Event])
