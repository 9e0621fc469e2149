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

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from timeline.contract import TimeExpression, TimexType
from timeline.events._lexicon import LEXICON, Connective, WordSense
from timeline.events._words import Analysis, Shape, Token, analyze, strip_conjunction

_T = TypeVar("_T")


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
    body: int = -1
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
    sequencer_cues: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.body < 0:
            self.body = self.first


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    first: int
    last: int
    headline: bool


def _first_matches(token: Token, word: str) -> bool:
    text = token.text
    return text == word or (text[:1] == "و" and text[1:] == word)


def _match(tokens: list[Token], i: int, phrases: tuple[tuple[str, ...], ...], end: int) -> int:
    """Length (in tokens) of the longest phrase starting at token i, or 0.

    The first word may carry a leading و.
    """
    for phrase in phrases:
        n = len(phrase)
        if i + n > end or not _first_matches(tokens[i], phrase[0]):
            continue
        if all(tokens[i + k].text == phrase[k] for k in range(1, n)):
            return n
    return 0


def _match_table(
    tokens: list[Token], i: int, table: Mapping[tuple[str, ...], _T], end: int
) -> tuple[int, _T | None]:
    best: tuple[int, _T | None] = (0, None)
    for phrase, value in table.items():
        n = len(phrase)
        if n <= best[0] or i + n > end or not _first_matches(tokens[i], phrase[0]):
            continue
        if all(tokens[i + k].text == phrase[k] for k in range(1, n)):
            best = (n, value)
    return best


class TimexIndex:
    """Which token lies inside which time expression."""

    def __init__(self, tokens: list[Token], timexes: list[TimeExpression]) -> None:
        self.of_token: dict[int, TimeExpression] = {}
        ordered = sorted(timexes, key=lambda t: t.start)
        k = 0
        for token in tokens:
            while k < len(ordered) and ordered[k].end <= token.ostart:
                k += 1
            j = k
            while j < len(ordered) and ordered[j].start < token.oend:
                if ordered[j].end > token.ostart:
                    self.of_token[token.index] = ordered[j]
                    break
                j += 1

    def get(self, index: int) -> TimeExpression | None:
        return self.of_token.get(index)

    def dated(self, index: int) -> bool:
        timex = self.of_token.get(index)
        return timex is not None and timex.type in (TimexType.DATE, TimexType.TIME)


_CLOSERS = frozenset(['"', ")", "]"])
_HEADLINE_MAX = 200


def split_sentences(tokens: list[Token]) -> list[Sentence]:
    """Sentences as token ranges; the lines at the top without final punctuation are headlines."""
    sentences: list[Sentence] = []
    start = 0
    #: still at the top of the text, where a line without final punctuation is a headline
    top = True

    def close(end: int, headline: bool = False) -> None:
        nonlocal start
        if any(tokens[k].is_word for k in range(start, end)):
            sentences.append(Sentence(len(sentences), start, end, headline))
        start = end

    i = 0
    while i < len(tokens):
        text = tokens[i].text
        if text == "\n":
            if start < i:
                top = (
                    top
                    and not _line_ends_final(tokens, start, i)
                    and tokens[i - 1].oend - tokens[start].ostart < _HEADLINE_MAX
                )
                close(i, top)
            start = i + 1
        elif text in LEXICON.bullets:
            close(i)
            start = i + 1
            top = False
        elif text in LEXICON.sentence_final and _ends_sentence(tokens, i):
            end = i + 1
            while (
                end < len(tokens)
                and tokens[end].ostart == tokens[end - 1].oend
                and (tokens[end].text in LEXICON.sentence_final or tokens[end].text in _CLOSERS)
            ):
                end += 1
            close(end)
            top = False
            i = end
            continue
        i += 1
    if start < len(tokens):
        close(len(tokens), top and not _line_ends_final(tokens, start, len(tokens)))
    return sentences


def _ends_sentence(tokens: list[Token], i: int) -> bool:
    """A full stop glued to the next word («سي.آي.بي») is an abbreviation's."""
    if tokens[i].text != "." or i + 1 >= len(tokens):
        return True
    following = tokens[i + 1]
    return following.ostart > tokens[i].oend or not following.is_word


def _line_ends_final(tokens: list[Token], start: int, end: int) -> bool:
    k = end - 1
    while k >= start and tokens[k].text in _CLOSERS:
        k -= 1
    return k >= start and tokens[k].text in LEXICON.line_final


def _opening_quote(tokens: list[Token], i: int) -> bool:
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after is None or after.ostart != tokens[i].oend or not after.is_word:
        return False
    return before is None or before.oend < tokens[i].ostart or not before.is_word


