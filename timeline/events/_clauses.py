"""Sentences into clauses, and each clause's event trigger.

A sentence ends at final punctuation, a line break or a list bullet. Inside it,
a clause starts at a comma or colon, an opening quote, a relative pronoun before
a verb, و/ف before a verb, the purpose ل before an imperfect, a complementizer
after a reporting verb (or the verbal noun a reporting verb reports: «أعلن …
انسحابه»), a clause-opening word («حيث»، «فيما»…) and a temporal connective
(«بعد»، «قبل أن»، «منذ»…). Nothing inside a date splits. A clause in which no
trigger is found joins its neighbour, so every event's clause is a contiguous
stretch of text and no two overlap.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from itertools import compress

from timeline.contract import RelationType, TimeExpression, TimexType
from timeline.events._lexicon import LEXICON, Connective, WordSense
from timeline.events._words import (
    ATTRIBUTION,
    CLAUSE_START,
    COMPLEMENTIZER,
    CONNECTIVE,
    INTERESTING,
    OPENS,
    PLUPERFECT,
    READING,
    RELATIVE,
    SEQUENCER,
    Analysis,
    Shape,
    Tokens,
    analyze,
    as_noun,
    reading_info,
    strip_conjunction,
)


class ClauseKind(StrEnum):
    MAIN = "main"
    COORD = "coord"  #: و/ف + verb, ثم
    REPORTED = "reported"  #: what a reporting verb reports
    RELATIVE = "relative"
    SUBORDINATE = "subordinate"  #: opened by a temporal connective
    PURPOSE = "purpose"  #: ل + imperfect
    ATTRIBUTION = "attribution"  #: «وفق ما نقلت…»


@dataclass(slots=True)
class Clause:
    sentence: int
    first: int  #: first token (index into the article's tokens)
    last: int  #: one past the last token
    kind: ClauseKind
    #: first token after the word(s) that open the clause («حيث»، «بعد أن»، «الذي»)
    body: int
    #: the connective that opens the clause and its tokens [start, end)
    connective: Connective | None = None
    cue: tuple[int, int] | None = None
    #: a connective left without an event of its own («بعد أيام من ذلك،»): it
    #: orders this clause against the event told before
    anaphoric: Connective | None = None
    anaphoric_cue: tuple[int, int] | None = None
    trigger: int | None = None
    analysis: Analysis | None = None
    pluperfect: bool = False
    aux: int | None = None
    future: bool = False
    resumptive: bool = False
    headline: bool = False
    #: split from a reporting verb: what it reports (after أن، a colon or a quote)
    reported: bool = False
    #: split from a reporting verb before the verbal noun it reports
    object_noun: bool = False
    #: opened by a complementizer that a noun must follow («إن»، «أن»)
    noun_first: bool = False
    #: connective phrases without an event of their own that joined this clause
    #: («بعد أن كانت … بنهاية حزيران»): their dates are not this clause's
    foreign: tuple[tuple[int, int], ...] = ()
    #: sequencers in the clause («ثم»، «في الوقت نفسه»): tokens [start, end) and relation
    sequencer_cues: tuple[tuple[int, int, RelationType], ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    first: int
    last: int
    headline: bool
    #: the first word token (every sentence holds one)
    first_word: int


class TimexIndex:
    """Which time expression (if any) each token lies in."""

    def __init__(self, tokens: Tokens, timexes: list[TimeExpression]) -> None:
        self.at: list[TimeExpression | None] = [None] * len(tokens)
        #: each expression's tokens [first, last), in the order of ``timexes``
        self.spans: list[tuple[int, int, TimeExpression]] = []
        starts, ends = tokens.starts, tokens.ends
        for timex in timexes:
            first = bisect_right(ends, timex.start)  # first token ending after the start
            last = bisect_left(starts, timex.end, first)  # first token starting at its end
            if first < last:
                self.spans.append((first, last, timex))
        # a token lies in the first expression that covers it: later ones are written first
        for first, last, timex in reversed(self.spans):
            self.at[first:last] = [timex] * (last - first)

    def get(self, index: int) -> TimeExpression | None:
        return self.at[index] if 0 <= index < len(self.at) else None


_CLOSERS = frozenset(['"', ")", "]"])
_HEADLINE_MAX = 200


def split_sentences(tokens: Tokens) -> list[Sentence]:
    """Sentences as token ranges; the lines at the top without final punctuation are headlines."""
    words, is_word = tokens.words, tokens.is_word
    sentences: list[Sentence] = []
    start = 0
    #: still at the top of the text, where a line without final punctuation is a headline
    top = True

    def close(end: int, headline: bool = False) -> None:
        nonlocal start
        try:
            first_word = is_word.index(True, start, end)
        except ValueError:
            pass  # no word: no sentence
        else:
            sentences.append(Sentence(len(sentences), start, end, headline, first_word))
        start = end

    for i in compress(range(len(words)), map(_BREAKS.__contains__, words)):
        if i < start:
            continue  # taken with the full stop before it («؟!»، «."»)
        text = words[i]
        if text == "\n":
            if start < i:
                top = (
                    top
                    and not _line_ends_final(tokens, start, i)
                    and tokens.ends[i - 1] - tokens.starts[start] < _HEADLINE_MAX
                )
                close(i, top)
            start = i + 1
        elif text in LEXICON.bullets or (text in _DASHES and i > 0 and words[i - 1] == ")"):
            # a list bullet, or the dash closing a dateline («القدس (CNN)-- شيّع…»)
            close(i)
            start = i + 1
            top = False
        elif text in LEXICON.sentence_final and _ends_sentence(tokens, i):
            end = i + 1
            while (
                end < len(tokens)
                and tokens.starts[end] == tokens.ends[end - 1]
                and (words[end] in LEXICON.sentence_final or words[end] in _CLOSERS)
            ):
                end += 1
            close(end)
            top = False
    if start < len(tokens):
        close(len(tokens), top and not _line_ends_final(tokens, start, len(tokens)))
    return sentences


_DASHES = frozenset(["-", "\u2014", "\u2013"])
_BREAKS = frozenset(["\n", *LEXICON.bullets, *LEXICON.sentence_final, *_DASHES])


def _ends_sentence(tokens: Tokens, i: int) -> bool:
    """A full stop glued between short pieces («سي.آي.بي») belongs to an abbreviation;
    glued between words («أمس.واعترض») it still ends the sentence."""
    if tokens.words[i] != "." or i + 1 >= len(tokens) or i == 0:
        return True
    if tokens.starts[i + 1] > tokens.ends[i] or not tokens.is_word[i + 1]:
        return True
    before, after = tokens.words[i - 1], tokens.words[i + 1]
    return len(before) > 2 and len(after) > 2 and not before.isdigit()


def _line_ends_final(tokens: Tokens, start: int, end: int) -> bool:
    k = end - 1
    while k >= start and tokens.words[k] in _CLOSERS:
        k -= 1
    return k >= start and tokens.words[k] in LEXICON.line_final


def _opening_quote(tokens: Tokens, i: int) -> bool:
    if i + 1 >= len(tokens):
        return False
    if tokens.starts[i + 1] != tokens.ends[i] or not tokens.is_word[i + 1]:
        return False
    return i == 0 or tokens.ends[i - 1] < tokens.starts[i] or not tokens.is_word[i - 1]


def _short_quote(words: list[str], i: int) -> bool:
    """Whether the quote opening at token i closes within a few words."""
    for k in range(i + 1, min(i + 1 + _NAME_WORDS, len(words))):
        if words[k] in LEXICON.quotes:
            return True
    return False


_NAME_WORDS = 5
_M = LEXICON.morphology
_CONJUNCTION = _M.conjunctions[0]
_FUTURE_OPENERS = frozenset(
    word for first in LEXICON.future_phrases.first_words for word in (first, _CONJUNCTION + first)
)
#: words the trigger search must notice although they are no trigger themselves
_TRIGGER_HELPERS = frozenset(
    word
    for base in (
        LEXICON.pluperfect_auxiliaries | LEXICON.passive_auxiliaries | LEXICON.date_copulas
    )
    for word in (base, *(c + base for c in _M.conjunctions))
)
_VERBAL = frozenset(["perfect", "imperfect"])
_QUOTES = LEXICON.quotes
_CLAUSE_PUNCTUATION = LEXICON.clause_punctuation
_EMPHATIC = LEXICON.emphatic
_PURPOSE = _M.purpose
_CONJUNCTIONS = _M.conjunctions
_MAIN, _REPORTED, _COORD, _PURPOSE_CLAUSE = (
    ClauseKind.MAIN,
    ClauseKind.REPORTED,
    ClauseKind.COORD,
    ClauseKind.PURPOSE,
)
_DATED = frozenset([TimexType.DATE, TimexType.TIME])


class _Segmenter:
    def __init__(self, tokens: Tokens, timexes: TimexIndex) -> None:
        self.tokens = tokens
        self.timexes = timexes
        self.words = tokens.words
        self.is_word = tokens.is_word
        self.timex = timexes.at
        words = self.words
        count = len(words)
        info = tokens.info
        #: each free word's reading without shape guesses (None: no event reading)
        self.plain: list[Analysis | None] = list(map(READING, info))
        #: the phrase tables each token may open (bits)
        self.opener = opener = list(map(OPENS, info))
        #: tokens that may open or close a clause (the others only extend it)
        self.interesting = interesting = list(map(INTERESTING, info))
        # a table whose phrases need a second word cannot match without it
        for k in compress(range(count), opener):
            needs = info[k][4]
            if needs:
                following = words[k + 1] if k + 1 < count else ""
                opens = opener[k]
                for bit, followers in needs:
                    if following not in followers:
                        opens &= ~bit
                opener[k] = opens
                interesting[k] = bool(opens or info[k][2])
        # a word written with ta marbuta («وإثارة») is never the verb its letters spell
        for k in compress(range(count), tokens.marbuta):
            if info[k][0] is not None:
                word = words[k]
                reading = self.plain[k] = analyze(word, "none", True)
                interesting[k] = reading_info(word, reading, opener[k])[1]
        self.dated = [False] * count
        # the first expression over a token is its own: later ones are written first;
        # inside one, only a connective can start anything («بعد» in «بعد يومين»)
        for first, last, timex in reversed(timexes.spans):
            width = last - first
            self.plain[first:last] = [None] * width
            interesting[first:last] = map(bool, opener[first:last])
            self.dated[first:last] = [timex.type in _DATED] * width

    def word_at(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.is_word[i]

    def analysis_at(self, i: int, shape: Shape = "none") -> Analysis | None:
        if not self.word_at(i) or self.timex[i] is not None:
            return None
        if self.words[i] in LEXICON.emphatic and self.verb_at(i + 1) is not None:
            return None  # «فقد شهدت»: the particle, not the verb «فقد»
        if shape == "none":
            return self.plain[i]
        return analyze(self.words[i], shape, self.tokens.marbuta[i])

    def verb_at(self, i: int, shape: Shape = "none") -> Analysis | None:
        if not self.word_at(i) or self.timex[i] is not None:
            return None
        if shape == "none":
            found = self.plain[i]
        else:
            found = analyze(self.words[i], shape, self.tokens.marbuta[i])
        if found is None or found.sense.pos not in ("perfect", "imperfect"):
            return None
        return found

    def event_noun_at(self, i: int) -> Analysis | None:
        found = self.analysis_at(i)
        if found is None or found.sense.pos not in ("masdar", "noun") or found.guessed:
            return None
        return found

    def relative_opens_clause(self, i: int, head: Analysis | None, object_noun: bool) -> bool:
        """Whether the relative pronoun at i heads a verbal clause of its own; ``head``:
        the verb of its clause, ``object_noun``: the clause is the verbal noun a reporting
        verb reports (so its sentence has a verb)."""
        k = i + 1
        while self.word_at(k) and self.words[k] in LEXICON.relative_skips and k < i + 3:
            k += 1
        if not self.word_at(k):
            return False
        text = self.words[k]
        if strip_conjunction(text) in LEXICON.pluperfect_auxiliaries:
            # «التي كانت قاطعت…»: a relative clause in the pluperfect
            follows = k + 1 + (self.word_at(k + 1) and self.words[k + 1] in LEXICON.relative_skips)
            return self.verb_at(follows, "imperfect") is not None
        if strip_conjunction(text) in LEXICON.auxiliaries:
            return False
        if text in LEXICON.passive_auxiliaries:
            # «بعد اتفاق … والذي تم التوصل إليه»: in a clause without a verb the relative
            # clause tells the head event itself, and so belongs to its clause; after a
            # reported verbal noun («تطالب بتطبيق وقف إطلاق النار الذي تم…») it tells
            # what follows that noun
            return object_noun or (head is not None and head.sense.pos in _VERBAL)
        if text in LEXICON.date_copulas and k + 1 < len(self.timex) and self.timex[k + 1]:
            return False
        return self.verb_at(k, "imperfect") is not None

    def connective_applies(self, i: int, n: int, connective: Connective, end: int) -> bool:
        """A connective counts before an event; «منذ» and the weak ones («مع») only then."""
        if n == 1 and (connective.weak or connective.background):
            k = i + 1
            while k < end and not self.is_word[k]:
                k += 1
            return k < end and self.timex[k] is None and self.event_noun_at(k) is not None
        return True

    def ends_phrase(self, k: int) -> bool:
        """Whether the subject phrase may end at token k, so that an object may follow:
        after punctuation, a date, «عن», or a definite word (no construct state)."""
        if k < 0:
            return False
        if not self.is_word[k] or self.timex[k] is not None:
            return True
        text = strip_conjunction(self.words[k])
        return text.startswith(_M.article) or text in LEXICON.object_after

    def segments(self, sentences: list[Sentence]) -> list[list[Clause]]:
        """Each sentence's clauses, before triggers are chosen."""
        tokens, words, is_word, timex_at = self.tokens, self.words, self.is_word, self.timex
        plain, opener, interesting = self.plain, self.opener, self.interesting
        found: Analysis | None
        noun: Analysis | None
        index = 0
        clauses: list[Clause] = []
        current = Clause(0, 0, 0, _MAIN, 0)
        verb: Analysis | None = None
        verb_index = -1
        object_split = False
        #: the reporting verb of the clause before a comma, still waiting for what it reports
        frame_before_comma = False

        def start(i: int, kind: ClauseKind, body: int | None = None) -> Clause:
            nonlocal current, verb, verb_index, object_split, frame_before_comma
            frame_before_comma = False
            current.last = i
            if current.first < i:
                clauses.append(current)
            current = Clause(index, i, i, kind, i if body is None else body)
            verb, verb_index, object_split = None, -1, False
            return current

        def level() -> ClauseKind:
            return _REPORTED if current.kind == _REPORTED else _MAIN

        def reporting() -> bool:
            if verb is None:
                return frame_before_comma
            return verb.sense.reporting != "never"

        result: list[list[Clause]] = []
        for sentence in sentences:
            index, end = sentence.index, sentence.last
            clauses = []
            current = Clause(index, sentence.first, sentence.first, _MAIN, sentence.first)
            verb, verb_index, object_split, frame_before_comma = None, -1, False, False
            i = sentence.first
            while i < end:
                # a plain word extends the clause; a verbal noun matters only after a
                # reporting verb that has not yet split off what it reports
                if not interesting[i] and i != current.body:
                    if plain[i] is None or object_split:
                        i += 1
                        continue
                    if not (
                        frame_before_comma if verb is None else verb.sense.reporting != "never"
                    ):
                        i += 1
                        continue
                text = words[i]
                at_start = i == current.body
                if not is_word[i]:
                    if timex_at[i] is not None:
                        pass  # «تموز (يوليو)»، «ليل 6-7 نيسان»: nothing inside a date splits
                    elif text in _QUOTES and _opening_quote(tokens, i):
                        # a short quote right after a noun is a name or a term («شركة
                        # "ايروفلوت"»), not a quotation
                        if (
                            i > 0
                            and is_word[i - 1]
                            and i - 1 != verb_index
                            and _short_quote(words, i)
                        ):
                            pass
                        elif reporting():
                            start(i, _REPORTED).reported = True
                        elif not at_start:
                            start(i, level())
                    elif text in _CLAUSE_PUNCTUATION:
                        if text == ":" and reporting():
                            start(i + 1, _REPORTED).reported = True
                            frame_before_comma = False
                        else:
                            waiting = reporting()
                            start(i + 1, level())
                            frame_before_comma = waiting
                    i += 1
                    continue

                if opener[i]:
                    n = self._opening(i, end, at_start, current, start, level, reporting, verb)
                    if n:
                        i += n
                        continue
                if timex_at[i] is not None:
                    i += 1
                    continue

                found = plain[i]
                if at_start and found is None:
                    found = self.verb_at(i, "imperfect")
                if found is None:
                    noun = None
                elif found.sense.pos not in _VERBAL:
                    noun, found = found, None
                else:
                    noun = None
                    if text in _EMPHATIC and self.verb_at(i + 1) is not None:
                        found = None
                    elif not at_start:
                        if found.purpose and text.startswith(_PURPOSE):
                            start(i, _PURPOSE_CLAUSE)
                            verb, verb_index = found, i
                            i += 1
                            continue
                        if found.skip >= 1 and text[0] in _CONJUNCTIONS and not found.guessed:
                            start(i, _COORD)
                            verb, verb_index = found, i
                            i += 1
                            continue
                    if found is not None and verb is None:
                        verb, verb_index = found, i
                        i += 1
                        continue

                # «أعلن الوزير انسحابه»: the verbal noun a reporting verb reports (after its
                # subject; one right after the verb is its object already: «أقرت رفع الأسعار»)
                if noun is not None and not object_split and verb_index >= 0 and reporting():
                    if i == verb_index + 1:
                        object_split = True
                    elif (
                        not noun.guessed
                        and self.ends_phrase(i - 1)
                        # «للانتخابات»: a noun after the preposition ل is no object
                        and not strip_conjunction(text).startswith(_PURPOSE)
                    ):
                        object_split = True
                        clause = start(i, _REPORTED)
                        clause.reported = clause.object_noun = True
                        continue
                i += 1
            current.last = end
            if current.first < end:
                clauses.append(current)
            result.append(clauses)
        return result

    def _opening(
        self,
        i: int,
        end: int,
        at_start: bool,
        current: Clause,
        start: Callable[..., Clause],
        level: Callable[[], ClauseKind],
        reporting: Callable[[], bool],
        verb: Analysis | None,
    ) -> int:
        """Handle a word that may open a clause; the number of tokens it took (0: none)."""
        words = self.words
        text = words[i]
        opens = self.opener[i]
        if opens & CONNECTIVE and not self.dated[i]:
            n, connective = LEXICON.connectives.match(words, i, end)
            if n and connective is not None and self.connective_applies(i, n, connective, end):
                if current.first == i or (at_start and current.kind != ClauseKind.REPORTED):
                    clause = current
                    clause.kind = ClauseKind.SUBORDINATE
                    clause.body = i + n
                else:
                    clause = start(i, ClauseKind.SUBORDINATE, i + n)
                clause.connective, clause.cue = connective, (i, i + n)
                return n
        if self.timex[i] is not None:
            return 0
        if opens & SEQUENCER:
            n, sequencer = LEXICON.sequencers.match(words, i, end)
            if n and sequencer is not None:
                clause = current
                if sequencer.opens_clause and not at_start:
                    clause = start(i, ClauseKind.COORD, i + 1)
                clause.sequencer_cues += ((i, i + n, sequencer.relation),)
                return n
        if opens & ATTRIBUTION:
            n, _ = LEXICON.attributions.match(words, i, end)
            if n:
                clause = current if at_start else start(i, ClauseKind.ATTRIBUTION)
                clause.kind, clause.body = ClauseKind.ATTRIBUTION, i + n
                return n
        if opens & CLAUSE_START:
            n, _ = LEXICON.clause_starts.match(words, i, end)
            if n:
                if at_start:
                    current.body = i + n
                else:
                    start(i, level(), i + n)
                return n
        if opens & COMPLEMENTIZER and reporting():
            n, _ = LEXICON.complementizers.match(words, i, end)
            if n:
                clause = start(i, ClauseKind.REPORTED, i + n)
                clause.reported = True
                clause.noun_first = strip_conjunction(words[i + n - 1]) in (
                    LEXICON.noun_complementizers
                )
                return n
        if opens & RELATIVE and self.relative_opens_clause(i, verb, current.object_noun):
            if at_start:  # «، والتي دخلت…»: a relative clause after a comma
                current.kind, current.body = ClauseKind.RELATIVE, i + 1
            else:
                start(i, ClauseKind.RELATIVE, i + 1)
            return 1
        if opens & PLUPERFECT and not at_start and text[0] == _CONJUNCTION:
            start(i, ClauseKind.COORD)
            return 1
        return 0

    def trigger(self, clause: Clause, sentence_first: int) -> tuple[int, Analysis] | None:
        """The clause's trigger: its verb, else its first event noun; None when it has neither."""
        verb: tuple[int, Analysis] | None = None
        noun: tuple[int, Analysis] | None = None
        guessed: tuple[int, Analysis] | None = None
        after_passive = False
        first_word = True
        is_word, timex, words, plain = self.is_word, self.timex, self.words, self.plain
        subordinate = clause.kind == ClauseKind.SUBORDINATE
        first_content = -1
        if subordinate:
            first_content = next(
                (
                    k
                    for k in range(clause.body, clause.last)
                    if is_word[k]
                    and timex[k] is None
                    and words[k] not in LEXICON.between_connective_and_event
                    and not words[k].isdigit()
                ),
                -1,
            )
        for k in range(clause.body, clause.last):
            if not is_word[k] or timex[k] is not None:
                continue
            text = words[k]
            opening = first_word
            if first_word:
                shape: Shape = "any" if k == sentence_first else "imperfect"
                first_word = False
            elif plain[k] is None and text not in _TRIGGER_HELPERS:
                continue
            else:
                shape = "none"
            if text in _TRIGGER_HELPERS:
                bare = strip_conjunction(text)
                if bare in LEXICON.pluperfect_auxiliaries and verb is None:
                    clause.aux = k
                    continue
                if text in LEXICON.passive_auxiliaries or bare in LEXICON.passive_auxiliaries:
                    after_passive = True
                    continue
                if text in LEXICON.date_copulas and self.timexes.get(k + 1) is not None:
                    continue
            if text in _EMPHATIC and self.verb_at(k + 1) is not None:
                continue  # «فقد شهدت»: the particle, not the verb «فقد»
            found = plain[k] if shape == "none" else analyze(text, shape, self.tokens.marbuta[k])
            if found is None:
                continue
            if (
                opening
                and clause.noun_first
                and found.sense.pos == "perfect"
                and text == found.sense.lemma
                and (nominal := as_noun(text)) is not None
            ):
                found = nominal  # «إن تبادل الأسرى سيبدأ»: the verbal noun
            verbal = found.sense.pos in _VERBAL
            if after_passive and not verbal:
                return k, found
            if subordinate:
                # «بعد توقيع…»، «بعد أن وقع…»: the connective's event is the first word
                # after it. A verb further on is the main clause's («بعد صلاة الجمعة خرج
                # المصلون»): the connective then only dates it
                if k == first_content:
                    return k, found
                if not verbal:
                    continue
                if (
                    clause.cue is not None
                    and clause.connective is not None
                    and not clause.connective.background
                    and _refers_back(clause, self.tokens, self.timexes)
                ):
                    clause.anaphoric, clause.anaphoric_cue = clause.connective, clause.cue
                clause.kind, clause.connective = ClauseKind.MAIN, None
                return k, found
            if verbal and not after_passive:
                verb = (k, found)
                break
            if not verbal and found.guessed:
                guessed = guessed or (k, found)
            elif not verbal and noun is None:
                noun = (k, found)
                if clause.object_noun:
                    break
        if subordinate and noun is not None and (verb is None or noun[0] < verb[0]):
            return noun
        if (
            noun is not None
            and noun[1].sense.pos == "noun"
            and not (subordinate or clause.object_noun)
            and clause.first != sentence_first
        ):
            # a plain event noun in a list or an aside («، و50 رحلة يوميا،») is no clause's event
            noun = None
        chosen = verb or noun or guessed
        if chosen is None and (clause.first <= sentence_first or clause.reported):
            chosen = self._last_resort(clause, perfect=clause.reported)
        return chosen

    def _last_resort(self, clause: Clause, perfect: bool) -> tuple[int, Analysis] | None:
        """A sentence, and what a reporting verb reports, needs a predicate: an unknown word
        of imperfect shape («يقل»), or for a report also a perfect with its suffix
        («أن رمضان اغتصبها»)."""
        for k in range(clause.body, clause.last):
            text = self.words[k]
            if (
                not self.is_word[k]
                or self.timex[k] is not None
                or text in LEXICON.not_events
                or text in LEXICON.auxiliaries
                or self.tokens.marbuta[k]
            ):
                continue
            if text.startswith(_M.imperfect_prefixes[0]) and len(text) >= 3:
                return k, Analysis(WordSense(text, "imperfect"), skip=0, guessed=True)
            if (
                perfect
                and not text.startswith(_M.preposition_starts)
                and text.endswith(_M.perfect_endings)
                and len(text) >= 5
            ):
                return k, Analysis(WordSense(text, "perfect"), skip=0, guessed=True)
        return None


