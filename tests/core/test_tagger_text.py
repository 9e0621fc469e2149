"""Folding for the tagger: the fast path gives exactly what the fold table says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.text import _DROPPED, _MAPPED, fold, fold_word

ARABIC = st.text(
    alphabet=st.sampled_from(sorted(set("ابةىأإآتثجـ ٤۴ 12،") | _DROPPED | set(_MAPPED))),
    max_size=80,
)


@settings(max_examples=300)
@given(st.one_of(ARABIC, st.text(max_size=80)))
def test_fold_matches_fold_word(text: str) -> None:
    """fold() and fold_word() fold any text identically, offsets staying exact."""
    folded = fold(text)
    assert folded.text == fold_word(text)
    assert len(folded.origin) == len(folded.text)
    for i, ch in enumerate(folded.text):
        original = text[folded.origin[i]]
        assert fold_word(original) == ch
