"""Stories: one timeline entry per happening, inside an article and across articles.

Pure functions over :class:`~timeline.contract.Timeline` and
:class:`~timeline.contract.IndexedEvent`; the store indexes what :func:`article_reports`
gives and hands query results to :func:`merge_reports`.

- **Words.** :func:`content_words` folds Arabic as :mod:`timeline.text` does (hamza and
  alef seats, ta marbuta, alef maqsura, diacritics, tatweel) and drops function words;
  :func:`word_forms` gives a word with and without its clitics (و ف, then ب ك ل, then
  ال; «لل» is ل + ال). Two words match when their forms meet, so «والوزير», «للوزير» and
  «وزير» all match «الوزير».
- **One article, one entry per happening** (:func:`article_entries`): a headline that
  repeats a body event, and a lead repeated in the body, are one entry; a reporting clause
  («قال»، «أكد»، «صرح») is the attribution of the event it introduces, not an entry of its
  own; clauses that nothing in the text dates (no ``time``) are hidden unless asked for.
- **One happening, many reports** (:func:`merge_reports`): reports from different
  articles are one entry when their times are compatible and they say the same thing
  (:func:`compare`); the entry keeps the tightest bounds the reports agree on, flags
  sources that give different dates, and says why each report was merged.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from timeline.contract import (
    Disagreement,
    Event,
    IndexedEvent,
    TimeExpression,
    Timeline,
    TimelineEntry,
)
from timeline.tagger.lexicon import load_toml
from timeline.text import fold_word

__all__ = [
    "DISAGREEMENT_GAP",
    "MERGE_WINDOW",
    "Match",
    "Query",
    "article_entries",
    "article_reports",
    "compare",
    "content_words",
    "decode_cursor",
    "encode_cursor",
    "in_range",
    "index_words",
    "matches",
    "merge_reports",
    "page_after",
    "parse_bound",
    "query_words",
    "when",
    "word_forms",
]

#: reports whose earliest times are further apart than this are never one happening
MERGE_WINDOW = timedelta(days=31)
#: reports whose times do not overlap may still be one happening (with a disagreement
#: flagged) when the gap between them is at most this and both are precise to a day
DISAGREEMENT_GAP = timedelta(days=3)
_PRECISE = timedelta(days=1)

_DATA = load_toml("stories.toml")
_STOP_WORDS = frozenset(fold_word(word) for word in _DATA["stop_words"]["words"])
_CONJUNCTIONS = ("", *(fold_word(c) for c in _DATA["clitics"]["conjunctions"]))
_PREPOSITIONS = ("", *(fold_word(p) for p in _DATA["clitics"]["prepositions"]))
_ARTICLE = fold_word(_DATA["clitics"]["article"])
_LAM = _ARTICLE[-1]
_TOKEN = re.compile(r"[0-9A-Za-z\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]+")
_MIN_FORM = 2
#: a query has at most this many words
MAX_QUERY_WORDS = 8


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(fold_word(text))]


@lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> tuple[str, ...]:
    """The folded word as written and without each possible run of clitics.

    >>> word_forms("والاتفاق")
    ('والاتفاق', 'الاتفاق', 'اتفاق')
    """
    forms = [word]
    for conj in _CONJUNCTIONS:
        if not word.startswith(conj):
            continue
        after_conj = word[len(conj) :]
        for prep in _PREPOSITIONS:
            if not after_conj.startswith(prep):
                continue
            rest = after_conj[len(prep) :]
            candidates = [rest]
            if rest.startswith(_ARTICLE):
                candidates.append(rest[len(_ARTICLE) :])
            elif prep == _LAM and rest.startswith(_LAM):
                candidates.append(rest[1:])  # «لل»: ل + ال with the alef dropped
            for candidate in candidates:
                if len(candidate) >= _MIN_FORM and candidate not in forms:
                    forms.append(candidate)
    return tuple(forms)


@lru_cache(maxsize=1 << 16)
def _is_stop(token: str) -> bool:
    return len(token) < _MIN_FORM or any(f in _STOP_WORDS for f in word_forms(token))


def content_words(text: str) -> list[str]:
    """The folded content words of ``text``, in order, each once."""
    return list(_content_words(text))


@lru_cache(maxsize=1 << 12)
def _content_words(text: str) -> tuple[str, ...]:
    """(A title is read for every event of its article, a text more than once.)"""
    seen: dict[str, None] = {}
    for token in _tokens(text):
        if not _is_stop(token):
            seen.setdefault(token, None)
    return tuple(seen)


def query_words(q: str) -> list[str]:
    """The words of a query; raises ``ValueError`` when it has none or too many."""
    words = content_words(q)
    if not words:
        raise ValueError("q: no content word to search for (only function words or no letters)")
    if len(words) > MAX_QUERY_WORDS:
        raise ValueError(f"q: {len(words)} words, over the limit of {MAX_QUERY_WORDS}")
    return words


def _forms_of(words: Iterable[str]) -> set[str]:
    return {form for word in words for form in word_forms(word)}


def _shared_words(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """Words of ``a`` that match a word of ``b`` (their forms meet), each as the longest
    form they share."""
    index: dict[str, str] = {}
    for word in b:
        for form in word_forms(word):
            index.setdefault(form, word)
    shared: dict[str, None] = {}
    for word in a:
        common = [form for form in word_forms(word) if form in index]
        if common:
            shared.setdefault(max(common, key=len), None)
    return list(shared)


# triggers: «وقعت»، «يوقع»، «سيوقعون» share the stem «وقع»
_VERB_PREFIXES = tuple(fold_word(p) for p in _DATA["verb_affixes"]["prefixes"])
_VERB_SUFFIXES = tuple(fold_word(s) for s in _DATA["verb_affixes"]["suffixes"])


@lru_cache(maxsize=1 << 14)
def _stems(trigger: str) -> frozenset[str]:
    stems: set[str] = set()
    for token in _tokens(trigger):
        for form in word_forms(token):
            stems.add(form)
            bare = form
            for prefix in _VERB_PREFIXES:
                if bare.startswith(prefix) and len(bare) - len(prefix) >= 3:
                    bare = bare[len(prefix) :]
                    break
            for suffix in _VERB_SUFFIXES:
                if bare.endswith(suffix) and len(bare) - len(suffix) >= 3:
                    bare = bare[: -len(suffix)]
                    break
            stems.add(bare)
    return frozenset(stems)


# -- dates as people read them --


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def when(value: str | None, earliest: datetime | None, latest: datetime | None) -> str:
    """The date of an event, or its bounds when it has no single date."""
    if value and "/" in value and not value.startswith("P"):
        first, _, last = value.partition("/")
        return f"{first} … {last}"
    if value and not value.startswith("P"):
        return value
    if earliest is None and latest is None:
        return "—"
    if earliest is not None and latest is not None:
        first, last = _day(earliest), _day(latest)
        # ``latest`` is exclusive: an interval ending at midnight ends the day before
        if latest.time() == datetime.min.time() and latest > earliest:
            last = _day(latest - timedelta(days=1))
        return first if first == last else f"{first} … {last}"
    if earliest is not None:
        return f"≥ {_day(earliest)}"
    assert latest is not None
    return f"< {_day(latest)}"


# -- one article --


@dataclass
class _Happening:
    """An article's event with the clauses folded into it."""

    event: Event
    attributions: list[Event] = field(default_factory=list)
    also: list[Event] = field(default_factory=list)