def segment(
    tokens: Tokens, sentences: list[Sentence], timexes: list[TimeExpression]
) -> list[Clause]:
    """The article's clauses with their triggers, in text order."""
    index = TimexIndex(tokens, timexes)
    segmenter = _Segmenter(tokens, index)
    clauses: list[Clause] = []
    for sentence, raw in zip(sentences, segmenter.segments(sentences), strict=True):
        first_word = sentence.first_word
        for clause in raw:
            clause.headline = sentence.headline
            found = segmenter.trigger(clause, first_word)
            if found is not None:
                clause.trigger, clause.analysis = found
        clauses.extend(_merge(raw, tokens, index))
    for clause in clauses:
        _mark_verb_features(clause, tokens)
    return clauses


def _merge(raw: list[Clause], tokens: Tokens, index: TimexIndex) -> list[Clause]:
    """Join clauses that hold no trigger to their neighbour in the sentence."""
    kept: list[Clause] = []
    pending: list[Clause] = []
    for clause in raw:
        if clause.trigger is None:
            if kept:
                _absorb(kept[-1], clause, tokens, index, before=False)
            else:
                pending.append(clause)
            continue
        for earlier in reversed(pending):
            _absorb(clause, earlier, tokens, index, before=True)
        pending = []
        kept.append(clause)
    return kept


