"""Stories: words, one entry per happening in an article, merging reports across articles."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from service.demo import SAMPLE_STORY
from tests.articles import story_articles
from timeline.contract import Article, IndexedEvent, TimelineEntry
from timeline.extract import extract_timeline
from timeline.stories import (
    Query,
    article_entries,
    article_reports,
    compare,
    content_words,
    decode_cursor,
    encode_cursor,
    matches,
    merge_reports,
    page_after,
    parse_bound,
    sort_key,
    word_forms,
)

PUBLISHED = "2017-05-04T18:00:00+03:00"
DAY = datetime.fromisoformat("2017-05-04T00:00:00+03:00")

#: a lead repeated in the body, a reporting clause, and a clause nothing dates
LEAD_ARTICLE = Article(
    id="lead-1",
    outlet="Test Wire",
    published=datetime.fromisoformat(PUBLISHED),
    title="افتتاح معرض الكتاب",
    text=(
        "افتتاح معرض الكتاب\n\n"
        "افتتحت وزارة الثقافة الثلاثاء معرض الكتاب في المدينة القديمة. "
        "وقال مدير المعرض إن الورشات ستبدأ غدا في القاعة الكبرى. "
        "ويعاني قطاع النشر من صعوبات كثيرة.\n\n"
        "وكانت وزارة الثقافة قد افتتحت معرض الكتاب الثلاثاء بحضور عدد من السفراء."
    ),
)


def report(
    article_id: str,
    outlet: str,
    text: str,
    trigger: str,
    day: int,
    days: int = 1,
    event_id: str = "e1",
) -> IndexedEvent:
    return IndexedEvent(
        article_id=article_id,
        event_id=event_id,
        outlet=outlet,
        text=text,
        trigger=trigger,
        earliest=DAY + timedelta(days=day),
        latest=DAY + timedelta(days=day + days),
        words=content_words(text),
    )


def story_reports() -> list[IndexedEvent]:
    found = []
    for raw in story_articles():
        article = Article.model_validate(raw)
        found += article_reports(extract_timeline(article), article.story)
    return found


# -- words --


def test_words_fold_hamza_ta_marbuta_maqsura_diacritics_and_tatweel() -> None:
    """Spellings of one word fold to one form."""
    assert content_words("أُعلِنت الهدنةُ إلى") == content_words("اعلنت الهدنه الي")
    assert content_words("المفاوضـــات") == content_words("المفاوضات")
    assert content_words("مستشفى") == content_words("مستشفي")


def test_clitics_are_stripped_in_every_order() -> None:
    """و ف, then ب ك ل, then ال: «والاتفاق», «بالاتفاق», «للاتفاق» all reach «اتفاق»."""
    for word in ("الاتفاق", "والاتفاق", "فالاتفاق", "بالاتفاق", "كالاتفاق", "للاتفاق", "وللاتفاق"):
        assert "اتفاق" in word_forms(content_words(word)[0]), word
    assert word_forms("وزير")[0] == "وزير"  # the word as written is always a form


def test_function_words_are_not_content_words() -> None:
    assert content_words("في من إلى على أن الذي وقد") == []
    assert content_words("وقعت الحكومة على الاتفاق") == ["وقعت", "الحكومه", "الاتفاق"]


def test_a_query_of_no_content_word_or_too_many_is_refused() -> None:
    with pytest.raises(ValueError, match="q: no content word"):
        Query.build(q="في من")
    with pytest.raises(ValueError, match="q: 9 words"):
        Query.build(q="واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة")


def test_a_query_matches_words_with_clitics_and_title() -> None:
    """Every query word must match a word of the report's text, title or attribution."""
    signing = report("a", "A", "وقعت الحكومة اتفاق الهدنة", "وقعت", 0)
    assert matches(signing, Query.build(q="والهدنة"))
    assert matches(signing, Query.build(q="للحكومة هدنه"))
    assert not matches(signing, Query.build(q="الهدنة المعارضة"))
    titled = signing.model_copy(update={"title": "محادثات أستانة"})
    assert matches(titled, Query.build(q="أستانة"))
    assert not matches(signing, Query.build(q="أستانة"))


# -- one article --


def test_a_lead_repeated_in_the_body_is_one_entry() -> None:
    """The headline, the lead and its repeat further down tell one happening."""
    timeline = extract_timeline(LEAD_ARTICLE)
    openings = [e for e in timeline.events if e.trigger.text.startswith("افتت")]
    assert len(openings) == 3, "the extraction finds the headline, the lead and the repeat"
    entries, _ = article_entries(timeline)
    opening = [e for e in entries if e.trigger.startswith("افتت")]
    assert len(opening) == 1
    assert sorted(opening[0].sources[0].also) == sorted(
        e.id for e in openings if e.id != opening[0].sources[0].event_id
    )


def test_a_reporting_clause_is_the_attribution_of_what_it_reports() -> None:
    timeline = extract_timeline(LEAD_ARTICLE)
    assert any(e.reporting and e.trigger.text == "قال" for e in timeline.events)
    entries, _ = article_entries(timeline)
    assert not any(e.trigger == "قال" for e in entries)
    workshops = next(e for e in entries if "الورشات" in e.text)
    assert workshops.sources[0].attribution == "وقال مدير المعرض"


def test_clauses_nothing_dates_are_hidden_unless_all_are_asked_for() -> None:
    timeline = extract_timeline(LEAD_ARTICLE)
    entries, hidden = article_entries(timeline)
    assert hidden == 1 and not any("يعاني" in e.text for e in entries)
    everything, _ = article_entries(timeline, show_all=True)
    assert [e.text for e in everything if "يعاني" in e.text] == [
        "ويعاني قطاع النشر من صعوبات كثيرة."
    ]
    assert len(everything) == len(entries) + 1
    assert [e.key for e in entries] == [e.key for e in everything if "يعاني" not in e.text]