_ADJACENT = 3  # characters between a reporting clause and the clause it introduces


def _reported(by: Event, in_text_order: list[Event], at: int) -> Event | None:
    """The event a reporting clause introduces: the clause right after it, else the one
    right before it («…، قال الوزير»)."""
    if at + 1 < len(in_text_order):
        following = in_text_order[at + 1]
        if 0 <= following.start - by.end <= _ADJACENT:
            return following
    if at > 0:
        preceding = in_text_order[at - 1]
        if 0 <= by.start - preceding.end <= _ADJACENT and not preceding.reporting:
            return preceding
    return None


def _collapse(timeline: Timeline) -> tuple[list[_Happening], list[Event]]:
    """The article's happenings in timeline order, and the clauses that are none."""
    by_id = {event.id: event for event in timeline.events}
    in_text_order = sorted(timeline.events, key=lambda e: (e.start, e.end))
    position = {event.id: n for n, event in enumerate(in_text_order)}
    folded: dict[str, str] = {}  # event id -> the id it is folded into
    attributions: dict[str, list[Event]] = {}
    for event in in_text_order:
        if event.same_as is not None and event.same_as in by_id:
            folded[event.id] = event.same_as
    for event in in_text_order:
        if not event.reporting or event.id in folded:
            continue
        target: Event | None = event
        seen = {event.id}
        while target is not None and target.reporting:
            target = _reported(target, in_text_order, position[target.id])
            if target is not None and target.id in seen:
                target = None
            elif target is not None:
                seen.add(target.id)
        if target is not None:
            folded[event.id] = target.id
            attributions.setdefault(target.id, []).append(event)
    happenings: dict[str, _Happening] = {}
    hidden: list[Event] = []
    for event in timeline.events:  # timeline order
        if event.id in folded:
            continue
        if event.time is None or event.earliest is None or event.reporting:
            hidden.append(event)
            continue
        happenings[event.id] = _Happening(event, attributions.get(event.id, []))
    for event_id, first_target in folded.items():
        target_id = first_target
        for _ in range(len(folded)):  # a chain, never a cycle: bounded all the same
            if target_id not in folded:
                break
            target_id = folded[target_id]
        if target_id in happenings and by_id[event_id].same_as is not None:
            happenings[target_id].also.append(by_id[event_id])
    return _fold_repeats(list(happenings.values()), timeline), hidden