def _absorb(host: Clause, other: Clause, tokens: Tokens, index: TimexIndex, before: bool) -> None:
    if before:
        host.first = other.first
    else:
        host.last = other.last
    host.sequencer_cues += other.sequencer_cues
    if other.connective is not None and not _refers_back(other, tokens, index):
        host.foreign += ((other.first, other.last),)
    if (
        other.connective is not None
        and other.cue is not None
        and host.anaphoric is None
        and not other.connective.background
        and _refers_back(other, tokens, index)
    ):
        host.anaphoric = other.connective
        host.anaphoric_cue = other.cue


def _refers_back(clause: Clause, tokens: Tokens, index: TimexIndex) -> bool:
    """«بعد ذلك»، «بعد أيام من ذلك»، «بعد خمسة أيام»: a connective pointing at the told event.

    A bare length after «قبل» counts back from now («قبل سنوات»: years ago), so only
    «بعد» takes one without «ذلك»."""
    assert clause.cue is not None and clause.connective is not None
    bare_length = clause.connective.relation == RelationType.BEFORE
    k = clause.cue[0]
    limit = min(clause.last, clause.cue[1] + 4)
    while k < limit:
        timex = index.get(k)
        if bare_length and timex is not None and timex.type == TimexType.DURATION:
            return True
        text = tokens.words[k]
        if text in LEXICON.back_references:
            return True
        if (
            k >= clause.cue[1]
            and timex is None
            and text not in LEXICON.between_connective_and_event
        ):
            return False
        k += 1
    return False


def _mark_verb_features(clause: Clause, tokens: Tokens) -> None:
    analysis = clause.analysis
    if analysis is None or clause.trigger is None:
        return
    clause.future = analysis.future
    if analysis.sense.pos == "perfect" and clause.aux is not None and clause.aux < clause.trigger:
        clause.pluperfect = True
    # «سوف»، «لن» right before the verb; «من المقرر أن» before it in the clause
    previous = tokens.words[clause.trigger - 1] if clause.trigger > 0 else ""
    if previous in LEXICON.future_particles:
        clause.future = True
    words = tokens.words[clause.first : clause.trigger]
    if not _FUTURE_OPENERS.isdisjoint(words):
        for k, word in enumerate(words):
            if word in _FUTURE_OPENERS and LEXICON.future_phrases.match(words, k, len(words))[0]:
                clause.future = True
                break
    if clause.kind == ClauseKind.RELATIVE:
        for k in range(clause.body, min(clause.trigger + 4, clause.last)):
            if tokens.words[k] in LEXICON.resumptive_time:
                clause.resumptive = True
                break
