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

from timeline.contract import AnchorKind, TimeExpression, TimeSource
from timeline.events._clauses import ClauseKind
from timeline.events._intervals import Interval, publication_day, timex_interval
from timeline.events._lexicon import LEXICON
from timeline.events._model import Draft
from timeline.events._words import Tokens, strip_conjunction
from timeline.text import fold_word

_FRAME_LEVEL = frozenset(
    [ClauseKind.MAIN, ClauseKind.COORD, ClauseKind.PURPOSE, ClauseKind.ATTRIBUTION]
)
_RANGE_JOINERS = frozenset(["و", "الي", "حتي", "غايه", "-", "الى", "لغايه", "/"])


def _comparison_before(words: list[str], first: int, at: int) -> bool:
    return any(LEXICON.comparisons.match(words, k, at)[0] for k in range(first, at))


def _token_at(tokens: Tokens, offset: int) -> int:
    """Index of the first token that starts at or after ``offset``."""
    return bisect_left(tokens.starts, offset)


def own_time(
    draft: Draft,
    timexes: list[TimeExpression],
    tokens: Tokens,
    words: list[str],
    published: datetime,
    timex_starts: list[int] | None = None,
) -> tuple[TimeExpression, Interval] | None:
    """The expression in the draft's clause that dates its event, with its interval."""
    starts = [t.start for t in timexes] if timex_starts is None else timex_starts
    inside = timexes[bisect_left(starts, draft.start) : bisect_left(starts, draft.end)]
    if not inside:
        return None
    best: tuple[TimeExpression, Interval] | None = None
    for n, timex in enumerate(inside):
        interval = timex_interval(timex, published)
        if interval is None:
            continue
        at = _token_at(tokens, timex.start)
        # «ارتفع 5% مقارنة مع العام الماضي»: a compared period after the trigger dates nothing
        if _comparison_before(words, _token_at(tokens, draft.trigger[2]), at):
            continue
        previous = tokens.words[at - 1] if at > 0 else ""
        if previous in LEXICON.since or fold_word(timex.text).split()[:1] == ["منذ"]:
            interval = Interval(interval.earliest, max(published, interval.latest or published))
        elif n + 1 < len(inside):
            following = inside[n + 1]
            between = [
                tokens.words[k]
                for k in range(_token_at(tokens, timex.end), _token_at(tokens, following.start))
            ]
            joined = timex_interval(following, published)
            if (
                joined is not None
                and 0 < len(between) <= 3
                and any(
                    w in _RANGE_JOINERS or strip_conjunction(w) in _RANGE_JOINERS for w in between
                )
            ):
                interval = interval.union(joined)
        if interval.bounded:
            return timex, interval
        if best is None:
            best = (timex, interval)
    return best


def anchor(
    drafts: list[Draft],
    timexes: list[TimeExpression],
    tokens: Tokens,
    published: datetime,
) -> None:
    """Set each draft's time source, expression and interval where the text gives one."""
    words = tokens.words
    timexes = sorted(timexes, key=lambda t: t.start)
    starts = [t.start for t in timexes]
    for draft in drafts:
        found = own_time(draft, timexes, tokens, words, published, starts)
        if found is not None:
            draft.timex, draft.interval = found
            draft.source = (
                TimeSource.DISCOURSE
                if draft.timex.anchor.kind == AnchorKind.EVENT
                else TimeSource.OWN
            )

    by_sentence: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_sentence.setdefault(draft.sentence, []).append(draft)

    for members in by_sentence.values():
        for n, draft in enumerate(members):
            if draft.source is not None:
                continue
            if draft.kind == ClauseKind.RELATIVE and draft.clause.resumptive:
                _take_nearest_timex(draft, timexes, published)
                continue
            if draft.kind in (ClauseKind.RELATIVE, ClauseKind.SUBORDINATE):
                continue
            for earlier in reversed(members[:n]):
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
                break

    # «وكانت إسرائيل قد أعلنت عن تخفيف القيود في شهر رمضان»: an undated pluperfect
    # frame is dated by what it reports (it is background, not the news of the day)
    for members in by_sentence.values():
        for n, draft in enumerate(members):
            if draft.source is not None or not draft.clause.pluperfect:
                continue
            for later in members[n + 1 :]:
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


def _take_nearest_timex(draft: Draft, timexes: list[TimeExpression], published: datetime) -> None:
    for timex in reversed(timexes):
        if timex.start >= draft.start:
            continue
        if timex.start < draft.sentence_start:
            return
        interval = timex_interval(timex, published)
        if interval is not None and interval.bounded:
            draft.source = TimeSource.SENTENCE
            draft.timex, draft.interval = timex, interval
        return


def inherit(draft: Draft, other: Draft, source: TimeSource) -> None:
    """Give ``draft`` the time of ``other`` (discourse carry-over)."""
    if draft.source is None and other.interval is not None:
        draft.source = source
        draft.timex, draft.interval = other.timex, other.interval
