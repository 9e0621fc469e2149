"""Events of hand-written Arabic articles: clauses, times, relations and their order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import pairwise

import pytest

from timeline.contract import (
    AnchorKind,
    Event,
    OrderBasis,
    RelationType,
    TimeSource,
    TimexType,
)

from .test_events_helpers import assert_order, find, position, run, timex

THURSDAY = "2017-05-04T18:00:00+03:00"
ZONE = timezone(timedelta(hours=3))


def _spans_do_not_overlap(events: list[Event]) -> None:
    spans = sorted((e.start, e.end) for e in events)
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start


# the mission example

MISSION = (
    "أعلنت الجماعات المسلحة الخميس عودتها إلى المحادثات، بحسب مصدر مطلع. "
    "ويأتي القرار بعد ساعات على إعلانها تعليق مشاركتها احتجاجا على القصف. "
    "وتطالب الجماعات بتطبيق وقف إطلاق النار الذي تم التوصل إليه نهاية العام 2016."
)
MISSION_TIMEXES = (
    timex(MISSION, "الخميس", "2017-05-04"),
    timex(MISSION, "بعد ساعات", "PXH", TimexType.DURATION, anchor=AnchorKind.EVENT),
    timex(MISSION, "نهاية العام 2016", "2016", mod="END", anchor=AnchorKind.NONE),
)


def test_mission_order() -> None:
    """The ceasefire (end of 2016) comes first, then the suspension, then the return."""
    events, _, contradictions = run(MISSION, THURSDAY, *MISSION_TIMEXES)
    assert_order(events, "التوصل", "إعلانها", "عودتها")
    assert not contradictions


def test_mission_bounds() -> None:
    """Suspension and return both lie within 3–4 May: «بعد ساعات» before a Thursday event."""
    events, _, _ = run(MISSION, THURSDAY, *MISSION_TIMEXES)
    may_3 = datetime(2017, 5, 3, tzinfo=ZONE)
    may_5 = datetime(2017, 5, 5, tzinfo=ZONE)
    for trigger in ("إعلانها", "عودتها"):
        event = find(events, trigger)
        assert event.earliest is not None and event.latest is not None
        assert may_3 <= event.earliest < event.latest <= may_5, trigger
    suspension = find(events, "إعلانها")
    assert "تعليق" in MISSION[suspension.start : suspension.end]
    assert suspension.time is not None and suspension.time.source == TimeSource.RELATION
    assert find(events, "عودتها").time is not None


def test_mission_links_the_hours_to_their_event() -> None:
    """«بعد ساعات» is anchored on the event it is counted from."""
    events, timexes, _ = run(MISSION, THURSDAY, *MISSION_TIMEXES)
    hours = next(t for t in timexes if t.text == "بعد ساعات")
    assert hours.anchor.kind == AnchorKind.EVENT
    assert hours.anchor.ref == find(events, "إعلانها").id
    relation = find(events, "إعلانها").relations[0]
    assert relation.type == RelationType.BEFORE
    assert relation.evidence is not None and "بعد ساعات" in relation.evidence.text


def test_mission_restating_verb_takes_the_previous_time() -> None:
    """«ويأتي القرار» is the return told again: the discourse carries its Thursday."""
    events, _, _ = run(MISSION, THURSDAY, *MISSION_TIMEXES)
    comes = find(events, "يأتي")
    assert comes.time is not None and comes.time.source == TimeSource.DISCOURSE
    assert comes.time.value == "2017-05-04"
    assert any(r.type == RelationType.SIMULTANEOUS for r in comes.relations)


def test_mission_order_without_the_length_of_time() -> None:
    """Even if «بعد ساعات» goes untagged, «بعد» still puts the suspension first."""
    events, _, _ = run(MISSION, THURSDAY, MISSION_TIMEXES[0], MISSION_TIMEXES[2])
    assert_order(events, "التوصل", "إعلانها", "عودتها")
    assert find(events, "إعلانها").relations[0].type == RelationType.BEFORE


def test_mission_through_the_tagger() -> None:
    """The whole pipeline on the mission text, with the real tagger."""
    from timeline.contract import Article
    from timeline.extract import extract_timeline

    article = Article(text=MISSION, published=datetime.fromisoformat(THURSDAY))
    timeline = extract_timeline(article)
    found = {t.text for t in timeline.time_expressions}
    if not {"الخميس", "نهاية العام 2016"} <= found:
        pytest.xfail(f"the tagger does not yet find the mission's expressions: {found}")
    assert_order(timeline.events, "التوصل", "إعلانها", "عودتها")


# relation cues

PUBLISHED = "2018-03-10T12:00:00+02:00"

CUES = [
    ("وصل الرئيس إلى القاهرة بعد انتهاء القمة.", "انتهاء", "وصل"),
    ("استقال الوزير عقب نشر التقرير.", "نشر", "استقال"),
    ("أغلقت الشرطة الطريق إثر انفجار سيارة مفخخة.", "انفجار", "أغلقت"),
    ("ارتفعت الأسعار في أعقاب قرار البنك المركزي.", "قرار", "ارتفعت"),
    ("غادر الوفد القاعة بعد أن رفض الاقتراح.", "رفض", "غادر"),
    ("وقبل وصول الوفد، أغلقت الشرطة الشوارع المحيطة.", "أغلقت", "وصول"),
    ("وقبل أن يعلن الرئيس النتائج، اجتمع المجلس لساعتين.", "اجتمع", "يعلن"),
    ("وتعيش المدينة هدوءا حذرا منذ انتهاء الحرب.", "انتهاء", "تعيش"),
    ("افتتح الوزير المعرض. وزار الوزير المصنع في وقت سابق.", "زار", "افتتح"),
    ("وصل الرئيس إلى باريس. وكان الرئيس قد التقى نظيره الألماني.", "التقى", "وصل"),
    ("وصل الوزير إلى بيروت. ثم التقى رئيس الحكومة.", "وصل", "التقى"),
    ("أعلنت الحكومة خطة جديدة للنقل. وأقر البرلمان الخطة لاحقا.", "أعلنت", "أقر"),
]


@pytest.mark.parametrize(("text", "first", "second"), CUES)
def test_relation_cue_orders_events(text: str, first: str, second: str) -> None:
    """Each cue puts its events in the order it states, whatever their text order."""
    events, _, contradictions = run(text, PUBLISHED)
    assert_order(events, first, second)
    assert not contradictions
    related = find(events, first).relations + find(events, second).relations
    assert related, "the order must come from a stated relation"


def test_after_connective_is_a_relation_with_evidence() -> None:
    """«بعد» makes the withdrawal BEFORE the arrival, with the cue as evidence."""
    text = "وصل الرئيس إلى القاهرة بعد انتهاء القمة."
    events, _, _ = run(text, PUBLISHED)
    end = find(events, "انتهاء")
    arrival = find(events, "وصل")
    (relation,) = end.relations
    assert relation.type == RelationType.BEFORE
    assert relation.target == arrival.id
    assert relation.evidence is not None and relation.evidence.text == "بعد"


def test_pluperfect_without_dates_is_earlier_than_the_narrative() -> None:
    """«وكانت … قد» puts the closure before the announcement told before it."""
    text = "أعلن الجيش حالة الطوارئ في المدينة. وكانت الشرطة قد أغلقت الطرق المؤدية إلى المطار."
    events, _, _ = run(text, PUBLISHED)
    assert_order(events, "أغلقت", "أعلن")
    closing = find(events, "أغلقت")
    assert closing.relations[0].type == RelationType.BEFORE
    assert closing.order == OrderBasis.RELATION


def test_pluperfect_with_dates_sorts_before_same_day_narrative() -> None:
    """Two events of the same day: the one told in the pluperfect comes first."""
    text = "أعلن الوزير الخميس استقالته من الحكومة. وكان الرئيس قد التقى الوزير الخميس في القصر."
    events, _, _ = run(
        text,
        THURSDAY,
        timex(text, "الخميس", "2017-05-04"),
        timex(text, "الخميس", "2017-05-04", nth=1),
    )
    assert_order(events, "التقى", "أعلن")


def test_measured_gap_bounds_the_later_event() -> None:
    """«وبعد يومين من ذلك» after a Sunday puts the announcement on Tuesday."""
    text = "اندلعت الاشتباكات في المدينة يوم الأحد. وبعد يومين من ذلك، أعلن الجيش وقف العمليات."
    events, _, _ = run(
        text,
        "2018-03-10T12:00:00+02:00",
        timex(text, "يوم الأحد", "2018-03-04"),
        timex(text, "يومين", "P2D", TimexType.DURATION, anchor=AnchorKind.EVENT),
    )
    announcement = find(events, "أعلن")
    zone = timezone(timedelta(hours=2))
    assert announcement.earliest == datetime(2018, 3, 6, tzinfo=zone)
    assert announcement.latest == datetime(2018, 3, 7, tzinfo=zone)
    assert announcement.relations[0].type == RelationType.AFTER
    assert_order(events, "اندلعت", "أعلن")


# anchoring


def test_own_sentence_and_publication_times() -> None:
    """A date in the clause is its own; the next clause of the sentence shares it; the
    lede's undated event happened at publication."""
    text = (
        "عقد البرلمان جلسة طارئة لمناقشة الموازنة. "
        "وفي العاشر من آذار صوت النواب على القانون وأقروا تعديلاته."
    )
    events, _, _ = run(text, PUBLISHED, timex(text, "العاشر من آذار", "2018-03-10"))
    assert find(events, "عقد").time.source == TimeSource.PUBLICATION  # type: ignore[union-attr]
    assert find(events, "صوت").time.source == TimeSource.OWN  # type: ignore[union-attr]
    assert find(events, "أقروا").time.source == TimeSource.SENTENCE  # type: ignore[union-attr]


