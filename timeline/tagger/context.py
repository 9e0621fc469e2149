"""The sentence around a mention: which way its clause points in time.

A clause runs between sentence punctuation, quotes and the words that open a new
clause (أن، الذي، بعد أن…). It points to the future when it holds a future cue of
the lexicon (سوف، من المقرر، المقبل…) or a verb with the future prefix سـ.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from timeline.tagger.lexicon import LEXICON

#: what ends a clause: punctuation, quotes and brackets, or a word that opens a clause
#: (a point or colon between digits is part of a number or a clock time: «54.0»، «15:30»)
_CHARS = r"[!?؟؛;\n\"()]|[.:](?!\d)|(?<!\d)[.:]"
_BOUNDARY = re.compile(_CHARS + r"|(?<!\w)" + LEXICON.regex("clause_opener") + r"(?!\w)")
#: the same in two searches that the engine skips through in C (``_BOUNDARY`` has no
#: first character to skip to, so it is tried at every character): the characters, and
#: the words behind the non-word character before them (group 1)
_BOUNDARY_CHARS = re.compile(_CHARS)
#: the same characters as one class (the engine skips to them in C); a point or a colon
#: between digits is then left out by :func:`_between_digits`
_PLAIN_BOUNDARY_CHARS = re.compile(r"[.!?؟؛;:\n\"()]")


def _between_digits(text: str, at: int) -> bool:
    """Whether the point or colon at ``at`` stands between two digits («54.0»، «15:30»)."""
    return (
        text[at] in ".:"
        and 0 < at < len(text) - 1
        and text[at - 1].isdigit()
        and text[at + 1].isdigit()
    )


_OPENER = re.compile(r"\W(" + LEXICON.regex("clause_opener") + r")(?!\w)")
_OPENER_AT = re.compile(LEXICON.regex("clause_opener") + r"(?!\w)")
#: the characters that end a sentence
SENTENCE_ENDS = ".!?؟\n"
_WORDS = re.compile(r"\w+")
#: how far a future cue reaches, in words, before and after an expression
_REACH_BEFORE = 7
_REACH_AFTER = 1
#: how many words may come before a cue that opens its clause (و، ثم…)
_OPENING_WORDS = 1
#: a cue after an expression counts only when the expression opens its clause
#: («وبعد يومين ستعلن النتائج»), not when the verb after it governs more (… في أوائل
#: فبراير ستضخمان العجز)
_FRONTED_WORDS = 1
_FUTURE_WORD = LEXICON.regex("conjunction") + "?" + LEXICON.regex("future_cue") + r"(?!\w)"
# the future prefix + an imperfect prefix + a stem: ستعيد، سيعقد، فسنسمح
_VERB = LEXICON.regex("future_prefix") + LEXICON.regex("imperfect_prefix") + r"\w{2,}"
_FUTURE_VERB = LEXICON.regex("conjunction") + "?(" + _VERB + r")(?!\w)"
# «على أن يتوجه»: a complementizer + an imperfect verb
_COMPLEMENT_VERB = (
    LEXICON.regex("future_complement") + r"\s+" + LEXICON.regex("imperfect_prefix") + r"\w{2,}"
)
_FUTURE_WORDS = re.compile(r"(?<!\w)" + _FUTURE_WORD)
_FUTURE_PREFIX = re.compile(r"(?<!\w)" + _FUTURE_VERB)
_FUTURE_COMPLEMENT = re.compile(r"(?<!\w)" + _COMPLEMENT_VERB)
#: what any of the three above begins with, behind the beginning of a word (no groups)
_CUE = "|".join(
    (_FUTURE_WORD, LEXICON.regex("conjunction") + "?" + _VERB + r"(?!\w)", _COMPLEMENT_VERB)
)
_ANY_CUE = re.compile(r"(?<!\w)(?:" + _CUE + ")")
_NON_WORD = re.compile(r"\W")
_CONJUNCTIONS = ["", *LEXICON.lists["conjunction"]]
#: the run of word characters a cue begins with: the whole first word of a cue word or
#: phrase (with its conjunction), or the beginning of a future verb
CUE_WORDS = frozenset(
    _NON_WORD.split(c + w, maxsplit=1)[0]
    for c in _CONJUNCTIONS
    for w in LEXICON.lists["future_cue"] + LEXICON.lists["future_complement"]
)
#: the first words of the words of comparison, behind a conjunction and a preposition
#: («وبالمقارنة»، «ومقابل»)
COMPARE_WORDS = frozenset(
    _NON_WORD.split(c + p + w, maxsplit=1)[0]
    for c in _CONJUNCTIONS
    for p in ["", *LEXICON.lists["preposition_clitic"]]
    for w in LEXICON.lists["comparison"]
)
CUE_PREFIXES = tuple(
    _NON_WORD.split(c + f + i, maxsplit=1)[0]
    for c in _CONJUNCTIONS
    for f in LEXICON.lists["future_prefix"]
    for i in LEXICON.lists["imperfect_prefix"]
)
_RUNS = re.compile(r"\w+")


def find_cue_starts(text: str) -> list[int]:
    """Where a future cue may begin in ``text``: the runs of word characters that begin
    like one (a cue begins with a word character, after none)."""
    return [
        m.start()
        for m in _RUNS.finditer(text)
        if m.group() in CUE_WORDS or m.group().startswith(CUE_PREFIXES)
    ]


def boundaries(text: str, lo: int, hi: int) -> list[int]:
    """Where ``_BOUNDARY.finditer(text, lo, hi)`` finds a match, in order."""
    found = [
        at
        for m in _PLAIN_BOUNDARY_CHARS.finditer(text, lo, hi)
        if not _between_digits(text, at := m.start())
    ]
    at = lo
    if lo == 0:
        first = _OPENER_AT.match(text, 0, hi)
        if first is not None:
            found.append(0)
            at = first.end()
    else:
        at = lo - 1  # the character before may be the one before a word
    found += [m.start(1) for m in _OPENER.finditer(text, at, hi)]
    found.sort()
    return found


def sentence_ends(text: str) -> list[int]:
    """Where the characters of :data:`SENTENCE_ENDS` are in ``text``, in order (each
    looked for with ``str.find``, far cheaper than a regular expression per character),
    decimal points left out."""
    found = []
    last = len(text) - 1
    for char in SENTENCE_ENDS:
        point = char == "."
        at = text.find(char)
        while at >= 0:
            # a point between digits is a decimal point («52.2»), not a sentence end
            if not (point and 0 < at < last and text[at - 1].isdigit() and text[at + 1].isdigit()):
                found.append(at)
            at = text.find(char, at + 1)
    found.sort()
    return found


def _after_past_auxiliary(text: str, at: int) -> bool:
    """«كانت مقررة»: a future cue right after كان is a past plan."""
    before = _WORDS.findall(text[max(0, at - 24) : at])[-2:]
    return any(LEXICON.has("past_auxiliary", w) for w in before)


#: a quoted stretch of at most this many words is a name or a term («في هذه "الخلوة"»),
#: not a quotation with a clause of its own
_SHORT_QUOTE_WORDS = 3


def _without_short_quotes(text: str, bounds: list[int]) -> list[int]:
    """``bounds`` without the quote marks around a short quoted term."""
    quotes = [b for b in bounds if text[b] == '"']
    short = set()
    for first, second in zip(quotes[::2], quotes[1::2], strict=False):
        if len(_WORDS.findall(text, first, second)) <= _SHORT_QUOTE_WORDS:
            short |= {first, second}
    return [b for b in bounds if b not in short] if short else bounds


class Tense(StrEnum):
    PAST = "past"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class _Sentence:
    """The clause boundaries and future cues of one sentence."""

    boundaries: list[int]
    cues: list[int]
    cue_ends: list[int]


class Context:
    """Sentences of one folded text; the clauses and cues of a sentence are found
    when first asked for (most sentences hold no time expression)."""

    def __init__(self, text: str, cue_starts: list[int] | None = None) -> None:
        """``cue_starts``: where in ``text`` a future cue may begin (a cue after a
        non-word character or at the start), in order; found here if not given. Any
        other places may be among them."""
        self.text = text
        self.sentences = sentence_ends(text)
        if cue_starts is None:
            cue_starts = find_cue_starts(text)
        self._cue_starts = cue_starts
        self._analysed: dict[int, _Sentence] = {}
        #: the sentences known to hold no future cue
        self._cueless: set[int] = set()
        #: the clause boundaries of such sentences (by their start)
        self._plain: dict[int, list[int]] = {}

    @classmethod
    def of(cls, text: str, cue_starts: list[int] | None = None) -> Context:
        return cls(text, cue_starts)

    def _matches(self, pattern: re.Pattern[str], lo: int, hi: int) -> list[re.Match[str]]:
        """What ``pattern.finditer(text, lo, hi)`` finds, for a pattern that can only
        match where a cue may begin: tried at those places alone."""
        found = []
        starts = self._cue_starts
        at = lo
        for i in range(bisect.bisect_left(starts, lo), bisect.bisect_right(starts, hi)):
            start = starts[i]
            if start >= at:
                m = pattern.match(self.text, start, hi)
                if m is not None:
                    found.append(m)
                    at = m.end()
        return found

    def _analyse(self, lo: int, hi: int) -> _Sentence:
        found = self._analysed.get(lo)
        if found is not None:
            return found
        text = self.text
        cue_matches = [
            m
            for m in [
                *self._matches(_FUTURE_WORDS, lo, hi),
                *self._matches(_FUTURE_COMPLEMENT, lo, hi),
            ]
            if not _after_past_auxiliary(text, m.start())
        ]
        ends = {m.start(): m.end() for m in cue_matches}
        # «من المقرر أن يلتقي»، «على أن يتوجه»: the cue governs the clause its أن opens
        governed = [(m.start(), m.end() + 2) for m in cue_matches]
        bounds = boundaries(text, lo, hi)
        if governed:
            bounds = [s for s in bounds if not any(a <= s <= b for a, b in governed)]
        if '"' in text[lo:hi]:
            bounds = _without_short_quotes(text, bounds)
        for m in self._matches(_FUTURE_PREFIX, lo, hi):
            word = m.group(1)
            if LEXICON.has("future_prefix_false", word) or LEXICON.has_suffix("noun_ending", word):
                continue
            ends[m.start()] = m.end()
            if m.start() != m.start(1):
                # «وستستمر»: و + a future verb opens a coordinated clause of its own
                bounds.append(m.start())
        cues = sorted(ends)
        analysed = _Sentence(sorted(bounds), cues, [ends[c] for c in cues])
        self._analysed[lo] = analysed
        return analysed

    def _has_cue(self, lo: int, hi: int) -> bool:
        """Whether ``_ANY_CUE.search(text, lo, hi)`` finds one."""
        starts = self._cue_starts
        text = self.text
        return any(
            _ANY_CUE.match(text, starts[i], hi) is not None
            for i in range(bisect.bisect_left(starts, lo), bisect.bisect_right(starts, hi))
        )

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, start)
        lo = self.sentences[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.sentences, end)
        hi = self.sentences[j] if j < len(self.sentences) else len(self.text)
        return lo, hi

    def _clause_in(
        self, sentence: _Sentence, lo: int, hi: int, start: int, end: int
    ) -> tuple[int, int]:
        return self._clause_from(sentence.boundaries, lo, hi, start, end)

    @staticmethod
    def _clause_from(b: list[int], lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(b, start)
        j = bisect.bisect_left(b, end)
        return (b[i - 1] if i > 0 else lo), (b[j] if j < len(b) else hi)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        lo, hi = self.sentence(start, end)
        sentence = self._analysed.get(lo)
        if sentence is None and (lo in self._cueless or not self._has_cue(lo, hi)):
            # a sentence with no future cue: its boundaries alone, no analysis of cues
            self._cueless.add(lo)
            bounds = self._plain.get(lo)
            if bounds is None:
                bounds = self._plain[lo] = _without_short_quotes(
                    self.text, boundaries(self.text, lo, hi)
                )
            return self._clause_from(bounds, lo, hi, start, end)
        if sentence is None:
            sentence = self._analyse(lo, hi)
        return self._clause_in(sentence, lo, hi, start, end)

    def _words_between(self, a: int, b: int) -> int:
        return len(_WORDS.findall(self.text, a, b))

    def tense(self, start: int, end: int) -> Tense:
        """The direction of the clause holding ``[start, end)``, the mention left out:
        future when a future cue of that clause is near enough."""
        lo, hi = self.sentence(start, end)
        sentence = self._analysed.get(lo)
        if sentence is None:
            # most sentences hold no cue: the places where one may begin tell
            if lo in self._cueless:
                return Tense.PAST
            if not self._has_cue(lo, hi):
                self._cueless.add(lo)
                return Tense.PAST
            sentence = self._analyse(lo, hi)
        c_lo, c_hi = self._clause_in(sentence, lo, hi, start, end)
        cues = sentence.cues
        i = bisect.bisect_left(cues, c_lo)
        while i < len(cues) and cues[i] < c_hi:
            cue = cues[i]
            if cue < start and (
                self._words_between(sentence.cue_ends[i], start) <= _REACH_BEFORE
                or self._words_between(c_lo, cue) <= _OPENING_WORDS
            ):
                # near enough, or opening the clause («وستشارك سفيرة … في هذه الخلوة،
                # الجمعة والسبت والأحد»): a cue that opens its clause governs all of it
                return Tense.FUTURE
            phrase_start = max(
                c_lo, self.text.rfind("،", c_lo, start), self.text.rfind(",", c_lo, start)
            )
            fronted = self._words_between(phrase_start, start) <= _FRONTED_WORDS
            if fronted and cue >= end and self._words_between(end, cue) <= _REACH_AFTER:
                return Tense.FUTURE
            i += 1
        return Tense.PAST
