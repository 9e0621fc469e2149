"""The Arabic knowledge of event detection, read once from ``timeline/data/events_*.toml``.

Every word is folded (:func:`timeline.text.fold_word`) as it is loaded, so that
lookups match the folded article text. Inflected verb forms are generated here
from the perfect and imperfect stems listed in the data.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from typing import Any, Generic, Literal, TypeVar

from timeline.contract import RelationType
from timeline.text import fold_word

_V = TypeVar("_V")

Pos = Literal["perfect", "imperfect", "masdar", "noun"]
Reporting = Literal["always", "frame", "never"]


@dataclass(frozen=True, slots=True)
class WordSense:
    """What a folded word form is: a verb form, a verbal noun or an event noun."""

    lemma: str
    pos: Pos
    reporting: Reporting = "never"
    state: bool = False


@dataclass(frozen=True, slots=True)
class Connective:
    """A clause-opening word that orders its event against the main clause's."""

    relation: RelationType
    background: bool = False


@dataclass(frozen=True, slots=True)
class Gap:
    """How many hours one unit of a DURATION spans, and an unstated number's range."""

    hours: int
    least_unstated: int
    most_unstated: int | None

    def bounds(self, count: int | None) -> tuple[timedelta, timedelta | None]:
        """The least and most time between two events ``count`` units apart."""
        if count is None:
            most = None if self.most_unstated is None else timedelta(hours=self.most_unstated)
            return timedelta(hours=self.least_unstated), most
        span = timedelta(hours=self.hours * count)
        return span, span


class PhraseTable(Generic[_V]):
    """Multi-word phrases indexed by their first two words, matched longest first.

    The first word of the text may carry a leading و («وبعد أن»).
    """

    def __init__(self, entries: dict[tuple[str, ...], _V]) -> None:
        #: first word → (value of the one-word phrase, second word → longer phrases)
        self._by_first: dict[str, tuple[_V | None, dict[str, list[tuple[list[str], _V]]]]] = {}
        for phrase, value in sorted(entries.items(), key=lambda e: len(e[0]), reverse=True):
            single, longer = self._by_first.get(phrase[0], (None, {}))
            if len(phrase) == 1:
                single = value
            else:
                longer.setdefault(phrase[1], []).append((list(phrase[2:]), value))
            self._by_first[phrase[0]] = (single, longer)

    def __len__(self) -> int:
        return sum(
            (single is not None) + sum(len(v) for v in longer.values())
            for single, longer in self._by_first.values()
        )

    @property
    def first_words(self) -> frozenset[str]:
        return frozenset(self._by_first)

    def match(self, words: list[str], i: int, end: int) -> tuple[int, _V | None]:
        """(length, value) of the longest phrase at ``words[i]``, or (0, None)."""
        first = words[i]
        entry = self._by_first.get(first)
        if entry is None:
            if first[:1] != "و":
                return 0, None
            entry = self._by_first.get(first[1:])
            if entry is None:
                return 0, None
        single, longer = entry
        if longer and i + 1 < end:
            for rest, value in longer.get(words[i + 1], ()):
                n = len(rest) + 2
                if i + n <= end and words[i + 2 : i + n] == rest:
                    return n, value
        return (1, single) if single is not None else (0, None)


def _table(items: list[str]) -> PhraseTable[bool]:
    return PhraseTable({_phrase(item): True for item in items})


@dataclass(frozen=True, slots=True)
class Lexicon:
    #: verb forms (perfect and imperfect, with suffixes), folded
    verbs: dict[str, WordSense]
    #: verbal nouns and event nouns (with the plural and possessive suffixes), folded
    nominals: dict[str, WordSense]
    #: perfect forms with ت and an object pronoun, which are also verbal nouns with a
    #: possessive («إعادته»، «استقالته»): read as nouns
    object_forms: frozenset[str]
    masdar_patterns: tuple[re.Pattern[str], ...]
    not_events: frozenset[str]
    restating: frozenset[str]
    date_copulas: frozenset[str]
    auxiliaries: frozenset[str]
    passive_auxiliaries: frozenset[str]
    sentence_final: frozenset[str]
    bullets: frozenset[str]
    line_final: frozenset[str]
    clause_punctuation: frozenset[str]
    quotes: frozenset[str]
    clause_starts: PhraseTable[bool]
    relatives: frozenset[str]
    resumptive_time: frozenset[str]
    complementizers: PhraseTable[bool]
    attributions: PhraseTable[bool]
    comparisons: PhraseTable[bool]
    since: frozenset[str]
    connectives: PhraseTable[Connective]
    sequencers: PhraseTable[RelationType]
    pluperfect_auxiliaries: frozenset[str]
    between_connective_and_event: frozenset[str]
    future_particles: frozenset[str]
    future_phrases: PhraseTable[bool]
    gaps: dict[str, Gap]
    #: every word that may open a phrase of the tables above (fast rejection)
    openers: frozenset[str]
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _read(name: str) -> dict[str, Any]:
    data = resources.files("timeline").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(data)


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(fold_word(text).split())