def test_date_of_an_eventless_connective_phrase_is_not_the_clause_time() -> None:
    """«بعد أن كانت … بنهاية حزيران من العام الماضي» compares; it does not date the fall."""
    text = "وتراجعت الاحتياطيات 20 في المائة بعد أن كانت 1.4 تريليون بنهاية حزيران من العام الماضي."
    events, _, _ = run(text, PUBLISHED, timex(text, "حزيران من العام الماضي", "2017-06"))
    fell = find(events, "تراجعت")
    assert fell.time is None or fell.time.value != "2017-06"


def test_discourse_carries_time_to_simultaneous_event() -> None:
    """«وفي الوقت نفسه» dates its event with the time of the event told before."""
    text = "قصفت الطائرات مواقع المسلحين الأحد. وفي الوقت نفسه، أغلقت الشرطة المعابر الحدودية."
    events, _, _ = run(text, PUBLISHED, timex(text, "الأحد", "2018-03-04"))
    closing = find(events, "أغلقت")
    assert closing.time is not None
    assert closing.time.source == TimeSource.DISCOURSE
    assert closing.time.value == "2018-03-04"
    assert closing.relations[0].type == RelationType.SIMULTANEOUS


def test_next_day_is_anchored_on_the_event_before() -> None:
    """A date the tagger resolved against the discourse points at the event told before."""
    text = "وصل الوفد إلى جنيف يوم الأحد. وفي اليوم التالي، بدأت المفاوضات في قصر الأمم."
    events, timexes, _ = run(
        text,
        PUBLISHED,
        timex(text, "يوم الأحد", "2018-03-04"),
        timex(text, "في اليوم التالي", "2018-03-05", anchor=AnchorKind.EVENT),
    )
    started = find(events, "بدأت")
    assert started.time is not None and started.time.source == TimeSource.DISCOURSE
    next_day = next(t for t in timexes if t.text == "في اليوم التالي")
    assert next_day.anchor.ref == find(events, "وصل").id
    assert_order(events, "وصل", "بدأت")


