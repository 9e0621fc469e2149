"""The Arabic knowledge of event detection, read once from ``timeline/data/events_*.toml``.

Every word is folded (:func:`timeline.text.fold_word`) as it is loaded, so that
lookups match the folded article text. Inflected verb forms are generated here
from the perfect and imperfect stems listed in the data and the affixes of
``events_morphology.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
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
    #: opens a period lasting until the main event («منذ»)
    background: bool = False
    #: also a plain preposition («مع»، «خلال»): a connective only before an event noun
    weak: bool = False


@dataclass(frozen=True, slots=True)
class Sequencer:
    """An adverb that orders its clause against the event told before («ثم»، «لاحقا»)."""

    relation: RelationType
    #: starts a clause of its own («… ثم عاد»)
    opens_clause: bool = False


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


@dataclass(frozen=True, slots=True)
class Morphology:
    """Clitics and affixes (``events_morphology.toml``), folded."""

    conjunctions: str
    future: str
    purpose: str
    verb_clitics: tuple[str, ...]
    noun_clitics: tuple[str, ...]
    articles: tuple[str, ...]
    article: str
    article_after_lam: str
    perfect_suffixes: tuple[str, ...]
    object_suffixes: tuple[str, ...]
    imperfect_prefixes: tuple[str, ...]
    imperfect_suffixes: tuple[str, ...]
    subjunctive_excludes: tuple[str, ...]
    weak_finals: str
    imperfect_weak_finals: str
    perfect_weak_drops: frozenset[str]
    imperfect_weak_drops: frozenset[str]
    weak_object_carrier: str
    #: endings that change before an object pronoun (وا → و)
    object_drops: dict[str, str]
    #: final hamzas as written (not folded): no weak letters
    hamza_finals: tuple[str, ...]
    hamza_on_alef: str
    hamza_before_waw: str
    #: the suffixes before which a final hamza sits on و
    hamza_waw_suffixes: frozenset[str]
    hamza_passive: str
    passive_imperfect_prefixes: tuple[str, ...]
    rare_perfect_suffixes: frozenset[str]
    rare_imperfect_suffixes: frozenset[str]
    short_stem: int
    #: as written (not folded)
    alef_maqsura: str
    hollow_start: str
    hollow_vowel: str
    hollow_passive_vowel: str
    perfect_endings: tuple[str, ...]
    feminine_t: str
    noun_suffixes: tuple[str, ...]
    possessives: tuple[str, ...]
    ta_marbuta: str
    ta_marbuta_folded: str
    ta_marbuta_bound: str
    feminine_plural: str
    root_letters: str
    template_endings: tuple[str, ...]
    nisba_endings: tuple[str, ...]
    shape_imperfect_prefixes: tuple[str, ...]
    not_verb_starts: tuple[str, ...]
    not_verb_endings: tuple[str, ...]
    adverb_ending: str
    plural_ending: str
    not_perfect_start: str
    preposition_starts: tuple[str, ...]


class PhraseTable(Generic[_V]):
    """Multi-word phrases indexed by their first two words, matched longest first.

    The first word of the text may carry a leading conjunction («وبعد أن»).
    """

    def __init__(self, entries: dict[tuple[str, ...], _V], conjunction: str) -> None:
        self._conjunction = conjunction
        #: first word → (value of the one-word phrase, second word → longer phrases)
        self._by_first: dict[str, tuple[_V | None, dict[str, list[tuple[list[str], _V]]]]] = {}
        for phrase, value in sorted(entries.items(), key=lambda e: len(e[0]), reverse=True):
            single, longer = self._by_first.get(phrase[0], (None, {}))
            if len(phrase) == 1:
                single = value
            else:
                longer.setdefault(phrase[1], []).append((list(phrase[2:]), value))
            self._by_first[phrase[0]] = (single, longer)
        self._first_words = frozenset(self._by_first)

    def __len__(self) -> int:
        return sum(
            (single is not None) + sum(len(v) for v in longer.values())
            for single, longer in self._by_first.values()
        )

    @property
    def first_words(self) -> frozenset[str]:
        return self._first_words

    def followers(self, word: str) -> frozenset[str] | None:
        """The words one of which must follow ``word`` for :meth:`match` to find a phrase
        at it, when ``word`` opens only phrases of two words or more; else None."""
        entry = self._by_first.get(word)
        if entry is None and word[:1] == self._conjunction:
            entry = self._by_first.get(word[1:])
        if entry is None or entry[0] is not None:
            return None
        return frozenset(entry[1])

    def match(self, words: list[str], i: int, end: int) -> tuple[int, _V | None]:
        """(length, value) of the longest phrase at ``words[i]``, or (0, None)."""
        first = words[i]
        entry = self._by_first.get(first)
        if entry is None:
            if first[:1] != self._conjunction:
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


@dataclass(frozen=True, slots=True)
class Lexicon:
    morphology: Morphology
    #: verb forms (perfect and imperfect, with suffixes), folded
    verbs: dict[str, WordSense]
    #: verbal nouns and event nouns (with the plural and possessive suffixes), folded
    nominals: dict[str, WordSense]
    #: perfect forms with ت and an object pronoun, which are also verbal nouns with a
    #: possessive («إعادته»، «استقالته»): read as nouns
    object_forms: frozenset[str]
    masdar_patterns: tuple[re.Pattern[str], ...]
    not_events: frozenset[str]
    function_words: frozenset[str]
    preposition_verbs: frozenset[str]
    #: nouns spelled like a bare perfect: the verb only with a clitic or an ending
    noun_verbs: frozenset[str]
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
    relative_skips: frozenset[str]
    emphatic: frozenset[str]
    object_after: frozenset[str]
    range_joiners: frozenset[str]
    complementizers: PhraseTable[bool]
    #: complementizers a noun must follow (their last word)
    noun_complementizers: frozenset[str]
    attributions: PhraseTable[bool]
    comparisons: PhraseTable[bool]
    #: «لعام» (for the year): a year after it is no time of the clause's event
    for_year: frozenset[str]
    since: frozenset[str]
    connectives: PhraseTable[Connective]
    back_references: frozenset[str]
    sequencers: PhraseTable[Sequencer]
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


def _folded(items: list[str]) -> tuple[str, ...]:
    return tuple(fold_word(item) for item in items)


def _morphology(data: dict[str, Any]) -> Morphology:
    clitics, verbs, nouns, shape = data["clitics"], data["verbs"], data["nouns"], data["shape"]
    return Morphology(
        conjunctions="".join(_folded(clitics["conjunctions"])),
        future=fold_word(clitics["future"]),
        purpose=fold_word(clitics["purpose"]),
        verb_clitics=_folded(clitics["verb"]),
        noun_clitics=_folded(clitics["noun"]),
        articles=_folded(clitics["articles"]),
        article=fold_word(clitics["article"]),
        article_after_lam=fold_word(clitics["article_after_lam"]),
        perfect_suffixes=_folded(verbs["perfect_suffixes"]),
        object_suffixes=_folded(verbs["object_suffixes"]),
        imperfect_prefixes=_folded(verbs["imperfect_prefixes"]),
        imperfect_suffixes=_folded(verbs["imperfect_suffixes"]),
        subjunctive_excludes=_folded(verbs["subjunctive_excludes"]),
        weak_finals="".join(_folded(verbs["weak_finals"])),
        imperfect_weak_finals="".join(_folded(verbs["imperfect_weak_finals"])),
        perfect_weak_drops=frozenset(_folded(verbs["perfect_weak_drops"])),
        imperfect_weak_drops=frozenset(_folded(verbs["imperfect_weak_drops"])),
        weak_object_carrier=fold_word(verbs["weak_object_carrier"]),
        object_drops={fold_word(k): fold_word(v) for k, v in verbs["object_drops"].items()},
        hamza_finals=tuple(verbs["hamza_finals"]),
        hamza_on_alef=verbs["hamza_on_alef"],
        hamza_before_waw=verbs["hamza_before_waw"],
        hamza_waw_suffixes=frozenset(_folded(verbs["hamza_waw_suffixes"])),
        hamza_passive=verbs["hamza_passive"],
        passive_imperfect_prefixes=_folded(verbs["passive_imperfect_prefixes"]),
        rare_perfect_suffixes=frozenset(_folded(verbs["rare_perfect_suffixes"])),
        rare_imperfect_suffixes=frozenset(_folded(verbs["rare_imperfect_suffixes"])),
        short_stem=int(verbs["short_stem"]),
        alef_maqsura=verbs["alef_maqsura"],
        hollow_start=fold_word(verbs["hollow_start"]),
        hollow_vowel=fold_word(verbs["hollow_vowel"]),
        hollow_passive_vowel=fold_word(verbs["hollow_passive_vowel"]),
        perfect_endings=_folded(verbs["perfect_endings"]),
        feminine_t=fold_word(verbs["feminine_t"]),
        noun_suffixes=_folded(nouns["suffixes"]),
        possessives=_folded(nouns["possessives"]),
        ta_marbuta=nouns["ta_marbuta"],
        ta_marbuta_folded=fold_word(nouns["ta_marbuta_folded"]),
        ta_marbuta_bound=fold_word(nouns["ta_marbuta_bound"]),
        feminine_plural=fold_word(nouns["feminine_plural"]),
        root_letters=fold_word(nouns["root_letters"]),
        template_endings=_folded(nouns["template_endings"]),
        nisba_endings=_folded(nouns["nisba_endings"]),
        shape_imperfect_prefixes=_folded(shape["imperfect_prefixes"]),
        not_verb_starts=_folded(shape["not_verb_starts"]),
        not_verb_endings=_folded(shape["not_verb_endings"]),
        adverb_ending=fold_word(shape["adverb_ending"]),
        plural_ending=fold_word(shape["plural_ending"]),
        not_perfect_start=fold_word(shape["not_perfect_start"]),
        preposition_starts=_folded(shape["preposition_starts"]),
    )


#: a verb's forms by how often news writes such an inflection (see :func:`_tier`):
#: where two verbs spell the same letters, the commoner inflection wins
_Forms = tuple[set[str], set[str], set[str]]


def _new_forms() -> _Forms:
    return set(), set(), set()


def _tier(suffix: str, obj: str, rare: frozenset[str], passive: bool) -> int:
    """0: a bare stem, a stem with a subject suffix or one with an object pronoun;
    1: with both, or a passive; 2: with a rare suffix (1st and 2nd person, feminine
    plural): «أدين» is أدان in the passive (convicted) before أدى with ن («أدّين»)."""
    if suffix in rare:
        return 2
    return 1 if passive or (suffix and obj) else 0


def _endings(
    suffixes: tuple[str, ...], rare: frozenset[str], m: Morphology, passive: bool, short: bool
) -> tuple[tuple[str, str, int], ...]:
    """(suffix, ending as written, tier) of each suffix with each object pronoun (a
    passive, a ``short`` stem and a rare suffix take none, a short stem no rare suffix
    either); the alef of وا drops before one (وا + ه → وه)."""
    drops = tuple(sorted(m.object_drops.items()))
    return _endings_of(suffixes, rare, m.object_suffixes, drops, passive, short)


@lru_cache(maxsize=64)
def _endings_of(
    suffixes: tuple[str, ...],
    rare: frozenset[str],
    objects: tuple[str, ...],
    drops: tuple[tuple[str, str], ...],
    passive: bool,
    short: bool,
) -> tuple[tuple[str, str, int], ...]:
    bound = dict(drops)
    objects = objects[:1] if passive or short else objects
    return tuple(
        (
            suffix,
            (bound.get(suffix, suffix) if obj else suffix) + obj,
            _tier(suffix, obj, rare, passive),
        )
        for suffix in suffixes
        if not (short and suffix in rare)  # مددنا: the doubled letter comes apart
        for obj in (objects[:1] if suffix in rare else objects)
    )


def _short(stem: str, weak_finals: str, m: Morphology) -> bool:
    return len(stem) <= m.short_stem and stem[-1] not in weak_finals


def _perfect_forms(
    stem: str,
    m: Morphology,
    forms: _Forms,
    hamza: bool = False,
    passive: bool = False,
    maqsura: bool = False,
) -> None:
    """Add the perfect ``stem`` (folded) with its suffixes to ``forms``; ``hamza``: it ends
    in a hamza as written, which folding may have turned into a weak-looking alef;
    ``passive``: a passive stem, which takes no object pronoun; ``maqsura``: written
    with a final ى, which carries an object pronoun only as ا."""
    weak_end = not hamza and stem[-1] in m.weak_finals and len(stem) > 2
    short = _short(stem, m.weak_finals, m)
    rare = m.rare_perfect_suffixes
    for suffix, ending, tier in _endings(m.perfect_suffixes, rare, m, passive, short):
        if not (maqsura and not suffix and ending):
            forms[tier].add(stem + ending)
        if weak_end and suffix in m.perfect_weak_drops:
            forms[tier].add(stem[:-1] + ending)  # أدى → أدت، أدوا ; أحيا → أحيت، أحيوا
        elif hamza and suffix in m.hamza_waw_suffixes:
            forms[tier].add(stem[:-1] + m.hamza_before_waw + ending)  # بدؤوا، جاؤوا
    if weak_end and not passive:
        carrier = m.weak_object_carrier
        forms[0].update(stem[:-1] + carrier + obj for obj in m.object_suffixes if obj)  # أداه


def _imperfect_core(form: str, m: Morphology) -> str:
    return form[1:] if form[:1] in m.imperfect_prefixes else form


def _imperfect_forms(
    core: str, m: Morphology, forms: _Forms, hamza: bool = False, passive: bool = False
) -> None:
    """Add the imperfect ``core`` (folded, without its prefix) with its prefixes and
    suffixes to ``forms``; ``hamza`` and ``passive`` as for :func:`_perfect_forms`."""
    weak_end = not hamza and core[-1] in m.imperfect_weak_finals and len(core) > 1
    prefixes = m.passive_imperfect_prefixes if passive else m.imperfect_prefixes
    rare = m.rare_imperfect_suffixes
    short = _short(core, m.imperfect_weak_finals, m)
    for suffix, ending, tier in _endings(m.imperfect_suffixes, rare, m, passive, short):
        stem = core
        if weak_end and suffix in m.imperfect_weak_drops:
            stem = core[:-1]  # يدعو → يدعون ; يرى → يرون
        elif hamza and suffix in m.hamza_waw_suffixes:
            stem = core[:-1] + m.hamza_before_waw  # يبدؤون
        forms[tier].update(prefix + core + ending for prefix in prefixes)
        if stem != core:
            forms[tier].update(prefix + stem + ending for prefix in prefixes)


def _hollow_passive(perfect: str, core: str, m: Morphology) -> tuple[str | None, str | None]:
    """The passive perfect and imperfect core of a derived hollow verb (أقام → أقيم،
    يقام), where their letters differ from the active's; else None."""
    if not (
        perfect.startswith(m.hollow_start) and len(perfect) >= 4 and perfect[-2] == m.hollow_vowel
    ):
        return None, None
    passive = perfect[:-2] + m.hollow_passive_vowel + perfect[-1]
    if len(core) >= 3 and core[-2] == m.hollow_passive_vowel:
        return passive, core[:-2] + m.hollow_vowel + core[-1]
    return passive, None