def _fold_repeats(happenings: list[_Happening], timeline: Timeline) -> list[_Happening]:
    """A lead repeated in the body: later mentions of the same happening fold into the
    first (in text order), which takes the tighter bounds if the repeat has them."""
    kept: list[_Happening] = []
    reports = {h.event.id: _report(h, timeline, None) for h in happenings}
    for happening in sorted(happenings, key=lambda h: h.event.start):
        report = reports[happening.event.id]
        same = next(
            (
                k
                for k in kept
                if report is not None
                and (other := reports[k.event.id]) is not None
                and compare(other, report) is not None
            ),
            None,
        )
        if same is None:
            kept.append(happening)
            continue
        same.also.extend(happening.also)
        same.attributions.extend(happening.attributions)
        if _span(happening.event) < _span(same.event):
            same.also.append(same.event)
            same.event = happening.event
        else:
            same.also.append(happening.event)
    order = {h.event.id: n for n, h in enumerate(happenings)}
    return sorted(kept, key=lambda h: order.get(h.event.id, len(order)))


def _span(event: Event) -> timedelta:
    if event.earliest is None or event.latest is None:
        return timedelta.max
    return event.latest - event.earliest


def _timex_words(event: Event, timexes: Sequence[TimeExpression]) -> set[str]:
    words: set[str] = set()
    for timex in timexes:
        if timex.start >= event.start and timex.end <= event.end:
            words.update(_tokens(timex.text))
    return words


def _report(happening: _Happening, timeline: Timeline, story: str | None) -> IndexedEvent | None:
    event = happening.event
    if event.earliest is None or event.latest is None:
        return None
    skip = _timex_words(event, timeline.time_expressions)
    words = [w for w in content_words(event.text) if w not in skip]
    attribution = " … ".join(a.text for a in happening.attributions) or None
    return IndexedEvent(
        article_id=timeline.article_id,
        event_id=event.id,
        outlet=timeline.outlet,
        text=event.text,
        trigger=event.trigger.text,
        value=event.time.value if event.time else None,
        earliest=event.earliest,
        latest=event.latest,
        url=timeline.url,
        title=timeline.title,
        published=timeline.published,
        story=story,
        attribution=attribution,
        also=[e.id for e in happening.also],
        words=words,
    )


def article_reports(timeline: Timeline, story: str | None = None) -> list[IndexedEvent]:
    """What the cross-article index holds for an article: one report per dated
    happening (both bounds known), with its attribution and content words."""
    happenings, _ = _collapse(timeline)
    reports = (_report(h, timeline, story) for h in happenings)
    return [r for r in reports if r is not None]