def test_event_without_time_gets_none_and_keeps_text_order() -> None:
    """An undated event after the lede gets no time, only its place in the text."""
    text = (
        "التقى الرئيس وفد المعارضة الأحد في القصر. "
        "وتغيب رئيس الوفد عن الجلسة. "
        "وناقش الطرفان مستقبل المفاوضات."
    )
    events, _, _ = run(text, PUBLISHED, timex(text, "الأحد", "2018-03-04"))
    absent = find(events, "تغيب")
    assert absent.time is None
    assert absent.order == OrderBasis.TEXT
    assert_order(events, "التقى", "تغيب", "ناقش")


def test_dates_order_events_against_text_order() -> None:
    """Dates win over text order: the closure of 9 July comes before Sunday's statement."""
    text = (
        "أعلن وزير الدفاع الأحد أن المعبر سيفتح الثلاثاء. "
        "وفي التاسع من تموز أغلقت السلطات المعبر. "
        "وفي 17 تموز شددت السلطات القيود على الصيادين."
    )
    events, _, _ = run(
        text,
        "2018-07-22T13:00:00+04:00",
        timex(text, "الأحد", "2018-07-22"),
        timex(text, "الثلاثاء", "2018-07-24"),
        timex(text, "التاسع من تموز", "2018-07-09"),
        timex(text, "17 تموز", "2018-07-17"),
    )
    assert_order(events, "أغلقت", "شددت", "أعلن", "سيفتح")
    assert find(events, "سيفتح").time.source == TimeSource.OWN  # type: ignore[union-attr]


