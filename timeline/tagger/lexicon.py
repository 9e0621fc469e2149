"""The Arabic word tables of ``timeline/data/lexicon.toml``, folded and indexed.

Each table maps a normalised value to words; here every word is folded exactly as
article text is (:func:`timeline.text.fold_word`) so that a match in folded text
is looked up directly. Tables become regex alternations for the rule patterns.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from timeline.text import fold_word

_SPACES = re.compile(r"\s+")

#: what separates the words of one expression: spaces and tabs, never a line break
GAP = r"[^\S\n]+"


def normalise(text: str) -> str:
    """Folded text of a match with its inner white space reduced to single spaces."""
    text = text.strip()
    if " " not in text and "\t" not in text and "\n" not in text:
        return text  # one word: nothing to reduce (the common case, kept cheap)
    return _SPACES.sub(" ", text)


def load_toml(name: str) -> dict[str, Any]:
    """One TOML file of the package data, parsed."""
    with resources.files("timeline").joinpath("data", name).open("rb") as fh:
        return tomllib.load(fh)


def trie_regex(words: Iterable[str]) -> str:
    """A regex matching exactly ``words`` (spaces in them as gaps), built as a trie:
    common prefixes are factored out, so the engine follows one branch per letter
    instead of trying every word; a longer word is tried before its prefix."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in normalise(word):
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [
            (GAP if ch == " " else re.escape(ch)) + render(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        # an optional ending as an empty last branch, not ``?``: the engine runs a
        # ``?`` over a group as a repeat, which allocates and saves the groups each time
        return "(?:" + "|".join(branches) + ("|)" if ends else ")")

    return "(?:" + render(tree) + ")"


def word_regex(words: list[str]) -> str:
    """A regex alternation of folded words, spaces as gaps (a longer word first)."""
    return trie_regex(words)


@dataclass(frozen=True, slots=True)
class UnitWord:
    """A unit of time as written: its grain and whether it is one, two or many."""

    grain: str
    form: str  # "one", "two" or "many"


class Lexicon:
    """All tables of the lexicon, folded; built once at import."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.values: dict[str, dict[str, str]] = {}
        self.lists: dict[str, list[str]] = {}
        self.units: dict[str, UnitWord] = {}
        for table, body in raw.items():
            if table == "unit":
                self._load_units(body)
                continue
            if set(body) == {"include"}:
                continue
            if set(body) == {"words"}:
                self.lists[table] = sorted({fold_word(w) for w in body["words"]})
                continue
            index: dict[str, str] = {}
            for value, words in body.items():
                for word in words:
                    index.setdefault(normalise(fold_word(word)), str(value))
            self.values[table] = index
            self.lists[table] = sorted(index)
        for table, body in raw.items():
            if set(body) == {"include"}:
                merged: dict[str, str] = {}
                for part in body["include"]:
                    merged.update(self.values[part])
                self.values[table] = merged
                self.lists[table] = sorted(merged)

    def _load_units(self, body: dict[str, Any]) -> None:
        by_form: dict[str, dict[str, str]] = {"one": {}, "two": {}, "many": {}}
        for spec in body.values():
            for form in ("one", "two", "many"):
                for word in spec[form]:
                    folded = fold_word(word)
                    # a word met in two forms (عاما) keeps its first, most common use
                    self.units.setdefault(folded, UnitWord(spec["grain"], form))
                    by_form[form][folded] = spec["grain"]
        for form, index in by_form.items():
            self.values[f"unit_{form}"] = index
            self.lists[f"unit_{form}"] = sorted(index)
        self.lists["unit_any"] = sorted(self.units)

    def lookup(self, table: str, text: str) -> str | None:
        """The value of ``text`` (folded) in ``table``, or None."""
        return self.values.get(table, {}).get(normalise(text))

    def has(self, table: str, text: str) -> bool:
        """Whether ``text`` (folded) is one of the words of ``table``."""
        key = normalise(text)
        if table in self.values:
            return key in self.values[table]
        return key in self._sets(table)

    @cache  # noqa: B019 - the lexicon is a module-level singleton
    def _sets(self, table: str) -> frozenset[str]:
        return frozenset(self.lists.get(table, ()))

    def has_prefix(self, table: str, text: str) -> bool:
        """Whether ``text`` begins with one of the words of ``table``."""
        return text.startswith(tuple(self.lists.get(table, ())))

    def has_suffix(self, table: str, text: str) -> bool:
        """Whether ``text`` ends with one of the endings of ``table``."""
        return text.endswith(tuple(self.lists.get(table, ())))

    def regex(self, table: str) -> str:
        """The words of ``table`` as a regex alternation."""
        if table not in self.lists:
            raise KeyError(f"no lexicon table {table!r}")
        return word_regex(self.lists[table])

    def bare_forms(self, text: str) -> tuple[str, ...]:
        """``text``, then without its article, then without a glued preposition."""
        key = normalise(text)
        forms = [key]
        forms += [key[len(a) :] for a in self.lists["article"] if key.startswith(a)]
        forms += [key[len(p) :] for p in self.lists["preposition_clitic"] if key.startswith(p)]
        return tuple(forms)

    def without_article(self, text: str) -> str:
        for a in self.lists["article"]:
            if text.startswith(a):
                return text[len(a) :]
        return text

    def unit(self, text: str) -> UnitWord | None:
        """The unit a folded word names, with or without its article."""
        for candidate in self.bare_forms(text):
            if candidate in self.units:
                return self.units[candidate]
        return None


LEXICON = Lexicon(load_toml("lexicon.toml"))