def article_entries(
    timeline: Timeline, *, story: str | None = None, show_all: bool = False
) -> tuple[list[TimelineEntry], int]:
    """The article's timeline as entries, one per happening, and how many clauses were
    left out (reporting clauses folded into what they report are not counted).

    With ``show_all`` the clauses that carry no time come too, each as an entry of its
    own with no sources, after the happenings they follow in the timeline."""
    happenings, hidden = _collapse(timeline)
    entries = []
    shown = {h.event.id for h in happenings}
    for event in timeline.events:
        if event.id in shown:
            happening = next(h for h in happenings if h.event.id == event.id)
            report = _report(happening, timeline, story)
            if report is not None:
                entries.append(_single(report))
                continue
            entries.append(_bare(event))
        elif show_all and event in hidden:
            entries.append(_bare(event))
    return entries, len(hidden)


def _single(report: IndexedEvent) -> TimelineEntry:
    return TimelineEntry(
        key=report.ref,
        text=report.text,
        trigger=report.trigger,
        value=report.value,
        earliest=report.earliest,
        latest=report.latest,
        sources=[report],
        outlets=[report.outlet] if report.outlet else [],
    )


def _bare(event: Event) -> TimelineEntry:
    return TimelineEntry(
        key=event.id,
        text=event.text,
        trigger=event.trigger.text,
        value=event.time.value if event.time else None,
        earliest=event.earliest,
        latest=event.latest,
        sources=[],
    )


# -- across articles --


@dataclass(frozen=True, slots=True)
class Match:
    """Why two reports are taken for one happening."""

    #: the trigger stem they share, if any
    trigger: str | None
    #: the content words they share (besides the trigger)
    shared: tuple[str, ...]
    #: True when their times overlap; False when they give different dates
    agree: bool


def _overlap(a: IndexedEvent, b: IndexedEvent) -> bool:
    return a.earliest < b.latest and b.earliest < a.latest


def compare(a: IndexedEvent, b: IndexedEvent) -> Match | None:
    """The two reports are of one happening (and why), or None.

    Times: they overlap (a report «in May» and one «on 4 May» agree), or, both precise
    to a day, lie at most :data:`DISAGREEMENT_GAP` apart (a disagreement). Content: the
    same trigger stem and at least one shared participant word, or three shared words
    that are half the words of the shorter report; a disagreement asks for the same
    trigger and two shared words.
    """
    if abs(a.earliest - b.earliest) > MERGE_WINDOW:
        return None
    agree = _overlap(a, b)
    if not agree:
        gap = max(a.earliest, b.earliest) - min(a.latest, b.latest)
        precise = a.latest - a.earliest <= _PRECISE and b.latest - b.earliest <= _PRECISE
        if not precise or gap > DISAGREEMENT_GAP:
            return None
    stems = _stems(a.trigger) & _stems(b.trigger)
    trigger = max(stems, key=lambda s: (len(s), s)) if stems else None
    trigger_words = set(_tokens(a.trigger)) | set(_tokens(b.trigger))
    a_words = [w for w in a.words if w not in trigger_words]
    b_words = [w for w in b.words if w not in trigger_words]
    shared = tuple(_shared_words(a_words, b_words))
    if agree:
        smaller = max(1, min(len(a_words), len(b_words)))
        if not ((trigger and shared) or (len(shared) >= 3 and len(shared) * 2 >= smaller)):
            return None
    elif not (trigger and len(shared) >= 2):
        return None
    return Match(trigger, shared, agree)


def _who(report: IndexedEvent) -> str:
    return report.outlet or report.article_id


def _explain(report: IndexedEvent, joined: IndexedEvent, match: Match) -> str:
    reasons = []
    if match.trigger:
        reasons.append(f"same trigger «{match.trigger}»")
    if match.shared:
        reasons.append("shared words «" + "، ".join(match.shared) + "»")
    mine = when(report.value, report.earliest, report.latest)
    theirs = when(joined.value, joined.earliest, joined.latest)
    if match.agree:
        reasons.append(
            f"dates agree ({mine})" if mine == theirs else f"dates overlap ({mine} / {theirs})"
        )
    else:
        reasons.append(f"dates differ ({mine} / {theirs})")
    return f"{_who(report)} ({report.ref}) joined {_who(joined)} ({joined.ref}): " + ", ".join(
        reasons
    )


