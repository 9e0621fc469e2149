"""TimeML export: the article's text with its time expressions as inline TIMEX3.

The document follows the TempEval-3 layout (``DOCID``, ``DCT`` holding the creation
time as a TIMEX3 with ``functionInDocument="CREATION_TIME"``, ``TITLE``, ``TEXT``),
so TempEval tools can read it. Every time expression keeps its ``tid`` (``t1``…),
``type``, ``value`` and ``mod``; relative ones say so with ``temporalFunction`` and
name what they were resolved against with ``anchorTimeID``.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from timeline.contract import AnchorKind, Article, TimeExpression, Timeline

DCT_ID = "t0"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """``value`` escaped for XML character data, characters XML 1.0 forbids dropped
    (a carriage return as a reference, which XML parsers would otherwise turn into a
    line feed)."""
    return escape(_NOT_XML.sub("", value), {"\r": "&#13;"})


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def _dct(timeline: Timeline) -> str:
    published = timeline.published
    return (
        f'<TIMEX3 tid="{DCT_ID}" type="DATE" value={_attr(published.date().isoformat())} '
        f'temporalFunction="false" functionInDocument="CREATION_TIME">'
        f"{_text(published.isoformat())}</TIMEX3>"
    )


def _timex(t: TimeExpression, body: str) -> str:
    attrs = [f"tid={_attr(t.id)}", f"type={_attr(t.type.value)}", f"value={_attr(t.value)}"]
    if t.mod:
        attrs.append(f"mod={_attr(t.mod)}")
    relative = t.anchor.kind is not AnchorKind.NONE
    attrs.append(f'temporalFunction="{"true" if relative else "false"}"')
    if t.anchor.kind is AnchorKind.PUBLICATION:
        attrs.append(f'anchorTimeID="{DCT_ID}"')
    elif t.anchor.kind is AnchorKind.EVENT and t.anchor.ref:
        attrs.append(f"anchorTimeID={_attr(t.anchor.ref)}")
    attrs.append('functionInDocument="NONE"')
    return f"<TIMEX3 {' '.join(attrs)}>{body}</TIMEX3>"


def _inline(text: str, expressions: list[TimeExpression]) -> str:
    """``text`` with each expression wrapped in its TIMEX3 (overlaps keep the first)."""
    out: list[str] = []
    at = 0
    for t in sorted(expressions, key=lambda t: (t.start, -t.end)):
        if t.start < at or t.end > len(text) or t.start >= t.end:
            continue
        out.append(_text(text[at : t.start]))
        out.append(_timex(t, _text(text[t.start : t.end])))
        at = t.end
    out.append(_text(text[at:]))
    return "".join(out)


def to_timeml(article: Article, timeline: Timeline) -> str:
    """The article as a TimeML document with its time expressions marked inline."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<TimeML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:noNamespaceSchemaLocation="http://timeml.org/timeMLdocs/TimeML_1.2.1.xsd">',
        f"<DOCID>{_text(timeline.article_id)}</DOCID>",
        f"<DCT>{_dct(timeline)}</DCT>",
    ]
    if article.title:
        parts.append(f"<TITLE>{_text(article.title)}</TITLE>")
    parts.append(f"<TEXT>{_inline(article.text, timeline.time_expressions)}</TEXT>")
    parts.append("</TimeML>")
    return "\n".join(parts) + "\n"
