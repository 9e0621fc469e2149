"""Publication times in every form scrapers deliver, normalized to an aware datetime.

>>> from datetime import UTC, datetime
>>> now = datetime(2018, 8, 14, 9, 0, tzinfo=UTC)
>>> parse_published("الأحد، 12 أغسطس 2018 10:05 م", zone=ZoneInfo("Africa/Cairo"), now=now)
datetime.datetime(2018, 8, 12, 22, 5, tzinfo=zoneinfo.ZoneInfo(key='Africa/Cairo'))

Accepted: ``datetime`` objects (and dates), epoch seconds or milliseconds (numbers or
digit strings), ISO 8601 (with or without offset, ``Z``), RFC 822 / 2822 (RSS), and
Arabic strings: weekday names, Levantine (أيار، تشرين الأول…), Maghrebi (جانفي، أفريل،
جويلية، أوت…) and Moroccan (يوليوز، غشت، شتنبر…) month names, a month given twice
(«آب/أغسطس»), Arabic-Indic digits, ص/م and صباحا/مساء, label prefixes («نشر في:»,
«آخر تحديث:»), a Hijri date beside the Gregorian one (dropped) or alone (converted), and
relative times («منذ 3 ساعات», «قبل ساعتين», «أمس 10:05 م»). The rest goes through
dateparser with an explicit reference time: nothing here reads the clock or changes
shared settings; the caller passes ``now``.

A time without an offset is read in the time zone the caller passes (the outlet's); when
there is none it is refused, since guessing would silently shift it by hours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "NoTimeZone",
    "PublishedPolicy",
    "UnusableDate",
    "normalize_arabic_date",
    "parse_published",
    "zone",
]

Fallback = Literal["reject", "now"]


class UnusableDate(ValueError):
    """The value does not give a publication time; the message says why."""


class NoTimeZone(UnusableDate):
    """A time without an offset, and no zone configured to read it in."""


# -- time zones --


def zone(name: str) -> ZoneInfo:
    """An IANA time zone by name; ``ValueError`` naming it when it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name)") from None


@dataclass(frozen=True)
class PublishedPolicy:
    """How a deployment reads publication times: time zones and the missing-date fallback."""

    #: the zone of naive times when the outlet has none of its own; None: refuse them
    default_timezone: str | None = None
    #: outlet name (or web host, e.g. ``www.example.com``) → IANA zone
    outlet_timezones: Mapping[str, str] = field(default_factory=dict)
    #: ``now``: an article without a usable date gets the time it was received
    fallback: Fallback = "reject"

    @classmethod
    def from_settings(cls, settings: Any) -> PublishedPolicy:
        return cls(
            default_timezone=settings.default_timezone,
            outlet_timezones=dict(settings.outlet_timezones),
            fallback=settings.published_fallback,
        )

    def zone_for(self, outlet: str | None = None, url: str | None = None) -> ZoneInfo | None:
        """The outlet's zone (by name, else by the URL's host), else the default."""
        zones = self.outlet_timezones
        if outlet and outlet in zones:
            return zone(zones[outlet])
        if url and zones:
            host = (urlsplit(url).hostname or "").lower()
            while host:
                if host in zones:
                    return zone(zones[host])
                _, _, host = host.partition(".")
        return zone(self.default_timezone) if self.default_timezone else None

    def normalize(self, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """``data`` with ``published`` as an aware datetime; :class:`UnusableDate` if none.

        Without a usable date and with the ``now`` fallback, ``published`` is ``now`` and
        ``published_fallback`` is set.
        """
        fields = dict(data)
        value = fields.get("published")
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return fields
        outlet, url = fields.get("outlet"), fields.get("url")
        where = self.zone_for(
            outlet if isinstance(outlet, str) else None, url if isinstance(url, str) else None
        )
        try:
            fields["published"] = parse_published(value, zone=where, now=now)
        except NoTimeZone:
            raise
        except UnusableDate as err:
            if self.fallback != "now":
                if str(err) == "missing":
                    return fields  # the model names the missing field
                raise
            fields["published"] = now
            fields["published_fallback"] = True
        return fields


# -- Arabic normalization --

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_PUNCT = str.maketrans({"،": ",", "؛": ";", "٫": ".", "٬": ",", "\u0640": None})
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u200c-\u200f\u202a-\u202e\u2066-\u2069]")

