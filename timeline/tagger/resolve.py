"""Resolution: give each mention its TIMEX3 type, value, mod, interval and anchor.

Mentions are resolved in text order against the publication time and the
discourse: the dates mentioned so far (HeidelTime's "last mentioned" for
narratives) and the direction of the clause (:mod:`.context`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from timeline.contract import AnchorKind, TimexType
from timeline.events import verb_form
from timeline.tagger import calendar as cal
from timeline.tagger.calendar import Period
from timeline.tagger.context import SENTENCE_ENDS, Context, Tense
from timeline.tagger.lexicon import LEXICON, UnitWord
from timeline.tagger.mention import Mention
from timeline.tagger.parse import before_phrase as _before_phrase

#: duration designators of the grains
_DURATION_CODE = {"S": "S", "MI": "M", "H": "H", "D": "D", "W": "W", "M": "M", "Q": "M", "Y": "Y"}
_DURATION_FACTOR = {"Q": 3, "DE": 10, "CE": 100, "ML": 1000}
#: grains a length of which is written in years (a decade is P10Y)
_YEAR_MULTIPLES = ("DE", "CE", "ML")
#: grains of the clock, in seconds: a length of them is PT…, an offset of them a TIME
_CLOCK_GRAINS = {"H": 3600, "MI": 60, "S": 1}
#: hours of the parts of the day: [start, end) in hours from midnight
_PART_HOURS = {"TMO": (5, 12), "TAF": (12, 17), "TEV": (17, 21), "TNI": (21, 29), "TMI": (11, 14)}
#: grains fine enough to anchor an offset of a grain
_ANCHOR_GRAINS = {
    "H": ("T", "D"),
    "MI": ("T", "D"),
    "D": ("T", "D"),
    "W": ("T", "D", "W"),
    "M": ("T", "D", "W", "M"),
    "Q": ("T", "D", "W", "M", "Q"),
    "H6": ("T", "D", "W", "M", "Q", "H"),
    "Y": ("T", "D", "W", "M", "Q", "H", "SE", "Y", "I"),
    "any": ("T", "D", "W", "M", "Q", "H", "SE", "Y", "I", "DE", "CE"),
    "month_or_interval": ("M", "I"),
}


#: how near (days ahead) a Hijri month or feast must be to be the one meant in a
#: past-tense clause (articles discuss the coming Eid in the past tense)
_SOON_DAYS = 45
#: how far before its reference a future-tense date may lie and still be meant
#: (a plan announced earlier, reported after it took place)
_RECENT_DAYS = 31

#: grains of a length whose unstated count back from now names some time long past
#: («قبل سنوات» is PAST_REF; «قبل أسابيع» a length of weeks)
_LONG_AGO_GRAINS = frozenset({"Y", "DE", "CE", "ML"})
#: the hour (local) before which an article was written the day before it is stamped
_SMALL_HOURS_END = 3

#: how close (characters) a day must be named for a bare weekday to repeat it
_NEARBY_CHARS = 200

#: what joins the items of a list (و، «،»)
_COORDINATION = re.compile(r"[\s،,]*" + LEXICON.regex("conjunction") + r"?\s*")

#: what joins the two ends of a range of dates (إلى، حتى، إلى غاية، -)
_RANGE_LINK = re.compile(r"\s*" + LEXICON.regex("range_link") + r"\s*")

#: how many words before a period a comparison reaches («مقابل نحو 3962.9 مليار جنيه
#: بنهاية العام الماضي»)
_COMPARE_REACH = 7
#: a word that opens a comparison, perhaps behind a conjunction or a preposition
_COMPARISON = re.compile(
    r"(?<!\w)"
    + LEXICON.regex("conjunction")
    + "?"
    + LEXICON.regex("preposition_clitic")
    + "?"
    + LEXICON.regex("comparison")
    + r"(?!\w)"
)
#: the figure a quantity rose or fell from («هبط إلى 52.2 من 54.0 في الشهر السابق»)
_FROM_FIGURE = re.compile(r"(?<!\w)(?:من|عن)\s+(?:\w+\s+)?\d")
_WORD_STARTS = re.compile(r"\w+")


#: how far (in expressions) resolution looks back for the discourse's date, and around
#: an expression for the day or year of its sentence; far beyond what news needs, and
#: what keeps adversarial text (thousands of expressions in one sentence) linear
LOOKBACK = 256
#: grains of an anaphoric «التالي/السابق» kept as a length when its event is not dated
_DURATION_GRAINS = {"D": "D", "W": "W", "M": "M", "Y": "Y"}
LOOKAROUND = 64
#: how far (characters) the items of a list of monthly figures stand apart, and what
#: joins them: a figure, then «و» («… 0.4%، و- 0.1% في فبراير»)
_SERIES_GAP = 90
_SERIES_JOIN = re.compile(r"\d[^\n]*[،,]\s*و|[،,]?\s*و\s*[-–]?\s*\d")
#: «حتى» right before an expression
_UNTIL = re.compile(r"(?<!\w)(?:" + LEXICON.regex("until") + r")\s+$")
#: a relative pronoun at the start of a clause (its boundary may be the character
#: before it)
_RELATIVE = re.compile(r"\W?" + LEXICON.regex("relative_pronoun") + r"(?!\w)")
#: the month a season of sport begins (the current season of a spring day began the
#: summer before)
_SEASON_START_MONTH = 7
#: the first days of the two Eids: (Hijri month, day)
_EIDS = ((10, 1), (12, 10))
#: how many days a holiday the text dates may lie from its day by the calendar (the
#: crescent is sighted a day or two apart from the Umm al-Qura table)
_SIGHTING_DAYS = 3
#: what may stand between a holiday and the day it is said to fall on
_APPOSITION = re.compile(
    r"[\s،,:(\-–]*(?:" + LEXICON.regex("identity_word") + r"[\s،,:(]*)*(?:يوم\s+)?"
)
#: how far (days) from publication a day the text dated may lie for a bare weekday to
#: name it again
_STATED_DAY_REACH = 6
_MINUTE = timedelta(minutes=1)
#: the characters of « من » (and a clitic) between a length and the time it counts from
_FROM_GAP = 6
#: a word of a futures contract somewhere before a month (checked precisely after)
_FORWARD_MONTH = re.compile(LEXICON.regex("forward_month"))
#: a word that says what happens as a rule
_HABITUAL = re.compile(r"(?<!\w)" + LEXICON.regex("habitual") + r"(?!\w)")
#: how far (characters) before a weekday a verb that governs it is looked for
_VERB_REACH = 200
#: a word that may be an imperfect verb: يـ + a stem, behind a conjunction
_IMPERFECT = re.compile(r"(?<!\w)" + LEXICON.regex("conjunction") + r"?(ي\w{2,})")
#: grains from fine to coarse, for comparing them
_GRAIN_RANK = {"D": 0, "W": 1, "M": 2, "Q": 3, "Y": 4}
#: grains of the periods a report of figures is about (:meth:`Resolver._topic`)
_TOPIC_GRAINS = frozenset({"W", "M", "Q", "Y"})


@dataclass(slots=True)
class Resolved:
    """A resolved mention. ``period`` holds the days it covers, for DATE and TIME."""

    mention: Mention
    type: TimexType
    value: str
    mod: str | None = None
    period: Period | None = None
    #: exact bounds for TIME values (else taken from the period)
    bounds: tuple[datetime, datetime] | None = None
    anchor: AnchorKind = AnchorKind.NONE
    #: index (into the resolved list) of the expression it was resolved against
    anchor_ref: int | None = None
    #: the year was written (2017، العام الماضي), not guessed
    year_stated: bool = False


class Resolver:
    """Resolves the mentions of one article, in text order."""

    def __init__(
        self,
        text: str,
        published: datetime,
        mentions: list[Mention],
        cue_starts: list[int] | None = None,
        compare_starts: list[int] | None = None,
    ) -> None:
        """``cue_starts``: where a future cue may begin in ``text``, if known (see
        :class:`.context.Context`); ``compare_starts``: where a comparison may begin,
        in order, if known (see :class:`.parse.Scan`)."""
        self.text = text
        self.published = published
        #: the writer's day: an article stamped in the small hours was written the day
        #: before («الهجوم وقع يوم السبت» stamped 00:24 on a Saturday is last Saturday)
        self.today = published.date()
        if published.hour < _SMALL_HOURS_END:
            self.today -= timedelta(days=1)
        self.context = Context.of(text, cue_starts)
        self.mentions = mentions
        self.results: list[Resolved | None] = [None] * len(mentions)
        self.position = 0
        self._starts = [m.start for m in mentions]
        #: whether each mention names the compared period of a comparison (found when
        #: first asked)
        self._compared: list[bool | None] = [None] * len(mentions)
        self._compare_starts = compare_starts
        self._tenses: dict[tuple[int, int], Tense] = {}
        #: whether a sentence (by its start) says what happens as a rule
        self._habitual_sentences: dict[int, bool] = {}
        self._since: list[bool | None] = [None] * len(mentions)

    def _around(self, m: Mention) -> range:
        """Indices of the expressions in ``m``'s sentence, at most :data:`LOOKAROUND` on
        either side of the current one (so that no article costs quadratic time)."""
        lo, hi = self.context.sentence(m.start, m.end)
        first = max(bisect_left(self._starts, lo), self.position - LOOKAROUND)
        last = min(bisect_left(self._starts, hi), self.position + LOOKAROUND + 1)
        return range(first, last)

    # --- discourse --

    def compared(self, i: int) -> bool:
        """Whether mention ``i`` names the compared period of a comparison: after a word
        of comparison («مقارنة مع الشهر السابق»، «مقابل 40 مليارا بنهاية العام الماضي»)
        or the figure something rose or fell from («إلى 52.2 من 54.0 في الشهر السابق»),
        within a few words and with no other expression between. Such a period is no
        anchor for the narrative: «الشهر السابق» counts from the month the figures are
        for, not from the month they are compared with."""
        known = self._compared[i]
        if known is not None:
            return known
        m = self.mentions[i]
        lo = max(0, m.match_start - 16 * _COMPARE_REACH)
        if i > 0:
            lo = max(lo, self.mentions[i - 1].match_end)
        starts = self._compare_starts
        if starts is not None:
            # the scan found where comparisons may begin: most mentions have none before
            at = bisect_left(starts, lo)
            if at == len(starts) or starts[at] >= m.match_start:
                self._compared[i] = False
                return False
        lo = max(lo, self.context.sentence(m.start, m.end)[0])
        window = self.text[lo : m.match_start]
        words = [w.start() for w in _WORD_STARTS.finditer(window)]
        if len(words) > _COMPARE_REACH:
            window = window[words[-_COMPARE_REACH] :]
        found = bool(_FROM_FIGURE.search(window))
        if not found:
            # the word of comparison right before the period, or before the figure it
            # is compared with: «مقابل الدولار في يناير» compares no period
            for cue in _COMPARISON.finditer(window):
                rest = window[cue.end() :]
                if any(c.isdigit() for c in rest) or all(
                    LEXICON.has("comparison_filler", w) for w in _WORD_STARTS.findall(rest)
                ):
                    found = True
                    break
        self._compared[i] = found
        return found

    def last(
        self,
        grains: tuple[str, ...],
        skip_comparisons: bool = False,
        nearest: bool = False,
        foreground: bool = False,
        forecasts: bool = False,
    ) -> tuple[int, Resolved] | None:
        """The latest resolved expression before the current one, of one of ``grains``
        (leaving out, if asked, the «same period last year» comparisons). A clause that
        is not in the future does not count from a forecast: «وفي اليوم التالي دعت…» is
        not the day after a meeting announced for next Sunday. With ``nearest``, a coarser
        expression in between that does not hold the candidate ends the search: the
        narrative has moved to a time whose day is not known («مطلع نيسان» before «في
        اليوم التالي»); one that holds it («… العام الفائت») is an aside. With
        ``foreground``, a time told in a relative clause («المعبر الذي أغلق في التاسع
        من تموز») is taken only when no other is found: it is background to the
        narrative."""
        current = self.mentions[self.position]
        future = forecasts or self.tense(current) is Tense.FUTURE
        coarser: list[Period] = []
        background: tuple[int, Resolved] | None = None
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKBACK), -1):
            r = self.results[i]
            if r is None or r.period is None:
                continue
            if skip_comparisons and r.mention.slots.get("shift_years"):
                continue
            if not future and self._forecast(r):
                continue
            if self.compared(i):
                continue
            if r.period.grain in grains:
                start = r.period.start
                if not all(c.start <= start < c.end for c in coarser):
                    return background
                if foreground and self._in_relative_clause(r.mention):
                    background = background or (i, r)
                    continue
                return i, r
            if nearest:
                coarser.append(r.period)
        return background

    def _in_relative_clause(self, m: Mention) -> bool:
        """Whether ``m`` is told in a relative clause (after الذي، التي…)."""
        lo, _ = self.context.clause(m.start, m.end)
        return _RELATIVE.match(self.text, lo) is not None

    def _forecast(self, r: Resolved) -> bool:
        """A date after publication named in a clause about the future."""
        return (
            r.period is not None
            and r.period.start > self.today
            and (self.tense(r.mention) is Tense.FUTURE)
        )

    def reference_date(self, calendar: bool = False) -> tuple[date, int | None]:
        """The date the discourse is at: the last day or month mentioned, else the
        publication day. With ``calendar``, only calendar dates count (not «أمس» or a
        weekday), and a year heading of a chronology («- 2013 -») too."""
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKBACK), -1):
            r = self.results[i]
            if r is None or r.period is None or self.compared(i):
                continue
            if self._after_since(i):
                continue  # «منذ 14 يوليو 2017»: where a state began, not the narrative's time
            if calendar:
                if r.mention.slots.get("heading"):
                    return r.period.start, i
                if r.mention.kind not in ("calendar", "night_range"):
                    continue
            if r.period.grain in ("T", "D", "M"):
                return r.period.start, i
        return self.today, None

    def tense(self, m: Mention) -> Tense:
        """The direction of ``m``'s clause (worked out once a mention)."""
        key = (m.start, m.end)
        known = self._tenses.get(key)
        if known is None:
            known = self._tenses[key] = self.context.tense(m.start, m.end)
        return known

    def _after_since(self, i: int) -> bool:
        """Whether mention ``i`` follows «منذ» (where a state began)."""
        known = self._since[i]
        if known is None:
            known = self._since[i] = _before_phrase(
                self.text, self.mentions[i].match_start, "since_word", 1
            )
        return known

    # --- entry point --

    def resolve_all(self) -> list[Resolved | None]:
        self._borrow_from_next()
        self._resolve_pass()
        writer_now = self._writer_now()
        if writer_now is not None:
            self.today = writer_now
            self.results = [None] * len(self.mentions)
            self._resolve_pass()
        return self.results

    def _writer_now(self) -> date | None:
        """The writer's "now", when the text shows it was written before publication: a
        compared period read from publication lies after the period it is compared with
        («بلغت الودائع بنهاية أكتوبر الماضي … مقابل … بنهاية العام الماضي» in a study of
        2017 figures published in 2018). Now is then the day that period ended."""
        if self._compare_starts == []:
            return None  # nothing in the text compares
        for i, r in enumerate(self.results):
            if (
                r is None
                or r.period is None
                or r.anchor is not AnchorKind.PUBLICATION
                or not self.compared(i)
            ):
                continue
            self.position = i
            t = self._sentence_topic(self.mentions[i], _GRAIN_RANK["Y"])
            if t is None:
                continue
            topic = self.results[t]
            assert topic is not None and topic.period is not None
            if _point(r) > _point(topic) and topic.period.end <= self.today:
                return topic.period.end
        return None

    def _resolve_pass(self) -> None:
        deferred: list[int] = []
        for i, m in enumerate(self.mentions):
            self.position = i
            if m.kind in _DEFERRED or (
                m.kind == "offset" and (self._compared_offset(i) or self._clock_offset(m))
            ):
                deferred.append(i)
                continue
            handler = _HANDLERS.get(m.kind)
            self.results[i] = self._safely(handler, m) if handler else None
        # clock times late: they take the day of a neighbour («من التاسعة صباحا حتى
        # التاسعة مساء أول أيام الانتخابات»), which may itself be deferred; minutes or
        # hours after an event last: they count from its clock time
        deferred.sort(key=lambda i: self._deferred_rank(self.mentions[i]))
        for i in deferred:
            self.position = i
            m = self.mentions[i]
            if m.kind == "offset" and self._clock_offset(m):
                handler = Resolver.resolve_offset
            else:
                handler = _DEFERRED.get(m.kind, Resolver.resolve_compared_offset)
            self.results[i] = self._safely(handler, m)

    def _deferred_rank(self, m: Mention) -> int:
        """The order of the deferred: the rest, then clock times, then lengths after
        their clock times."""
        return 2 if self._clock_offset(m) else 1 if m.kind == "clock" else 0

    @staticmethod
    def _clock_offset(m: Mention) -> bool:
        """Whether ``m`` is minutes or hours after an event («بعد نحو 45 دقيقة من
        إقلاعها»): resolved after the clock times it may count from."""
        unit: UnitWord | None = m.slots.get("unit")
        return (
            m.kind == "offset"
            and m.slots.get("from_event") is not None
            and unit is not None
            and unit.grain in ("H", "MI")
        )

    def _compared_offset(self, i: int) -> bool:
        """Whether mention ``i`` is a length back from now that names a compared period
        («مقارنة مع 21.5% قبل شهر»): resolved last, against the period its sentence
        reports on."""
        m = self.mentions[i]
        return (
            m.kind == "offset"
            and m.slots.get("rel") == "before"
            and m.slots.get("from_event") is None
            and self.compared(i)
        )

    def _safely(
        self, handler: Callable[[Resolver, Mention], Resolved | None], m: Mention
    ) -> Resolved | None:
        """A mention whose date falls off the calendar (year 10000, a Hijri year out of
        the Umm al-Qura tables) is dropped, never raised."""
        try:
            return handler(self, m)
        except (ValueError, OverflowError):
            return None

    def _borrow_from_next(self) -> None:
        """Coordinated days (3 و5 أيار) take month, year and direction from the next
        date; a date opening a range (من 13 جويلية إلى 20 أوت 2016) takes its year."""
        for i, m in enumerate(self.mentions[:-1]):
            nxt = self.mentions[i + 1]
            if (
                m.kind == "calendar"
                and m.slots.get("month") is not None
                and not {"year", "year_rel", "direction", "month_rel"} & set(m.slots)
                and nxt.kind == "calendar"
                and nxt.slots.get("year") is not None
                and nxt.slots.get("month") is not None
                and _RANGE_LINK.fullmatch(self.text[m.end : nxt.start])
            ):
                y = int(nxt.get("year"))
                m.slots["year"] = y if int(m.get("month")) <= int(nxt.get("month")) else y - 1
        for i, m in enumerate(self.mentions):
            if m.slots.get("borrow") != "next":
                continue
            for nxt in self.mentions[i + 1 : i + 8]:
                if nxt.kind == "calendar" and (
                    nxt.slots.get("month") or nxt.slots.get("hmonth") or nxt.slots.get("month_rel")
                ):
                    for key in (
                        "month",
                        "hmonth",
                        "year",
                        "hyear",
                        "year_rel",
                        "month_rel",
                        "direction",
                    ):
                        if key in nxt.slots and key not in m.slots:
                            m.slots[key] = nxt.slots[key]
                    break

    # --- helpers --

    def _date(
        self,
        m: Mention,
        period: Period,
        anchor: AnchorKind = AnchorKind.PUBLICATION,
        ref: int | None = None,
        mod: str | None = None,
    ) -> Resolved:
        return Resolved(
            m, TimexType.DATE, period.value, mod or m.slots.get("mod"), period, None, anchor, ref
        )

    def _time_part(
        self, m: Mention, d: date, part: str, anchor: AnchorKind, ref: int | None = None
    ) -> Resolved:
        lo, hi = _PART_HOURS.get(part, (0, 24))
        start = datetime.combine(d, time(), self.published.tzinfo) + timedelta(hours=lo)
        end = datetime.combine(d, time(), self.published.tzinfo) + timedelta(hours=hi)
        return Resolved(
            m,
            TimexType.TIME,
            f"{d.isoformat()}T{part[1:]}",
            m.slots.get("mod"),
            cal.day(d),
            (start, end),
            anchor,
            ref,
        )

    @staticmethod
    def _count(m: Mention) -> float | None:
        """How many units a quantity names; None when unstated (أيام، بضعة أيام)."""
        unit: UnitWord | None = m.slots.get("unit")
        num = m.slots.get("num")
        if m.slots.get("few"):
            return None
        if num is None:
            if unit is None:
                return None
            num = {"one": 1.0, "two": 2.0}.get(unit.form)
        if num is not None and m.slots.get("half"):
            num += 0.5
        return float(num) if num is not None else None

    # --- calendar dates --

    def resolve_calendar(self, m: Mention) -> Resolved | None:
        result = self._resolve_calendar(m)
        part = m.slots.get("day_part")
        if part and result is not None and result.period is not None and result.period.grain == "D":
            return self._time_part(m, result.period.start, part, result.anchor, result.anchor_ref)
        return result

    def _resolve_calendar(self, m: Mention) -> Resolved | None:
        if m.slots.get("nhmonth") is not None:
            m.slots.setdefault("hmonth", m.slots.get("nhmonth"))
        if m.slots.get("hmonth") is not None or m.slots.get("hyear") is not None:
            return self._resolve_hijri(m)
        month = m.slots.get("month") or m.slots.get("nmonth")
        day = m.slots.get("day")
        year = m.slots.get("year")
        if month is not None:
            month = int(month)
            if not 1 <= month <= 12:
                return None
        if year is not None and month is None:
            result = self._date(m, cal.year(year), AnchorKind.NONE)
            result.year_stated = True
            return result
        if month is None and m.slots.get("month_rel") is not None and day is not None:
            rel = m.get("month_rel")
            base, anchor_kind, base_ref = self.today, AnchorKind.PUBLICATION, None
            if rel in ("same", "next", "prev"):
                found = self.last(("T", "D", "M"))
                if found is None or found[1].period is None:
                    return None
                base, anchor_kind, base_ref = found[1].period.start, AnchorKind.EVENT, found[0]
                rel = {"same": 0, "next": 1, "prev": -1}[rel]
            y, month = cal.add_months(base.year, base.month, int(rel))
            try:
                return self._date(m, cal.day(date(y, month, day)), anchor_kind, base_ref)
            except ValueError:
                return None
        if month is None and m.slots.get("month_rel") is not None and day is not None:
            y, month = cal.add_months(self.today.year, self.today.month, int(m.get("month_rel")))
            try:
                return self._date(m, cal.day(date(y, month, day)), AnchorKind.PUBLICATION)
            except ValueError:
                return None
        if month is None:
            return None
        anchor, ref = AnchorKind.NONE, None
        stated = year is not None or m.slots.get("year_rel") is not None
        if year is None:
            year, anchor, ref = self._year_for(m, month, day)
        if day is not None:
            try:
                d = date(year, month, day)
            except ValueError:
                return None
            result = self._date(m, cal.day(d), anchor, ref)
        else:
            result = self._date(m, cal.month(year, month), anchor, ref)
        result.year_stated = stated
        return result

    def _year_for(
        self, m: Mention, month: int, day: int | None
    ) -> tuple[int, AnchorKind, int | None]:
        """The year of a month (and day) written without one."""
        today = self.today
        rel = m.slots.get("year_rel")
        if rel is not None:
            return self._relative_year(rel)
        month_rel = m.slots.get("month_rel")
        if month_rel is not None:
            y, _ = cal.add_months(today.year, today.month, int(month_rel))
            return y, AnchorKind.PUBLICATION, None
        if day is None:
            series = self._series_year(m, month)
            if series is not None:
                return series
        direction = m.slots.get("direction")
        key_today = (today.month, today.day if day is not None else 0)
        key = (month, day or 0)
        if direction in ("-1", "-2"):
            # «نوفمبر الماضي»؛ «نوفمبر قبل الماضي»: the one before that
            last = today.year if key < key_today else today.year - 1
            return last - (direction == "-2"), AnchorKind.PUBLICATION, None
        if direction == "1":
            return (today.year if key > key_today else today.year + 1), AnchorKind.PUBLICATION, None
        if direction == "0":
            return today.year, AnchorKind.PUBLICATION, None
        if day is not None:
            ref_date, ref = self.reference_date(calendar=True)
            kind = AnchorKind.EVENT if ref is not None else AnchorKind.PUBLICATION
            heading = self.results[ref] if ref is not None else None
            if heading is not None and heading.mention.slots.get("heading"):
                return ref_date.year, kind, ref
            if self.tense(m) is Tense.FUTURE and m.slots.get("weekday") is None:
                after = (month, day) >= (ref_date.month, ref_date.day)
                try:
                    lag = (ref_date - date(ref_date.year, month, day)).days
                except ValueError:
                    lag = _RECENT_DAYS + 1
                if after or lag <= _RECENT_DAYS:
                    return ref_date.year, kind, ref
                return ref_date.year + 1, kind, ref
            return self._closest_year(month, day, ref_date, m.slots.get("weekday")), kind, ref
        if _FORWARD_MONTH.search(
            self.text, max(0, m.match_start - 40), m.match_start
        ) and _before_phrase(self.text, m.match_start, "forward_month"):
            # «العقود تسليم أغسطس»: a futures contract is for this month or one ahead
            return (
                (today.year if month >= today.month else today.year + 1),
                AnchorKind.PUBLICATION,
                None,
            )
        if self.tense(m) is Tense.FUTURE:
            # the month just ended is still meant (data for June announced in July)
            last_year, last_month = cal.add_months(today.year, today.month, -1)
            if last_month == month:
                return last_year, AnchorKind.PUBLICATION, None
            return (
                (today.year if month >= today.month else today.year + 1),
                (AnchorKind.PUBLICATION),
                None,
            )
        return (
            (today.year if month <= today.month else today.year - 1),
            AnchorKind.PUBLICATION,
            None,
        )

    def _series_year(self, m: Mention, month: int) -> tuple[int, AnchorKind, int | None] | None:
        """A month that continues a list of monthly figures: «… في يناير 2017، و0.1% في
        فبراير الماضي، و0.4% في مارس الماضي»: the month after the item before it, in
        its year, whatever «الماضي» would say from publication."""
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKAROUND), -1):
            r = self.results[i]
            if r is None:
                continue
            if m.start - r.mention.end > _SERIES_GAP:
                return None  # the items of a list stand close together
            if self.compared(i):
                continue
            if r.period is None or r.period.grain != "M":
                return None
            previous = r.period.start
            gap = self.text[r.mention.end : m.start]
            if not _SERIES_JOIN.search(gap):
                return None
            if any(c in SENTENCE_ENDS for c in gap.replace(".", "")):
                return None
            y, following = cal.add_months(previous.year, previous.month, 1)
            if following != month:
                return None
            return y, AnchorKind.EVENT, i
        return None

    def _relative_year(self, rel: str) -> tuple[int, AnchorKind, int | None]:
        if rel in ("same", "prev", "next"):
            found = self.last(_ANCHOR_GRAINS["Y"])
            if found is not None and found[1].period is not None:
                base = found[1].period.start.year
                shift = {"same": 0, "prev": -1, "next": 1}[rel]
                return base + shift, AnchorKind.EVENT, found[0]
            rel = {"same": "0", "prev": "-1", "next": "1"}[rel]
        return self.today.year + int(rel), AnchorKind.PUBLICATION, None

    @staticmethod
    def _closest_year(month: int, day: int, ref: date, weekday: str | None) -> int:
        best: tuple[int, int] | None = None
        for y in (ref.year, ref.year - 1, ref.year + 1):
            try:
                d = date(y, month, day)
            except ValueError:
                continue
            distance = abs((d - ref).days)
            if weekday is not None and d.weekday() != int(weekday):
                distance += 1000
            if best is None or distance < best[0]:
                best = (distance, y)
        return best[1] if best else ref.year

    def _resolve_hijri(self, m: Mention) -> Resolved | None:
        hm = m.slots.get("hmonth")
        hd = m.slots.get("day")
        hy = m.slots.get("hyear")
        if hm is None:  # a Hijri year alone
            try:
                return self._date(m, cal.hijri_year(hy), AnchorKind.NONE)
            except ValueError:
                return None
        hm = int(hm)
        anchor, ref = AnchorKind.NONE, None
        cy, cm, cd = cal.hijri_of(self.today)
        if hy is None:
            anchor = AnchorKind.PUBLICATION
            rel = m.slots.get("year_rel")
            direction = m.slots.get("direction")
            if rel is not None:
                if rel in ("same", "prev", "next"):
                    found = self.last(_ANCHOR_GRAINS["Y"])
                    base = cy
                    if found is not None and found[1].period is not None:
                        base = cal.hijri_of(found[1].period.start)[0]
                        anchor, ref = AnchorKind.EVENT, found[0]
                    hy = base + {"same": 0, "prev": -1, "next": 1}[rel]
                else:
                    hy = cy + int(rel)
            elif direction in ("-1", "-2"):
                hy = cy if (hm, hd or 0) < (cm, cd if hd else 0) else cy - 1
                hy -= direction == "-2"
            elif direction == "1":
                hy = cy if (hm, hd or 0) > (cm, cd if hd else 0) else cy + 1
            elif direction == "0":
                hy = cy
            elif hd is not None:
                ref_date, ref = self.reference_date()
                ry = cal.hijri_of(ref_date)[0]
                options = []
                for y in (ry, ry - 1, ry + 1):
                    d = cal.hijri_to_date(y, hm, min(hd, 29))
                    if d is not None:
                        options.append((abs((d - ref_date).days), y))
                hy = min(options)[1] if options else ry
                anchor = AnchorKind.EVENT if ref is not None else AnchorKind.PUBLICATION
            elif self.tense(m) is Tense.FUTURE:
                hy = cy if hm >= cm else cy + 1
            else:
                hy = cy if hm <= cm else cy - 1
                upcoming = cal.hijri_to_date(hy + 1, hm, 1)
                soon = upcoming is not None and 0 < (upcoming - self.today).days <= _SOON_DAYS
                if soon and m.kind in ("calendar", "hijri_month"):
                    hy += 1  # «رؤية هلال شهر ذي الحجة» weeks before it begins
        if hd is not None:
            d = cal.hijri_to_date(hy, hm, hd)
            if d is None and hd == 30:
                # the 30th of a month Umm al-Qura counts 29 days: the day after its 29th
                last = cal.hijri_to_date(hy, hm, 29)
                d = last + timedelta(days=1) if last is not None else None
            if d is None:
                return None
            named = m.slots.get("weekday")
            if named is not None and d.weekday() != int(named):
                # «الاثنين غرة ذي الحجة» where Umm al-Qura begins the month on Sunday:
                # the month began as sighted, and the weekday the text states wins
                shifts = [
                    k for k in (1, -1, 2, -2) if (d + timedelta(days=k)).weekday() == int(named)
                ]
                if shifts:
                    d += timedelta(days=shifts[0])
            return self._date(m, cal.day(d), anchor, ref)
        try:
            return self._date(m, cal.hijri_month(hy, hm), anchor, ref)
        except ValueError:
            return None

    def resolve_night_range(self, m: Mention) -> Resolved | None:
        r = self.resolve_calendar(m)
        if r is None or r.period is None:
            return None
        return self._time_part(m, r.period.start, "TNI", r.anchor, r.anchor_ref)

    # --- days --

    def resolve_deictic(self, m: Mention) -> Resolved | None:
        offset = int(m.slots.get("deictic_day", 0))
        d = self.today + timedelta(days=offset)
        named = m.slots.get("weekday")
        if named is not None and d.weekday() != int(named):
            # «اليوم الخميس» in a statement made the day before: the weekday wins
            d = min(
                (d + timedelta(days=k) for k in range(-3, 4)),
                key=lambda c: (c.weekday() != int(named), abs((c - d).days)),
            )
        part = m.slots.get("day_part")
        if part:
            return self._time_part(m, d, part, AnchorKind.PUBLICATION)
        return self._date(m, cal.day(d), AnchorKind.PUBLICATION)

    def resolve_tonight(self, m: Mention) -> Resolved | None:
        direction = m.slots.get("direction")
        d = self.today - timedelta(days=1) if direction == "-1" else self.today
        return self._time_part(m, d, "TNI", AnchorKind.PUBLICATION)

    def resolve_weekday(self, m: Mention) -> Resolved | None:
        previous = self.results[self.position - 1] if self.position > 0 else None
        if (
            previous is not None
            and previous.type is TimexType.SET
            and previous.value == "P1W"
            and _COORDINATION.fullmatch(self.text[previous.mention.end : m.start])
        ):
            # «أيام الاثنين والثلاثاء»: every weekday of the list repeats
            return Resolved(m, TimexType.SET, "P1W", None)
        if m.slots.get("direction") is None and self._habitual(m):
            # «القرارات التي تصدر في الغالب مساء الخميس وتطبق يوم الجمعة»
            return Resolved(m, TimexType.SET, "P1W", None)
        wd = int(m.get("weekday"))
        holiday = self._holiday_before(m, wd)
        if holiday is not None:
            # «العيد يوم الجمعة»: the weekday says which day the feast is
            return self._date(m, cal.day(holiday[0]), AnchorKind.EVENT, holiday[1])
        today = self.today
        direction = m.slots.get("direction")
        back = (today.weekday() - wd) % 7
        ahead = (wd - today.weekday()) % 7
        anchor, ref = AnchorKind.PUBLICATION, None
        if direction in ("-1", "-2"):
            d = today - timedelta(days=(back or 7) + (7 if direction == "-2" else 0))
        elif direction == "1":
            d = today + timedelta(days=ahead or 7)
        elif direction == "0":
            d = cal.week_start(today) + timedelta(days=(wd + 1) % 7)
        elif direction in ("same", "next", "prev"):
            found = self.last(("T", "D"))
            if found is None or found[1].period is None:
                return None
            base = found[1].period.start
            anchor, ref = AnchorKind.EVENT, found[0]
            if direction == "same":
                d = base
            elif direction == "next":
                d = base + timedelta(days=(wd - base.weekday()) % 7 or 7)
            else:
                d = base - timedelta(days=(base.weekday() - wd) % 7 or 7)
        else:
            if self.tense(m) is Tense.FUTURE or self._upcoming(m):
                d = today + timedelta(days=ahead)
            else:
                d = today - timedelta(days=back)
            found = self.last(("T", "D"))
            if found is not None and found[1].period is not None:
                # the same weekday as the day just named (within two weeks): that day
                prior = found[1].period.start
                named = found[1].mention.slots.get("weekday")
                same_name = (
                    named is not None
                    and int(named) == wd
                    and prior.weekday() == wd
                    and found[1].mention.slots.get("direction") is None
                )
                near = 0 < abs((today - prior).days) <= 13 and (prior > today) == (d > today)
                close_by = m.start - found[1].mention.end < _NEARBY_CHARS
                if same_name and (near or close_by):
                    d, anchor, ref = prior, AnchorKind.EVENT, found[0]
                elif self._ends_weekday_range(m, found[1]):
                    # «من الاثنين إلى الخميس»: the first such day from the range's start
                    d = prior + timedelta(days=(wd - prior.weekday()) % 7)
                    anchor, ref = AnchorKind.EVENT, found[0]
                else:
                    stated = self._stated_day(m, wd)
                    if stated is not None:
                        d, anchor, ref = stated[0], AnchorKind.EVENT, stated[1]
        part = m.slots.get("day_part")
        if part:
            return self._time_part(m, d, part, anchor, ref)
        return self._date(m, cal.day(d), anchor, ref)

    def _holiday_before(self, m: Mention, wd: int) -> tuple[date, int] | None:
        """The day of a feast named right before a weekday that says which day it is
        («أن العيد يوم الجمعة»): the day of that weekday nearest the feast's date."""
        i = self.position - 1
        if i < 0 or m.slots.get("direction") is not None:
            return None
        r = self.results[i]
        before = self.mentions[i]
        if (
            r is None
            or r.period is None
            or before.kind != "holiday"
            or not _APPOSITION.fullmatch(self.text[before.end : m.start])
        ):
            return None
        feast = r.period.start
        for k in (0, 1, -1, 2, -2, 3, -3):
            day = feast + timedelta(days=k)
            if day.weekday() == wd:
                return day, i
        return None

    def _stated_day(self, m: Mention, wd: int) -> tuple[date, int] | None:
        """A day the text has already dated that a bare weekday names again: «الانتخابات
        في 26 و27 و28 مارس … أول أيامها الذي يوافق يوم الاثنين» is the 26th. The day
        must fall within a week of publication; one after it is taken only where the
        weekday's clause speaks in the present or future («يوافق»، «تبدأ»)."""
        today = self.today
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKAROUND), -1):
            r = self.results[i]
            if r is None or r.mention.kind != "calendar" or r.period is None:
                continue
            day = r.period.start
            if r.period.grain != "D" or day.weekday() != wd:
                continue
            if abs((day - today).days) > _STATED_DAY_REACH or self.compared(i):
                continue
            if day > today and not self._present_clause(m):
                return None
            if day < today and self.tense(m) is Tense.FUTURE:
                return None
            return day, i
        return None

    def _habitual(self, m: Mention) -> bool:
        """Whether ``m``'s sentence says what happens as a rule («في الغالب»، «عادة»)."""
        lo, hi = self.context.sentence(m.start, m.end)
        known = self._habitual_sentences.get(lo)
        if known is None:
            known = self._habitual_sentences[lo] = _HABITUAL.search(self.text, lo, hi) is not None
        return known

    def _upcoming(self, m: Mention) -> bool:
        """Tense by meaning: a bare weekday after an imperfect verb of its clause («يخوض
        الفريق مباراته يوم الثلاثاء») is the coming one; not after «منذ» (a state since
        then) nor with a sign of the past in the clause."""
        if _before_phrase(self.text, m.match_start, "since_word", 1):
            return False
        lo = self._clause_start(m)
        words = _WORD_STARTS.findall(self.text, lo, m.start)
        if any(LEXICON.has("past_cue", w) for w in words):
            return False
        if any(verb_form(w) == "perfect" for w in words):
            return False  # «فتحت تحقيقا بعد تعرض رجلين يرتديان قبعات … الثلاثاء»
        return self._present_clause(m)

    def _present_clause(self, m: Mention) -> bool:
        """Whether an imperfect verb (يـ + stem: «يوافق»، «يتوجه») stands in the
        clause before ``m``."""
        lo = self._clause_start(m)
        return any(
            not LEXICON.has("imperfect_false", w)
            for w in _IMPERFECT.findall(self.text, lo, m.start)
        )

    def _clause_start(self, m: Mention) -> int:
        """Where ``m``'s clause begins, at most :data:`_VERB_REACH` characters before it
        (a verb that governs it stands close; an endless clause costs no more)."""
        lo, _ = self.context.clause(m.start, m.end)
        return max(lo, m.start - _VERB_REACH)

    def _ends_weekday_range(self, m: Mention, start: Resolved) -> bool:
        if start.mention.kind != "weekday":
            return False
        between = self.text[start.mention.end : m.start]
        return bool(_RANGE_LINK.fullmatch(between)) and between.strip() not in ("و", "")

    def resolve_weekday_ordinal(self, m: Mention) -> Resolved | None:
        """«الجمعة الأولى من رمضان»: the nth such weekday of a month."""
        wd = int(m.get("weekday"))
        n = int(m.slots.get("ordinal") or m.slots.get("ordinal_last") or 0)
        scope: Period | None = None
        anchor, ref = AnchorKind.PUBLICATION, None
        if m.slots.get("hmonth") is not None or m.slots.get("month") is not None:
            inner = self.resolve_calendar(m)
            scope = inner.period if inner else None
        else:
            found = self.last(("M", "I"))
            if found is not None:
                scope, anchor, ref = found[1].period, AnchorKind.EVENT, found[0]
        if scope is None or n == 0:
            return None
        days = [
            scope.start + timedelta(days=k)
            for k in range((scope.end - scope.start).days)
            if (scope.start + timedelta(days=k)).weekday() == wd
        ]
        if n == -1:
            pick = days[-1] if days else None
        else:
            pick = days[n - 1] if 0 < n <= len(days) else None
        if pick is None:
            return None
        return self._date(m, cal.day(pick), anchor, ref)

    # --- periods --

    def resolve_relative(self, m: Mention) -> Resolved | None:
        """«الأسبوع الماضي»، «العام الجاري»، «هذا الشهر»، «الشهر السابق»، «بداية العام»."""
        unit: UnitWord | None = m.slots.get("unit")
        grain = m.slots.get("grain") or (unit.grain if unit else None)
        if grain is None:
            return None
        direction = m.slots.get("direction") or m.slots.get("demonstrative") or "0"
        if direction == "that":
            direction = "same"
        if grain == "D" and direction == "0" and m.slots.get("demonstrative") == "0":
            direction = "same"  # «هذا اليوم» in a narrative is the day just named
        if direction in ("same", "next", "prev"):
            found = None
            if direction != "same" and grain in _TOPIC_GRAINS and self.compared(self.position):
                # «هبط إلى 52.2 من 54.0 في الشهر السابق»: the month before the one
                # the figures are for
                found = self._topic((grain, "I"))
            if found is None:
                found = self.last(
                    _ANCHOR_GRAINS.get(grain, _ANCHOR_GRAINS["any"]), nearest=direction != "same"
                )
            n = {"same": 0, "next": 1, "prev": -1}[direction]
            if found is not None and found[1].period is not None:
                base = found[1].period
                if base.grain == "I" and grain in ("M", "Y") and base.hijri:
                    hy, hm = base.hijri
                    if grain == "Y":
                        period = cal.hijri_year(hy + n)
                    else:
                        y2, m2 = divmod(hm - 1 + n, 12)
                        period = cal.hijri_month(hy + y2, m2 + 1)
                else:
                    period = cal.period_of(grain, cal.shift(base.start, grain, n))
                return self._date(m, period, AnchorKind.EVENT, found[0])
            if direction == "same" and grain == "D":
                return self._date(m, cal.day(self.today), AnchorKind.PUBLICATION)
            if direction == "same":
                return None
            if self.tense(m) is not Tense.FUTURE and grain in _DURATION_GRAINS:
                # «في اليوم التالي» of an event whose date is unknown: the length that
                # orders the two events, not a day counted from publication
                return Resolved(m, TimexType.DURATION, f"P1{_DURATION_GRAINS[grain]}", None,
                                anchor=AnchorKind.EVENT)  # fmt: skip
            period = cal.period_of(grain, cal.shift(self.today, grain, n))
            return self._date(m, period, AnchorKind.PUBLICATION)
        if grain == "Y" and m.slots.get("year") is not None:
            return self._date(m, cal.year(int(m.get("year"))), AnchorKind.NONE)
        n = int(direction)
        if grain == "Y" and m.slots.get("fiscal"):
            named = self._named_fiscal_year()
            if named is not None and named[1].period is not None:
                # «العام المالي الجاري» after «العام المالي 2017-2018»
                first = named[1].period.start.year
                return self._date(m, cal.two_years(first + n), AnchorKind.EVENT, named[0])
        period = cal.period_of(grain, cal.shift(self.today, grain, n))
        return self._date(m, period, AnchorKind.PUBLICATION)

    def _year_of_period(self, m: Mention) -> tuple[int, AnchorKind, int | None]:
        if m.slots.get("year") is not None:
            return int(m.get("year")), AnchorKind.NONE, None
        rel = m.slots.get("year_rel")
        if rel is not None:
            return self._relative_year(rel)
        return self.today.year, AnchorKind.PUBLICATION, None

    def resolve_part_of_year(self, m: Mention) -> Resolved | None:
        """Quarters and halves: «الربع الثالث»، «النصف الأول من العام المقبل»."""
        grain = m.slots.get("grain")
        n = int(m.slots.get("ordinal") or m.slots.get("ordinal_last") or 0)
        last_index = 4 if grain == "Q" else 2
        if n == -1:
            n = last_index
        if not 1 <= n <= last_index:
            return None
        y, anchor, ref = self._year_of_period(m)
        period = cal.quarter(y, n) if grain == "Q" else cal.half(y, n)
        return self._date(m, period, anchor, ref)

    def resolve_season(self, m: Mention) -> Resolved | None:
        code = m.get("season")
        direction = m.slots.get("direction")
        if m.slots.get("year") is not None or m.slots.get("year_rel") is not None:
            y, anchor, ref = self._year_of_period(m)
            return self._date(m, cal.season(y, code), anchor, ref)
        if direction is not None or m.slots.get("demonstrative") is not None:
            n = int(direction or "0")
            current = cal.season(*cal.season_of(self.today))
            p = current
            # step season by season to the one named, in the direction asked
            step = 1 if n > 0 else -1
            if n == 0:
                for _ in range(4):
                    if p.value.endswith(code):
                        break
                    p = cal.season(*cal.season_of(cal.shift(p.start, "SE", -1)))
            else:
                p = cal.season(*cal.season_of(cal.shift(p.start, "SE", step)))
                for _ in range(4):
                    if p.value.endswith(code):
                        break
                    p = cal.season(*cal.season_of(cal.shift(p.start, "SE", step)))
            return self._date(m, p, AnchorKind.PUBLICATION)
        return Resolved(m, TimexType.DATE, f"XXXX-{code}", m.slots.get("mod"))

    def resolve_two_years(self, m: Mention) -> Resolved | None:
        """A season of sport or a fiscal year over two years: as written («موسم
        2017/2018»), or the current one moved by its direction («الموسم المقبل»); the
        current fiscal year is the last one the text named, else the calendar year."""
        year = m.slots.get("year")
        if year is not None:
            y = int(year)
            end = str(m.get("year_end"))
            if int(end[-2:]) != (y + 1) % 100:
                return None
            return self._date(m, cal.two_years(y), AnchorKind.NONE)
        shift = int(m.slots.get("direction") or 0)
        if m.slots.get("sport"):
            current = (
                self.today.year if self.today.month >= _SEASON_START_MONTH else self.today.year - 1
            )
            return self._date(m, cal.two_years(current + shift), AnchorKind.PUBLICATION)
        return None

    def _named_fiscal_year(self) -> tuple[int, Resolved] | None:
        """The last fiscal year over two years the text named («العام المالي 2017-2018»)."""
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKBACK), -1):
            r = self.results[i]
            if r is not None and r.mention.kind == "two_years" and not r.mention.slots.get("sport"):
                return i, r
        return None

    def resolve_century(self, m: Mention) -> Resolved | None:
        n = m.slots.get("ordinal")
        if not n:
            return None
        return self._date(m, cal.century(int(n) - 1), AnchorKind.NONE)

    def resolve_decade(self, m: Mention) -> Resolved | None:
        tens = int(m.get("decade_name"))
        prefix = 190 + tens
        if prefix * 10 > self.today.year:
            prefix -= 100
        if m.slots.get("century") == "20":
            prefix = 200 + tens
        return self._date(m, cal.decade(prefix), AnchorKind.NONE)

    # --- lengths and offsets --

    def _duration_value(self, m: Mention, n: float | None, grain: str) -> str:
        if grain in _YEAR_MULTIPLES:
            if n is None:
                return f"PX{grain}"
            return _format_duration(n * _DURATION_FACTOR[grain], "Y")
        if n is None:
            # unstated minutes keep the T that tells them from months
            return "PTXM" if grain == "MI" else f"PX{_DURATION_CODE.get(grain, grain)}"
        if grain == "Q":
            return _format_duration(n * 3, "M")
        return _format_duration(n, grain)

    def _quantity_mod(self, m: Mention) -> str | None:
        mod = m.slots.get("mod_quant") or m.slots.get("mod_after") or m.slots.get("mod")
        return str(mod) if mod else None

    def resolve_duration(self, m: Mention) -> Resolved | None:
        unit: UnitWord | None = m.slots.get("unit")
        if unit is None:
            value = m.slots.get("value")  # «فترة طويلة»: a length given by the rule
            return Resolved(m, TimexType.DURATION, value, None) if value else None
        n = self._count(m)
        value = self._duration_value(m, n, unit.grain)
        second: UnitWord | None = m.slots.get("unit_b")
        if second is not None and n is not None:
            n_b = m.slots.get("num_b") or {"one": 1.0, "two": 2.0}.get(second.form)
            if n_b is None:
                return None
            value = _combine_durations(value, self._duration_value(m, float(n_b), second.grain))
        anchor = AnchorKind.NONE
        if m.slots.get("recent") is not None:
            anchor = AnchorKind.PUBLICATION
        return Resolved(m, TimexType.DURATION, value, self._quantity_mod(m), anchor=anchor)

    def resolve_offset(self, m: Mention) -> Resolved | None:
        """قبل/بعد/منذ + a length: a date when its size and anchor are known."""
        unit: UnitWord | None = m.slots.get("unit")
        if unit is None:
            return None
        n = self._count(m)
        rel = m.slots.get("rel")
        if m.slots.get("before_that"):
            rel = "before_that"
        elif m.slots.get("after_that"):
            rel = "after_that"
        mod = self._quantity_mod(m)
        duration = self._duration_value(m, n, unit.grain)
        if rel == "since":
            if n is not None and self._punctual_before(m):
                return self._offset_date(
                    m, -n, unit.grain, anchor=AnchorKind.PUBLICATION, ref=None, mod=mod
                )
            return Resolved(m, TimexType.DURATION, duration, mod, anchor=AnchorKind.PUBLICATION)
        if rel == "within":
            return Resolved(m, TimexType.DURATION, duration, mod, anchor=AnchorKind.NONE)
        sign = -1 if rel in ("before", "before_that") else 1
        from_event = rel in ("before_that", "after_that") or m.slots.get("from_event") is not None
        if rel == "after" and not from_event and self.tense(m) is Tense.FUTURE:
            if n is None:
                return Resolved(m, TimexType.DURATION, duration, mod, anchor=AnchorKind.PUBLICATION)
            return self._offset_date(
                m, n, unit.grain, anchor=AnchorKind.PUBLICATION, ref=None, mod=mod
            )
        if rel == "before" and not from_event:
            if n is None and unit.grain in _LONG_AGO_GRAINS:
                # «قبل سنوات»، «قبل عقود»: some time long past, not a length
                return Resolved(m, TimexType.DATE, "PAST_REF", None, anchor=AnchorKind.PUBLICATION)
            if n is None:
                return Resolved(m, TimexType.DURATION, duration, mod, anchor=AnchorKind.PUBLICATION)
            return self._offset_date(
                m, -n, unit.grain, anchor=AnchorKind.PUBLICATION, ref=None, mod=mod
            )
        # from an event: the last date mentioned, when fine enough
        found = self.last(_ANCHOR_GRAINS.get(unit.grain, _ANCHOR_GRAINS["any"]), nearest=True)
        if n is None or found is None or found[1].period is None:
            return Resolved(m, TimexType.DURATION, duration, mod, anchor=AnchorKind.EVENT)
        exact = found[1].bounds
        to_the_minute = (
            unit.grain in ("H", "MI")
            and exact is not None
            and exact[1] - exact[0] <= _MINUTE
            and self._near(found[1].mention, m)
        )
        if (
            m.slots.get("from_event") is not None
            and not self._time_follows(m)
            and not to_the_minute
        ):
            # «بعد أسبوع من وقوع تفجير»: counted from an event the text does not date here
            # (the date last named is the main clause's own): a length
            return Resolved(m, TimexType.DURATION, duration, mod, anchor=AnchorKind.EVENT)
        if to_the_minute:
            assert exact is not None
            # «بعد نحو 45 دقيقة من إقلاعها» after a take-off at 8: 08:45
            minutes = sign * n * (60 if unit.grain == "H" else 1)
            at = exact[0] + timedelta(minutes=minutes)
            return Resolved(
                m,
                TimexType.TIME,
                at.strftime("%Y-%m-%dT%H:%M"),
                mod,
                cal.day(at.date()),
                (at, at + _MINUTE),
                AnchorKind.EVENT,
                found[0],
            )
        base = found[1].period.start
        return self._offset_date(
            m, sign * n, unit.grain, anchor=AnchorKind.EVENT, ref=found[0], mod=mod, base=base
        )

    def resolve_compared_offset(self, m: Mention) -> Resolved | None:
        """«ونمت الصادرات 12.6% عنها قبل عام في مايو»، «… في مايو مقارنة مع 21.5% قبل
        شهر»: the period the sentence reports on, that many units back, at its grain
        (May a year earlier, the month before May); from publication when the sentence
        names no such period."""
        unit: UnitWord | None = m.slots.get("unit")
        n = self._count(m)
        rank = _GRAIN_RANK.get(unit.grain) if unit is not None else None
        if unit is None or n is None or n != int(n) or rank is None:
            return self.resolve_offset(m)
        t = self._sentence_topic(m, rank)
        if t is None:
            return self.resolve_offset(m)
        topic = self.results[t]
        assert topic is not None and topic.period is not None
        period = cal.shift_period(topic.period, unit.grain, -int(n))
        return self._date(m, period, AnchorKind.EVENT, t, self._quantity_mod(m))

    def _sentence_topic(self, m: Mention, coarsest: int) -> int | None:
        """The period the sentence of the (compared) mention ``m`` reports on: the
        nearest resolved expression before it in its sentence that is not compared (the
        figure is told before what it is compared with), else the nearest after it
        («عنها قبل عام في مايو»); of a grain no coarser than ``coarsest`` (a rank of
        :data:`_GRAIN_RANK`)."""
        around = self._around(m)
        for side in (
            range(self.position - 1, around.start - 1, -1),
            range(self.position + 1, around.stop),
        ):
            for i in side:
                r = self.results[i]
                if r is None or r.period is None or self.compared(i):
                    continue
                if _GRAIN_RANK.get(r.period.grain, 99) <= coarsest:
                    return i
        return None

    def _time_follows(self, m: Mention) -> bool:
        """Whether «من» after ``m`` opens a time expression («بعد 3 سنوات من هذا التاريخ»)."""
        following = self.mentions[self.position + 1 : self.position + 2]
        return bool(following) and following[0].start - m.end <= _FROM_GAP

    def _punctual_before(self, m: Mention) -> bool:
        """Whether a punctual past verb leads up to «منذ» within its clause."""
        lo, _ = self.context.clause(m.start, m.end)
        before = self.text[max(lo, m.match_start - 60) : m.match_start].split()[-5:]
        for word in before:
            forms = [word]
            if LEXICON.has("conjunction", word[:1]):
                forms.append(word[1:])
            if any(LEXICON.has("punctual_past", f) for f in forms):
                return True
        return False

    def _offset_date(
        self,
        m: Mention,
        n: float,
        grain: str,
        *,
        anchor: AnchorKind,
        ref: int | None,
        mod: str | None,
        base: date | None = None,
    ) -> Resolved | None:
        base = base or self.today
        if grain in _CLOCK_GRAINS:
            if anchor is not AnchorKind.PUBLICATION:
                return Resolved(
                    m,
                    TimexType.DURATION,
                    self._duration_value(m, abs(n), grain),
                    mod,
                    anchor=anchor,
                )
            at = self.published + timedelta(seconds=n * _CLOCK_GRAINS[grain])
            seconds = grain == "S"
            at = at.replace(microsecond=0) if seconds else at.replace(second=0, microsecond=0)
            return Resolved(
                m,
                TimexType.TIME,
                at.strftime("%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M"),
                mod,
                cal.day(at.date()),
                (at, at + timedelta(seconds=1 if seconds else 60)),
                anchor,
                ref,
            )
        whole = round(n)
        if abs(n - whole) > 1e-9:
            # half units: days for weeks and months, months for years
            if grain == "Y":
                grain, whole = "M", round(n * 12)
            elif grain in _YEAR_MULTIPLES:
                grain, whole = "Y", round(n * _DURATION_FACTOR[grain])
            elif grain in ("M", "W"):
                grain, whole = "D", round(n * (30 if grain == "M" else 7))
            else:
                return None
        try:
            target = cal.shift(base, grain, whole)
        except (ValueError, OverflowError):
            return None
        out_grain = {"W": "D", "Q": "M"}.get(grain, grain)
        return self._date(m, cal.period_of(out_grain, target), anchor, ref, mod)

    def resolve_set(self, m: Mention) -> Resolved | None:
        value = m.slots.get("set_adverb") or m.slots.get("value")
        if value is None:
            unit: UnitWord | None = m.slots.get("unit")
            if unit is None:
                return None
            n = m.slots.get("num") or (2.0 if unit.form == "two" else 1.0)
            value = self._duration_value(m, n, unit.grain)
        return Resolved(m, TimexType.SET, value, m.slots.get("mod"))

    # --- vague references, clock times, named days --

    def resolve_vague(self, m: Mention) -> Resolved | None:
        value = m.get("vague") or m.get("value")
        if value == "tense":
            ahead = self.tense(m) is Tense.FUTURE or self._purpose_before(m)
            value = "FUTURE_REF" if ahead else "PAST_REF"
        return Resolved(m, TimexType.DATE, value, None, anchor=AnchorKind.PUBLICATION)

    def _purpose_before(self, m: Mention) -> bool:
        """Whether a verb of purpose (لـ + imperfect: «لتعقد اتفاقية … في مرحلة لاحقة»)
        stands in ``m``'s clause before it: what it aims at lies ahead."""
        lo = self._clause_start(m)
        return any(verb_form(w) == "purpose" for w in _WORD_STARTS.findall(self.text, lo, m.start))

    def resolve_since_long(self, m: Mention) -> Resolved | None:
        """«منذ زمن بعيد»، «منذ سنوات»: PAST_REF after a one-time past event (اختفى منذ زمن
        بعيد، أغلق منذ سنوات), as «قبل سنوات»; an unstated length with a state that lasts
        (يحتفلون به منذ زمن بعيد → PXY، ينتظرون منذ أسابيع → PXW)."""
        unit: UnitWord | None = m.slots.get("unit")
        long_ago = unit is None or unit.grain in _LONG_AGO_GRAINS
        if long_ago and self._punctual_before(m):
            return Resolved(m, TimexType.DATE, "PAST_REF", None, anchor=AnchorKind.PUBLICATION)
        value = "PXY" if unit is None else self._duration_value(m, None, unit.grain)
        return Resolved(m, TimexType.DURATION, value, None, anchor=AnchorKind.PUBLICATION)

    def resolve_period_ref(self, m: Mention) -> Resolved | None:
        """A vague reference inside a named period («في وقت سابق من الشهر الجاري»)."""
        if m.slots.get("deictic_day") is not None:
            return self.resolve_deictic(m)
        return self.resolve_relative(m)

    def resolve_clock(self, m: Mention) -> Resolved | None:
        named = m.slots.get("named_time")
        if named:
            hour, minute = (int(x) for x in named.split(":"))
        else:
            h = (
                m.slots.get("hour")
                if m.slots.get("hour") is not None
                else m.slots.get("hour_digits")
            )
            if h is None:
                return None
            hour = int(h)
            minute = int(m.slots.get("minute") or 0)
            if m.slots.get("clock_minute") is not None:
                minute = int(m.get("clock_minute"))
            if m.slots.get("minute_words") is not None:
                minute = int(m.get("minute_words"))
            part = str(m.slots.get("clock_part") or "").removesuffix("_letter")
            # twelve at night is midnight, T24:00 of the day that ends
            midnight = part == "night" and hour == 12 and minute == 0
            evening = (part == "pm" and hour < 12) or (part == "night" and 6 <= hour < 12)
            evening = evening or midnight
            if evening or (part == "noon" and 1 <= hour <= 5):
                hour += 12
            elif part == "am" and hour == 12:
                hour = 0
            if minute < 0:
                hour, minute = hour - 1, minute + 60
            if not (0 <= hour <= 24 and 0 <= minute < 60):
                return None
        d, anchor, ref = self._clock_day(m)
        start = datetime.combine(d, time(), self.published.tzinfo) + timedelta(
            hours=hour, minutes=minute
        )
        value = f"{d.isoformat()}T{hour:02d}:{minute:02d}"
        return Resolved(
            m,
            TimexType.TIME,
            value,
            m.slots.get("mod"),
            cal.day(d),
            (start, start + timedelta(minutes=1)),
            anchor,
            ref,
        )

    def resolve_first_day(self, m: Mention) -> Resolved | None:
        """«أول أيام الانتخابات»: the day named nearest in its sentence."""
        d, anchor, ref = self._clock_day(m)
        if ref is None:
            return None
        return self._date(m, cal.day(d), anchor, ref)

    def resolve_judged_year(self, m: Mention) -> Resolved | None:
        """«عانت من سنة صعبة»: the year its sentence names, else the year just lived."""
        for i in self._around(m):
            r = self.results[i]
            if r is None or r.period is None or r.period.grain != "Y" or not r.year_stated:
                continue
            if i != self.position:
                return self._date(m, r.period, AnchorKind.EVENT, i)
        if self.tense(m) is Tense.FUTURE:
            y = self.today.year if self.today.month <= 9 else self.today.year + 1
        else:
            y = self.today.year - 1 if self.today.month <= 6 else self.today.year
        return self._date(m, cal.year(y), AnchorKind.PUBLICATION)

    def _clock_day(self, m: Mention) -> tuple[date, AnchorKind, int | None]:
        """The day of a clock time: the nearest day named in its sentence, else the last."""
        best: tuple[int, int] | None = None
        around = self._around(m)
        # expressions are in text order: the nearest day on each side is the first found
        for side in (
            range(self.position - 1, around.start - 1, -1),
            range(self.position + 1, around.stop),
        ):
            for i in side:
                r = self.results[i]
                if r is None or r.period is None or r.period.grain != "D":
                    continue
                other = r.mention
                distance = m.start - other.end if other.end <= m.start else other.start - m.end
                if best is None or distance < best[0]:
                    best = (distance, i)
                break
        if best is not None:
            r = self.results[best[1]]
            assert r is not None and r.period is not None
            kind = (
                AnchorKind.PUBLICATION if r.anchor is AnchorKind.PUBLICATION else AnchorKind.EVENT
            )
            return r.period.start, kind, best[1]
        found = self.last(("T", "D"))
        if found is not None and found[1].period is not None:
            return found[1].period.start, AnchorKind.EVENT, found[0]
        return self.today, AnchorKind.PUBLICATION, None

    def resolve_holiday(self, m: Mention) -> Resolved | None:
        """A holiday on the day the text gives it («الأربعاء 22 أغسطس أول أيام عيد
        الأضحى»، «أن العيد يوم الجمعة»), else on its day by the calendar: Hijri feasts
        by Umm al-Qura in the direction of the clause, civil days by their date."""
        found = self._holiday_by_table(m)
        if found is None and m.slots.get("eid") is not None:
            # «العيد»: the feast last named, else the Eid nearest publication
            named = self._last_holiday()
            if named is not None:
                r = self.results[named]
                assert r is not None
                found = self._date(m, r.period or cal.day(self.today), AnchorKind.EVENT, named)
            else:
                near = self._nearest_eid()
                if near is None:
                    return None
                found = self._date(m, cal.day(near), AnchorKind.PUBLICATION)
        stated = self._stated_for(m)
        if stated is not None and stated[0].period is not None:
            day = stated[0].period.start
            table = found.period.start if found is not None and found.period is not None else None
            if table is None or abs((day - table).days) <= _SIGHTING_DAYS:
                return self._date(m, cal.day(day), AnchorKind.EVENT, stated[1])
        return found

    def _stated_for(self, m: Mention) -> tuple[Resolved, int] | None:
        """The day the text states a holiday falls on: a date right before it, in
        apposition, or right after it with a word of identity (هو، يكون، يوافق)."""
        i = self.position
        if i > 0:
            r = self.results[i - 1]
            before = self.mentions[i - 1]
            if (
                r is not None
                and r.period is not None
                and r.period.grain == "D"
                and _APPOSITION.fullmatch(self.text[before.end : m.start])
            ):
                return r, i - 1
        if i + 1 < len(self.mentions):
            after = self.mentions[i + 1]
            if after.kind in ("weekday", "calendar") and _APPOSITION.fullmatch(
                self.text[m.end : after.start]
            ):
                r = self._peek(i + 1)
                if r is not None and r.period is not None and r.period.grain == "D":
                    return r, i + 1
        return None

    def _nearest_eid(self) -> date | None:
        """The first day of the Eid (al-Fitr or al-Adha) nearest publication, if one is
        within :data:`_SOON_DAYS` of it."""
        hy = cal.hijri_of(self.today)[0]
        days = [
            d
            for y in (hy - 1, hy, hy + 1)
            for hm, hd in _EIDS
            if (d := cal.hijri_to_date(y, hm, hd)) is not None
        ]
        best = min(days, key=lambda d: abs((d - self.today).days), default=None)
        if best is None or abs((best - self.today).days) > _SOON_DAYS:
            return None
        return best

    def _last_holiday(self) -> int | None:
        """The feast named last before the current mention, if any."""
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKBACK), -1):
            r = self.results[i]
            if r is not None and r.period is not None and r.mention.kind == "holiday":
                return i
        return None

    def _peek(self, i: int) -> Resolved | None:
        """Mention ``i`` resolved ahead of its turn (it is resolved again in turn)."""
        saved = self.position
        self.position = i
        try:
            handler = _HANDLERS.get(self.mentions[i].kind)
            return self._safely(handler, self.mentions[i]) if handler else None
        finally:
            self.position = saved

    def _holiday_by_table(self, m: Mention) -> Resolved | None:
        key = m.slots.get("holiday_hijri") or m.slots.get("holiday_hijri_night")
        night = m.slots.get("holiday_hijri_night") is not None
        future = self.tense(m) is Tense.FUTURE or m.slots.get("direction") == "1"
        strictly = m.slots.get("direction") in ("1", "-1")
        if key is not None:
            hm, hd = (int(x) for x in key.split("-"))
            cy = cal.hijri_of(self.today)[0]
            hy = m.slots.get("hyear")
            d: date | None = None
            if hy is not None:
                d = cal.hijri_to_date(int(hy), hm, hd)
            else:
                for y in (cy - 1, cy, cy + 1) if future else (cy + 1, cy, cy - 1):
                    c = cal.hijri_to_date(y, hm, hd)
                    if c is None:
                        continue
                    if (future and (c > self.today or (c == self.today and not strictly))) or (
                        not future and (c < self.today or (c == self.today and not strictly))
                    ):
                        d = c
                        break
                if d is not None and not future and not strictly:
                    # a feast weeks away is the one meant, whatever the tense
                    nxt = cal.hijri_to_date(cal.hijri_of(d)[0] + 1, hm, hd)
                    if nxt is not None and 0 < (nxt - self.today).days <= _SOON_DAYS:
                        d = nxt
            if d is None:
                return None
            anchor = AnchorKind.NONE if hy is not None else AnchorKind.PUBLICATION
            d += timedelta(days=int(m.slots.get("nth_day") or 1) - 1)
            if night:
                return self._time_part(m, d, "TNI", anchor)
            return self._date(m, cal.day(d), anchor)
        return self._civil_day(m)

    def resolve_that_period(self, m: Mention) -> Resolved | None:
        """«هذه الفترة»، «تلك الفترة»: the time or the length named last, in its sentence
        or the one before, as it was named (a period of months, a half hour)."""
        for i in range(self.position - 1, max(-1, self.position - 1 - LOOKAROUND), -1):
            r = self.results[i]
            if r is None or self.compared(i):
                continue
            if not self._near(r.mention, m):
                return None
            if r.type in (TimexType.SET,) or r.value.endswith("_REF"):
                continue
            return Resolved(m, r.type, r.value, r.mod, r.period, r.bounds, AnchorKind.EVENT, i)
        return None

    def resolve_anaphor(self, m: Mention) -> Resolved | None:
        """«ذلك اليوم»، «حينها»، «الفترة نفسها من العام الماضي»: the time last named."""
        grain = m.slots.get("grain", "any")
        year = m.slots.get("year")
        other_year = bool(m.slots.get("shift_years")) or year is not None
        if grain == "month_or_interval":
            found = self._topic(("M", "I"))
        else:
            # «حتى ذلك الحين»: until a time ahead, a forecast included
            until = _UNTIL.search(self.text, max(0, m.start - 8), m.start) is not None
            found = self.last(
                _ANCHOR_GRAINS.get(grain, _ANCHOR_GRAINS["any"]),
                skip_comparisons=other_year,
                foreground=True,
                forecasts=until,
            )
        if (
            found is not None
            and m.slots.get("relative_clause")
            and not self._near(found[1].mention, m)
        ):
            found = None  # «اليوم الذي عرفنا فيه»: no day just named
        if found is None or found[1].period is None:
            if grain == "D" and not other_year and not m.slots.get("relative_clause"):
                return self._date(m, cal.day(self.today), AnchorKind.PUBLICATION)
            return None
        base = found[1].period
        shift_years = int(m.slots.get("shift_years", 0))
        if year is not None:
            # «الفترة نفسها من عام 2016»: the period just named, in that year
            shift_years = int(year) - base.start.year
        if shift_years:
            base = cal.shift_period(base, "Y", shift_years)
        elif grain in ("D", "M", "Y") and base.grain not in (grain, "I"):
            base = cal.period_of(grain, base.start)
        return self._date(m, base, AnchorKind.EVENT, found[0])

    def _near(self, earlier: Mention, m: Mention) -> bool:
        """Whether ``earlier`` is in ``m``'s sentence or the one before it."""
        lo, _ = self.context.sentence(m.start, m.end)
        previous, _ = self.context.sentence(max(0, lo - 1), max(0, lo - 1))
        return earlier.end > previous

    def _topic(self, grains: tuple[str, ...]) -> tuple[int, Resolved] | None:
        """The period a report is about: of the periods of ``grains`` named so far (a
        bare «الشهر», a compared «الشهر السابق»), the latest in time that began by
        publication (comparisons aside)."""
        best: tuple[date, int, Resolved] | None = None
        for i in range(self.position):
            r = self.results[i]
            if r is None or r.period is None or r.period.grain not in grains:
                continue
            if r.period.start > self.today or self.compared(i):
                continue
            if best is None or r.period.start >= best[0]:
                best = (r.period.start, i, r)
        return (best[1], best[2]) if best else None

    def resolve_generic(self, m: Mention) -> Resolved | None:
        """A day named as a yearly custom: its month and day, the year unknown."""
        return Resolved(m, TimexType.DATE, f"XXXX-{m.get('generic_date')}", m.slots.get("mod"))

    def resolve_nowadays(self, m: Mention) -> Resolved | None:
        return Resolved(m, TimexType.DATE, "PRESENT_REF", None, anchor=AnchorKind.PUBLICATION)

    # --- feasts by the computus, eras, parts and spans of years, schedules --

    def _civil_day(self, m: Mention) -> Resolved | None:
        """A Christian or civil day by the calendar: on a fixed Gregorian date (عيد
        العمال) or moving with Easter by its church's computus (عيد الفصح، أحد الشعانين);
        in the year written, else the one its direction or its clause points to (as a
        Hijri feast); with عشية/غداة the day before or after it."""
        fixed = m.slots.get("holiday_gregorian")
        movable = m.slots.get("holiday_easter")
        if fixed is not None:
            month, day = (int(x) for x in fixed.split("-"))

            def on(y: int) -> date:
                return date(y, month, day)
        elif movable is not None:
            church, shift = _EASTER_KEY.fullmatch(movable).groups()  # type: ignore[union-attr]

            def on(y: int) -> date:
                return cal.easter(y, church) + timedelta(days=int(shift))
        else:
            return None
        anchor = AnchorKind.PUBLICATION
        if m.slots.get("year") is not None:
            d, anchor = on(int(m.get("year"))), AnchorKind.NONE
        else:
            direction = m.slots.get("direction")
            future = direction == "1" or (direction is None and self.tense(m) is Tense.FUTURE)
            strictly = direction in ("1", "-1")
            today, year = self.today, self.today.year
            days = [on(y) for y in (year - 1, year, year + 1)]
            if future:
                d = min(c for c in days if c > today or (c == today and not strictly))
            else:
                d = max(c for c in days if c < today or (c == today and not strictly))
        d += timedelta(days=int(m.slots.get("nth_day") or 1) - 1)
        return self._date(m, cal.day(d), anchor)

    def resolve_millennium(self, m: Mention) -> Resolved | None:
        """«الألفية الثالثة» → 2; «مطلع الألفية»، «الألفية الجديدة»: the one under way."""
        n = m.slots.get("ordinal")
        if n:
            return self._date(m, cal.millennium(int(n) - 1), AnchorKind.NONE)
        return self._date(m, cal.millennium(self.today.year // 1000), AnchorKind.PUBLICATION)

    def resolve_hijri_year(self, m: Mention) -> Resolved | None:
        """«العام الهجري الحالي/المقبل»: the Hijri year from the publication day's."""
        hy = cal.hijri_of(self.today)[0] + int(m.get("direction"))
        return self._date(m, cal.hijri_year(hy), AnchorKind.PUBLICATION)

    def resolve_hijri_month(self, m: Mention) -> Resolved | None:
        """A Hijri month without a year or a direction, in a sentence that states a
        Gregorian day (يبدأ شهر رمضان يوم 6 مايو المقبل): the occurrence of the month
        nearest that day; without one, as any calendar date."""
        stated = None
        if not {"hyear", "year_rel", "direction", "day"} & set(m.slots):
            stated = self._dated_day_of_sentence(m)
        if stated is None:
            return self.resolve_calendar(m)
        hm = int(m.get("hmonth"))
        hy = cal.hijri_of(stated)[0]

        def distance(p: Period) -> int:
            return max((p.start - stated).days, (stated - p.end).days + 1, 0)

        period = min((cal.hijri_month(y, hm) for y in (hy - 1, hy, hy + 1)), key=distance)
        return self._date(m, period, AnchorKind.PUBLICATION)

    def _dated_day_of_sentence(self, m: Mention) -> date | None:
        """The day nearest ``m`` in its sentence that is dated with its year or with a
        direction (6 مايو المقبل), resolved already or ahead of its turn."""
        best: tuple[int, date] | None = None
        for i in self._around(m):
            other = self.mentions[i]
            if i == self.position or other.kind != "calendar" or other.slots.get("hmonth"):
                continue
            if other.slots.get("year") is None and other.slots.get("direction") is None:
                continue
            r = self.results[i] if i < self.position else self._peek(i)
            if r is None or r.period is None or r.period.grain != "D":
                continue
            distance = abs(other.start - m.start)
            if best is None or distance < best[0]:
                best = (distance, r.period.start)
        return best[1] if best else None

    def resolve_months_of_year(self, m: Mention) -> Resolved | None:
        """«الأشهر الأربعة الأولى من 2018» → 2018-01/2018-04; «الأخيرة» the last ones."""
        unit: UnitWord | None = m.slots.get("unit")
        n = self._count(m)
        if unit is None or unit.grain != "M" or n is None or not 1 <= n <= 12 or n != int(n):
            return None
        y, anchor, ref = self._year_of_period(m)
        first = 1 if m.slots.get("first") else 13 - int(n)
        return self._date(m, cal.months(y, first, first + int(n) - 1), anchor, ref)

    def resolve_scheduled_clock(self, m: Mention) -> Resolved | None:
        """A clock time; in a sentence that repeats (أيام السبت، يوميا، كل يوم جمعة) a
        time of the timetable, with no date (XXXX-XX-XXT09:00)."""
        r = self.resolve_clock(m)
        if r is None or "T" not in r.value or not self._in_schedule(m):
            return r
        clock = r.value.partition("T")[2]
        return Resolved(m, TimexType.TIME, f"XXXX-XX-XXT{clock}", r.mod)

    def _in_schedule(self, m: Mention) -> bool:
        """Whether ``m``'s sentence holds a daily or weekly repetition."""
        for i in self._around(m):
            r = self.results[i]
            if r is not None and r.type is TimexType.SET and r.value in ("P1D", "P1W"):
                return True
        return False

    def resolve_clock_range_start(self, m: Mention) -> Resolved | None:
        """The bare hour that opens a range of clock times (بين العاشرة والحادية عشرة
        صباحا، من الرابعة إلى السادسة مساء): the part of the day of the time that ends it."""
        following = self.mentions[self.position + 1 : self.position + 2]
        if following and following[0].kind == "clock" and "clock_part" not in m.slots:
            part = following[0].slots.get("clock_part")
            if part is not None:
                m.slots["clock_part"] = part
        return self.resolve_scheduled_clock(m)


def _point(r: Resolved) -> date:
    """The day a period stands for in a comparison: its first or last day for a start or
    an end («بنهاية العام»), else its middle."""
    assert r.period is not None
    start, end = r.period.start, r.period.end
    if r.mod == "START":
        return start
    if r.mod == "END":
        return end - timedelta(days=1)
    return start + (end - start) / 2


_DURATION_PART = re.compile(r"(\d+)([A-Z])")
#: the rest of a length in a finer unit: how many of it one unit holds, and its designator
_FINER_UNIT = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "H": (60, "M"), "MI": (60, "S")}
#: the key of a feast that moves with Easter: the church and the days from Easter Sunday
_EASTER_KEY = re.compile(r"([a-z]+)([+-]\d+)")


def _combine_durations(a: str, b: str) -> str:
    """``P2Y`` and ``P3M`` → ``P2Y3M``; ``PT7H`` and ``PT45M`` → ``PT7H45M`` (in the
    canonical order whatever the order written)."""
    total: dict[str, int] = {}
    for value in (a, b):
        date_part, _, time_part = value[1:].partition("T")
        for prefix, part in (("", date_part), ("T", time_part)):
            for amount, unit in _DURATION_PART.findall(part):
                total[prefix + unit] = total.get(prefix + unit, 0) + int(amount)
    out = "P" + "".join(f"{total[u]}{u}" for u in ("Y", "M", "W", "D") if u in total)
    clock = "".join(f"{total['T' + u]}{u}" for u in ("H", "M", "S") if "T" + u in total)
    return out + ("T" + clock if clock else "")


def _format_duration(n: float, grain: str) -> str:
    """``P3D``, ``PT2H``, ``P1Y6M`` for one and a half years."""
    whole = int(n)
    frac = n - whole
    code = _DURATION_CODE.get(grain, grain)
    time_part = grain in _CLOCK_GRAINS
    head = "PT" if time_part else "P"
    if frac < 1e-9:
        return f"{head}{whole}{code}"
    if grain == "W":
        return _format_duration(n * 7, "D")  # a week and a half is P10DT12H
    sub = _FINER_UNIT.get(grain)
    if sub is None:
        return f"{head}{n:g}{code}"
    amount = round(frac * sub[0])
    if grain == "D":
        return f"P{whole}DT{amount}H" if whole else f"PT{amount}H"
    return f"{head}{whole}{code}{amount}{sub[1]}" if whole else f"{head}{amount}{sub[1]}"


_HANDLERS: dict[str, Callable[[Resolver, Mention], Resolved | None]] = {
    "calendar": Resolver.resolve_calendar,
    "night_range": Resolver.resolve_night_range,
    "deictic": Resolver.resolve_deictic,
    "tonight": Resolver.resolve_tonight,
    "weekday": Resolver.resolve_weekday,
    "weekday_ordinal": Resolver.resolve_weekday_ordinal,
    "relative": Resolver.resolve_relative,
    "part_of_year": Resolver.resolve_part_of_year,
    "season": Resolver.resolve_season,
    "century": Resolver.resolve_century,
    "two_years": Resolver.resolve_two_years,
    "decade": Resolver.resolve_decade,
    "duration": Resolver.resolve_duration,
    "offset": Resolver.resolve_offset,
    "set": Resolver.resolve_set,
    "vague": Resolver.resolve_vague,
    "since_long": Resolver.resolve_since_long,
    "period_ref": Resolver.resolve_period_ref,
    "holiday": Resolver.resolve_holiday,
    "anaphor": Resolver.resolve_anaphor,
    "that_period": Resolver.resolve_that_period,
    "nowadays": Resolver.resolve_nowadays,
    "generic": Resolver.resolve_generic,
    "millennium": Resolver.resolve_millennium,
    "hijri_year": Resolver.resolve_hijri_year,
    "hijri_month": Resolver.resolve_hijri_month,
    "months_of_year": Resolver.resolve_months_of_year,
}

_DEFERRED: dict[str, Callable[[Resolver, Mention], Resolved | None]] = {
    "clock": Resolver.resolve_scheduled_clock,
    "clock_range_start": Resolver.resolve_clock_range_start,
    "first_day": Resolver.resolve_first_day,
    "judged_year": Resolver.resolve_judged_year,
}
#: the rest of a length in a finer unit: how many of it one unit holds, and its designator
_FINER_UNIT = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "H": (60, "M"), "MI": (60, "S")}
