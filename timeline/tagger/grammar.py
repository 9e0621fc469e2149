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

from timeline.tagger.index import (
    LONG_NUMBER,
    MID_NUMBER,
    SHORT_NUMBER,
    RuleIndex,
    build,
    from_toml,
    signature,
    stored,
)
from timeline.tagger.lexicon import GAP, LEXICON, load_toml, trie_regex
from timeline.text import fold_word

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z_0-9]*)\}")
_ARTICLES = frozenset(LEXICON.lists["article"])


_NUMBER_KEYS = {1: SHORT_NUMBER, 2: SHORT_NUMBER, 3: MID_NUMBER, 4: LONG_NUMBER}


def number_key(word: str, joiner: str = "") -> str | None:
    """The index key of a number (``12`` for one or two digits, ``123``, ``2017`` for
    four; with the joiner that follows it, as in ``12/``); None for longer numbers
    and digits glued to letters (3أوت)."""
    if not word.isdigit():
        return None
    key = _NUMBER_KEYS.get(len(word))
    return key + joiner if key else None


_ALEF = LEXICON.lists["article"][0][0]

#: the clitics that may be glued before an expression (a conjunction, then a preposition)
_CONJUNCTION = LEXICON.regex("conjunction")
_PREPOSITION = LEXICON.regex("preposition_clitic")
CLITIC = re.compile(f"(?:{_CONJUNCTION}{_PREPOSITION}?|{_PREPOSITION})")