#: month names of every region → the names dateparser's Arabic knows
_MONTHS = {
    "يناير": "يناير", "جانفي": "يناير", "كانون الثاني": "يناير", "كانون ثاني": "يناير",
    "فبراير": "فبراير", "فيفري": "فبراير", "شباط": "فبراير",
    "مارس": "مارس", "آذار": "مارس", "اذار": "مارس", "أذار": "مارس",
    "أبريل": "أبريل", "ابريل": "أبريل", "إبريل": "أبريل", "أفريل": "أبريل", "افريل": "أبريل",
    "نيسان": "أبريل",
    "مايو": "مايو", "ماي": "مايو", "أيار": "مايو", "ايار": "مايو",
    "يونيو": "يونيو", "يونيه": "يونيو", "جوان": "يونيو", "حزيران": "يونيو",
    "يوليو": "يوليو", "يوليه": "يوليو", "يوليوز": "يوليو", "جويلية": "يوليو", "جويلة": "يوليو",
    "تموز": "يوليو",
    "أغسطس": "أغسطس", "اغسطس": "أغسطس", "أوت": "أغسطس", "اوت": "أغسطس",
    "غشت": "أغسطس", "آب": "أغسطس", "اب": "أغسطس",
    "سبتمبر": "سبتمبر", "شتنبر": "سبتمبر", "أيلول": "سبتمبر", "ايلول": "سبتمبر",
    "أكتوبر": "أكتوبر", "اكتوبر": "أكتوبر", "تشرين الأول": "أكتوبر", "تشرين الاول": "أكتوبر",
    "تشرين أول": "أكتوبر", "تشرين اول": "أكتوبر",
    "نوفمبر": "نوفمبر", "نونبر": "نوفمبر", "تشرين الثاني": "نوفمبر", "تشرين ثاني": "نوفمبر",
    "ديسمبر": "ديسمبر", "دجنبر": "ديسمبر", "دسمبر": "ديسمبر", "كانون الأول": "ديسمبر",
    "كانون الاول": "ديسمبر", "كانون أول": "ديسمبر", "كانون اول": "ديسمبر",
}  # fmt: skip

_HIJRI_MONTHS = {
    "محرم": 1, "المحرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع أول": 3,
    "ربيع الآخر": 4, "ربيع الاخر": 4, "ربيع الثاني": 4, "ربيع ثاني": 4,
    "جمادى الأولى": 5, "جمادى الاولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6,
    "جمادى الاخرة": 6, "جمادى الثانية": 6, "جمادى الآخر": 6, "رجب": 7, "شعبان": 8,
    "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
}  # fmt: skip


def _alternation(names: Any) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_WORD_START = r"(?<![\w])"
_WORD_END = r"(?![\w])"
_MONTH_RE = re.compile(_WORD_START + f"({_alternation(_MONTHS)})" + _WORD_END)
_CANON = _alternation(set(_MONTHS.values()))
#: «آب/أغسطس», «أغسطس (آب)», «آب - أغسطس» after mapping: the same month twice
_MONTH_TWICE = re.compile(rf"({_CANON})\s*(?:/|\\|-|–|\(|\|)\s*({_CANON})\s*\)?")
_HIJRI_DATE = re.compile(
    rf"(\d{{1,2}})\s+({_alternation(_HIJRI_MONTHS)})\s*,?\s*(\d{{4}})\s*(?:هـ|ه|هجري(?:ة)?)?"
    + _WORD_END
)
_WEEKDAYS = re.compile(
    _WORD_START
    + r"(?:يوم\s+)?(?:ال)?(?:أحد|احد|إثنين|اثنين|ثلاثاء|ثلثاء|أربعاء|اربعاء|خميس|جمعة|جمعه|سبت)"
    + _WORD_END
)
#: «نشر في:», «آخر تحديث:», «تاريخ النشر:» — a label without digits before a colon
_LABEL = re.compile(r"^[^\d:]*[:：]\s*")
_LABEL_WORDS = re.compile(
    _WORD_START
    + r"(?:نشر|نُشر|تم النشر|تاريخ النشر|منشور|آخر تحديث|اخر تحديث|تحديث|بتاريخ|في|بتوقيت"
    + r"|على الساعة|الساعة|الساعه)"
    + _WORD_END
)
_GMT = re.compile(r"(?:بتوقيت|توقيت)\s+(?:غرينتش|غرينيتش|جرينتش|جرينيتش|غرينيش|جرينيش|GMT)")
#: «بتوقيت مكة المكرمة»: the outlet's zone is configured, the city name goes
_LOCAL_TIME = re.compile(r"(?:بتوقيت|توقيت)(?:\s+[^\d\s,|-]+)*")
#: «2018 م» (the Gregorian era mark, not p.m.) and «1439 هـ»
_ERA = re.compile(r"(\d{4})\s*(?:مـ|م|ميلادي(?:ة)?)" + _WORD_END + r"(?!\s*\d)")
_MERIDIEM = [
    (re.compile(_WORD_START + r"(?:صباحا|صباحًا|صباحاً|الصباح|ص)" + _WORD_END), "AM"),
    (
        re.compile(_WORD_START + r"(?:مساءا|مساء|المساء|ظهرا|الظهر|عصرا|م)" + _WORD_END),
        "PM",
    ),
]
_TIME_PM = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(AM|PM)")

