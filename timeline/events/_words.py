"""Words of the text and what each may be: a verb, a verbal noun, or neither.

:func:`tokenize` reads the text folded one character for one (so offsets need
no mapping) and folds away diacritics and tatweel in the few words that hold
them; every word is then folded exactly as :func:`timeline.text.fold_word` does.

Arabic glues conjunctions, prepositions, the article and the future prefix to
the word they belong to («وسيعلن»، «بالاتفاق»). :func:`analyze` tries the
readings from the fewest clitics to the most and returns the first the lexicon
knows; unknown words fall back to the verbal-noun templates and, at the start
of a clause, to the shape of a verb.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import Literal, TypeVar

from timeline.events._lexicon import LEXICON, WordSense
from timeline.text import fold_word


def _fold_tables() -> tuple[dict[int, str], dict[int, None]]:
    """:func:`timeline.text.fold_word` split in two: the one-for-one replacements
    (which keep offsets) and the characters it drops (diacritics, tatweel, marks)."""
    replace: dict[int, str] = {}
    drop: dict[int, None] = {}
    for code in (*range(0x00A0, 0x0800), *range(0x2000, 0x2070), 0x3000, *range(0xFB50, 0xFF00)):
        char = chr(code)
        folded = fold_word(char)
        if folded == "":
            drop[code] = None
        elif folded != char:
            replace[code] = folded
    return replace, drop


_REPLACE, _DROP = _fold_tables()
_REPLACE_PAIRS = tuple((chr(code), target) for code, target in _REPLACE.items())
_IGNORED = "".join(chr(code) for code in _DROP)
#: the characters folding drops
_VANISHING = frozenset(_IGNORED)
_CLASS = re.escape(_IGNORED)
# Tokens are read from the text folded one-for-one, so their offsets are the
# original's: a word runs over letters, digits and the characters folding drops;
# a number keeps its decimal point. (The quantifiers never need to give back, and no
# token starts at a space other than a line break: both spare the matcher work.)
_TOKEN = re.compile(
    rf"\d++(?:[.,:/]\d+)*+|[{_CLASS}]*+[^\W_]++(?:[{_CLASS}]++[^\W_]*+)*+|[{_CLASS}]++"
    rf"|\n|_|[^\w\s{_CLASS}]"
)
_SPLIT = re.compile(rf"(?![^\S\n])({_TOKEN.pattern})")
_HAS_IGNORED = re.compile(f"[{re.escape(_IGNORED)}]")

_T = TypeVar("_T")
_M = LEXICON.morphology
_TA_MARBUTA = re.compile(re.escape(_M.ta_marbuta))


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words and marks of a text, as parallel lists (index k is the k-th token):
    the folded form, the original offsets [start, end), whether it is a word, and
    whether the original word ends in ta marbuta (folded to ه, so it is no verb)."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    is_word: list[bool]
    marbuta: list[bool]
    #: what each token may be (:data:`WordInfo`, from its folded text alone)
    info: list[WordInfo]

    def __len__(self) -> int:
        return len(self.words)


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a word: its sense and the clitics in front of it."""

    sense: WordSense
    #: length of the proclitics (و، ف، ب، ل، ك) left out of the trigger
    skip: int
    future: bool = False
    purpose: bool = False
    definite: bool = False
    suffixed: bool = False
    guessed: bool = False


def _fold_one_for_one(text: str) -> str:
    for source, target in _REPLACE_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text


def tokenize(text: str) -> Tokens:
    """The words and marks of ``text``, each folded as :func:`timeline.text.fold_word` does."""
    folded = _fold_one_for_one(text)
    # split keeps what lies between tokens, so running lengths give every offset
    pieces = _SPLIT.split(folded)
    offsets = list(accumulate(map(len, pieces), initial=0))
    words = pieces[1::2]
    starts = offsets[1::2]
    ends = offsets[2::2]
    marks = [m.start() for m in _HAS_IGNORED.finditer(folded)]
    if marks:
        # only the words holding a diacritic, tatweel or invisible mark need cleaning
        for at in {bisect_right(starts, mark) - 1 for mark in marks}:
            words[at] = words[at].translate(_DROP)
        if not all(words):
            kept = [k for k, w in enumerate(words) if w]
            words = [words[k] for k in kept]
            starts = [starts[k] for k in kept]
            ends = [ends[k] for k in kept]
    info = list(map(WORD_INFO.__getitem__, words))
    is_word = list(map(_IS_WORD, info))
    # ta marbuta closes a word where it stands (it is rare elsewhere)
    marbuta = [False] * len(words)
    at = 0
    for found in _TA_MARBUTA.finditer(text):
        end = found.end()
        at = bisect_left(ends, end, at)
        if at < len(ends) and ends[at] == end:
            marbuta[at] = True
    return Tokens(
        words=words, starts=starts, ends=ends, is_word=is_word, marbuta=marbuta, info=info
    )