_PERFECT_SUFFIXES = ("", "ت", "وا", "تا", "ن", "نا", "تم")
_OBJECT_SUFFIXES = ("", "ه", "ها", "هم", "هما", "هن", "ني", "نا", "ك", "كم")
_IMPERFECT_PREFIXES = ("ي", "ت", "ن")
_IMPERFECT_SUFFIXES = ("", "ون", "ان", "ين", "ن", "وا")
_NOUN_SUFFIXES = ("", "ه", "ها", "هم", "هما", "هن", "ات", "اته", "اتها", "اتهم")


def _perfect_forms(stem: str) -> set[str]:
    forms: set[str] = set()
    weak_end = stem[-1] in "اي" and len(stem) > 2
    for suffix in _PERFECT_SUFFIXES:
        for obj in _OBJECT_SUFFIXES:
            forms.add(stem + suffix + obj)
            if weak_end and suffix:
                # أدى → أدت، أدوا ; أحيا → أحيت، أحيوا
                forms.add(stem[:-1] + suffix + obj)
    if weak_end:
        forms.add(stem[:-1] + "اه")
        forms.add(stem[:-1] + "اها")
    return forms


def _imperfect_forms(form: str) -> set[str]:
    core = form[1:] if form[:1] == "ي" else form
    forms: set[str] = set()
    weak_end = core[-1] in "ايو" and len(core) > 2
    for prefix in _IMPERFECT_PREFIXES:
        for suffix in _IMPERFECT_SUFFIXES:
            for obj in _OBJECT_SUFFIXES:
                forms.add(prefix + core + suffix + obj)
                if weak_end and suffix:
                    forms.add(prefix + core[:-1] + suffix + obj)
    return forms


def _noun_forms(noun: str) -> set[str]:
    forms = {noun + suffix for suffix in _NOUN_SUFFIXES}
    if noun.endswith("ه"):  # folded ta marbuta: إعادة → إعادته، إعادتها
        forms |= {noun[:-1] + "ت" + suffix for suffix in _NOUN_SUFFIXES if suffix}
        forms.add(noun[:-1] + "ات")
    return forms


def _masdar_pattern(template: str) -> re.Pattern[str]:
    consonant = "[بتثجحخدذرزسشصضطظعغفقكلمنهويءؤئ]"
    body = "".join(consonant if ch == "C" else re.escape(fold_word(ch)) for ch in template)
    # the ة ending (folded ه), the feminine plural and possessive pronouns may follow
    return re.compile(rf"{body}(?:ه|ات|ت(?:ه|ها|هم)|ه|ها|هم|هما)?")


def _add(senses: dict[str, WordSense], form: str, sense: WordSense) -> None:
    current = senses.get(form)
    # masdars win over plain nouns; among verbs the first listed wins, except that
    # a reporting sense is kept when the same form is also a plain verb
    if current is None:
        senses[form] = sense
        return
    rank = {"perfect": 0, "imperfect": 0, "masdar": 1, "noun": 2}
    if rank[sense.pos] < rank[current.pos] or (
        rank[sense.pos] == rank[current.pos]
        and current.reporting == "never"
        and sense.reporting != "never"
    ):
        senses[form] = sense


