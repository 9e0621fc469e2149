"""Publication times in the forms scrapers deliver, each to its exact aware datetime."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from config.settings import Settings
from producer import InvalidArticle, parse_article
from producer.published import (
    NoTimeZone,
    PublishedPolicy,
    UnusableDate,
    normalize_arabic_date,
    parse_published,
)
from tests.articles import article

#: the receive time every relative expression is read against
NOW = datetime(2018, 8, 14, 9, 0, tzinfo=UTC)
BEIRUT = ZoneInfo("Asia/Beirut")  # +03:00 in summer, +02:00 in winter
CAIRO = ZoneInfo("Africa/Cairo")  # +02:00 all of 2017-2018


def at(*parts: int, tz: timezone | ZoneInfo = BEIRUT) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


FORMATS: list[tuple[object, datetime]] = [
    # machine formats
    ("2018-08-12T10:05:00+03:00", at(2018, 8, 12, 10, 5, tz=offset(3))),
    ("2018-08-12T10:05:00Z", at(2018, 8, 12, 10, 5, tz=UTC)),
    ("2018-08-12T10:05:00.250-04:00", at(2018, 8, 12, 10, 5, 0, 250000, tz=offset(-4))),
    ("2018-08-12T10:05:00", at(2018, 8, 12, 10, 5)),
    ("2018-08-12 10:05", at(2018, 8, 12, 10, 5)),
    ("20180812T100500+0300", at(2018, 8, 12, 10, 5, tz=offset(3))),
    ("Sun, 12 Aug 2018 10:05:00 +0300", at(2018, 8, 12, 10, 5, tz=offset(3))),
    ("Sun, 12 Aug 2018 07:05:00 GMT", at(2018, 8, 12, 7, 5, tz=UTC)),
    ("12 Aug 2018 07:05:00 -0000", at(2018, 8, 12, 7, 5, tz=UTC)),
    ("Sun, 12 Aug 2018 10:05:00", at(2018, 8, 12, 10, 5)),
    ("Monday, August 13, 2018 - 3:15 PM", at(2018, 8, 13, 15, 15)),
    (1534057500, at(2018, 8, 12, 7, 5, tz=UTC)),
    (1534057500123, at(2018, 8, 12, 7, 5, 0, 123000, tz=UTC)),
    ("1534057500", at(2018, 8, 12, 7, 5, tz=UTC)),
    ("1534057500000", at(2018, 8, 12, 7, 5, tz=UTC)),
    (1534057500.5, at(2018, 8, 12, 7, 5, 0, 500000, tz=UTC)),
    (datetime(2018, 8, 12, 10, 5, tzinfo=offset(3)), at(2018, 8, 12, 10, 5, tz=offset(3))),
    (datetime(2018, 8, 12, 10, 5), at(2018, 8, 12, 10, 5)),
    (date(2018, 8, 12), at(2018, 8, 12, 0, 0)),
    # Arabic: labels, weekdays, Levantine, Egyptian and Gulf month names
    ("نشر في: الخميس 4 أيار 2017 - 18:00", at(2017, 5, 4, 18, 0)),
    ("الأحد، 12 أغسطس 2018 10:05 م", at(2018, 8, 12, 22, 5)),
    ("الأحد 12 أغسطس 2018 - 10:05 مساءً", at(2018, 8, 12, 22, 5)),
    ("12 ديسمبر 2017 الساعة 10:05 صباحا", at(2017, 12, 12, 10, 5, tz=offset(2))),
    ("الثلاثاء 14 آب/أغسطس 2018", at(2018, 8, 14, 0, 0)),
    ("الإثنين 13 آب 2018 | 23:45", at(2018, 8, 13, 23, 45)),
    ("12 تشرين الأول 2017", at(2017, 10, 12, 0, 0)),
    ("3 كانون الثاني 2018 - 08:30", at(2018, 1, 3, 8, 30, tz=offset(2))),
    ("12 حزيران 2018", at(2018, 6, 12, 0, 0)),
    ("آخر تحديث: 12 أغسطس 2018 - 22:05 بتوقيت غرينتش", at(2018, 8, 12, 22, 5, tz=UTC)),
    ("الاثنين 13 أغسطس 2018 08:00 بتوقيت مكة المكرمة", at(2018, 8, 13, 8, 0)),
    ("تاريخ النشر: 13/08/2018 - 11:45", at(2018, 8, 13, 11, 45)),
    ("13-08-2018 11:45 ص", at(2018, 8, 13, 11, 45)),
    ("2018/08/12 10:05", at(2018, 8, 12, 10, 5)),
    # Maghrebi and Moroccan month names
    ("12 جانفي 2018", at(2018, 1, 12, 0, 0, tz=offset(2))),
    ("12 فيفري 2018", at(2018, 2, 12, 0, 0, tz=offset(2))),
    ("3 أفريل 2018 - 14:30", at(2018, 4, 3, 14, 30)),
    ("12 ماي 2018", at(2018, 5, 12, 0, 0)),
    ("5 جوان 2018", at(2018, 6, 5, 0, 0)),
    ("5 جويلية 2018", at(2018, 7, 5, 0, 0)),
    ("15 أوت 2018 على الساعة 09:30", at(2018, 8, 15, 9, 30)),
    ("12 يوليوز 2018", at(2018, 7, 12, 0, 0)),
    ("12 غشت 2018", at(2018, 8, 12, 0, 0)),
    ("12 شتنبر 2017", at(2017, 9, 12, 0, 0)),
    ("12 نونبر 2017", at(2017, 11, 12, 0, 0, tz=offset(2))),
    ("12 دجنبر 2017", at(2017, 12, 12, 0, 0, tz=offset(2))),
    # Arabic-Indic (and Persian) digits
    ("٤ أيار ٢٠١٧", at(2017, 5, 4, 0, 0)),
    ("الخميس ٤ أيار ٢٠١٧ - ١٨:٠٠", at(2017, 5, 4, 18, 0)),
    ("١٢/٠٨/٢٠١٨", at(2018, 8, 12, 0, 0)),
    ("۱۲ اوت ۲۰۱۸", at(2018, 8, 12, 0, 0)),
    ("١٥٣٤٠٥٧٥٠٠", at(2018, 8, 12, 7, 5, tz=UTC)),
    # Hijri beside the Gregorian date, and alone
    ("الأحد - 1 ذو الحجة 1439 هـ - 12 أغسطس 2018 مـ", at(2018, 8, 12, 0, 0)),
    ("1 ذو الحجة 1439 هـ", at(2018, 8, 12, 0, 0)),
    # relative to the receive time
    ("منذ 3 ساعات", at(2018, 8, 14, 6, 0, tz=UTC)),
    ("منذ ٣ ساعات", at(2018, 8, 14, 6, 0, tz=UTC)),
    ("قبل ساعة", at(2018, 8, 14, 8, 0, tz=UTC)),
    ("منذ ساعتين", at(2018, 8, 14, 7, 0, tz=UTC)),
    ("منذ 5 دقائق", at(2018, 8, 14, 8, 55, tz=UTC)),
    ("منذ يومين", at(2018, 8, 12, 9, 0, tz=UTC)),
    ("قبل 4 أيام", at(2018, 8, 10, 9, 0, tz=UTC)),
    ("منذ أسبوع", at(2018, 8, 7, 9, 0, tz=UTC)),
    ("منذ شهر", at(2018, 7, 14, 9, 0, tz=UTC)),
    ("الآن", NOW),
    ("أمس", at(2018, 8, 13, 9, 0, tz=UTC)),
    ("أمس 10:05 م", at(2018, 8, 13, 22, 5)),
    ("اليوم 08:15", at(2018, 8, 14, 8, 15)),
]


@pytest.mark.parametrize(("value", "expected"), FORMATS, ids=[repr(v) for v, _ in FORMATS])
def test_format_gives_exact_aware_datetime(value: object, expected: datetime) -> None:
    parsed = parse_published(value, zone=BEIRUT, now=NOW)
    assert parsed.utcoffset() is not None
    assert parsed == expected, parsed.isoformat()
    assert parsed.utcoffset() == expected.utcoffset(), parsed.isoformat()


def test_enough_formats_are_covered() -> None:
    arabic = [v for v, _ in FORMATS if isinstance(v, str) and any("؀" <= c <= "ۿ" for c in v)]
    indic = [v for v in arabic if any(c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹" for c in v)]
    assert len(FORMATS) >= 30 and len(arabic) >= 15 and len(indic) >= 4


def test_outlet_zone_decides_naive_times() -> None:
    """The same naive string means different instants for outlets in different zones."""
    text = "الخميس 4 أيار 2017 - 18:00"
    assert parse_published(text, zone=CAIRO, now=NOW) == at(2017, 5, 4, 16, 0, tz=UTC)
    assert parse_published(text, zone=ZoneInfo("Asia/Riyadh"), now=NOW) == at(
        2017, 5, 4, 15, 0, tz=UTC
    )


def test_relative_times_follow_the_given_now() -> None:
    later = NOW + timedelta(days=10)
    assert parse_published("منذ 3 ساعات", zone=None, now=later) == later - timedelta(hours=3)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("nonsense", "cannot read 'nonsense'"),
        ("الخميس", "cannot read"),
        ("32 مايو 2018", "cannot read"),
        ("2018", "cannot read"),
        (True, "expected a date"),
        ([2018, 8, 12], "expected a date, got list"),
        (-5, "not an epoch time"),
        (float("nan"), "not an epoch time"),
        ("0001-01-01T00:00:00+00:00", "not a plausible publication year"),
        (None, "missing"),
        ("   ", "missing"),
    ],
)
def test_unusable_values_say_why(value: object, words: str) -> None:
    with pytest.raises(UnusableDate, match=words):
        parse_published(value, zone=BEIRUT, now=NOW)


def test_naive_time_without_a_zone_is_refused() -> None:
    with pytest.raises(NoTimeZone, match=r"no UTC offset.*TIMELINE_DEFAULT_TIMEZONE"):
        parse_published("4 أيار 2017 - 18:00", zone=None, now=NOW)
    # relative times and times with an offset need no zone
    assert parse_published("منذ 3 ساعات", zone=None, now=NOW) == at(2018, 8, 14, 6, 0, tz=UTC)
    assert parse_published("2018-08-12T10:05:00Z", zone=None, now=NOW).tzinfo is not None


def test_normalization_spells_dates_canonically() -> None:
    assert normalize_arabic_date("نشر في: الخميس ٤ أيار ٢٠١٧ - ١٨:٠٠") == "4 مايو 2017 - 18:00"
    assert normalize_arabic_date("الثلاثاء 14 آب/أغسطس 2018") == "14 أغسطس 2018"
    assert normalize_arabic_date("12 أغسطس 2018 10:05 م") == "12 أغسطس 2018 10:05 PM"


# -- wired into parse_article --


def policy(**values: object) -> PublishedPolicy:
    return PublishedPolicy.from_settings(Settings(**values))  # type: ignore[arg-type]


def test_parse_article_reads_arabic_dates_in_the_outlets_zone() -> None:
    dates = policy(outlet_timezones={"Test Wire": "Africa/Cairo"})
    parsed = parse_article(
        article(1, published="نشر في: الخميس ٤ أيار ٢٠١٧ - ١٨:٠٠"),
        max_text_chars=10_000,
        dates=dates,
        now=NOW,
    )
    assert parsed.published == at(2017, 5, 4, 18, 0, tz=CAIRO)
    assert parsed.published.isoformat() == "2017-05-04T18:00:00+02:00"
    assert parsed.published_fallback is False


def test_zone_by_url_host_then_default() -> None:
    dates = policy(
        outlet_timezones={"example.ma": "Africa/Casablanca"}, default_timezone="Asia/Beirut"
    )
    by_host = dates.zone_for(None, "https://www.example.ma/news/1")
    assert by_host == ZoneInfo("Africa/Casablanca")
    assert dates.zone_for("Other", "https://other.example.com/") == BEIRUT
    assert policy().zone_for("Other") is None


def test_unreadable_date_is_rejected_naming_the_field() -> None:
    with pytest.raises(InvalidArticle, match=r"^published: cannot read 'قريبا'"):
        parse_article(article(1, published="قريبا"), max_text_chars=10_000, now=NOW)
    with pytest.raises(InvalidArticle, match=r"^published: .*no UTC offset"):
        parse_article(article(1, published="4 أيار 2017"), max_text_chars=10_000, now=NOW)


def test_other_fields_are_still_reported_beside_the_date() -> None:
    with pytest.raises(InvalidArticle) as caught:
        parse_article(article(1, published="قريبا", text=""), max_text_chars=10_000, now=NOW)
    message = str(caught.value)
    assert message.startswith("published: cannot read") and "text: text is empty" in message


def test_fallback_now_accepts_undated_articles_flagged() -> None:
    dates = policy(published_fallback="now")
    for published in (None, "", "قريبا"):
        body = article(1, published=published)
        parsed = parse_article(body, max_text_chars=10_000, dates=dates, now=NOW)
        assert parsed.published == NOW and parsed.published_fallback is True
    body = article(1)
    del body["published"]
    parsed = parse_article(body, max_text_chars=10_000, dates=dates, now=NOW)
    assert parsed.published == NOW and parsed.published_fallback is True
    # a usable date is kept and not flagged
    dated = parse_article(article(2), max_text_chars=10_000, dates=dates, now=NOW)
    assert dated.published_fallback is False and dated.published != NOW


def test_fallback_does_not_hide_a_missing_zone() -> None:
    """A naive time with no zone configured is a configuration error, never replaced."""
    dates = policy(published_fallback="now")
    with pytest.raises(InvalidArticle, match="no UTC offset"):
        parse_article(article(1, published="4 أيار 2017"), max_text_chars=10_000, dates=dates)


def test_settings_read_zones_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_OUTLET_TIMEZONES", '{"Al Ahram": "Africa/Cairo"}')
    monkeypatch.setenv("TIMELINE_DEFAULT_TIMEZONE", "Asia/Riyadh")
    monkeypatch.setenv("TIMELINE_PUBLISHED_FALLBACK", "now")
    settings = Settings()
    assert settings.outlet_timezones == {"Al Ahram": "Africa/Cairo"}
    assert settings.default_timezone == "Asia/Riyadh" and settings.published_fallback == "now"
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(outlet_timezones={"X": "Mars/Olympus"})