def original_offset(text: str, start: int, end: int, folded_chars: int) -> int:
    """Where, in the original word text[start:end], its folded character ``folded_chars`` is."""
    seen = 0
    for at in range(start, end):
        if seen == folded_chars:
            return at
        if text[at] not in _VANISHING:
            seen += 1
    return end


def strip_conjunction(word: str) -> str:
    """The word without a leading و or ف (when what remains is still a word)."""
    if len(word) >= 3 and word[0] in _M.conjunctions:
        return word[1:]
    return word


def _suffixed(rest: str, lemma: str) -> bool:
    return len(rest) > len(lemma) and rest[len(lemma) :] in _M.possessives


Shape = Literal["none", "imperfect", "any"]


@lru_cache(maxsize=65536)
def analyze(word: str, shape: Shape = "none", marbuta: bool = False) -> Analysis | None:
    """The event reading of a folded word, or None when it cannot be a trigger.

    ``shape`` says how far an unknown word may be guessed to be a verb from its
    shape alone: not at all, as an imperfect (ي/ت + stem, at a clause start), or
    also as a perfect (the first word of a sentence, after و: Arabic news
    sentences open with their verb). ``marbuta``: the original word ends in ة,
    which no verb does.
    """
    if not word or word[0].isdigit() or len(word) < 2:
        return None
    bare = strip_conjunction(word)
    function_words = LEXICON.function_words
    if (
        (word in function_words or bare in function_words)
        and not (shape == "any" and bare != word and bare in LEXICON.preposition_verbs)
        # «فتحت» is the verb as written, not ف + «تحت»
        and not (word not in function_words and word in LEXICON.verbs)
    ):
        return None
    if word in LEXICON.not_events or bare in LEXICON.not_events:
        return None
    if word in LEXICON.auxiliaries or bare in LEXICON.auxiliaries:
        return None
    return _as_verb(word, marbuta) or _as_noun(word) or _by_shape(word, shape, marbuta)


def _as_verb(word: str, marbuta: bool) -> Analysis | None:
    if marbuta:
        return None
    for clitic in _M.verb_clitics:
        if not word.startswith(clitic):
            continue
        rest = word[len(clitic) :]
        sense = LEXICON.verbs.get(rest)
        if sense is None or len(rest) < 2 or rest in LEXICON.object_forms:
            continue
        if rest in LEXICON.noun_verbs or word in LEXICON.noun_verbs:
            continue  # «فرق الإنقاذ»، «ونصف»: the noun
        future, purpose = _M.future in clitic, _M.purpose in clitic
        if (future or purpose) and (
            sense.pos != "imperfect"
            # after the purpose ل the subjunctive drops its ن («ليجتمعا»), so «ليبرمان»
            # is a name, not ل + a dual verb
            or (purpose and rest.endswith(_M.subjunctive_excludes))
        ):
            continue
        skip = len(clitic) - future  # the future prefix stays in the trigger
        return Analysis(sense, skip=skip, future=future, purpose=purpose)
    return None


def as_noun(word: str) -> Analysis | None:
    """The word's reading as a verbal or event noun, even where it also spells a verb."""
    return _as_noun(word)


def _as_noun(word: str) -> Analysis | None:
    for article in _M.articles:
        if word.startswith(article):
            rest = word[len(article) :]
            # the article stays in the trigger («التوقيع»); ل before it («للتوقيع») does not
            if article.endswith(_M.article_after_lam):
                skip = len(article)
            else:
                skip = len(article) - len(_M.article)
            sense = LEXICON.nominals.get(rest)
            if sense is not None:
                return Analysis(sense, skip=skip, definite=True)
            if (guess := _masdar_by_template(rest)) is not None:
                return Analysis(guess, skip=skip, definite=True, guessed=True)
    for clitic in _M.noun_clitics:
        if not word.startswith(clitic):
            continue
        rest = word[len(clitic) :]
        if len(rest) < 3:
            continue
        sense = LEXICON.nominals.get(rest)
        if sense is not None:
            return Analysis(sense, skip=len(clitic), suffixed=_suffixed(rest, sense.lemma))
        if (guess := _masdar_by_template(rest)) is not None:
            return Analysis(guess, skip=len(clitic), guessed=True)
    return None


def _masdar_by_template(rest: str) -> WordSense | None:
    # «تجارية»: a relative adjective (-iyya) fits the templates but is no verbal noun
    if rest in LEXICON.not_events or len(rest) < 4 or rest.endswith(_M.nisba_endings):
        return None
    for pattern in LEXICON.masdar_patterns:
        if pattern.fullmatch(rest):
            return WordSense(rest, "masdar")
    return None


