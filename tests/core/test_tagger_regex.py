"""The rule patterns are compiled with their optional groups written as alternations
(:func:`.grammar.optional_groups_as_branches`): they match exactly what the patterns
as written match, with the same groups."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from tests.core.test_tagger_properties import SENTENCES, shuffled_news
from timeline.tagger.grammar import GRAMMAR, optional_groups_as_branches
from timeline.text import fold

#: each rule as written, without the rewrite (compiled once, on first use)
_AS_WRITTEN: list[re.Pattern[str]] = []
#: where a rule may be tried: a word's beginning, behind up to three clitic letters,
#: and digits glued to letters
_STARTS = re.compile(r"(?<!\w)\w|(?<=[^\W\d_])\d|(?<=(?<!\w)\w)\w|(?<=(?<!\w)\w\w)\w")


def as_written() -> list[re.Pattern[str]]:
    if not _AS_WRITTEN:
        _AS_WRITTEN.extend(
            re.compile(GRAMMAR.expand(rule.source) + r"(?!\w)", re.VERBOSE)
            for rule in GRAMMAR.rules
        )
    return _AS_WRITTEN


def same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.regs == b.regs


def check(raw: str) -> None:
    text = fold(raw).text
    for at in [m.start() for m in _STARTS.finditer(text)]:
        for rule, written in zip(GRAMMAR.rules, as_written(), strict=True):
            assert same(rule.regex.match(text, at), written.match(text, at)), (rule.name, at)


def test_rules_are_rewritten() -> None:
    for rule, written in zip(GRAMMAR.rules, as_written(), strict=True):
        assert rule.regex.groupindex == written.groupindex
    # no optional group is left (a ``)?`` that is no escaped parenthesis)
    optional = re.compile(r"(?<!\\)\)\s*\?(?![?+])")
    assert any(optional.search(written.pattern) for written in as_written())
    assert not any(optional.search(rule.regex.pattern) for rule in GRAMMAR.rules)


@pytest.mark.parametrize(
    ("pattern", "rewritten"),
    [
        ("(?:ab|c)?d", "(?:ab|c|)d"),
        ("(?P<x>a)?b", "(?:(?P<x>a)|)b"),
        ("(a)?", "(?:(a)|)"),
        ("(?:a(?:b)?)?", "(?:a(?:b|)|)"),
        ("(?:a) ?b", "(?:a|)b"),
        ("(?:a) # note\n ?b", "(?:a|)b"),
        ("(?:a)??b", "(?:a)??b"),
        ("(?:a)?+b", "(?:a)?+b"),
        ("(?=a)?b", "(?=a)?b"),
        ("(?:a)*b", "(?:a)*b"),
        (r"[)(]?(?:\)a)?", r"[)(]?(?:\)a|)"),
        (r"[^]?)]+(?:a)?", r"[^]?)]+(?:a|)"),
        (r"\(?(?:a)?\)?", r"\(?(?:a|)\)?"),
    ],
)
def test_rewrite(pattern: str, rewritten: str) -> None:
    assert optional_groups_as_branches(pattern) == rewritten


@pytest.mark.parametrize(
    "pattern",
    [r"(?:(a)|b)?(?:c(d)?)?e", r"(?P<x>a+)?(?:a(?P<y>b)|ab)?b", r"(?:(a)(b)?)?(?:ab)?\w"],
)
def test_rewrite_keeps_groups(pattern: str) -> None:
    before = re.compile(pattern)
    after = re.compile(optional_groups_as_branches(pattern))
    for text in ["", "a", "ab", "abe", "acde", "bcde", "aab", "abab", "ace", "abb", "ab!"]:
        for at in range(len(text) + 1):
            assert same(after.match(text, at), before.match(text, at)), (text, at)


def test_family_examples() -> None:
    for sentence in SENTENCES:
        check(sentence)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shuffled_news())
def test_shuffled_news(text: str) -> None:
    check(text)
