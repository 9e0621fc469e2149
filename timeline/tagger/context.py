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

_BOUNDARY = re.compile(r"[.!?؟؛;:\n\"()]|(?<!\w)" + LEXICON.regex("clause_opener") + r"(?!\w)")
_SENTENCE = re.compile(r"[.!?؟\n]")
_WORDS = re.compile(r"\w+")
#: how far a future cue reaches, in words, before and after an expression
_REACH_BEFORE = 7
_REACH_AFTER = 0
_FUTURE_WORDS = re.compile(
    r"(?<!\w)" + LEXICON.regex("conjunction") + "?" + LEXICON.regex("future_cue") + r"(?!\w)"
)
# the future prefix + an imperfect prefix + a stem: ستعيد، سيعقد، فسنسمح
_FUTURE_PREFIX = re.compile(
    r"(?<!\w)"
    + LEXICON.regex("conjunction")
    + "?("
    + LEXICON.regex("future_prefix")
    + LEXICON.regex("imperfect_prefix")
    + r"\w{2,})(?!\w)"
)
# «على أن يتوجه»: a complementizer + an imperfect verb
_FUTURE_COMPLEMENT = re.compile(
    r"(?<!\w)"
    + LEXICON.regex("future_complement")
    + r"\s+"
    + LEXICON.regex("imperfect_prefix")
    + r"\w{2,}"
)


def _after_past_auxiliary(text: str, at: int) -> bool:
    """«كانت مقررة»: a future cue right after كان is a past plan."""
    before = _WORDS.findall(text[max(0, at - 24) : at])[-2:]
    return any(LEXICON.has("past_auxiliary", w) for w in before)


class Tense(StrEnum):
    PAST = "past"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class Context:
    """Clause boundaries and future cues of one folded text, found once."""

    boundaries: list[int]
    sentences: list[int]
    cues: list[int]
    #: the folded text itself, to measure distances in words
    text: str
    #: where each cue ends, parallel to ``cues``
    cue_ends: list[int]

    @classmethod
    def of(cls, text: str) -> Context:
        cue_matches = [
            m
            for m in [*_FUTURE_WORDS.finditer(text), *_FUTURE_COMPLEMENT.finditer(text)]
            if not _after_past_auxiliary(text, m.start())
        ]
        cues = [m.start() for m in cue_matches]
        ends = {m.start(): m.end() for m in cue_matches}
        # «من المقرر أن يلتقي»، «على أن يتوجه»: the cue governs the clause its أن opens
        governed = sorted((m.start(), m.end() + 2) for m in cue_matches)
        starts = [a for a, _ in governed]

        def is_governed(at: int) -> bool:
            k = bisect.bisect_right(starts, at) - 1
            return k >= 0 and at <= governed[k][1]

        boundaries = [m.start() for m in _BOUNDARY.finditer(text) if not is_governed(m.start())]
        sentences = [m.start() for m in _SENTENCE.finditer(text)]
        for m in _FUTURE_PREFIX.finditer(text):
            word = m.group(1)
            if LEXICON.has("future_prefix_false", word) or LEXICON.has_suffix("noun_ending", word):
                continue
            cues.append(m.start())
            ends[m.start()] = m.end()
            if m.start() != m.start(1):
                # «وستستمر»: و + a future verb opens a coordinated clause of its own
                boundaries.append(m.start())
        cues.sort()
        boundaries.sort()
        return cls(boundaries, sentences, cues, text, [ends[c] for c in cues])

    def clause(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.boundaries, start)
        lo = self.boundaries[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.boundaries, end)
        hi = self.boundaries[j] if j < len(self.boundaries) else 1 << 60
        return lo, hi

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, start)
        lo = self.sentences[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.sentences, end)
        hi = self.sentences[j] if j < len(self.sentences) else 1 << 60
        return lo, hi

    def _words_between(self, a: int, b: int) -> int:
        return len(_WORDS.findall(self.text, a, b))

    def tense(self, start: int, end: int) -> Tense:
        """The direction of the clause holding ``[start, end)``, the mention left out:
        future when a future cue of that clause is near enough."""
        lo, hi = self.clause(start, end)
        i = bisect.bisect_left(self.cues, lo)
        while i < len(self.cues) and self.cues[i] < hi:
            cue = self.cues[i]
            if cue < start and self._words_between(self.cue_ends[i], start) <= _REACH_BEFORE:
                return Tense.FUTURE
            if cue >= end and self._words_between(end, cue) <= _REACH_AFTER:
                return Tense.FUTURE
            i += 1
        return Tense.PAST
