"""Calendar arithmetic: periods with their TIMEX3 values and intervals.

Weeks run Sunday to Saturday and take the ISO week that holds most of their days
(the one of their Monday). Hijri dates follow the Umm al-Qura calendar.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from hijridate import Gregorian, Hijri

#: grains from fine to coarse; a period's grain is one of these
GRAINS = ("T", "D", "W", "M", "Q", "H", "SE", "Y", "DE", "CE", "ML")

_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of calendar: its grain, its TIMEX3 value, and its days [start, end).

    Immutable, so that the functions below keep the periods (and Hijri conversions)
    they have made: an article names the same days again and again.
    """

    grain: str
    value: str
    start: date
    end: date
    #: (Hijri year, Hijri month) when the period is a Hijri month
    hijri: tuple[int, int] | None = None


@lru_cache(maxsize=1 << 12)
def day(d: date) -> Period:
    return Period("D", d.isoformat(), d, d + timedelta(days=1))


def week_start(d: date) -> date:
    """The Sunday that begins the week holding ``d``."""
    return d - timedelta(days=(d.weekday() + 1) % 7)


@lru_cache(maxsize=1 << 12)
def week(d: date) -> Period:
    sunday = week_start(d)
    iso_year, iso_week, _ = (sunday + timedelta(days=1)).isocalendar()
    return Period("W", f"{iso_year}-W{iso_week:02d}", sunday, sunday + timedelta(days=7))


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


@lru_cache(maxsize=1 << 12)
def month(year: int, m: int) -> Period:
    ny, nm = add_months(year, m, 1)
    return Period("M", f"{year:04d}-{m:02d}", date(year, m, 1), date(ny, nm, 1))


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    ny, nm = add_months(year, start.month, 3)
    return Period("Q", f"{year:04d}-Q{q}", start, date(ny, nm, 1))


def half(year: int, h: int) -> Period:
    start = date(year, 6 * (h - 1) + 1, 1)
    ny, nm = add_months(year, start.month, 6)
    return Period("H", f"{year:04d}-H{h}", start, date(ny, nm, 1))


@lru_cache(maxsize=1 << 12)
def year(y: int) -> Period:
    return Period("Y", f"{y:04d}", date(y, 1, 1), date(y + 1, 1, 1))


def season(y: int, code: str) -> Period:
    m = _SEASON_START[code]
    ny, nm = add_months(y, m, 3)
    return Period("SE", f"{y:04d}-{code}", date(y, m, 1), date(ny, nm, 1))


def season_of(d: date) -> tuple[int, str]:
    """The season holding ``d`` and the year it is named by (winter by its December)."""
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    for code, m in _SEASON_START.items():
        if m <= d.month < m + 3:
            return d.year, code
    raise AssertionError(d)


def decade(prefix: int) -> Period:
    """The decade whose value is ``prefix`` (199 for the 1990s)."""
    return Period("DE", f"{prefix:03d}", date(prefix * 10, 1, 1), date(prefix * 10 + 10, 1, 1))


def century(prefix: int) -> Period:
    """The century whose value is ``prefix`` (18 for 1800–1899, the nineteenth)."""
    return Period(
        "CE", f"{prefix:02d}", date(max(1, prefix * 100), 1, 1), date(prefix * 100 + 100, 1, 1)
    )


def millennium(prefix: int) -> Period:
    """The millennium whose value is ``prefix`` (2 for 2000–2999, the third)."""
    return Period(
        "ML", str(prefix), date(max(1, prefix * 1000), 1, 1), date(prefix * 1000 + 1000, 1, 1)
    )


def months(y: int, first: int, last: int) -> Period:
    """The months ``first`` to ``last`` of year ``y`` as one interval (2018-01/2018-04)."""
    ny, nm = add_months(y, last, 1)
    return Period(
        "I", f"{y:04d}-{first:02d}/{y:04d}-{last:02d}", date(y, first, 1), date(ny, nm, 1)
    )


