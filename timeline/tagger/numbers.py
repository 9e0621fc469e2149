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


def _token_value(token: str, tables: tuple[str, ...]) -> float | None:
    """One word of a number, perhaps behind و and the article (الأربع والعشرين)."""
    forms = [token]
    if token[:1] and LEXICON.has("conjunction", token[:1]):
        forms.append(token[1:])
    for form in forms:
        for candidate in (form, LEXICON.without_article(form)):
            value = _word_value(candidate, tables)
            if value is not None:
                return value
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
        value = _token_value(token, tables)
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
    text = normalise(text)
    bare = LEXICON.without_article(text)
    if _DIGITS.fullmatch(bare):
        return float(bare.replace(",", "."))
    # «ألف» folds to a word that begins like the article: read as written first
    tables = ("cardinal", "thousands", "teen", "fraction")
    found = _accumulate(text, tables)
    return found if found is not None else _accumulate(bare, tables)


def parse_ordinal(text: str) -> int | None:
    """The value of an ordinal (الرابع، الحادي والعشرين) or of day digits (الـ26)."""
    text = normalise(text)
    bare = LEXICON.without_article(text)
    if bare.isdigit():
        return int(bare)
    value = _accumulate(text, ("ordinal", "ordinal_masc", "ordinal_unit", "ordinal_ten", "teen"))
    return int(value) if value is not None else None