_CLAUSE_SKIP = frozenset(["قد", "لقد", "لم", "لا", "لن", "ما"])
_EMPHATIC = frozenset(["قد", "فقد", "وقد", "لقد"])
_WEAK_CONNECTIVES = frozenset(["مع", "لدي", "خلال", "وسط", "اثناء", "حين"])
_BACK_REFERENCES = frozenset(["ذلك", "ذالك", "هذا", "ذاك", "تلك", "هذه"])
_TIME_PREPOSITIONS = frozenset(["من", "علي", "في"])


class _Segmenter:
    def __init__(self, tokens: list[Token], timexes: TimexIndex) -> None:
        self.tokens = tokens
        self.timexes = timexes

    def word_at(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.tokens[i].is_word

    def analysis_at(self, i: int, shape: Shape = "none") -> Analysis | None:
        if not self.word_at(i) or self.timexes.get(i) is not None:
            return None
        token = self.tokens[i]
        if token.text in _EMPHATIC and self.verb_at(i + 1) is not None:
            return None  # «فقد شهدت»: the particle, not the verb «فقد»
        return analyze(token.text, shape, token.marbuta)

    def verb_at(self, i: int, shape: Shape = "none") -> Analysis | None:
        if not self.word_at(i) or self.timexes.get(i) is not None:
            return None
        token = self.tokens[i]
        found = analyze(token.text, shape, token.marbuta)
        if found is None or found.sense.pos not in ("perfect", "imperfect"):
            return None
        return found

    def event_noun_at(self, i: int) -> Analysis | None:
        found = self.analysis_at(i)
        if found is None or found.sense.pos not in ("masdar", "noun") or found.guessed:
            return None
        return found

    def relative_opens_clause(self, i: int, head: Analysis | None) -> bool:
        """Whether the relative pronoun at i heads a verbal clause of its own."""
        k = i + 1
        while self.word_at(k) and self.tokens[k].text in _CLAUSE_SKIP and k < i + 3:
            k += 1
        if not self.word_at(k):
            return False
        text = self.tokens[k].text
        if strip_conjunction(text) in LEXICON.auxiliaries:
            return False
        if text in LEXICON.passive_auxiliaries:
            # «اتفاق … والذي تم التوصل إليه»: the relative clause tells the head event
            return not (head is not None and head.sense.pos in ("masdar", "noun"))
        if text in LEXICON.date_copulas and self.timexes.get(k + 1) is not None:
            return False
        return self.verb_at(k, "imperfect") is not None

    def connective_applies(self, i: int, n: int, connective: Connective, end: int) -> bool:
        """A connective counts before an event; «منذ» and the weak ones («مع») only then."""
        word = strip_conjunction(self.tokens[i].text)
        if n == 1 and (word in _WEAK_CONNECTIVES or connective.background):
            k = i + 1
            while k < end and not self.tokens[k].is_word:
                k += 1
            return self.timexes.get(k) is None and self.event_noun_at(k) is not None
        return True

    def ends_phrase(self, k: int) -> bool:
        """Whether the subject phrase may end at token k, so that an object may follow:
        after punctuation, a date, «عن», or a definite word (no construct state)."""
        if k < 0:
            return False
        token = self.tokens[k]
        if not token.is_word or self.timexes.get(k) is not None:
            return True
        text = strip_conjunction(token.text)
        return text.startswith("ال") or text in ("عن", "علي")

    def segments(self, sentence: Sentence) -> list[Clause]:
        tokens = self.tokens
        end = sentence.last
        clauses: list[Clause] = []
        current = Clause(sentence.index, sentence.first, sentence.first, ClauseKind.MAIN)
        verb: Analysis | None = None
        verb_index = -1
        object_split = False

        def start(i: int, kind: ClauseKind, body: int | None = None) -> Clause:
            nonlocal current, verb, verb_index, object_split
            current.last = i
            if current.first < i:
                clauses.append(current)
            current = Clause(sentence.index, i, i, kind, body=i if body is None else body)
            verb, verb_index, object_split = None, -1, False
            return current

        def level() -> ClauseKind:
            return ClauseKind.REPORTED if current.kind == ClauseKind.REPORTED else ClauseKind.MAIN

        def reporting() -> bool:
            return verb is not None and verb.sense.reporting != "never"

        i = sentence.first
        while i < end:
            token = tokens[i]
            text = token.text
            at_start = i == current.body
            timex = self.timexes.get(i)
            if not token.is_word:
                if timex is not None:
                    pass  # «تموز (يوليو)»، «ليل 6-7 نيسان»: nothing inside a date splits
                elif text in LEXICON.quotes and _opening_quote(tokens, i):
                    if reporting():
                        start(i, ClauseKind.REPORTED).reported = True
                    elif not at_start:
                        start(i, level())
                elif text in LEXICON.clause_punctuation:
                    if text == ":" and reporting():
                        start(i + 1, ClauseKind.REPORTED).reported = True
                    else:
                        start(i + 1, level())
                i += 1
                continue

            if not self.timexes.dated(i):
                n, connective = _match_table(tokens, i, LEXICON.connectives, end)
                if n and connective is not None and self.connective_applies(i, n, connective, end):
                    if current.first == i or (at_start and current.kind != ClauseKind.REPORTED):
                        clause = current
                        clause.kind = ClauseKind.SUBORDINATE
                        clause.body = i + n
                    else:
                        clause = start(i, ClauseKind.SUBORDINATE, body=i + n)
                    clause.connective, clause.cue = connective, (i, i + n)
                    i += n
                    continue
            if timex is not None:
                i += 1
                continue

            n, sequencer = _match_table(tokens, i, LEXICON.sequencers, end)
            if n and sequencer is not None:
                if strip_conjunction(text) == "ثم" and not at_start:
                    start(i, ClauseKind.COORD, body=i + 1)
                current.sequencer_cues.append((i, i + n))
                i += n
                continue

            n = _match(tokens, i, LEXICON.attributions, end)
            if n:
                clause = start(i, ClauseKind.ATTRIBUTION) if not at_start else current
                clause.kind, clause.body = ClauseKind.ATTRIBUTION, i + n
                i += n
                continue

            n = _match(tokens, i, LEXICON.clause_starts, end)
            if n:
                if at_start:
                    current.body = i + n
                else:
                    start(i, level(), body=i + n)
                i += n
                continue

            n = _match(tokens, i, LEXICON.complementizers, end)
            if n and reporting():
                clause = start(i, ClauseKind.REPORTED, body=i + n)
                clause.reported = True
                i += n
                continue

            bare = strip_conjunction(text)
            if (
                (bare in LEXICON.relatives or text in LEXICON.relatives)
                and not at_start
                and self.relative_opens_clause(i, current.analysis or verb)
            ):
                start(i, ClauseKind.RELATIVE, body=i + 1)
                i += 1
                continue

            found = self.verb_at(i, "imperfect" if at_start else "none")
            if found is not None and text in _EMPHATIC and self.verb_at(i + 1) is not None:
                found = None
            if found is not None and not at_start:
                if found.purpose and text[0] == "ل":
                    start(i, ClauseKind.PURPOSE)
                    verb, verb_index = found, i
                    i += 1
                    continue
                if found.skip >= 1 and text[0] in "وف" and not found.guessed:
                    start(i, ClauseKind.COORD)
                    verb, verb_index = found, i
                    i += 1
                    continue
            if not at_start and text[0] == "و" and bare in LEXICON.pluperfect_auxiliaries:
                start(i, ClauseKind.COORD)
                i += 1
                continue
            if found is not None and verb is None:
                verb, verb_index = found, i
                i += 1
                continue

            # «أعلن الوزير انسحابه»: the verbal noun a reporting verb reports
            if reporting() and not object_split and verb_index >= 0 and i >= verb_index + 2:
                noun = self.event_noun_at(i)
                if noun is not None and self.ends_phrase(i - 1):
                    object_split = True
                    clause = start(i, ClauseKind.REPORTED)
                    clause.reported = clause.object_noun = True
                    continue
            i += 1
        start(end, current.kind)
        return clauses

    def trigger(self, clause: Clause, sentence_first: int) -> tuple[int, Analysis] | None:
        """The clause's trigger: its verb, else its first event noun; None when it has neither."""
        tokens = self.tokens
        verb: tuple[int, Analysis] | None = None
        noun: tuple[int, Analysis] | None = None
        guessed: tuple[int, Analysis] | None = None
        after_passive = False
        first_word = True
        for k in range(clause.body, clause.last):
            token = tokens[k]
            if not token.is_word or self.timexes.get(k) is not None:
                continue
            text = token.text
            bare = strip_conjunction(text)
            if first_word:
                shape: Shape = "any" if k == sentence_first else "imperfect"
                first_word = False
            else:
                shape = "none"
            if bare in LEXICON.pluperfect_auxiliaries and verb is None:
                clause.aux = k
                continue
            if text in LEXICON.passive_auxiliaries or bare in LEXICON.passive_auxiliaries:
                after_passive = True
                continue
            if text in LEXICON.date_copulas and self.timexes.get(k + 1) is not None:
                continue
            found = self.analysis_at(k, shape)
            if found is None:
                continue
            verbal = found.sense.pos in ("perfect", "imperfect")
            if after_passive and not verbal:
                return k, found
            if verbal and not after_passive:
                verb = (k, found)
                break
            if not verbal and found.guessed:
                guessed = guessed or (k, found)
            elif not verbal and noun is None:
                noun = (k, found)
                if clause.kind == ClauseKind.SUBORDINATE or clause.object_noun:
                    break
        if (
            clause.kind == ClauseKind.SUBORDINATE
            and noun is not None
            and (verb is None or noun[0] < verb[0])
        ):
            return noun
        if (
            noun is not None
            and noun[1].sense.pos == "noun"
            and not (clause.kind == ClauseKind.SUBORDINATE or clause.object_noun)
            and clause.first != sentence_first
        ):
            # a plain event noun in a list or an aside («، و50 رحلة يوميا،») is no clause's event
            noun = None
        chosen = verb or noun or guessed
        if chosen is None and clause.first == sentence_first:
            chosen = self._last_resort(clause)
        return chosen

    def _last_resort(self, clause: Clause) -> tuple[int, Analysis] | None:
        """A sentence needs a predicate: an unknown word of imperfect shape («يقل»)."""
        for k in range(clause.body, clause.last):
            token = self.tokens[k]
            text = token.text
            if (
                token.is_word
                and self.timexes.get(k) is None
                and text[:1] == "ي"
                and len(text) >= 3
                and text not in LEXICON.not_events
            ):
                return k, Analysis(WordSense(text, "imperfect"), skip=0, guessed=True)
        return None


def segment(
    tokens: list[Token], sentences: list[Sentence], timexes: list[TimeExpression]
) -> list[Clause]:
    """The article's clauses with their triggers, in text order."""
    index = TimexIndex(tokens, timexes)
    segmenter = _Segmenter(tokens, index)
    clauses: list[Clause] = []
    for sentence in sentences:
        raw = segmenter.segments(sentence)
        for clause in raw:
            clause.headline = sentence.headline
            found = segmenter.trigger(clause, sentence.first)
            if found is not None:
                clause.trigger, clause.analysis = found
        clauses.extend(_merge(raw, tokens, index))
    for clause in clauses:
        _mark_verb_features(clause, tokens)
    return clauses


def _merge(raw: list[Clause], tokens: list[Token], index: TimexIndex) -> list[Clause]:
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


def _absorb(
    host: Clause, other: Clause, tokens: list[Token], index: TimexIndex, before: bool
) -> None:
    if before:
        host.first = other.first
    else:
        host.last = other.last
    host.sequencer_cues.extend(other.sequencer_cues)
    if (
        other.connective is not None
        and other.cue is not None
        and host.anaphoric is None
        and not other.connective.background
        and _refers_back(other, tokens, index)
    ):
        host.anaphoric = other.connective
        host.anaphoric_cue = other.cue


def _refers_back(clause: Clause, tokens: list[Token], index: TimexIndex) -> bool:
    """«بعد ذلك»، «بعد أيام من ذلك»، «بعد خمسة أيام»: a connective pointing at the told event."""
    assert clause.cue is not None
    k = clause.cue[0]
    limit = min(clause.last, clause.cue[1] + 4)
    while k < limit:
        timex = index.get(k)
        if timex is not None and timex.type == TimexType.DURATION:
            return True
        text = tokens[k].text
        if text in _BACK_REFERENCES:
            return True
        if k >= clause.cue[1] and timex is None and text not in _TIME_PREPOSITIONS:
            return False
        k += 1
    return False


def _mark_verb_features(clause: Clause, tokens: list[Token]) -> None:
    analysis = clause.analysis
    if analysis is None or clause.trigger is None:
        return
    clause.future = analysis.future
    if analysis.sense.pos == "perfect" and clause.aux is not None and clause.aux < clause.trigger:
        clause.pluperfect = True
    # «سوف»، «لن» right before the verb; «من المقرر أن» before it in the clause
    previous = tokens[clause.trigger - 1].text if clause.trigger > 0 else ""
    if previous in LEXICON.future_particles:
        clause.future = True
    for k in range(clause.first, clause.trigger):
        if _match(tokens, k, LEXICON.future_phrases, clause.trigger):
            clause.future = True
            break
    if clause.kind == ClauseKind.RELATIVE:
        for k in range(clause.body, min(clause.trigger + 4, clause.last)):
            if tokens[k].text in LEXICON.resumptive_time:
                clause.resumptive = True
                break
