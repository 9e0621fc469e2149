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
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Literal

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
_CLASS = re.escape(_IGNORED)
# Tokens are read from the text folded one-for-one, so their offsets are the
# original's: a word runs over letters, digits and the characters folding drops;
# a number keeps its decimal point.
_TOKEN = re.compile(
    rf"\d+(?:[.,:/]\d+)*|[{_CLASS}]*[^\W_]+(?:[{_CLASS}]+[^\W_]*)*|[{_CLASS}]+"
    rf"|\n|_|[^\w\s{_CLASS}]"
)
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_HAS_IGNORED = re.compile(f"[{re.escape(_IGNORED)}]")

#: proclitics a verb may carry: conjunctions, the purpose ل and the future س
_VERB_CLITICS = ("", "و", "ف", "ل", "س", "وس", "فس", "ول", "فل", "ولت", "لت")
#: proclitics a noun may carry, without and with the article
_NOUN_CLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك")
_ARTICLES = ("ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "لل", "ولل", "فلل")

#: prepositions that are also verbs; read as verbs only when they open a clause
_PREPOSITION_VERBS = frozenset(["عبر", "خلف", "مثل", "بين"])
_FUNCTION_WORDS = frozenset(
    [
        "في",
        "من",
        "الي",
        "علي",
        "عن",
        "مع",
        "حتي",
        "منذ",
        "بعد",
        "قبل",
        "خلال",
        "عند",
        "لدي",
        "امام",
        "وراء",
        "فوق",
        "تحت",
        "دون",
        "غير",
        "كل",
        "بعض",
        "اي",
        "نحو",
        "حول",
        "ضد",
        "لكن",
        "ان",
        "انه",
        "انها",
        "او",
        "ام",
        "ثم",
        "هو",
        "هي",
        "هم",
        "هما",
        "نحن",
        "انا",
        "له",
        "لها",
        "لهم",
        "به",
        "بها",
        "بهم",
        "فيه",
        "فيها",
        "منه",
        "منها",
        "عليه",
        "عليها",
        "اليه",
        "اليها",
        "عنه",
        "عنها",
        "الا",
        "اذا",
        "لو",
        "لا",
        "لم",
        "لن",
        "ما",
        "هل",
        "قد",
        "حيث",
        "كما",
        "بين",
        "بينه",
        "بينها",
        "بينهم",
        "بينهما",
        "مثل",
        "خلف",
        "عبر",
        "الذي",
        "التي",
        "الذين",
    ]
)
_NOT_VERB_STARTS = ("ال", "لل")


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
    return Tokens(
        words=words,
        starts=starts,
        ends=ends,
        is_word=[w[0].isalnum() for w in words],
        marbuta=[text[end - 1] == "ة" for end in ends],
    )


def original_offset(text: str, start: int, end: int, folded_chars: int) -> int:
    """Where, in the original word text[start:end], its folded character ``folded_chars`` is."""
    seen = 0
    for at in range(start, end):
        if seen == folded_chars:
            return at
        if fold_word(text[at]):
            seen += 1
    return end


def strip_conjunction(word: str) -> str:
    """The word without a leading و or ف (when what remains is still a word)."""
    if len(word) >= 3 and word[0] in "وف":
        return word[1:]
    return word


def _suffixed(rest: str, lemma: str) -> bool:
    return len(rest) > len(lemma) and rest[len(lemma) :] in ("ه", "ها", "هم", "هما", "تها", "ته")


Shape = Literal["none", "imperfect", "any"]


@lru_cache(maxsize=65536)
def analyze(word: str, shape: Shape = "none", marbuta: bool = False) -> Analysis | None:
    """The event reading of a folded word, or None when it cannot be a trigger.

    ``shape`` says how far an unknown word may be guessed to be a verb from its
    shape alone: not at all, as an imperfect (ي/ت + stem, at a clause start), or
    also as a perfect (the first word of a sentence, after و/ف: Arabic news
    sentences open with their verb). ``marbuta``: the original word ends in ة,
    which no verb does.
    """
    if not word or word[0].isdigit() or len(word) < 2:
        return None
    bare = strip_conjunction(word)
    if (word in _FUNCTION_WORDS or bare in _FUNCTION_WORDS) and not (
        shape == "any" and bare != word and bare in _PREPOSITION_VERBS
    ):
        return None
    if word in LEXICON.not_events or bare in LEXICON.not_events:
        return None
    if word in LEXICON.auxiliaries or bare in LEXICON.auxiliaries:
        return None
    verbs, nominals = LEXICON.verbs, LEXICON.nominals
    for clitic in _VERB_CLITICS:
        if not word.startswith(clitic):
            continue
        rest = word[len(clitic) :]
        sense = verbs.get(rest)
        if sense is None or len(rest) < 2 or rest in LEXICON.object_forms or marbuta:
            continue
        if ("س" in clitic or "ل" in clitic) and (
            sense.pos != "imperfect"
            or clitic.endswith("ت")
            # after the purpose ل the subjunctive drops its ن («ليجتمعا»), so «ليبرمان»
            # is a name, not ل + a dual verb
            or ("ل" in clitic and rest.endswith(("ون", "ان", "ين")))
        ):
            continue
        skip = len(clitic) - ("س" in clitic)  # the future prefix stays in the trigger
        return Analysis(sense, skip=skip, future="س" in clitic, purpose="ل" in clitic)
    for article in _ARTICLES:
        if word.startswith(article):
            rest = word[len(article) :]
            # the article stays in the trigger («التوقيع»); ل before it («للتوقيع») does not
            skip = len(article) if article.endswith("لل") else len(article) - 2
            sense = nominals.get(rest)
            if sense is not None:
                return Analysis(sense, skip=skip, definite=True)
            if (guess := _masdar_by_template(rest)) is not None:
                return Analysis(guess, skip=skip, definite=True, guessed=True)
    for clitic in _NOUN_CLITICS:
        if not word.startswith(clitic):
            continue
        rest = word[len(clitic) :]
        if len(rest) < 3:
            continue
        sense = nominals.get(rest)
        if sense is not None:
            return Analysis(sense, skip=len(clitic), suffixed=_suffixed(rest, sense.lemma))
        if (guess := _masdar_by_template(rest)) is not None:
            return Analysis(guess, skip=len(clitic), guessed=True)
    if shape != "none" and not marbuta:
        return _verb_by_shape(word, perfect=shape == "any")
    return None


def _masdar_by_template(rest: str) -> WordSense | None:
    # «تجارية»: a relative adjective (-iyya) fits the templates but is no verbal noun
    if rest in LEXICON.not_events or len(rest) < 4 or rest.endswith(("ي", "يه")):
        return None
    for pattern in LEXICON.masdar_patterns:
        if pattern.fullmatch(rest):
            return WordSense(rest, "masdar")
    return None


def _verb_by_shape(word: str, perfect: bool) -> Analysis | None:
    """A clause-opening word that is not a known noun: most likely a verb (VSO order)."""
    # only و: many nouns begin with ف («فريق»، «فرنسا»), which listed verbs still take
    clitic = word[0] if word[0] == "و" and len(word) > 3 else ""
    rest = word[len(clitic) :]
    if not 3 <= len(rest) <= 7 or rest.startswith(_NOT_VERB_STARTS):
        return None
    if rest in LEXICON.not_events or rest in _FUNCTION_WORDS or rest in LEXICON.auxiliaries:
        return None
    if rest.endswith(("ات", "ين", "يه", "يا", "ي")):
        return None
    if rest.endswith("ا") and not rest.endswith("وا"):
        return None
    if rest[0] in "يت" and len(rest) >= 4:
        return Analysis(WordSense(rest, "imperfect"), skip=len(clitic), guessed=True)
    if not perfect or rest[0] == "م":
        return None
    if not clitic and not (rest.endswith("ت") and 4 <= len(rest) <= 7):
        # a bare word opening a sentence is a verb only in its feminine form («عدلت»)
        return None
    return Analysis(WordSense(rest, "perfect"), skip=len(clitic), guessed=True)


#: which phrase tables a word may open, as bits (see :func:`word_info`)
CONNECTIVE, SEQUENCER, ATTRIBUTION, CLAUSE_START, COMPLEMENTIZER, RELATIVE, PLUPERFECT = (
    1 << n for n in range(7)
)
_OPENING_SETS = (
    (CONNECTIVE, LEXICON.connectives.first_words),
    (SEQUENCER, LEXICON.sequencers.first_words),
    (ATTRIBUTION, LEXICON.attributions.first_words),
    (CLAUSE_START, LEXICON.clause_starts.first_words),
    (COMPLEMENTIZER, LEXICON.complementizers.first_words),
    (RELATIVE, LEXICON.relatives),
    (PLUPERFECT, LEXICON.pluperfect_auxiliaries),
)
#: a memo of :func:`word_info` (words recur: a dictionary hit is cheaper than a call)
WORD_INFO: dict[str, tuple[Analysis | None, int]] = {}
WORD_INFO_LIMIT = 200_000


def word_info(word: str) -> tuple[Analysis | None, int]:
    """A word's reading (no shape guesses) and the phrase tables it may open (bits)."""
    found = WORD_INFO.get(word)
    if found is None:
        if len(WORD_INFO) > WORD_INFO_LIMIT:
            WORD_INFO.clear()
        bare = word[1:] if word[:1] == "و" else None
        opens = 0
        for bit, first_words in _OPENING_SETS:
            if word in first_words or bare in first_words:
                opens |= bit
        found = WORD_INFO[word] = (analyze(word), opens)
    return found