def test_a_part_of_a_day_sorts_at_its_middle() -> None:
    """A crash «صباح الأحد» comes after a take-off at eight that morning, though the
    morning begins before eight."""
    text = "وأقلعت الطائرة الساعة الثامنة صباحا. وتحطمت الطائرة صباح الأحد فوق الجبل."
    events, _, _ = run(
        text,
        "2018-03-04T18:00:00+02:00",
        timex(text, "الساعة الثامنة صباحا", "2018-03-04T08:00", TimexType.TIME),
        timex(text, "صباح الأحد", "2018-03-04TMO", TimexType.TIME),
    )
    assert_order(events, "أقلعت", "تحطمت")


def test_the_year_a_plan_is_for_dates_no_event() -> None:
    """«لعام 2018» says what the plan is for; the signing is dated by «أمس»."""
    text = "وشهد الوزيران توقيع خطة الاستجابة لعام 2018 في الرياض أمس."
    events, _, _ = run(
        text,
        PUBLISHED,
        timex(text, "عام 2018", "2018"),
        timex(text, "أمس", "2018-03-09"),
    )
    dated = find(events, "شهد")
    assert dated.time is not None and dated.time.value == "2018-03-09"


def test_what_a_report_tells_in_the_past_comes_before_the_report() -> None:
    """«قالت الشرطة الأربعاء إنها فتحت تحقيقا»: the opening of the inquiry, dated by
    its report's day, comes before the report."""
    text = "قالت الشرطة الأربعاء إنها فتحت تحقيقا في الحادث."
    events, _, _ = run(text, PUBLISHED, timex(text, "الأربعاء", "2018-03-07"))
    assert_order(events, "فتحت", "قالت")


# reporting frames and headlines


def test_reporting_frame_does_not_swallow_what_it_reports() -> None:
    """«وذكرت الوكالة أن الوفد انسحب»: two events, the frame a reporting one."""
    text = "التقى الوسطاء الوفدين صباحا. وذكرت وكالة الأنباء أن الوفد انسحب من الاجتماع غاضبا."
    events, _, _ = run(text, PUBLISHED)
    said = find(events, "ذكرت")
    withdrew = find(events, "انسحب")
    assert said.reporting and not withdrew.reporting
    assert said.end <= withdrew.start
    _spans_do_not_overlap(events)


def test_report_keeps_its_date_from_the_frame() -> None:
    """What is reported, even with an unlisted verb, is its own clause with its own date;
    the report itself does not take that date."""
    text = "عقد المجلس البلدي جلسته الأسبوعية. وذكرت الصحيفة أن الشرطة طوقتها في العاشر من آذار."
    events, _, _ = run(text, PUBLISHED, timex(text, "العاشر من آذار", "2018-03-10"))
    reported = find(events, "طوقتها")
    assert reported.time is not None and reported.time.value == "2018-03-10"
    said = find(events, "ذكرت")
    assert said.reporting
    assert said.time is None or said.time.value != "2018-03-10"


def test_reporting_verb_with_verbal_noun_object() -> None:
    """«أعلن الوزير الجديد استقالته»: the verbal noun is an event of its own."""
    text = "أعلن الوزير الجديد استقالته من الحكومة."
    events, _, _ = run(text, PUBLISHED)
    assert [e.trigger.text for e in events] == ["أعلن", "استقالته"]
    assert events[0].reporting or find(events, "أعلن").reporting


def test_quote_after_colon_is_reported() -> None:
    """«وقال الوزير: "…"»: the quotation is its own clause."""
    text = 'وقال الوزير في بيان: "سنفتح المعبر بعد عودة الهدوء".'
    events, _, _ = run(text, PUBLISHED)
    said = find(events, "قال")
    assert said.reporting
    assert find(events, "سنفتح").start > said.start
    _spans_do_not_overlap(events)


def test_short_quote_after_a_noun_is_a_name() -> None:
    """«شركة "النيل"» is a name in quotes, not a quotation: the frame keeps its subject."""
    text = 'وأعلنت شركة "النيل للطيران" أنها ستفتح خطا جديدا إلى روما.'
    events, _, _ = run(text, PUBLISHED)
    assert [e.trigger.text for e in events] == ["أعلنت", "ستفتح"]
    assert find(events, "أعلنت").reporting