@dataclass
class _Group:
    members: list[IndexedEvent]
    reasons: list[str] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)

    @property
    def anchor(self) -> IndexedEvent:
        return self.members[0]

    def bounds(self) -> tuple[datetime, datetime, bool]:
        """The tightest bounds all members agree on, else their hull; and whether they
        agree."""
        if len(self.members) == 1:
            return self.anchor.earliest, self.anchor.latest, True
        lo = max(m.earliest for m in self.members)
        hi = min(m.latest for m in self.members)
        if lo < hi:
            return lo, hi, True
        return (
            min(m.earliest for m in self.members),
            max(m.latest for m in self.members),
            False,
        )

    def best_match(self, report: IndexedEvent) -> tuple[Match, IndexedEvent] | None:
        best: tuple[Match, IndexedEvent] | None = None
        for member in self.members:
            match = compare(member, report)
            if match is None:
                continue
            if best is None or (match.agree, len(match.shared)) > (
                best[0].agree,
                len(best[0].shared),
            ):
                best = (match, member)
        return best


def merge_reports(reports: Iterable[IndexedEvent]) -> list[TimelineEntry]:
    """Reports of many articles as timeline entries, one per happening, in order.

    Reports are taken in time order; each joins the group with the best match
    (:func:`compare` against any member, agreeing dates first, then most shared words)
    among the groups that hold no report of its article yet, or starts a group. Entries
    are ordered by their bounds, then key.
    """
    ordered = sorted(reports, key=lambda r: (r.earliest.timestamp(), r.ref))
    window = MERGE_WINDOW.total_seconds()
    groups: list[_Group] = []
    anchors: list[float] = []  # each group's earliest time
    #: groups are made in time order: those before ``live`` are anchored too early to
    #: take any later report
    live = 0
    #: group numbers (sorted) by trigger stem, and by the forms of their words
    by_stem: dict[str, list[int]] = {}
    by_word: dict[str, list[int]] = {}
    for report in ordered:
        start = report.earliest.timestamp()
        while live < len(anchors) and start - anchors[live] > window:
            live += 1
        stems = _stems(report.trigger)
        candidates: set[int] = set()
        for stem in stems:
            candidates.update(_from(by_stem.get(stem), live))
        if len(report.words) >= 3:  # three shared words may do without the trigger
            candidates |= _sharing_three(report.words, by_word, live)
        best: tuple[Match, IndexedEvent, int] | None = None
        for number in sorted(candidates):
            group = groups[number]
            if report.article_id in group.articles:
                continue
            found = group.best_match(report)
            if found is None:
                continue
            rank = (found[0].agree, len(found[0].shared))
            if best is None or rank > (best[0].agree, len(best[0].shared)):
                best = (found[0], found[1], number)
        if best is None:
            groups.append(_Group([report], articles={report.article_id}))
            anchors.append(start)
            target = len(groups) - 1
        else:
            match, joined, target = best
            group = groups[target]
            group.members.append(report)
            group.articles.add(report.article_id)
            group.reasons.append(_explain(report, joined, match))
        for stem in stems:
            _insert(by_stem.setdefault(stem, []), target)
        for form in {f for word in report.words for f in word_forms(word)}:
            _insert(by_word.setdefault(form, []), target)
    entries = [_entry(group) for group in groups]
    entries.sort(key=sort_key)
    return entries


def _sharing_three(words: Sequence[str], by_word: dict[str, list[int]], live: int) -> set[int]:
    """The live groups that hold at least three of ``words`` (by their forms).

    A group sharing three of n words is in one of the buckets of any n - 2 of them: the
    smallest n - 2 give the candidates, the others are looked up by bisection.
    """
    buckets = [[b for form in word_forms(word) if (b := by_word.get(form))] for word in words]

    def size(word_buckets: list[list[int]]) -> int:
        return sum(len(b) - bisect.bisect_left(b, live) for b in word_buckets)

    buckets.sort(key=size)
    pool = {
        g
        for word_buckets in buckets[: len(words) - 2]
        for b in word_buckets
        for g in _from(b, live)
    }
    return {
        g
        for g in pool
        if sum(any(_has(b, g) for b in word_buckets) for word_buckets in buckets) >= 3
    }


