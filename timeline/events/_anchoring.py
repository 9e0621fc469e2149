"""Giving each event a time: its own expression, its sentence's, the discourse's, or publication.

- own: the first expression in the clause that dates something (not one after a
  comparison word: «مقارنة مع العام الماضي»); after «منذ» it opens a period
  that lasts until publication; «بين 5 و9 أيلول» is one period;
- sentence: the time of an earlier clause of the same sentence at the same or a
  higher level (a reported clause may take its frame's time, never the reverse;
  relative and temporal-subordinate clauses neither give nor take);
- discourse: «وفي الوقت نفسه»، «ويأتي القرار…» take the time of the event told
  just before;
- publication: the lede's untimed main event, and present-tense reporting.

Everything else stays without a time: its place comes from relations or text order.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime
from itertools import groupby
from operator import attrgetter

from timeline.contract import AnchorKind, TimeExpression, TimeSource
from timeline.events._clauses import ClauseKind
from timeline.events._intervals import Interval, publication_day, timex_interval
from timeline.events._lexicon import LEXICON
from timeline.events._model import Draft
from timeline.events._words import Memo, Tokens, strip_conjunction
from timeline.text import fold_word

_FRAME_LEVEL = frozenset(
    [ClauseKind.MAIN, ClauseKind.COORD, ClauseKind.PURPOSE, ClauseKind.ATTRIBUTION]
)
_SINCE = LEXICON.since


_START = attrgetter("start")
_SENTENCE = attrgetter("sentence")


def _opens_with_since(text: str) -> bool:
    """Whether an expression's text begins with «منذ»."""
    opening = fold_word(text).split(maxsplit=1)[:1]
    return bool(opening) and opening[0] in _SINCE


def _may_compare(word: str) -> bool:
    """Whether the word, or the word after its first letter, may open a comparison."""
    openers = LEXICON.comparisons.first_words
    return word in openers or word[1:] in openers


_MAY_COMPARE = Memo(_may_compare)


def _names_a_thing(word: str) -> bool:
    """Whether an expression right after ``word`` is what something is for rather than
    a time: «لعام» (for the year)."""
    return strip_conjunction(word) in LEXICON.for_year


_NAMES_A_THING = Memo(_names_a_thing)
_OPENS_WITH_SINCE = Memo(_opens_with_since)


class _Expressions:
    """The article's time expressions in text order, with what placing events needs:
    each one's interval, the tokens around it, and where comparisons («مقارنة مع…») are."""

    def __init__(self, timexes: list[TimeExpression], tokens: Tokens, published: datetime) -> None:
        self.published = published
        self.timexes = sorted(timexes, key=_START)
        self.starts = [t.start for t in self.timexes]
        #: each expression's interval, worked out when first needed
        self.intervals: list[Interval | bool | None] = [False] * len(self.timexes)
        token_starts = tokens.starts
        self.first_token = [bisect_left(token_starts, t.start) for t in self.timexes]
        self.after_token = [bisect_left(token_starts, t.end) for t in self.timexes]
        self.tokens = tokens

    def interval(self, n: int) -> Interval | None:
        """The interval of expression ``n``."""
        found = self.intervals[n]
        if found is False:
            found = self.intervals[n] = timex_interval(self.timexes[n], self.published)
        assert not isinstance(found, bool)
        return found

    def compared(self, first: int, at: int) -> bool:
        """Whether a comparison phrase starts among tokens [first, at)."""
        words = self.tokens.words
        if not any(map(_MAY_COMPARE.__getitem__, words[first:at])):
            return False
        return any(
            _MAY_COMPARE[words[k]] and LEXICON.comparisons.match(words, k, at)[0]
            for k in range(first, at)
        )

    def own_time(self, draft: Draft, first: int) -> tuple[TimeExpression, Interval] | None:
        """The expression in the draft's clause that dates its event, with its interval
        (``first``: the first expression that starts in the clause)."""
        inside = range(first, bisect_left(self.starts, draft.end, first))
        tokens, words = self.tokens, self.tokens.words
        first_token = self.first_token
        trigger_end = bisect_left(tokens.starts, draft.trigger[2])
        foreign = draft.clause.foreign
        best: tuple[TimeExpression, Interval] | None = None
        for n in inside:
            interval = self.interval(n)
            if interval is None:
                continue
            timex, at = self.timexes[n], first_token[n]
            if foreign and any(first <= at < last for first, last in foreign):
                continue
            # «ارتفع 5% مقارنة مع العام الماضي»: a compared period after the trigger dates nothing
            if trigger_end < at and self.compared(trigger_end, at):
                continue
            previous = words[at - 1] if at > 0 else ""
            if at - 1 != trigger_end - 1 and _NAMES_A_THING[previous]:
                # «خطة الاستجابة لعام 2018»: the year a plan is for, not the time of
                # the clause's event
                continue
            if previous in _SINCE or _OPENS_WITH_SINCE[timex.text]:
                latest = max(self.published, interval.latest or self.published)
                interval = Interval(interval.earliest, latest)
            elif n + 1 in inside:
                joined = self.interval(n + 1)
                between = words[self.after_token[n] : first_token[n + 1]]
                if (
                    joined is not None
                    and 0 < len(between) <= 3
                    and any(
                        w in LEXICON.range_joiners or strip_conjunction(w) in LEXICON.range_joiners
                        for w in between
                    )
                ):
                    interval = interval.union(joined)
            if interval.bounded:
                return timex, interval
            if best is None:
                best = (timex, interval)
        return best

    def nearest_before(self, offset: int, floor: int) -> tuple[TimeExpression, Interval] | None:
        """The last bounded expression starting in [floor, offset)."""
        n = bisect_left(self.starts, offset) - 1
        if n >= 0 and self.starts[n] >= floor:
            interval = self.interval(n)
            if interval is not None and interval.bounded:
                return self.timexes[n], interval
        return None