def _load() -> Lexicon:
    verbs = _read("events_verbs.toml")
    nouns = _read("events_nouns.toml")
    clauses = _read("events_clauses.toml")
    relations = _read("events_relations.toml")

    verb_senses: dict[str, WordSense] = {}
    nominals: dict[str, WordSense] = {}
    object_forms: set[str] = set()
    for entry in verbs["verbs"]:
        perfect = fold_word(entry["perfect"])
        reporting: Reporting = entry.get("reporting", "never")
        state = entry.get("aspect") == "state"
        for form in _perfect_forms(perfect):
            _add(verb_senses, form, WordSense(perfect, "perfect", reporting, state))
        object_forms.update(perfect + "ت" + obj for obj in _OBJECT_SUFFIXES if obj)
        for form in _imperfect_forms(fold_word(entry["imperfect"])):
            _add(verb_senses, form, WordSense(perfect, "imperfect", reporting, state))
        for masdar in entry.get("masdar", []):
            for form in _noun_forms(fold_word(masdar)):
                _add(nominals, form, WordSense(perfect, "masdar"))
    for noun in nouns["event_nouns"]:
        folded = fold_word(noun)
        for form in _noun_forms(folded):
            _add(nominals, form, WordSense(folded, "noun"))

    connectives: dict[tuple[str, ...], Connective] = {}
    for entry in relations["connectives"]:
        for word in entry["words"]:
            connectives[_phrase(word)] = Connective(
                RelationType(entry["sub"]), bool(entry.get("background", False))
            )
    sequencers: dict[tuple[str, ...], RelationType] = {}
    for entry in relations["sequencers"]:
        for word in entry["words"]:
            sequencers[_phrase(word)] = RelationType(entry["self"])

    gaps = {
        unit: Gap(
            hours=int(spec["hours"]),
            least_unstated=int(spec.get("least_unstated", 0)),
            most_unstated=None if "most_unstated" not in spec else int(spec["most_unstated"]),
        )
        for unit, spec in relations["gaps"].items()
    }

    def words(items: list[str]) -> frozenset[str]:
        return frozenset(fold_word(item) for item in items)

    tables: dict[str, PhraseTable[Any]] = {
        "clause_starts": _table(clauses["words"]["clause_starts"]),
        "complementizers": _table(clauses["words"]["complementizers"]),
        "attributions": _table(clauses["words"]["attributions"]),
        "connectives": PhraseTable(connectives),
        "sequencers": PhraseTable(sequencers),
    }
    relatives = words(clauses["words"]["relatives"])
    pluperfect = words(relations["pluperfect"]["auxiliaries"])
    openers = frozenset().union(*(t.first_words for t in tables.values()), relatives, pluperfect)

    return Lexicon(
        verbs=verb_senses,
        nominals=nominals,
        object_forms=frozenset(object_forms & nominals.keys()),
        masdar_patterns=tuple(_masdar_pattern(t) for t in nouns["masdar_patterns"]),
        not_events=words(nouns["not_events"]),
        restating=words(verbs["restating"]),
        date_copulas=words(verbs["date_copulas"]),
        auxiliaries=words(verbs["auxiliaries"]),
        passive_auxiliaries=words(verbs["passive_auxiliaries"]),
        sentence_final=frozenset(clauses["sentences"]["final"]),
        bullets=frozenset(clauses["sentences"]["bullets"]),
        line_final=frozenset(clauses["sentences"]["line_final"]),
        clause_punctuation=frozenset(clauses["punctuation"]["clause"]),
        quotes=frozenset(clauses["punctuation"]["quotes"]),
        clause_starts=tables["clause_starts"],
        relatives=relatives,
        resumptive_time=words(clauses["words"]["resumptive_time"]),
        complementizers=tables["complementizers"],
        attributions=tables["attributions"],
        comparisons=_table(clauses["words"]["comparisons"]),
        since=words(clauses["words"]["since"]),
        connectives=tables["connectives"],
        sequencers=tables["sequencers"],
        pluperfect_auxiliaries=pluperfect,
        between_connective_and_event=words(relations["between"]),
        future_particles=words(relations["future"]["particles"]),
        future_phrases=_table(relations["future"]["phrases"]),
        gaps=gaps,
        openers=openers,
        examples={
            "verbs": verbs.get("examples", []),
            "nouns": nouns.get("examples", []),
            "clauses": clauses.get("examples", []),
            "relations": relations.get("examples", []),
        },
    )


LEXICON = _load()