def test_the_index_holds_one_report_per_dated_happening() -> None:
    reports = article_reports(extract_timeline(LEAD_ARTICLE), "book-fair")
    assert [(r.trigger, r.story) for r in reports] == [
        ("افتتحت", "book-fair"),
        ("ستبدأ", "book-fair"),
    ]
    assert "الثلاثاء" not in " ".join(reports[0].words), "time words say nothing of who or what"


# -- across articles --


def test_the_same_event_reported_twice_is_one_entry_with_two_sources() -> None:
    entries = merge_reports(story_reports())
    signing = [e for e in entries if e.trigger == "وقعت"]
    assert len(signing) == 1
    assert signing[0].outlets == ["Nahr Agency", "Wadi Post"]
    assert {s.article_id for s in signing[0].sources} == {
        "nahr-truce-2019-03-13",
        "wadi-truce-2019-03-12",
    }
    assert signing[0].disagreement is None
    assert signing[0].value == "2019-03-12"
    [why] = signing[0].merged_because
    assert "same trigger «وقعت»" in why and "الصخر" in why and "dates agree (2019-03-12)" in why


def test_a_date_disagreement_is_flagged_with_each_date_and_its_sources() -> None:
    entries = merge_reports(story_reports())
    exchange = next(e for e in entries if e.disagreement is not None)
    assert exchange.disagreement is not None
    assert exchange.disagreement.dates == {
        "2019-03-13": ["Wadi Post"],
        "2019-03-14": ["Jabal Times"],
    }
    assert "different dates" in exchange.disagreement.message
    assert exchange.earliest is not None and exchange.latest is not None
    assert (exchange.earliest.day, exchange.latest.day) == (13, 15), "the hull of the dates"
    assert "dates differ (2019-03-14 / 2019-03-13)" in exchange.merged_because[0]


def test_the_merged_story_is_in_order() -> None:
    entries = merge_reports(story_reports())
    assert [(e.trigger, e.outlets) for e in entries] == [
        ("انطلقت", ["Wadi Post"]),
        ("وقعت", ["Nahr Agency", "Wadi Post"]),
        ("سيبدأ", ["Wadi Post", "Jabal Times"]),
        ("يجتمع", ["Nahr Agency"]),
    ]
    assert [sort_key(e) for e in entries] == sorted(sort_key(e) for e in entries)


def test_the_tightest_agreed_bounds_are_kept() -> None:
    """A report «in May» and one «on the 4th» of one happening: the entry is on the 4th."""
    month = report("a", "A", "وقعت الحكومة اتفاق الهدنة", "وقعت", -3, days=31)
    day = report("b", "B", "الحكومة وقعت على اتفاق الهدنة", "وقعت", 0)
    [entry] = merge_reports([month, day])
    assert (entry.earliest, entry.latest) == (day.earliest, day.latest)
    assert entry.text == day.text and entry.disagreement is None


def test_different_happenings_stay_apart() -> None:
    signing = report("a", "A", "وقعت الحكومة اتفاق الهدنة", "وقعت", 0)
    other_day = report("b", "B", "وقعت الحكومة اتفاق الهدنة", "وقعت", 10)
    other_thing = report("c", "C", "افتتح الوزير معرض الكتاب", "افتتح", 0)
    same_outlet = report("a", "A", "وقعت الحكومة اتفاق الهدنة", "وقعت", 0, event_id="e2")
    assert compare(signing, other_day) is None
    assert compare(signing, other_thing) is None
    assert len(merge_reports([signing, other_day, other_thing])) == 3
    assert len(merge_reports([signing, same_outlet])) == 2, "an article is one source"


# -- ranges, cursors, pages --


def test_a_date_bound_is_the_whole_day_as_the_report_gives_it() -> None:
    late = report("a", "A", "وقعت الحكومة اتفاق الهدنة", "وقعت", 0)  # 00:00+03:00 = 21:00Z
    assert matches(late, Query.parse(start="2017-05-04", end="2017-05-04"))
    assert not matches(late, Query.parse(start="2017-05-05"))
    assert not matches(late, Query.parse(end="2017-05-03"))
    assert not matches(late, Query.parse(start="2017-05-04T00:00:00+00:00"))


def test_bounds_and_ranges_are_checked_with_the_parameter_named() -> None:
    with pytest.raises(ValueError, match="from: not an ISO 8601"):
        parse_bound("from", "yesterday")
    with pytest.raises(ValueError, match="to: must come after from"):
        Query.parse(start="2017-05-04", end="2017-05-01")
    with pytest.raises(ValueError, match="from: must carry a UTC offset"):
        Query.build(start=datetime(2017, 5, 1))


def test_a_cursor_resumes_after_its_entry_and_only_for_its_query() -> None:
    entries = merge_reports(story_reports())
    query = Query.build(story=SAMPLE_STORY)
    first, more = page_after(entries, None, 2)
    assert more and len(first) == 2
    cursor = encode_cursor(first[-1], query)
    second, more = page_after(entries, decode_cursor(cursor, query), 2)
    assert not more and [e.key for e in first + second] == [e.key for e in entries]
    with pytest.raises(ValueError, match="cursor: it belongs to another query"):
        decode_cursor(cursor, Query.build(q="الهدنة"))
    with pytest.raises(ValueError, match="cursor: not a cursor"):
        decode_cursor("bm90IGEgY3Vyc29y", query)


def test_entries_round_trip_as_json() -> None:
    for entry in merge_reports(story_reports()):
        assert TimelineEntry.model_validate_json(entry.model_dump_json()) == entry
