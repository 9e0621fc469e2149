"""Numbers written in digits or in words, cardinal and ordinal."""

from __future__ import annotations

import re

from timeline.tagger.lexicon import LEXICON, normalise

_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_SPLIT = re.compile(r"\s+")


def _word_value(word: str, tables: tuple[str, ...]) -> float | None:
    for table in tables:
        value = LEXICON.lookup(table, word)
        if value is not None:
            return float(value)
    return None


def _accumulate(text: str, tables: tuple[str, ...]) -> float | None:
    """Sum the words of a compound number: units, -teens, و+tens, hundreds."""
    text = normalise(text)
    whole = _word_value(text, tables)
    if whole is not None:
        return whole
    total = 0.0
    last = 0.0
    for token in _SPLIT.split(text):
        value = _word_value(token, tables)
        if value is None and token[:1] and LEXICON.has("conjunction", token[:1]):
            value = _word_value(token[1:], tables)
        if value is None:
            return None
        if value in (100.0, 1000.0) and 0 < last < 10:
            total += last * value - last
        else:
            total += value
        last = value
    return total


def parse_number(text: str) -> float | None:
    """The value of a cardinal number in digits (any script, folded) or words."""
    text = LEXICON.without_article(normalise(text))
    if _DIGITS.fullmatch(text):
        return float(text.replace(",", "."))
    return _accumulate(text, ("cardinal", "teen", "fraction"))


def parse_ordinal(text: str) -> int | None:
    """The value of an ordinal (الرابع، الحادي والعشرين) or of day digits (الـ26)."""
    text = normalise(text)
    bare = LEXICON.without_article(text)
    if bare.isdigit():
        return int(bare)
    value = _accumulate(text, ("ordinal", "ordinal_masc", "ordinal_unit", "ordinal_ten", "teen"))
    return int(value) if value is not None else None
