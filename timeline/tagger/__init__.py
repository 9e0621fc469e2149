"""Temporal tagging of Arabic news: find time expressions (parse), then give them
values (resolve).

:func:`tag` is the public face: article text and publication time in, TIMEX3
expressions out, with exact offsets into the original text. Language knowledge
lives in ``timeline/data`` (lexicon, grammar fragments and rule families with
their example corpora); this package only reads it.
"""

from __future__ import annotations

from datetime import datetime, time, tzinfo
from functools import lru_cache

from timeline.contract import Anchor, AnchorKind, TimeExpression
from timeline.tagger.calendar import Period
from timeline.tagger.parse import parse, scan
from timeline.tagger.resolve import Resolved, Resolver
from timeline.text import fold

__all__ = ["parse", "tag"]

_MOD_THIRDS = {"START": 0, "MID": 1, "END": 2}
#: a TimeExpression from its fields, validated as the model's constructor does, without
#: the keyword-argument wrapper around it
_expression = TimeExpression.__pydantic_validator__.validate_python


def _bounds(r: Resolved, published: datetime) -> tuple[datetime | None, datetime | None]:
    if r.bounds is not None:
        return r.bounds
    if r.period is None:
        return None, None
    return _period_bounds(r.period, r.mod, published.tzinfo)


@lru_cache(maxsize=1 << 12)
def _period_bounds(period: Period, mod: str | None, tz: tzinfo | None) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time(), tz)
    end = datetime.combine(period.end, time(), tz)
    third = _MOD_THIRDS.get(mod or "")
    if third is not None:
        step = (end - start) / 3
        start, end = start + step * third, start + step * (third + 1)
        start = start.replace(microsecond=0)
        end = end.replace(microsecond=0)
    return start, end


def tag(text: str, published: datetime) -> list[TimeExpression]:
    """Every time expression in ``text``, resolved against ``published``.

    ``published`` must be timezone-aware; dates are taken in its own offset.
    """
    folded = fold(text)
    found = scan(folded.text)
    results = Resolver(
        folded.text, published, found.mentions, found.cue_starts, found.compare_starts
    ).resolve_all()
    spans: dict[int, tuple[int, int]] = {}
    for i, r in enumerate(results):
        if r is not None:
            start, end = folded.span(r.mention.start, r.mention.end)
            if end > start:
                spans[i] = (start, end)
    ids = {i: f"t{n}" for n, i in enumerate(sorted(spans), start=1)}
    # anchors are frozen: one of each kind and reference serves every expression
    anchors: dict[tuple[AnchorKind, str | None], Anchor] = {}
    out: list[TimeExpression] = []
    for i, r in enumerate(results):
        if r is None or i not in spans:
            continue
        start, end = spans[i]
        earliest, latest = _bounds(r, published)
        ref = ids.get(r.anchor_ref) if r.anchor_ref is not None else None
        key = (r.anchor, ref if r.anchor is AnchorKind.EVENT else None)
        anchor = anchors.get(key)
        if anchor is None:
            anchor = anchors[key] = Anchor(kind=key[0], ref=key[1])
        out.append(
            _expression(
                {
                    "id": ids[i],
                    "text": text[start:end],
                    "start": start,
                    "end": end,
                    "type": r.type,
                    "value": r.value,
                    "mod": r.mod,
                    "earliest": earliest,
                    "latest": latest,
                    "anchor": anchor,
                    "rule": r.mention.family,
                }
            )
        )
    return out