def optional_groups_as_branches(pattern: str) -> str:
    """``pattern`` (a verbose regex) with each greedy optional group written as an
    alternation with an empty last branch: ``(?:a|b)?`` as ``(?:a|b|)``, ``(?P<x>a)?``
    as ``(?:(?P<x>a)|)``.

    Both try the group first and then nothing, so they match the same text with the
    same groups; but Python's engine runs ``?`` over a group as a general repeat,
    which allocates a record and saves every group at each try, and makes each
    alternation inside it save them too. Lazy (``??``) and possessive (``?+``)
    groups, lookarounds and single characters are left as written.
    """
    out: list[str] = []
    #: the open groups: where each begins in ``out``, and whether it may be rewritten
    opened: list[tuple[int, str]] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif c == "[":
            j = i + 1
            j += pattern[j] == "^"
            j += pattern[j] == "]"
            while pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i : j + 1])
            i = j + 1
        elif c == "#":
            end = pattern.find("\n", i)
            i = n if end < 0 else end
        elif c == "(":
            if pattern.startswith("(?:", i):
                kind = "group"
            elif pattern.startswith("(?P<", i) or not pattern.startswith("(?", i):
                kind = "capture"
            else:
                kind = ""
            opened.append((len(out), kind))
            out.append(c)
            i += 1
        elif c == ")":
            start, kind = opened.pop()
            out.append(c)
            i += 1
            j = _skip_verbose_space(pattern, i)
            if kind and pattern[j : j + 1] == "?" and pattern[j + 1 : j + 2] not in ("?", "+"):
                body = "".join(out[start:])
                del out[start:]
                out.append(body[:-1] + "|)" if kind == "group" else "(?:" + body + "|)")
                i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _skip_verbose_space(pattern: str, i: int) -> int:
    """The position of the next character of ``pattern`` that is neither white space
    nor inside a comment (verbose mode)."""
    while i < len(pattern):
        if pattern[i] == "#":
            end = pattern.find("\n", i)
            i = len(pattern) if end < 0 else end
        elif pattern[i].isspace():
            i += 1
        else:
            break
    return i


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
    #: the named groups read as slots, in the pattern's order: (group number, slot,
    #: the table its text is read with); ``slot__table`` names a table, ``slot2`` is
    #: another group for the same slot (worked out once here, not at every match)
    slot_groups: tuple[tuple[int, str, str], ...] = field(init=False, default=())
    #: the number of the ``span`` group (the expression within a longer match), if any
    span_group: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        groups = []
        for name, number in self.regex.groupindex.items():
            if name == "span":
                continue
            slot, _, table = name.partition("__")
            base = slot.rstrip("0123456789")
            groups.append((number, base, table or base))
        object.__setattr__(self, "slot_groups", tuple(groups))
        object.__setattr__(self, "span_group", self.regex.groupindex.get("span"))


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
                    regex=re.compile(
                        optional_groups_as_branches(self.expand(r["pattern"])) + r"(?!\w)",
                        re.VERBOSE,
                    ),
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
        #: the rules that may begin at a word (see :meth:`rules_for`)
        self._set_index(_load_index(self.rules))

    def _set_index(self, index: RuleIndex) -> None:
        by_name = {rule.name: rule for rule in self.rules}

        def rules(names: tuple[str, ...]) -> tuple[Rule, ...]:
            return tuple(by_name[n] for n in names)

        self.index = {w: rules(n) for w, n in index.words.items()}
        self.digit_rules = rules(index.digits)
        self.pairs = {
            w: (rules(alone), {s: rules(n) for s, n in by_next.items()})
            for w, (alone, by_next) in index.pairs.items()
        }
        # the words that may begin an expression, each also behind every clitic (و،
        # فب، ل…), as one regex: a trie, so that the text is scanned in C, not word by
        # word, and each word start costs one branch per letter. A match begins at the
        # non-word character before its word (the engine skips to those in C; the
        # text is scanned with a space in front). Group 1: the word; group 2: the word
        # after it, past a single space (not consumed). Numbers are found apart
        # (:attr:`digit_runs`): an alternation of both costs the scan at every character,
        # and digits are rare in Arabic text.
        article = LEXICON.lists["article"][0]
        keys = {w for w in self.index if not w[:1].isdigit()}
        keys |= {article[1:] + w[len(article) :] for w in keys if w.startswith(article)}
        conjunctions = LEXICON.lists["conjunction"]
        prepositions = LEXICON.lists["preposition_clitic"]
        clitics = ["", *conjunctions, *prepositions]
        clitics += [c + p for c in conjunctions for p in prepositions]
        #: the same words, clitics included
        self.words = frozenset(c + k for c in clitics for k in keys)
        self.word_starts = re.compile(r"\W(" + trie_regex(self.words) + r")(?!\w)(?=(?: (\w+))?)")
        #: every run of digits (written so that the scan skips to a digit in C)
        self.digit_runs = re.compile(r"\d\d*")
        #: a number at the beginning of a word, behind a clitic and the article
        #: (و2017، بال26); it ends at the number's first digit
        self.number_start = re.compile(
            r"(?<!\w)(?:" + CLITIC.pattern + r")?(?:" + article + r")?\d"
        )
        #: how many letters (clitics and the article) may come before such a number
        self.number_prefix = (
            max(map(len, LEXICON.lists["conjunction"]))
            + max(map(len, LEXICON.lists["preposition_clitic"]))
            + len(article)
        )

    def rules_for_pair(self, word: str, following: str) -> tuple[Rule, ...]:
        """The rules that may match at ``word`` when ``following`` comes next, after a
        single gap."""
        pair = self.pairs.get(number_key(word) or word)
        if pair is None:
            return self.rules_for(word)
        alone, by_next = pair
        if following[:1].isdigit() or (following[:2] in _ARTICLES and following[2:3].isdigit()):
            return self.rules_for(word)
        found = by_next.get(following, ())
        prefix = CLITIC.match(following)
        if prefix:
            # «الحادي والعشرين»: the next word may carry a clitic of its own
            for k in range(1, prefix.end() + 1):
                rest = following[k:]
                extra = (
                    by_next.get(rest, ())
                    + by_next.get(_ALEF + rest, ())
                    + by_next.get(following[:k], ())
                )
                found += tuple(r for r in extra if r not in found)
        # «سبتمبرالمقبل»: a next word glued to the one after it
        for k in range(len(following) - 1, 1, -1):
            extra = by_next.get(following[:k], ())
            found += tuple(r for r in extra if r not in found)
        return alone + found

    def rules_for(self, word: str) -> tuple[Rule, ...]:
        """The rules that may match at a word (folded, clitics already left out)."""
        if word[:1].isdigit() or (word[:2] in _ARTICLES and word[2:3].isdigit()):
            number = number_key(word)
            return self.index.get(number, ()) if number else self.digit_rules
        return self.index.get(word, ())

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


def index_inputs(rules: tuple[Rule, ...]) -> tuple[tuple[Rule, ...], list[str], str]:
    """What the rule index is built from: the rules, the lexicon's words, the article."""
    words = [w for table in LEXICON.lists.values() for w in table]
    return rules, words, LEXICON.lists["article"][0]


def _load_index(rules: tuple[Rule, ...]) -> RuleIndex:
    """The stored rule index if it matches the rules, else one built now (slow)."""
    inputs = index_inputs(rules)
    data = stored()
    if data is not None and data.get("signature") == signature(inputs[0], inputs[1]):
        return from_toml(data)
    return build(*inputs)


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
