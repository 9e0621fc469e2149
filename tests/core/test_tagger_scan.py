"""The places where a future cue may begin, found by the parse scan, stand in for the
scans of each sentence: the same cues and the same matches are found from them. The
sentence ends found with ``str.find``, and the clause boundaries found in two searches,
are those a single regular expression finds."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_tagger_properties import SENTENCES, shuffled_news
from timeline.tagger import context
from timeline.tagger.context import (
    CUE_PREFIXES,
    CUE_WORDS,
    SENTENCE_ENDS,
    Context,
    boundaries,
    find_cue_starts,
    sentence_ends,
)
from timeline.tagger.parse import parse, scan
from timeline.text import fold

_PATTERNS = (context._FUTURE_WORDS, context._FUTURE_COMPLEMENT, context._FUTURE_PREFIX)
#: a sentence ends at one of SENTENCE_ENDS, but for a point between digits («52.2»)
_SENTENCE = re.compile(r"[!?؟\n]|\.(?!\d)|(?<!\d)\.")


def check_sentences(text: str) -> None:
    assert sentence_ends(text) == [m.start() for m in _SENTENCE.finditer(text)]
    assert Context(text).sentences == sentence_ends(text)


def check(raw: str) -> None:
    text = fold(raw).text
    mentions, cue_starts, _ = scan(text)
    assert mentions == parse(text)
    assert cue_starts == find_cue_starts(text)
    # every cue, wherever it begins, is at one of them
    anywhere = {m.start() for p in _PATTERNS for m in p.finditer(text)}
    everywhere = {at for at in range(len(text) + 1) if context._ANY_CUE.match(text, at) is not None}
    assert anywhere <= everywhere <= set(cue_starts)
    check_sentences(text)
    ctx = Context(text, cue_starts)
    bounds = sorted({0, len(text), *ctx.sentences, *(m.start for m in mentions)})
    spans = [(a, b) for a in bounds for b in bounds if a <= b]
    for lo, hi in spans:
        assert boundaries(text, lo, hi) == [
            m.start() for m in context._BOUNDARY.finditer(text, lo, hi)
        ]
        assert ctx._has_cue(lo, hi) == (context._ANY_CUE.search(text, lo, hi) is not None)
        for pattern in _PATTERNS:
            found = [(m.span(), m.groups()) for m in ctx._matches(pattern, lo, hi)]
            assert found == [(m.span(), m.groups()) for m in pattern.finditer(text, lo, hi)]


def test_cues_begin_with_a_word_character() -> None:
    assert all(CUE_WORDS) and all(CUE_PREFIXES)
    assert all(re.fullmatch(r"\w+", w) for w in [*CUE_WORDS, *CUE_PREFIXES])


def test_family_examples() -> None:
    for sentence in SENTENCES:
        check(sentence)


def test_cues_and_their_neighbours() -> None:
    for cue in ["سوف يعقد", "وسيعقد", "فسنسمح", "على أن يتوجه", "من المقرر أن", "المقبل"]:
        for before in ["", " ", "(", "و", "ال", "2017"]:
            for after in ["", " ", ".", "\n", "ها", "،"]:
                check(before + cue + after + " الاجتماع يوم الخميس")


def test_clause_openers_and_their_neighbours() -> None:
    for opener in ["أن", "بعد أن", "بعد  أن", "قبل أن", "وقال", "بينما", "الذي", "الذين"]:
        for before in ["", " ", "(", "و", "ال", ".", "\n", "أن "]:
            for after in ["", " ", ".", "\n", "ها", "،", " أن", "ما"]:
                check(before + opener + after + " الاجتماع يوم الخميس")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shuffled_news())
def test_shuffled_news(text: str) -> None:
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="سوفيتنعلى ان.\n(،2", max_size=40))
def test_cue_letters(text: str) -> None:
    check(text)


def test_sentence_end_characters() -> None:
    assert SENTENCE_ENDS == ".!?؟\n"


def test_a_decimal_point_ends_no_sentence() -> None:
    text = "وهبط المؤشر إلى 52.2 من 54.0 في الشهر السابق. ثم ارتفع"
    assert sentence_ends(text) == [text.index("السابق.") + len("السابق")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=".!?؟\n؛;:اً\u062e\u0621 a\u2e2e\U0001002e12", max_size=60))
def test_sentence_ends(text: str) -> None:
    check_sentences(text)
    check_sentences(fold(text).text)