def _by_shape(word: str, shape: Shape, marbuta: bool) -> Analysis | None:
    """A clause-opening word that is not a known noun: most likely a verb (VSO order)."""
    if shape == "none" or marbuta:
        return None
    # only و: many nouns begin with ف («فريق»، «فرنسا»), which listed verbs still take
    conjunction = _M.conjunctions[0]
    clitic = conjunction if word[0] == conjunction and len(word) > 3 else ""
    rest = word[len(clitic) :]
    if not 3 <= len(rest) <= 7 or rest.startswith(_M.not_verb_starts):
        return None
    if rest in LEXICON.not_events or rest in LEXICON.function_words:
        return None
    if rest in LEXICON.auxiliaries or rest.endswith(_M.not_verb_endings):
        return None
    if rest.endswith(_M.adverb_ending) and not rest.endswith(_M.plural_ending):
        return None
    if rest.startswith(_M.shape_imperfect_prefixes) and len(rest) >= 4:
        return Analysis(WordSense(rest, "imperfect"), skip=len(clitic), guessed=True)
    if shape != "any" or rest.startswith(_M.not_perfect_start):
        return None
    if not clitic and not (rest.endswith(_M.feminine_t) and 4 <= len(rest) <= 7):
        # a bare word opening a sentence is a verb only in its feminine form («عدلت»)
        return None
    return Analysis(WordSense(rest, "perfect"), skip=len(clitic), guessed=True)


#: which phrase tables a word may open, as bits (see :data:`WordInfo`)
CONNECTIVE, SEQUENCER, ATTRIBUTION, CLAUSE_START, COMPLEMENTIZER, RELATIVE, PLUPERFECT = (
    1 << n for n in range(7)
)
_PHRASE_TABLES = (
    (CONNECTIVE, LEXICON.connectives),
    (SEQUENCER, LEXICON.sequencers),
    (ATTRIBUTION, LEXICON.attributions),
    (CLAUSE_START, LEXICON.clause_starts),
    (COMPLEMENTIZER, LEXICON.complementizers),
)
_OPENING_SETS = (
    *((bit, table.first_words) for bit, table in _PHRASE_TABLES),
    (RELATIVE, LEXICON.relatives),
    (PLUPERFECT, LEXICON.pluperfect_auxiliaries),
)
_VERBAL = frozenset(["perfect", "imperfect"])
_CLAUSE_MARKS = LEXICON.clause_punctuation | LEXICON.quotes

#: what segmentation needs of a token, from its folded text alone: its reading (no
#: shape guesses), the phrase tables it may open (bits), whether that reading is a
#: verb, whether the token may open or close a clause (the others only extend it),
#: for the tables whose phrases it opens only with a word after it, those words, and
#: whether it is a word (or number) rather than a mark
WordInfo = tuple[Analysis | None, int, bool, bool, tuple[tuple[int, frozenset[str]], ...], bool]
READING, OPENS, VERBAL, INTERESTING, NEEDS, _IS_WORD = map(itemgetter, range(6))


def reading_info(word: str, reading: Analysis | None, opens: int) -> tuple[bool, bool]:
    """Whether ``word`` read as ``reading`` is a verb, and whether it may open or close
    a clause (see :data:`WordInfo`)."""
    verbal = reading is not None and reading.sense.pos in _VERBAL
    if word[0].isalnum():
        return verbal, bool(opens or verbal)
    return verbal, word in _CLAUSE_MARKS


def _word_info(word: str) -> WordInfo:
    bare = word[1:] if word[:1] == _M.conjunctions[0] else None
    opens = 0
    for bit, first_words in _OPENING_SETS:
        if word in first_words or bare in first_words:
            opens |= bit
    if bare is None:
        opens &= ~PLUPERFECT  # only «وكان» opens a clause, «كان» does not
    needs = []
    for bit, table in _PHRASE_TABLES:
        if opens & bit and (followers := table.followers(word)) is not None:
            needs.append((bit, followers))
    reading = analyze(word)
    return (reading, opens, *reading_info(word, reading, opens), tuple(needs), word[0].isalnum())


class Memo(dict[str, _T]):
    """``compute`` of every word asked for (words recur: a dictionary hit is cheaper
    than a call); ``memo[word]`` computes what it does not hold yet. Past ``limit``
    entries it starts afresh, so a long-running worker does not grow without end."""

    def __init__(self, compute: Callable[[str], _T], limit: int = 200_000) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, word: str) -> _T:
        if len(self) > self.limit:
            self.clear()
        found = self[word] = self.compute(word)
        return found


WORD_INFO = Memo(_word_info)