def test_dateline_does_not_hide_the_first_verb() -> None:
    """After «المدينة (CNN)--» the sentence starts again: an unlisted verb is still found."""
    text = "القاهرة (CNN)-- استقطبت المدينة آلاف الزوار الأحد."
    events, _, _ = run(text, PUBLISHED, timex(text, "الأحد", "2018-03-04"))
    assert events[0].trigger.text == "استقطبت"
    assert events[0].time is not None and events[0].time.value == "2018-03-04"


def test_headline_repeat_is_linked_to_the_body_event() -> None:
    """A headline line repeating a body event is ``same_as`` and placed next to it."""
    text = (
        "الوفد يقاطع جلسة المحادثات\n\n"
        "افتتح الوسيط الدولي الجولة الجديدة من المحادثات الخميس. "
        "وقاطع وفد المعارضة الجلسة احتجاجا على القصف."
    )
    events, _, _ = run(text, THURSDAY, timex(text, "الخميس", "2017-05-04"))
    headline = next(e for e in events if e.start < text.index("\n"))
    body = find(events, "قاطع")
    assert headline.same_as == body.id
    assert position(events, headline.trigger.text) == position(events, "قاطع") + 1


# contradictions


def test_contradiction_between_relation_and_dates_is_reported() -> None:
    """A stated order against the stated dates is reported, not silently resolved."""
    text = "وصل الوفد إلى جنيف يوم الجمعة بعد انتهاء المؤتمر يوم السبت."
    events, _, contradictions = run(
        text,
        "2017-05-08T10:00:00+03:00",
        timex(text, "يوم الجمعة", "2017-05-05"),
        timex(text, "يوم السبت", "2017-05-06"),
    )
    assert len(contradictions) == 1
    ids = {find(events, "وصل").id, find(events, "انتهاء").id}
    assert set(contradictions[0].events) == ids
    # the dates still order the events
    assert_order(events, "وصل", "انتهاء")


def test_years_ago_is_not_before_the_previous_event() -> None:
    """«قبل سنوات» counts back from now, not from the event told before it."""
    text = "افتتح الرئيس المستشفى الأحد. وكان الوزير قد استقال من منصبه قبل سنوات."
    events, _, contradictions = run(
        text,
        PUBLISHED,
        timex(text, "الأحد", "2018-03-04"),
        timex(text, "قبل سنوات", "PXY", TimexType.DURATION),
    )
    resigned = find(events, "استقال")
    assert all(r.evidence is None or "قبل" not in r.evidence.text for r in resigned.relations)
    assert not contradictions


def test_weak_simultaneity_does_not_override_dates() -> None:
    """«مع» before a differently dated event is an inference the dates set aside."""
    text = "وارتفعت الصادرات في أيار مع زيادة الطلب في نيسان."
    events, _, contradictions = run(
        text,
        PUBLISHED,
        timex(text, "أيار", "2018-05"),
        timex(text, "نيسان", "2018-04"),
    )
    assert not contradictions
    assert_order(events, "زيادة", "ارتفعت")


# the contract


def test_events_are_valid_contract_objects() -> None:
    """Every event validates against the contract, triggers lie in their clauses."""
    events, _, _ = run(MISSION, THURSDAY, *MISSION_TIMEXES)
    for event in events:
        again = Event.model_validate(event.model_dump())
        assert again == event
        assert event.start <= event.trigger.start < event.trigger.end <= event.end
        assert MISSION[event.trigger.start : event.trigger.end] == event.trigger.text
    _spans_do_not_overlap(events)


def test_a_verbal_noun_after_inna_is_no_verb() -> None:
    """«إن تبادل الأسرى سيبدأ»: after a bare «إن» the perfect-looking «تبادل» is the
    verbal noun, and the clause's event is «سيبدأ»."""
    text = "وقال الوسيط إن تبادل الأسرى سيبدأ في الميناء."
    events, _, _ = run(text, PUBLISHED)
    assert [e.trigger.text for e in sorted(events, key=lambda e: e.start)] == ["قال", "سيبدأ"]


def test_a_relative_clause_after_a_reported_noun_is_its_own() -> None:
    """«تطالب بتطبيق وقف إطلاق النار الذي تم التوصل إليه»: the relative clause tells
    the truce, an event of its own."""
    text = "وتطالب الجماعات بتطبيق وقف إطلاق النار الذي تم التوصل إليه في الربيع."
    events, _, _ = run(text, PUBLISHED)
    assert [e.trigger.text for e in sorted(events, key=lambda e: e.start)] == [
        "تطالب",
        "تطبيق",
        "التوصل",
    ]
