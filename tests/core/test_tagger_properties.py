"""Properties of ``tag`` on arbitrary text: it never raises, offsets are exact, and
values have the shapes TIMEX3 allows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.contract import TimexType
from timeline.tagger import tag
from timeline.tagger.grammar import GRAMMAR

_DATE = (
    r"\d{4}(-\d{2}(-\d{2})?)?|\d{4}-W\d{2}|\d{4}-Q[1-4]|\d{4}-H[12]|(\d{4}|XXXX)-(SP|SU|FA|WI)"
    r"|\d{1,3}|\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}|\d{4}-\d{2}/\d{4}-\d{2}|\d{4}/\d{4}"
    r"|XXXX-\d{2}(-\d{2})?|XXXX|PAST_REF|PRESENT_REF|FUTURE_REF"
)
_TIME = r"(\d{4}-\d{2}-\d{2}|XXXX-XX-XX)T(\d{2}:\d{2}(:\d{2})?|MO|AF|EV|NI)"
_DURATION = (
    r"P((\d+|X)Y)?((\d+|X)M)?((\d+|X)W)?((\d+|X)D)?(T((\d+|X)H)?((\d+|X)M)?((\d+(\.\d+)?|X)S)?)?"
    r"|PX(DE|CE|ML|H|S)"
)
SHAPES = {
    TimexType.DATE: re.compile(f"(?:{_DATE})"),
    TimexType.TIME: re.compile(f"(?:{_TIME})"),
    TimexType.DURATION: re.compile(f"(?:{_DURATION})"),
    TimexType.SET: re.compile(f"(?:{_DURATION})"),
}

#: the example sentences of every rule family: realistic news phrasing of our own
SENTENCES = [e["text"] for f in GRAMMAR.families for e in [*f.examples, *f.negatives]]
NOISE = ["\u064e", "\u0651", "\u0640", "\u200f", " ", "،", "(", ")", "/", "-", "\n", "لـ", "و"]

published = st.datetimes(
    min_value=datetime(1930, 1, 1),
    max_value=datetime(2070, 12, 31),
    timezones=st.sampled_from([timezone(timedelta(hours=h)) for h in (-5, 0, 1, 2, 3, 4, 14)]),
)


@st.composite
def shuffled_news(draw: st.DrawFn) -> str:
    """Sentences of the corpus in random order, cut and sprinkled with noise."""
    picked = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8))
    pieces: list[str] = []
    for sentence in picked:
        words = sentence.split()
        if draw(st.booleans()):
            words = draw(st.permutations(words))
        for word in words:
            noise = draw(st.sampled_from(NOISE)) if draw(st.integers(0, 9)) == 0 else ""
            pieces.append(word + noise)
    return " ".join(pieces)


def check(text: str, when: datetime) -> None:
    found = tag(text, when)
    for n, t in enumerate(found, start=1):
        assert t.id == f"t{n}"
        assert 0 <= t.start < t.end <= len(text)
        assert t.text == text[t.start : t.end]
        assert SHAPES[t.type].fullmatch(t.value), (t.type, t.value)
        if t.earliest is not None:
            assert t.latest is not None and t.earliest < t.latest
            assert t.earliest.utcoffset() == when.utcoffset()
    starts = [t.start for t in found]
    assert starts == sorted(starts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), published)
def test_any_unicode(text: str, when: datetime) -> None:
    """Arbitrary Unicode never makes the tagger raise or return a bad span."""
    check(text, when)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shuffled_news(), published)
def test_shuffled_news(text: str, when: datetime) -> None:
    """Shuffled, noisy Arabic news keeps exact offsets and well-formed values."""
    check(text, when)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["ب", "ل", "ف", "و", "ال", "ـ", "ً", "٢", "۲", "0", " "]), max_size=60)
)
def test_clitic_soup(chars: list[str]) -> None:
    """Runs of clitics, tatweel, tanween and digits of every script are harmless."""
    check("".join(chars), datetime(2017, 5, 4, 18, tzinfo=timezone(timedelta(hours=3))))