def easter(y: int, church: str) -> date:
    """Easter Sunday of year ``y``: of the Western churches (Gregorian computus), or of the
    Orthodox (Julian computus, given in the Gregorian calendar); Tøndering's formulas."""
    golden = y % 19
    if church == "orthodox":
        moon = (19 * golden + 15) % 30
        weekday = (y + y // 4 + moon) % 7
        julian_lag = y // 100 - y // 400 - 2
    else:
        c = y // 100
        h = (c - c // 4 - (8 * c + 13) // 25 + 19 * golden + 15) % 30
        moon = h - (h // 28) * (1 - (29 // (h + 1)) * ((21 - golden) // 11))
        weekday = (y + y // 4 + moon + 2 - c + c // 4) % 7
        julian_lag = 0
    days = moon - weekday
    m = 3 + (days + 40) // 44
    return date(y, m, days + 28 - 31 * (m // 4)) + timedelta(days=julian_lag)


def period_of(grain: str, d: date) -> Period:
    """The period of ``grain`` that holds ``d``."""
    if grain == "D":
        return day(d)
    if grain == "W":
        return week(d)
    if grain == "M":
        return month(d.year, d.month)
    if grain == "Q":
        return quarter(d.year, (d.month - 1) // 3 + 1)
    if grain == "H":
        return half(d.year, (d.month - 1) // 6 + 1)
    if grain == "SE":
        return season(*season_of(d))
    if grain == "Y":
        return year(d.year)
    if grain == "DE":
        return decade(d.year // 10)
    if grain == "CE":
        return century(d.year // 100)
    if grain == "ML":
        return millennium(d.year // 1000)
    raise ValueError(grain)


def shift(d: date, grain: str, n: int) -> date:
    """``d`` moved by ``n`` units of ``grain`` (months clamp to the month's end)."""
    if grain == "D":
        return d + timedelta(days=n)
    if grain == "W":
        return d + timedelta(days=7 * n)
    step = {"M": 1, "Q": 3, "H": 6, "SE": 3, "Y": 12, "DE": 120, "CE": 1200, "ML": 12000}.get(grain)
    if step is None:
        raise ValueError(grain)
    y, m = add_months(d.year, d.month, n * step)
    return date(y, m, min(d.day, _calendar.monthrange(y, m)[1]))


def shift_period(p: Period, grain: str, n: int) -> Period:
    """The period of the same grain as ``p``, ``n`` units of ``grain`` away."""
    if p.hijri is not None and grain == "Y":
        return hijri_month(p.hijri[0] + n, p.hijri[1])
    if p.grain == "I":
        if p.value.count("-") == 2 and "/" in p.value and grain in ("M", "Y"):
            # an interval of months («2018-01/2018-05»): both ends moved
            first = shift(p.start, grain, n)
            last = shift(p.end - timedelta(days=1), grain, n)
            return months(first.year, first.month, last.month) if first.year == last.year else p
        return p
    return period_of(p.grain, shift(p.start, grain, n))


# --- Hijri (Umm al-Qura) --


@lru_cache(maxsize=1 << 12)
def hijri_to_date(hy: int, hm: int, hd: int) -> date | None:
    try:
        g = Hijri(hy, hm, hd).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


@lru_cache(maxsize=1 << 12)
def hijri_of(d: date) -> tuple[int, int, int]:
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (ValueError, OverflowError):
        return (0, 0, 0)
    return (int(h.year), int(h.month), int(h.day))


@lru_cache(maxsize=1 << 12)
def hijri_month(hy: int, hm: int) -> Period:
    """A Hijri month as the interval of its first and last day."""
    first = hijri_to_date(hy, hm, 1)
    if first is None:
        raise ValueError((hy, hm))
    length = int(Hijri(hy, hm, 1).month_length())
    last = first + timedelta(days=length - 1)
    return Period("I", f"{first}/{last}", first, last + timedelta(days=1), hijri=(hy, hm))


@lru_cache(maxsize=1 << 12)
def hijri_year(hy: int) -> Period:
    first = hijri_to_date(hy, 1, 1)
    nxt = hijri_to_date(hy + 1, 1, 1)
    if first is None or nxt is None:
        raise ValueError(hy)
    last = nxt - timedelta(days=1)
    return Period("I", f"{first}/{last}", first, nxt)


@lru_cache(maxsize=1 << 8)
def two_years(y: int) -> Period:
    """A season of sport or a fiscal year written over two years (``2017/2018``): the
    interval from July of the first to June of the second."""
    return Period("I", f"{y}/{y + 1}", date(y, 7, 1), date(y + 1, 7, 1))


def with_value(p: Period, value: str) -> Period:
    return replace(p, value=value)