def _has(bucket: list[int], number: int) -> bool:
    at = bisect.bisect_left(bucket, number)
    return at < len(bucket) and bucket[at] == number


def _from(bucket: list[int] | None, first: int) -> list[int]:
    """The numbers in a sorted bucket from ``first`` on."""
    if not bucket:
        return []
    return bucket[bisect.bisect_left(bucket, first) :]


def _insert(bucket: list[int], number: int) -> None:
    if not _has(bucket, number):
        bucket.insert(bisect.bisect_left(bucket, number), number)


def _entry(group: _Group) -> TimelineEntry:
    earliest, latest, agree = group.bounds()
    # the most precise report speaks for the entry
    lead = group.anchor
    if len(group.members) > 1:
        lead = min(group.members, key=lambda m: (m.latest - m.earliest, m.earliest, m.ref))
    outlets = list(dict.fromkeys(_who(m) for m in group.members))
    disagreement = None
    if not agree:
        dates: dict[str, list[str]] = {}
        for member in group.members:
            label = when(member.value, member.earliest, member.latest)
            names = dates.setdefault(label, [])
            if _who(member) not in names:
                names.append(_who(member))
        listed = "; ".join(f"{label} ({', '.join(names)})" for label, names in dates.items())
        disagreement = Disagreement(
            dates=dates, message=f"the sources give different dates: {listed}"
        )
    exact = agree and (lead.earliest, lead.latest) == (earliest, latest)
    # every part is valid already (thousands of entries a query): built, not validated
    return TimelineEntry.model_construct(
        key=group.anchor.ref,
        text=lead.text,
        trigger=lead.trigger,
        value=lead.value if exact else None,
        earliest=earliest,
        latest=latest,
        sources=group.members,
        outlets=outlets,
        disagreement=disagreement,
        merged_because=group.reasons,
    )


# -- queries and pages --


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


#: an entry's place: earliest and latest (epoch seconds; no bound is first), then key
Place = tuple[float, float, str]
_NO_BOUND = -1e18


def sort_key(entry: TimelineEntry) -> Place:
    """Entries are ordered by earliest, then latest, then key."""
    return (
        entry.earliest.timestamp() if entry.earliest else _NO_BOUND,
        entry.latest.timestamp() if entry.latest else _NO_BOUND,
        entry.key,
    )


