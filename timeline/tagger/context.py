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

from timeline.tagger.lexicon import LEXICON, word_regex

_CLAUSE_OPENERS = [
    "ان",
    "بان",
    "لان",
    "كي",
    "لكي",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "حيث",
    "بينما",
    "فيما",
    "لكن",
    "ولكن",
    "اذ",
    "عندما",
    "حين",
    "حينما",
    "بعدما",
    "قبل ان",
    "بعد ان",
    "وان",
    "كما",
    "واضاف",
    "وقال",
    "وقالت",
    "واضافت",
    "مضيفا",
    "مضيفه",
    "وتابع",
]
_BOUNDARY = re.compile(r"[.!?؟؛;:\n\"()]|(?<!\w)" + word_regex(_CLAUSE_OPENERS) + r"(?!\w)")
_SENTENCE = re.compile(r"[.!?؟\n]")
_FUTURE_WORDS = re.compile(r"(?<!\w)[وف]?" + LEXICON.regex("future_cue") + r"(?!\w)")
# سـ + imperfect prefix + a stem of three letters or more: ستعيد، سيعقد، فسنسمح
_FUTURE_PREFIX = re.compile(r"(?<!\w)[وف]?(س[يتن]\w{2,})(?!\w)")


class Tense(StrEnum):
    PAST = "past"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class Context:
    """Clause boundaries and future cues of one folded text, found once."""

    boundaries: list[int]
    sentences: list[int]
    cues: list[int]

    @classmethod
    def of(cls, text: str) -> Context:
        cue_matches = list(_FUTURE_WORDS.finditer(text))
        cues = [m.start() for m in cue_matches]
        # «من المقرر أن يلتقي»: the cue governs the clause its أن opens
        governed = {m.end() for m in cue_matches}
        boundaries = [
            m.start()
            for m in _BOUNDARY.finditer(text)
            if not any(m.start() - k in governed for k in (0, 1, 2))
        ]
        sentences = [m.start() for m in _SENTENCE.finditer(text)]
        for m in _FUTURE_PREFIX.finditer(text):
            word = m.group(1)
            if LEXICON.has("future_prefix_false", word) or word.endswith(("ه", "ات", "يه")):
                continue
            cues.append(m.start())
            if m.start() != m.start(1):
                # «وستستمر»: و + a future verb opens a coordinated clause of its own
                boundaries.append(m.start())
        cues.sort()
        boundaries.sort()
        return cls(boundaries, sentences, cues)

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

    def tense(self, start: int, end: int) -> Tense:
        """The direction of the clause holding ``[start, end)``, the mention left out."""
        lo, hi = self.clause(start, end)
        i = bisect.bisect_left(self.cues, lo)
        while i < len(self.cues) and self.cues[i] < hi:
            if not start <= self.cues[i] < end:
                return Tense.FUTURE
            i += 1
        return Tense.PAST