#: how many clauses back in its sentence an undated clause looks for the time that governs
#: it; real sentences have a handful, and the bound keeps endless ones linear
_GOVERNING_REACH = 32


def anchor(
    drafts: list[Draft],
    timexes: list[TimeExpression],
    tokens: Tokens,
    published: datetime,
) -> None:
    """Set each draft's time source, expression and interval where the text gives one."""
    expressions = _Expressions(timexes, tokens, published)
    starts, count = expressions.starts, len(expressions.starts)
    for draft in drafts:
        first = bisect_left(starts, draft.start)
        if first == count or starts[first] >= draft.end:
            continue  # no expression in the clause
        found = expressions.own_time(draft, first)
        if found is not None:
            draft.timex, draft.interval = found
            draft.source = (
                TimeSource.DISCOURSE
                if draft.timex.anchor.kind == AnchorKind.EVENT
                else TimeSource.OWN
            )

    # drafts come in text order, so a sentence's drafts stand together
    by_sentence = [list(members) for _, members in groupby(drafts, key=_SENTENCE)]

    for members in by_sentence:
        for n, draft in enumerate(members):
            if draft.source is not None:
                continue
            if draft.kind == ClauseKind.RELATIVE and draft.clause.resumptive:
                # «شهر رمضان الذي سجلت فيه…»: the time named just before the relative
                nearest = expressions.nearest_before(draft.start, draft.sentence_start)
                if nearest is not None:
                    draft.source = TimeSource.SENTENCE
                    draft.timex, draft.interval = nearest
                continue
            if draft.kind in (ClauseKind.RELATIVE, ClauseKind.SUBORDINATE):
                continue
            for position in range(n - 1, max(-1, n - 1 - _GOVERNING_REACH), -1):
                earlier = members[position]
                if earlier.source not in (TimeSource.OWN, TimeSource.DISCOURSE):
                    continue
                if earlier.kind in (ClauseKind.RELATIVE, ClauseKind.SUBORDINATE):
                    continue
                if earlier.kind == ClauseKind.REPORTED and draft.kind != ClauseKind.REPORTED:
                    continue
                if earlier.future != draft.future:
                    continue
                draft.source = TimeSource.SENTENCE
                draft.timex, draft.interval = earlier.timex, earlier.interval
                if draft.kind == ClauseKind.REPORTED and earlier.reporting:
                    draft.reported_by = earlier.index
                break

    # «وكانت الحكومة قد قررت تمديد ساعات العمل في شهر رمضان»: an undated pluperfect
    # frame is dated by what it reports (it is background, not the news of the day)
    for members in by_sentence:
        for n, draft in enumerate(members):
            if draft.source is not None or not draft.clause.pluperfect:
                continue
            for position in range(n + 1, len(members)):
                later = members[position]
                if not later.clause.reported:
                    break
                if later.source == TimeSource.OWN:
                    draft.source = TimeSource.SENTENCE
                    draft.timex, draft.interval = later.timex, later.interval
                    break

    body = [d for d in drafts if not d.headline]
    if body:
        lede = body[0].sentence
        for draft in body:
            if draft.sentence != lede:
                break
            if draft.source is None and not draft.future and draft.kind in _FRAME_LEVEL:
                _at_publication(draft, published)
            break
    for draft in body:
        analysis = draft.clause.analysis
        if (
            draft.source is None
            and draft.reporting
            and analysis is not None
            and analysis.sense.pos == "imperfect"
            and not draft.future
            and draft.kind in _FRAME_LEVEL
        ):
            _at_publication(draft, published)


def _at_publication(draft: Draft, published: datetime) -> None:
    draft.source = TimeSource.PUBLICATION
    draft.interval = publication_day(published)


def inherit(draft: Draft, other: Draft, source: TimeSource) -> None:
    """Give ``draft`` the time of ``other`` (discourse carry-over)."""
    if draft.source is None and other.interval is not None:
        draft.source = source
        draft.timex, draft.interval = other.timex, other.interval