def parse_bound(name: str, value: str) -> tuple[datetime, bool]:
    """A range bound as given on the command line or in a URL: an ISO date, which stands
    for the whole day (as the reports' own dates are read), or an ISO date-time (naive
    ones in UTC). Returns the moment and whether it is a whole day. ``ValueError`` names
    the parameter."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC), True
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}: not an ISO 8601 date or date-time: {value[:40]!r}") from None
    if not 1800 <= moment.year <= 2200:
        raise ValueError(f"{name}: year {moment.year} is outside 1800-2200")
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), False


@dataclass(frozen=True, slots=True)
class Query:
    """What a merged timeline is asked for: a range of earliest times, words (every one
    must match), outlets (any), a story key.

    ``start`` is inclusive and ``end`` exclusive; where ``whole_days`` marks a bound,
    it stands for a day as the reports give it (their own UTC offset), ``end`` the last
    day included.
    """

    start: datetime | None = None
    end: datetime | None = None
    words: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    story: str | None = None
    whole_days: tuple[bool, bool] = (False, False)

    @classmethod
    def build(
        cls,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        q: str | None = None,
        outlets: Iterable[str] = (),
        story: str | None = None,
        whole_days: tuple[bool, bool] = (False, False),
    ) -> Query:
        for name, moment in (("from", start), ("to", end)):
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"{name}: must carry a UTC offset")
        if start is not None and end is not None:
            empty = end.date() < start.date() if whole_days[1] else end <= start
            if empty:
                raise ValueError("to: must come after from")
        words = tuple(query_words(q)) if q is not None and q.strip() else ()
        return cls(start, end, words, tuple(dict.fromkeys(outlets)), story, whole_days)

    @classmethod
    def parse(
        cls,
        *,
        start: str | None = None,
        end: str | None = None,
        q: str | None = None,
        outlets: Iterable[str] = (),
        story: str | None = None,
    ) -> Query:
        """A query from text (``from``/``to`` as :func:`parse_bound` reads them)."""
        first, first_day = parse_bound("from", start) if start else (None, False)
        last, last_day = parse_bound("to", end) if end else (None, False)
        return cls.build(
            start=first,
            end=last,
            q=q,
            outlets=outlets,
            story=story,
            whole_days=(first_day, last_day),
        )

    def day_range(self) -> tuple[datetime | None, datetime | None]:
        """Instants between which every report the query asks for starts (a whole day
        is widened by the widest UTC offsets)."""
        start, end = self.start, self.end
        if start is not None and self.whole_days[0]:
            start -= _WIDEST_OFFSET
        if end is not None and self.whole_days[1]:
            end += timedelta(days=1) + _WIDEST_OFFSET
        return start, end

    def word_forms(self) -> list[list[str]]:
        """For each query word, the index words any of which it matches."""
        return [list(word_forms(word)) for word in self.words]

    def fingerprint(self) -> str:
        fields = [
            _utc(self.start) if self.start else "",
            _utc(self.end) if self.end else "",
            " ".join(self.words),
            "\x1f".join(sorted(self.outlets)),
            self.story or "",
            repr(self.whole_days),
        ]
        return hashlib.sha256("\x1e".join(fields).encode()).hexdigest()[:12]


#: UTC offsets run from -12:00 to +14:00
_WIDEST_OFFSET = timedelta(hours=14)


def index_words(report: IndexedEvent) -> set[str]:
    """Every form a query word may take to find the report: the words of its text, its
    article's title and its attribution, with and without clitics."""
    parts = (report.text, report.title, report.attribution)
    return _forms_of(word for part in parts if part for word in _content_words(part))


def in_range(report: IndexedEvent, query: Query) -> bool:
    """The report's earliest time falls in the query's range."""
    first_day, last_day = query.whole_days
    if query.start is not None:
        if first_day and report.earliest.date() < query.start.date():
            return False
        if not first_day and report.earliest < query.start:
            return False
    if query.end is not None:
        if last_day and report.earliest.date() > query.end.date():
            return False
        if not last_day and report.earliest >= query.end:
            return False
    return True


def matches(report: IndexedEvent, query: Query) -> bool:
    """The report is one the query asks for (what the store's index answers)."""
    if not in_range(report, query):
        return False
    if query.outlets and report.outlet not in query.outlets:
        return False
    if query.story is not None and report.story != query.story:
        return False
    if query.words:
        forms = index_words(report)
        return all(any(f in forms for f in wanted) for wanted in query.word_forms())
    return True


def encode_cursor(entry: TimelineEntry, query: Query) -> str:
    """An opaque cursor: the last entry's place (:func:`sort_key`) and the fingerprint of
    the query it belongs to, as base64url JSON."""
    body = json.dumps({"after": list(sort_key(entry)), "query": query.fingerprint()})
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, query: Query) -> Place:
    """The place a cursor marks; ``ValueError`` naming the cursor when it is not one of
    this query's."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw)
        after = body["after"]
        fingerprint = body["query"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise ValueError("cursor: not a cursor this service gave out") from None
    numbers = isinstance(after, list) and len(after) == 3 and isinstance(after[2], str)
    if not numbers or not all(isinstance(x, int | float) for x in after[:2]):
        raise ValueError("cursor: not a cursor this service gave out")
    if fingerprint != query.fingerprint():
        raise ValueError(
            "cursor: it belongs to another query (from, to, q, outlet or story differ)"
        )
    return float(after[0]), float(after[1]), after[2]


def page_after(
    entries: Sequence[TimelineEntry], after: Place | None, limit: int
) -> tuple[list[TimelineEntry], bool]:
    """Up to ``limit`` entries that come after ``after`` (in :func:`sort_key` order), and
    whether more follow."""
    start = 0
    if after is not None:
        start = next((n for n, e in enumerate(entries) if sort_key(e) > after), len(entries))
    chosen = list(entries[start : start + limit])
    return chosen, start + limit < len(entries)