# relative times: «منذ 3 ساعات», «قبل ساعتين», «منذ ساعة»
_UNITS: dict[str, tuple[str, int]] = {}
for _unit, _forms in {
    "seconds": ("ثانية", "ثانيه", "ثوان", "ثواني", "ثوانٍ"),
    "minutes": ("دقيقة", "دقيقه", "دقائق", "دقايق"),
    "hours": ("ساعة", "ساعه", "ساعات"),
    "days": ("يوم", "أيام", "ايام"),
    "weeks": ("أسبوع", "اسبوع", "أسابيع", "اسابيع"),
    "months": ("شهر", "أشهر", "اشهر", "شهور"),
    "years": ("سنة", "سنه", "سنوات", "سنين", "عام", "أعوام", "اعوام"),
}.items():
    for _form in _forms:
        _UNITS[_form] = (_unit, 1)
for _unit, _forms in {
    "seconds": ("ثانيتين", "ثانيتان"),
    "minutes": ("دقيقتين", "دقيقتان"),
    "hours": ("ساعتين", "ساعتان"),
    "days": ("يومين", "يومان"),
    "weeks": ("أسبوعين", "اسبوعين", "أسبوعان"),
    "months": ("شهرين", "شهران"),
    "years": ("سنتين", "سنتان", "عامين", "عامان"),
}.items():
    for _form in _forms:
        _UNITS[_form] = (_unit, 2)
_RELATIVE = re.compile(
    rf"^(?:منذ|قبل|مضى)\s+(?:(\d+)\s+)?({_alternation(_UNITS)})(?:\s+(?:تقريبا|تقريبًا))?$"
)
_NOW_WORDS = re.compile(r"^(?:الآن|الان|للتو|منذ لحظات|قبل لحظات|منذ قليل|قبل قليل|just now)$")
_TODAY = re.compile(r"^(?:اليوم|today)$")
_YESTERDAY = re.compile(r"^(?:أمس|امس|الأمس|البارحة|yesterday)$")
_SPACE = re.compile(r"\s+")


def normalize_arabic_date(text: str) -> str:
    """Canonical spelling of an Arabic date string, for dateparser.

    Digits become ASCII, regional month names the ones dateparser knows, labels,
    weekdays, diacritics and era marks go, a Hijri date beside a Gregorian one goes,
    ص/م become AM/PM.
    """
    value = text.translate(_DIGITS).translate(_PUNCT)
    value = _DIACRITICS.sub("", value)
    value = value.replace("\u00a0", " ")
    value = _SPACE.sub(" ", value).strip()
    value = _LABEL.sub("", value)
    value = _MONTH_RE.sub(lambda m: _MONTHS[m.group(1)], value)
    value = _MONTH_TWICE.sub(_one_month, value)
    if _HIJRI_DATE.search(value) and _has_gregorian(_HIJRI_DATE.sub(" ", value)):
        value = _HIJRI_DATE.sub(" ", value)
    value = _ERA.sub(r"\1", value)
    value = _GMT.sub(" +00:00", value)
    value = _LOCAL_TIME.sub(" ", value)
    value = _WEEKDAYS.sub(" ", value)
    value = _LABEL_WORDS.sub(" ", value)
    for pattern, mark in _MERIDIEM:
        value = pattern.sub(f" {mark}", value)
    value = re.sub(r"(?<!\d)[-–|,]\s*(?=[-–|,]|$)", " ", value)
    value = _SPACE.sub(" ", value).strip(" -–|,")
    return value


