"""Temporal tagging: find time expressions (parse), then give them values (resolve)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from timeline.contract import Anchor, AnchorKind, TimeExpression, TimexType
from timeline.text import fold

_DEICTIC_DAYS = {"امس": -1, "اليوم": 0, "غدا": 1}
_WORD = re.compile(r"(?<![\w])(?:[وفبل])?(" + "|".join(_DEICTIC_DAYS) + r")(?![\w])")


def tag(text: str, published: datetime) -> list[TimeExpression]:
    """Every time expression in ``text``, resolved against ``published``."""
    folded = fold(text)
    found: list[TimeExpression] = []
    for match in _WORD.finditer(folded.text):
        start, end = folded.span(match.start(1), match.end(1))
        day = published.date() + timedelta(days=_DEICTIC_DAYS[match.group(1)])
        found.append(
            TimeExpression(
                id=f"t{len(found) + 1}",
                text=text[start:end],
                start=start,
                end=end,
                type=TimexType.DATE,
                value=day.isoformat(),
                anchor=Anchor(kind=AnchorKind.PUBLICATION),
            )
        )
    return found
