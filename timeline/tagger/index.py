"""Which rules may begin at which word, so that parsing tries only those.

A rule's first word is always a word of its pattern or of a lexicon table, or
digits. :func:`build` tries each such word (and, for words that begin many rules,
each pair of words) against each rule as the beginning of a match — a partial
match, with the ``regex`` module. That takes seconds, so the result is stored as
package data (``timeline/data/rule_index.toml``), stamped with a signature of the
compiled rules; ``python tools/build_rule_index.py`` rewrites it and a test checks
that it is current. A stale or missing file is rebuilt in memory at import.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

#: how many rules a word must begin before the next word is used to tell them apart
PAIR_THRESHOLD = 2
#: what stands for any number in the index: short (days, hours), of three digits,
#: long (years); with a joiner after it (12/، 15:، 2017-) when it goes on
SHORT_NUMBER = "12"
MID_NUMBER = "123"
LONG_NUMBER = "2017"
JOINERS = "/:.-"
FILE_NAME = "rule_index.toml"

_TOKEN = re.compile(r"[^\W\d_]+")


class IndexedRule(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def regex(self) -> re.Pattern[str]: ...


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """Rule names by first word, for numbers, and by first two words."""

    signature: str
    words: dict[str, tuple[str, ...]]
    digits: tuple[str, ...]
    #: word -> (rules that may end with it, rules by the next word)
    pairs: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]]


#: the layout of the stored file; a change makes older files stale
FORMAT = 2


def signature(rules: Sequence[IndexedRule], vocabulary_words: Sequence[str]) -> str:
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for rule in rules:
        digest.update(rule.name.encode())
        digest.update(rule.regex.pattern.encode())
    for word in sorted(vocabulary_words):
        digest.update(word.encode())
    return digest.hexdigest()[:24]


def build(rules: Sequence[IndexedRule], vocabulary_words: Sequence[str], article: str) -> RuleIndex:
    """Try every possible first word (and pair) against every rule."""
    import regex

    compiled = {
        rule.name: regex.compile(rule.regex.pattern, regex.VERBOSE | regex.V0) for rule in rules
    }
    names = [rule.name for rule in rules]
    vocabulary: set[str] = set()
    for rule in rules:
        vocabulary.update(_TOKEN.findall(rule.regex.pattern))
    for word in vocabulary_words:
        vocabulary.update(_TOKEN.findall(word))
    # every word with the article, those that begin like it too (ألف folds to الف)
    vocabulary.update([article + w for w in list(vocabulary)])
    # a number standing alone (a day, an hour, a year) is indexed like a word
    vocabulary.update([SHORT_NUMBER, MID_NUMBER, LONG_NUMBER])
    firsts = {
        first: [n for n in names if compiled[n].match(first, partial=True)]
        for first in {w[0] for w in vocabulary}
    }
    for number in (SHORT_NUMBER, MID_NUMBER, LONG_NUMBER):
        firsts[number[0]] = names
    words: dict[str, tuple[str, ...]] = {}
    for word in sorted(vocabulary):
        found = tuple(
            n
            for n in firsts[word[0]]
            if compiled[n].match(word + " ", partial=True) is not None
            or compiled[n].match(word + "،", partial=True) is not None
        )
        if found:
            words[word] = found
    for number in (SHORT_NUMBER, MID_NUMBER, LONG_NUMBER):
        for joiner in JOINERS:
            found = tuple(
                n for n in names if compiled[n].match(number + joiner + "3", partial=True)
            )
            if found:
                words[number + joiner] = found
    samples = [
        *(n + tail for n in ("1", SHORT_NUMBER, LONG_NUMBER, "1436") for tail in " /:-.،"),
        *(article + n + " " for n in ("1", "26", LONG_NUMBER)),
        "3" + article[0],
        "1436ه",
    ]
    digits = tuple(n for n in names if any(compiled[n].match(s, partial=True) for s in samples))
    seconds = sorted(vocabulary)
    pairs: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {}
    for word, found in words.items():
        if len(found) < PAIR_THRESHOLD:
            continue
        alone = tuple(n for n in found if compiled[n].match(word + " .") is not None)
        by_next: dict[str, tuple[str, ...]] = {}
        for second in seconds:
            rest = tuple(
                n
                for n in found
                if n not in alone
                and compiled[n].match(f"{word} {second} ", partial=True) is not None
            )
            if rest:
                by_next[second] = rest
        pairs[word] = (alone, by_next)
    return RuleIndex(signature(rules, vocabulary_words), words, digits, pairs)


def _names(value: str) -> tuple[str, ...]:
    return tuple(value.split())


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(index: RuleIndex) -> str:
    """The index as TOML (rule names joined by spaces)."""
    lines = [
        "# Generated by `python tools/build_rule_index.py` from the rule families: which",
        "# rules may begin at which word. Do not edit; a test checks it is current.",
        f"signature = {_quote(index.signature)}",
        f"digits = {_quote(' '.join(index.digits))}",
        "",
        "[words]",
        *(f"{_quote(w)} = {_quote(' '.join(n))}" for w, n in sorted(index.words.items())),
    ]
    # each pair table on one line: "alone rules|next=rules;next=rules" (fast to load)
    lines += ["", "[pairs]"]
    for word, (alone, by_next) in sorted(index.pairs.items()):
        nexts = ";".join(f"{s}={' '.join(n)}" for s, n in sorted(by_next.items()))
        lines.append(f"{_quote(word)} = {_quote(' '.join(alone) + '|' + nexts)}")
    return "\n".join(lines) + "\n"


def from_toml(data: dict[str, Any]) -> RuleIndex:
    pairs: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {}
    for word, line in data.get("pairs", {}).items():
        alone, _, nexts = line.partition("|")
        by_next = {}
        for item in filter(None, nexts.split(";")):
            second, _, names = item.partition("=")
            by_next[second] = _names(names)
        pairs[word] = (_names(alone), by_next)
    return RuleIndex(
        signature=data["signature"],
        words={w: _names(n) for w, n in data["words"].items()},
        digits=_names(data["digits"]),
        pairs=pairs,
    )


def stored() -> dict[str, Any] | None:
    """The stored index file, parsed, or None when there is none."""
    import tomllib

    path = resources.files("timeline").joinpath("data", FILE_NAME)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return tomllib.load(fh)