def _one_month(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    return first + " " if first == second else match.group(0)


def _has_gregorian(text: str) -> bool:
    return bool(re.search(_CANON, text) or re.search(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}", text))


# -- parsing --

#: epoch values past this are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973)
_MS_THRESHOLD = 100_000_000_000
_EPOCH = re.compile(r"^\d{9,14}(?:\.\d+)?$")
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def parse_published(value: Any, *, zone: tzinfo | None, now: datetime) -> datetime:
    """An aware datetime for ``value``; :class:`UnusableDate` saying why when there is none.

    ``zone`` is the zone of naive times (the outlet's); ``now`` (aware) anchors relative
    ones («منذ 3 ساعات»).
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise UnusableDate("missing")
    if isinstance(value, bool):
        raise UnusableDate(f"expected a date, got {value!r}")
    if isinstance(value, datetime):
        return _aware(value, zone, value.isoformat())
    if isinstance(value, date):
        return _aware(datetime(value.year, value.month, value.day), zone, value.isoformat())
    if isinstance(value, int | float):
        return _from_epoch(float(value), repr(value))
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        raise UnusableDate(f"expected a date, got {type(value).__name__}")
    return _from_text(value.strip().strip("\"'«»"), zone, now)


def _aware(moment: datetime, zone: tzinfo | None, shown: str) -> datetime:
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        raise UnusableDate(f"{shown!r} is not a plausible publication year")
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        return moment
    if zone is None:
        raise NoTimeZone(
            f"{shown!r} has no UTC offset and no timezone is configured for this outlet "
            "(set TIMELINE_OUTLET_TIMEZONES or TIMELINE_DEFAULT_TIMEZONE)"
        )
    return moment.replace(tzinfo=zone)


def _from_epoch(seconds: float, shown: str) -> datetime:
    if not math.isfinite(seconds) or seconds < 0:
        raise UnusableDate(f"{shown} is not an epoch time")
    if seconds >= _MS_THRESHOLD:
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise UnusableDate(f"{shown} is not an epoch time") from None
    return _aware(moment, UTC, shown)


def _from_text(text: str, zone: tzinfo | None, now: datetime) -> datetime:
    if _EPOCH.match(text):
        return _from_epoch(float(text), repr(text))
    iso = _iso(text)
    if iso is not None:
        return _aware(iso, zone, text)
    rfc = _rfc822(text)
    if rfc is not None:
        return _aware(rfc, zone, text)
    canonical = normalize_arabic_date(text)
    if _EPOCH.match(canonical):
        return _from_epoch(float(canonical), repr(text))
    iso = _iso(canonical)
    if iso is not None:
        return _aware(iso, zone, text)
    relative = _relative(canonical, now)
    if relative is not None:
        return relative
    hijri = _hijri(canonical)
    if hijri is not None:
        return _aware(hijri, zone, text)
    return _dateparser(text, canonical, zone, now)


def _iso(text: str) -> datetime | None:
    if not re.match(r"^\d{4}-?\d{2}-?\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text) or not re.search(r"\d{1,2}:\d{2}", text):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None and re.search(r"-0000\s*$", text):
        moment = moment.replace(tzinfo=UTC)  # RFC 2822: UTC, local zone unknown
    return moment  # naive when no zone was given: read in the outlet's


def _relative(text: str, now: datetime) -> datetime | None:
    """Times that need no time zone: «الآن», «منذ 3 ساعات», «أمس» without a clock time."""
    if _NOW_WORDS.match(text) or _TODAY.match(text):
        return now
    if _YESTERDAY.match(text):
        return now - timedelta(days=1)
    match = _RELATIVE.match(text)
    if match is None:
        return None
    unit, count = _UNITS[match.group(2)]
    if match.group(1):
        count = int(match.group(1))
    if unit == "months":
        return _add_months(now, -count)
    if unit == "years":
        return _add_months(now, -12 * count)
    return now - timedelta(**{unit: count})


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def _hijri(text: str) -> datetime | None:
    match = _HIJRI_DATE.search(text)
    if match is None:
        return None
    from hijridate import Hijri

    day, month, year = int(match.group(1)), _HIJRI_MONTHS[match.group(2)], int(match.group(3))
    try:
        gregorian = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        raise UnusableDate(f"{match.group(0)!r} is not a valid Hijri date") from None
    rest = text[match.end() :]
    clock = re.search(r"(\d{1,2}):(\d{2})(?:\s*(AM|PM))?", rest)
    hour = minute = 0
    if clock:
        hour, minute = int(clock.group(1)) % 24, int(clock.group(2))
        if clock.group(3) == "PM" and hour < 12:
            hour += 12
        elif clock.group(3) == "AM" and hour == 12:
            hour = 0
    return datetime(gregorian.year, gregorian.month, gregorian.day, hour, minute)


def _dateparser(text: str, canonical: str, zone: tzinfo | None, now: datetime) -> datetime:
    import dateparser

    base = now.astimezone(zone) if zone is not None else now.astimezone(UTC)
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month"],
    }
    arabic = re.search(r"[\u0600-\u06FF]", canonical) is not None
    languages = ["ar", "en"] if arabic else ["en", "fr"]
    try:
        parsed = dateparser.parse(canonical, languages=languages, settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        parsed = None
    if parsed is None and _relative_words(canonical):
        try:
            parsed = dateparser.parse(
                canonical, languages=languages, settings={**settings, "REQUIRE_PARTS": []}
            )
        except (ValueError, OverflowError, TypeError, AttributeError):
            parsed = None
    if parsed is None:
        raise UnusableDate(
            f"cannot read {text!r} as a datetime (ISO 8601, RFC 822, epoch or an Arabic date)"
        )
    return _aware(parsed, zone, text)


def _relative_words(text: str) -> bool:
    return bool(re.search(r"اليوم|أمس|امس|الأمس|البارحة|منذ|قبل|today|yesterday|ago", text))