def _verb_forms(entry: dict[str, Any], m: Morphology) -> tuple[_Forms, _Forms]:
    """The perfect and the imperfect forms of a verb of ``events_verbs.toml``, active
    and passive."""
    written, written_imperfect = entry["perfect"], entry["imperfect"]
    perfect, core = fold_word(written), _imperfect_core(fold_word(written_imperfect), m)
    hamza = written.endswith(m.hamza_finals)
    perfects, imperfects = _new_forms(), _new_forms()
    _perfect_forms(perfect, m, perfects, hamza, maqsura=written.endswith(m.alef_maqsura))
    _imperfect_forms(core, m, imperfects, written_imperfect.endswith(m.hamza_finals))
    if written.endswith(m.hamza_on_alef):  # أنشأ → أنشئت
        _perfect_forms(perfect[:-1] + m.hamza_passive, m, perfects, passive=True)
    passive, passive_core = _hollow_passive(perfect, core, m)
    if passive is not None:
        _perfect_forms(passive, m, perfects, hamza, passive=True)
    if passive_core is not None:
        _imperfect_forms(passive_core, m, imperfects, hamza, passive=True)
    return perfects, imperfects


def _noun_forms(noun: str, m: Morphology) -> set[str]:
    forms = {noun + suffix for suffix in m.noun_suffixes}
    if noun.endswith(m.ta_marbuta_folded):  # إعادة → إعادته، إعادتها، إعادات
        stem = noun[: -len(m.ta_marbuta_folded)]
        forms |= {stem + m.ta_marbuta_bound + suffix for suffix in m.noun_suffixes if suffix}
        forms.add(stem + m.feminine_plural)
    return forms


