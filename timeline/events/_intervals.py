"""The time interval a resolved expression denotes, for placing events in time.

The tagger may give an expression's interval (``earliest``/``latest``); when it
does not, the interval is read from the TIMEX3 value and ``mod``. Intervals are
half-open ``[earliest, latest)`` in the article's own UTC offset; ``None`` on
either side means unbounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from timeline.contract import TimeExpression, TimexType


@dataclass(frozen=True, slots=True)
class Interval:
    earliest: datetime | None
    latest: datetime | None

    @property
    def empty(self) -> bool:
        return (
            self.earliest is not None and self.latest is not None and self.earliest >= self.latest
        )

    @property
    def bounded(self) -> bool:
        return self.earliest is not None and self.latest is not None

    def union(self, other: Interval) -> Interval:
        earliest = (
            None
            if self.earliest is None or other.earliest is None
            else min(self.earliest, other.earliest)
        )
        latest = (
            None if self.latest is None or other.latest is None else max(self.latest, other.latest)
        )
        return Interval(earliest, latest)


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(.+))?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_DECADE = re.compile(r"^(\d{3})$")
_CENTURY = re.compile(r"^(\d{2})$")
_CLOCK = re.compile(r"^(\d{2}):(\d{2})")

#: parts of the day as hours [from, to) of that day (night runs into the next)
_PARTS_OF_DAY = {"MO": (5, 12), "MI": (11, 13), "AF": (12, 18), "EV": (17, 21), "NI": (20, 29)}
_SEASON_MONTHS = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "WI": (12, 15)}


def _at(day: date, zone: tzinfo | None, hours: int = 0) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone) + timedelta(hours=hours)


def _month_start(year: int, month: int, zone: tzinfo | None) -> datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=zone)


def _narrow(interval: Interval, mod: str | None) -> Interval:
    """Keep the part of a period that START / MID / END names."""
    if mod not in ("START", "MID", "END") or not interval.bounded:
        return interval
    assert interval.earliest is not None and interval.latest is not None
    third = (interval.latest - interval.earliest) / 3
    if mod == "START":
        return Interval(interval.earliest, interval.earliest + third)
    if mod == "MID":
        return Interval(interval.earliest + third, interval.latest - third)
    return Interval(interval.latest - third, interval.latest)


def _calendar(value: str, zone: tzinfo | None) -> Interval | None:
    """The interval of a calendar value, or None when it names no known period."""
    if "/" in value:
        head, _, tail = value.partition("/")
        a, b = _calendar(head, zone), _calendar(tail, zone)
        if a is None or b is None:
            return None
        return Interval(a.earliest, b.latest)
    if m := _DAY.match(value):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        rest = m[4]
        if rest is None:
            return Interval(_at(day, zone), _at(day, zone, 24))
        if clock := _CLOCK.match(rest):
            hour, minute = int(clock[1]), int(clock[2])
            start = _at(day, zone) + timedelta(hours=hour, minutes=minute)
            return Interval(start, start + timedelta(minutes=1))
        if rest in _PARTS_OF_DAY:
            begin, end = _PARTS_OF_DAY[rest]
            return Interval(_at(day, zone, begin), _at(day, zone, end))
        return Interval(_at(day, zone), _at(day, zone, 24))
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None
        return Interval(_month_start(year, month, zone), _month_start(year, month + 1, zone))
    if m := _YEAR.match(value):
        year = int(m[1])
        return Interval(datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone))
    if m := _WEEK.match(value):
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        # weeks run Sunday to Saturday: the ISO week's Sunday before its Monday
        sunday = monday - timedelta(days=1)
        return Interval(_at(sunday, zone), _at(sunday, zone, 24 * 7))
    if m := _QUARTER.match(value):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * (quarter - 1) + 1
        return Interval(_month_start(year, first, zone), _month_start(year, first + 3, zone))
    if m := _HALF.match(value):
        year, half = int(m[1]), int(m[2])
        first = 6 * (half - 1) + 1
        return Interval(_month_start(year, first, zone), _month_start(year, first + 6, zone))
    if m := _SEASON.match(value):
        year = int(m[1])
        first, last = _SEASON_MONTHS[m[2]]
        return Interval(_month_start(year, first, zone), _month_start(year, last, zone))
    if m := _DECADE.match(value):
        year = int(m[1]) * 10
        return Interval(datetime(year, 1, 1, tzinfo=zone), datetime(year + 10, 1, 1, tzinfo=zone))
    if m := _CENTURY.match(value):
        year = int(m[1]) * 100
        return Interval(
            datetime(max(year, 1), 1, 1, tzinfo=zone), datetime(year + 100, 1, 1, tzinfo=zone)
        )
    return None


_PLACELESS = frozenset([TimexType.DURATION, TimexType.SET])
_REFERENCES = frozenset(["PAST_REF", "FUTURE_REF", "PRESENT_REF"])


def timex_interval(timex: TimeExpression, published: datetime) -> Interval | None:
    """The interval ``timex`` places an event in, or None when it places it nowhere.

    Durations and sets place nothing. Vague references bound one side by the
    publication time (PAST_REF: before it; FUTURE_REF: after it; PRESENT_REF:
    the publication day).
    """
    zone = published.tzinfo
    if timex.type in _PLACELESS:
        return None
    value = timex.value.strip().upper()
    if value in _REFERENCES:
        if value == "PAST_REF":
            return Interval(None, published)
        if value == "FUTURE_REF":
            return Interval(published, None)
        day = published.date()
        return Interval(_at(day, zone), _at(day, zone, 24))
    earliest, latest = timex.earliest, timex.latest
    if earliest is not None or latest is not None:
        if earliest is not None and earliest.tzinfo is None:
            earliest = earliest.replace(tzinfo=zone)
        if latest is not None and latest.tzinfo is None:
            latest = latest.replace(tzinfo=zone)
        if earliest is None or latest is None or earliest < latest:
            return Interval(earliest, latest)
    interval = _calendar(value, zone)
    if interval is None:
        return None
    return _narrow(interval, (timex.mod or "").upper() or None)


def publication_day(published: datetime) -> Interval:
    """The publication day, up to the publication time."""
    start = _at(published.date(), published.tzinfo)
    return Interval(start, max(published, start + timedelta(minutes=1)))
