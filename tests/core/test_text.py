"""Folding Arabic text for matching keeps exact offsets into the original."""

from hypothesis import given
from hypothesis import strategies as st

from timeline.text import fold, fold_word


def test_folds_variants_and_digits() -> None:
    """Hamza seats, ta marbuta, alef maqsura, tatweel and Eastern digits fold to one form."""
    assert fold("أإآ ة ى لـ ٤٥ ۶").text == "ااا ه ي ل 45 6"


def test_span_maps_back_over_diacritics() -> None:
    """A match in folded text maps to the original word with its diacritics."""
    original = "وَالخَمِيسِ المقبل"
    folded = fold(original)
    start = folded.text.index("الخميس")
    a, b = folded.span(start, start + len("الخميس"))
    assert original[a:b] == "الخَمِيسِ"


def test_fold_word_matches_fold() -> None:
    """Lexicon entries fold exactly as the text does."""
    assert fold_word("آذار") == fold("آذار").text == "اذار"


@given(st.text())
def test_spans_are_valid_for_any_text(text: str) -> None:
    """Every folded span maps to a valid, ordered range of the original."""
    folded = fold(text)
    assert len(folded.origin) == len(folded.text)
    for i in range(len(folded.text)):
        a, b = folded.span(i, i + 1)
        assert 0 <= a < b <= len(text)