def _masdar_pattern(template: str, m: Morphology) -> re.Pattern[str]:
    consonant = f"[{re.escape(m.root_letters)}]"
    body = "".join(consonant if ch == "C" else re.escape(fold_word(ch)) for ch in template)
    endings = "|".join(re.escape(e) for e in sorted(m.template_endings, key=len, reverse=True))
    return re.compile(rf"{body}(?:{endings})?")


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


def _add_all(senses: dict[str, WordSense], forms: set[str], sense: WordSense) -> None:
    """:func:`_add` for each of ``forms``; the new ones in one go."""
    fresh = forms.difference(senses)
    senses.update(dict.fromkeys(fresh, sense))
    for form in forms - fresh:
        _add(senses, form, sense)


def _load() -> Lexicon:
    verbs = _read("events_verbs.toml")
    nouns = _read("events_nouns.toml")
    clauses = _read("events_clauses.toml")
    relations = _read("events_relations.toml")
    morphology_data = _read("events_morphology.toml")
    m = _morphology(morphology_data)
    conjunction = m.conjunctions[0]

    verb_senses: dict[str, WordSense] = {}
    nominals: dict[str, WordSense] = {}
    object_forms: set[str] = set()
    generated = [(entry, *_verb_forms(entry, m)) for entry in verbs["verbs"]]
    # a verb's perfect and imperfect as listed are that verb, whatever another verb's
    # inflection spells («تراجع»: the perfect of تراجع, not راجع with ت); elsewhere,
    # where two verbs spell the same letters, the commoner inflection wins («يدعوه»:
    # دعا with an object, not ادعى with وا and an object)
    for entry in verbs["verbs"]:
        perfect = fold_word(entry["perfect"])
        reporting: Reporting = entry.get("reporting", "never")
        state = entry.get("aspect") == "state"
        _add(verb_senses, perfect, WordSense(perfect, "perfect", reporting, state))
        imperfect = fold_word(entry["imperfect"])
        _add(verb_senses, imperfect, WordSense(perfect, "imperfect", reporting, state))
    listed = frozenset(verb_senses)
    for tier in range(3):
        for entry, perfects, imperfects in generated:
            perfect = fold_word(entry["perfect"])
            reporting = entry.get("reporting", "never")
            state = entry.get("aspect") == "state"
            sense = WordSense(perfect, "perfect", reporting, state)
            _add_all(verb_senses, perfects[tier] - listed, sense)
            sense = WordSense(perfect, "imperfect", reporting, state)
            _add_all(verb_senses, imperfects[tier] - listed, sense)
    for entry in verbs["verbs"]:
        perfect = fold_word(entry["perfect"])
        object_forms.update(perfect + m.feminine_t + obj for obj in m.object_suffixes if obj)
        for masdar in entry.get("masdar", []):
            for form in _noun_forms(fold_word(masdar), m):
                _add(nominals, form, WordSense(perfect, "masdar"))
    for noun in nouns["event_nouns"]:
        folded = fold_word(noun)
        for form in _noun_forms(folded, m):
            _add(nominals, form, WordSense(folded, "noun"))

    connectives: dict[tuple[str, ...], Connective] = {}
    for entry in relations["connectives"]:
        for word in entry["words"]:
            connectives[_phrase(word)] = Connective(
                RelationType(entry["sub"]),
                background=bool(entry.get("background", False)),
                weak=bool(entry.get("weak", False)),
            )
    sequencers: dict[tuple[str, ...], Sequencer] = {}
    for entry in relations["sequencers"]:
        for word in entry["words"]:
            sequencers[_phrase(word)] = Sequencer(
                RelationType(entry["self"]), opens_clause=bool(entry.get("opens_clause", False))
            )

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

    def table(items: list[str]) -> PhraseTable[bool]:
        return PhraseTable({_phrase(item): True for item in items}, conjunction)

    tables: dict[str, PhraseTable[Any]] = {
        "clause_starts": table(clauses["words"]["clause_starts"]),
        "complementizers": table(clauses["words"]["complementizers"]),
        "attributions": table(clauses["words"]["attributions"]),
        "connectives": PhraseTable(connectives, conjunction),
        "sequencers": PhraseTable(sequencers, conjunction),
    }
    relatives = words(clauses["words"]["relatives"])
    pluperfect = words(relations["pluperfect"]["auxiliaries"])
    openers = frozenset().union(*(t.first_words for t in tables.values()), relatives, pluperfect)

    return Lexicon(
        morphology=m,
        verbs=verb_senses,
        nominals=nominals,
        object_forms=frozenset(object_forms & nominals.keys()),
        masdar_patterns=tuple(_masdar_pattern(t, m) for t in nouns["masdar_patterns"]),
        not_events=words(nouns["not_events"]),
        function_words=words(nouns["function_words"]),
        preposition_verbs=words(nouns["preposition_verbs"]),
        noun_verbs=words(nouns["noun_verbs"]),
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
        relative_skips=words(clauses["words"]["relative_skips"]),
        emphatic=words(clauses["words"]["emphatic"]),
        object_after=words(clauses["words"]["object_after"]),
        range_joiners=words(clauses["words"]["range_joiners"]),
        complementizers=tables["complementizers"],
        noun_complementizers=words(clauses["words"]["noun_complementizers"]),
        attributions=tables["attributions"],
        comparisons=table(_read("lexicon.toml")["comparison"]["words"]),
        for_year=words(clauses["words"]["for_year"]),
        since=words(clauses["words"]["since"]),
        connectives=tables["connectives"],
        back_references=words(relations["back_references"]),
        sequencers=tables["sequencers"],
        pluperfect_auxiliaries=pluperfect,
        between_connective_and_event=words(relations["between"]),
        future_particles=words(relations["future"]["particles"]),
        future_phrases=table(relations["future"]["phrases"]),
        gaps=gaps,
        openers=openers,
        examples={
            "verbs": verbs.get("examples", []),
            "nouns": nouns.get("examples", []),
            "clauses": clauses.get("examples", []),
            "relations": relations.get("examples", []),
            "morphology": morphology_data.get("examples", []),
        },
    )


LEXICON = _load()
