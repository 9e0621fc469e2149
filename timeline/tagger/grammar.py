"""Rule families from ``timeline/data/family_*.toml``, compiled once at import.

A rule is a named regex over folded text. ``{name}`` in a pattern stands for a
fragment of ``grammar.toml`` or a lexicon table (an alternation of its words);
``(?P<slot>...)`` groups become the slots of the mention the rule produces, and a
rule's ``slots`` table adds constant slots. Patterns are verbose regexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from timeline.tagger.lexicon import GAP, LEXICON, load_toml
from timeline.text import fold_word

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z_0-9]*)\}")
_NAMED_GROUP = re.compile(r"\(\?P<[a-z_0-9]+>")

#: the clitics that may be glued before an expression (a conjunction, then a preposition)
_CONJUNCTION = LEXICON.regex("conjunction")
_PREPOSITION = LEXICON.regex("preposition_clitic")
CLITIC = re.compile(f"(?:{_CONJUNCTION}{_PREPOSITION}?|{_PREPOSITION})")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    family: str
    kind: str
    regex: re.Pattern[str]
    source: str
    slots: dict[str, Any] = field(default_factory=dict)
    #: checks of the context that drop a match (see parse.reject)
    checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    description: str
    reference: str
    rules: tuple[Rule, ...]
    examples: tuple[dict[str, Any], ...]
    negatives: tuple[dict[str, Any], ...]


class Grammar:
    def __init__(self, fragments: dict[str, str], families: list[dict[str, Any]]) -> None:
        self._fragments = fragments
        self._expanded: dict[str, str] = {"sp": GAP, "sp0": r"[^\S\n]*"}
        self.families: list[Family] = []
        rules: list[Rule] = []
        for spec in families:
            family_rules = tuple(
                Rule(
                    name=r["name"],
                    family=spec["family"],
                    kind=r["kind"],
                    regex=re.compile(self.expand(r["pattern"]) + r"(?!\w)", re.VERBOSE),
                    source=r["pattern"],
                    slots=dict(r.get("slots", {})),
                    checks=tuple(r.get("checks", ())),
                )
                for r in spec.get("rule", [])
            )
            rules.extend(family_rules)
            self.families.append(
                Family(
                    name=spec["family"],
                    description=spec.get("description", ""),
                    reference=spec.get("reference", DEFAULT_REFERENCE),
                    rules=family_rules,
                    examples=tuple(spec.get("example", [])),
                    negatives=tuple(spec.get("negative", [])),
                )
            )
        self.rules: tuple[Rule, ...] = tuple(rules)
        alternatives = "|".join(
            "(?:" + _NAMED_GROUP.sub("(?:", self.expand(r["pattern"])) + r")(?!\w)"
            for spec in families
            for r in spec.get("rule", [])
        )
        #: finds where some rule may match: a word start, past any clitic
        self.locator = re.compile(
            r"(?:(?<!\w)(?:" + CLITIC.pattern + r")??|(?<=[^\W\d_])(?=\d))(?:" + alternatives + ")",
            re.VERBOSE,
        )

    def expand(self, pattern: str) -> str:
        """``pattern`` with every ``{name}`` replaced by its fragment or lexicon table."""

        def one(match: re.Match[str]) -> str:
            return self._resolve(match.group(1))

        return _PLACEHOLDER.sub(one, fold_word(pattern))

    def _resolve(self, name: str, depth: int = 0) -> str:
        if name in self._expanded:
            return self._expanded[name]
        if depth > 20:
            raise ValueError(f"fragment {name!r} refers to itself")
        if name in self._fragments:
            body = _PLACEHOLDER.sub(
                lambda m: self._resolve(m.group(1), depth + 1), fold_word(self._fragments[name])
            )
            text = "(?:" + body + ")"
        else:
            text = LEXICON.regex(name)
        self._expanded[name] = text
        return text


DEFAULT_REFERENCE = "2017-05-04T18:00:00+03:00"


def _family_files() -> list[str]:
    folder = resources.files("timeline").joinpath("data")
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.startswith("family_") and entry.name.endswith(".toml")
    )


def _load() -> Grammar:
    grammar = load_toml("grammar.toml")
    families = [load_toml(name) for name in _family_files()]
    families.sort(key=lambda f: (int(f.get("priority", 50)), f["family"]))
    fragments = {k: v.strip() for k, v in grammar["fragments"].items()}
    return Grammar(fragments, families)


GRAMMAR = _load()
