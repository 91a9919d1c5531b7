"""True dates: seasons, closures, special dates, courses and pauses give the meetings that really happen."""

from __future__ import annotations

from datetime import date, time

import pytest
import yaml

from aktivsammen.dates import closure_text, meetings, next_meetings, pause_text, public_holidays, upcoming
from aktivsammen.loading import load_activity
from aktivsammen.model import Activity
from aktivsammen.problems import ContentError
from tests.conftest import VALID_ACTIVITY

TUESDAYS_AT_TEN = [{"repeat": "ugentlig", "days": ["tirsdag"], "start": "10:00", "end": "11:30"}]


def activity(vocabularies, **changes) -> Activity:
    data = yaml.safe_load(VALID_ACTIVITY) | {"season": None, "schedule": TUESDAYS_AT_TEN} | changes
    return Activity.model_validate(data, context={"vocabularies": vocabularies})


def days(found) -> list[date]:
    return [meeting.day for meeting in found]


def test_a_weekly_activity_meets_every_week(vocabularies):
    found = meetings(activity(vocabularies), vocabularies, date(2026, 12, 1), date(2026, 12, 31))
    assert days(found) == [date(2026, 12, day) for day in (1, 8, 15, 22, 29)]
    assert found[0].start == time(10) and found[0].end == time(11, 30)


@pytest.mark.parametrize(
    ("closed", "left"),
    [
        ({"months": ["december"]}, []),
        ({"weeks": [51, 52]}, [1, 8, 29]),  # 15 and 22 December 2026 are in ISO weeks 51 and 52
        ({"dates": ["2026-12-22"]}, [1, 8, 15, 29]),
        ({"ranges": [{"from": "2026-12-20", "until": "2027-01-06"}]}, [1, 8, 15]),
        ({"periods": ["juleferie"]}, [1, 8, 15]),  # 19 December 2026 to 3 January 2027
        ({"periods": ["mellem-jul-og-nytaar"]}, [1, 8, 15, 22]),  # 24.12 to 1.1, every year
    ],
)
def test_every_kind_of_closure_removes_the_days_it_covers(vocabularies, closed, left):
    found = meetings(
        activity(vocabularies, closed=closed), vocabularies, date(2026, 12, 1), date(2026, 12, 31)
    )
    assert days(found) == [date(2026, 12, day) for day in left]


def test_public_holidays_come_from_the_holidays_package(vocabularies):
    assert {date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17), date(2026, 12, 25)} <= (
        public_holidays(2027) | public_holidays(2026)
    )  # 2. påskedag, Kristi himmelfart, 2. pinsedag, juledag
    mondays = [{"repeat": "ugentlig", "days": ["mandag"], "start": "10:00"}]
    closed = activity(vocabularies, schedule=mondays, closed={"public_holidays": True})
    found = days(meetings(closed, vocabularies, date(2027, 3, 22), date(2027, 4, 5)))
    assert found == [date(2027, 3, 22), date(2027, 4, 5)]  # not 2. påskedag, 29 March


def test_a_special_date_replaces_the_usual_meeting_that_day(vocabularies):
    party = {"date": "2026-12-15", "start": "17:00", "end": "21:00", "note": "Julefest"}
    extra = {"date": "2026-12-19", "start": "14:00"}
    found = meetings(activity(vocabularies, special_dates=[party, extra]), vocabularies,
                     date(2026, 12, 10), date(2026, 12, 20))  # fmt: skip
    assert [(m.day, m.start, m.special) for m in found] == [
        (date(2026, 12, 15), time(17), True),
        (date(2026, 12, 19), time(14), True),
    ]
    assert found[0].text() == "tirsdag 15. december kl. 17.00–21.00 (Julefest)"


def test_special_dates_stand_even_in_a_closed_month(vocabularies):
    dance = {"date": "2026-12-20", "start": "14:00", "note": "Juledans"}
    found = meetings(activity(vocabularies, closed={"months": ["december"]}, special_dates=[dance]),
                     vocabularies, date(2026, 12, 1), date(2026, 12, 31))  # fmt: skip
    assert days(found) == [date(2026, 12, 20)]


def test_a_course_has_its_sessions_with_closed_weeks_skipped(vocabularies):
    course = [
        {"repeat": "forløb", "days": ["tirsdag"], "first_date": "2027-01-26", "sessions": 4, "start": "10:00"}
    ]
    closed = activity(vocabularies, schedule=course, closed={"periods": ["vinterferie"]})
    found = meetings(closed, vocabularies, date(2027, 1, 1), date(2027, 12, 31))
    # 16 February 2027 is in the winter holiday: the course meets the week after instead.
    assert days(found) == [date(2027, 1, 26), date(2027, 2, 2), date(2027, 2, 9), date(2027, 2, 23)]


def test_a_course_must_start_on_one_of_its_days(vocabularies):
    course = [
        {"repeat": "forløb", "days": ["tirsdag"], "first_date": "2027-01-27", "sessions": 4, "start": "10:00"}
    ]
    with pytest.raises(ValueError, match="2027-01-27 er en onsdag"):
        activity(vocabularies, schedule=course)


def test_a_season_bounds_the_meetings(vocabularies):
    season = {"from": "2026-09-01", "until": "2026-12-10"}
    found = meetings(
        activity(vocabularies, season=season), vocabularies, date(2026, 12, 1), date(2027, 1, 31)
    )
    assert days(found) == [date(2026, 12, 1), date(2026, 12, 8)]


def test_paused_and_cancelled_activities_have_no_meetings(vocabularies):
    today = date(2026, 12, 2)
    paused = activity(vocabularies, status="pause")
    assert next_meetings(paused, vocabularies, today) == []
    assert pause_text(paused) == "Holder pause. Ring og spørg, hvornår holdet begynder igen."
    resuming = activity(vocabularies, status="pause", paused_until="2027-01-05")
    assert days(next_meetings(resuming, vocabularies, today, 2)) == [date(2027, 1, 5), date(2027, 1, 12)]
    assert pause_text(resuming) == "Holder pause til tirsdag 5. januar 2027."
    cancelled = activity(vocabularies, status="aflyst")
    assert next_meetings(cancelled, vocabularies, today) == [] and "Aflyst" in pause_text(cancelled)
    with pytest.raises(ValueError, match="paused_until bruges kun, når status er pause"):
        activity(vocabularies, paused_until="2027-01-05")


def test_every_other_week_and_monthly_rules_still_hold(vocabularies):
    biweekly = [
        {"repeat": "hver-anden-uge", "days": ["onsdag"], "first_date": "2026-12-02", "start": "14:00"}
    ]
    monthly = [{"repeat": "månedlig", "days": ["mandag"], "weeks": ["første", "sidste"], "start": "19:00"}]
    first = meetings(
        activity(vocabularies, schedule=biweekly), vocabularies, date(2026, 12, 1), date(2026, 12, 31)
    )
    second = meetings(
        activity(vocabularies, schedule=monthly), vocabularies, date(2026, 12, 1), date(2027, 1, 31)
    )
    assert days(first) == [date(2026, 12, 2), date(2026, 12, 16), date(2026, 12, 30)]
    assert days(second) == [date(2026, 12, 7), date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 25)]


def test_closures_in_words(vocabularies):
    closed = {
        "months": ["december", "juli"],
        "weeks": [29, 30, 31, 42],
        "periods": ["efteraarsferie"],
        "public_holidays": True,
        "dates": ["2027-03-01"],
        "ranges": [{"from": "2026-12-20", "until": "2027-01-06"}],
    }
    assert closure_text(activity(vocabularies, closed=closed), vocabularies) == (
        "Ingen møder i juli og december, i uge 29-31 og 42, i efterårsferien, på helligdage, "
        "fra 20. december 2026 til 6. januar 2027 og den 1. marts 2027."
    )
    assert closure_text(activity(vocabularies), vocabularies) is None


@pytest.mark.parametrize(
    ("closed", "words"),
    [
        ({"weeks": [54]}, "for stor"),
        ({"months": ["juuli"]}, "'juuli' er ikke tilladt"),
        ({"periods": ["sommerfri"]}, "'sommerfri' er ikke en kendt ferie eller periode"),
        ({"ranges": [{"from": "2027-01-06", "until": "2026-12-20"}]}, "perioden slutter (2026-12-20) før"),
    ],
)
def test_bad_closures_are_told_in_danish(tmp_path, vocabularies, closed, words):
    path = tmp_path / "gaaklub.yaml"
    path.write_text(VALID_ACTIVITY + yaml.safe_dump({"closed": closed}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="gaaklub.yaml")
    (problem,) = raised.value.problems
    assert problem.field.startswith("closed") and words in problem.message and problem.line > 30


def test_notes_that_still_tell_dates_are_found(vocabularies):
    from aktivsammen.dates import notes_with_dates

    told = activity(
        vocabularies, schedule_note="Ingen møder i juli, i uge 42 og i juleferien. Julefest 17. december."
    )
    assert notes_with_dates(told, vocabularies) == [
        (("schedule_note",), "17. december"), (("schedule_note",), "juli"), (("schedule_note",), "uge 42"),
        (("schedule_note",), "juleferien"), (("schedule_note",), "julefest"),
    ]  # fmt: skip
    held = activity(
        vocabularies,
        schedule_note="Ingen møder i juli, i uge 42 og i juleferien. Julefest 17. december.",
        closed={"months": ["juli"], "weeks": [42], "periods": ["juleferie"]},
        special_dates=[{"date": "2026-12-17", "start": "17:00", "note": "Julefest"}],
    )
    assert notes_with_dates(held, vocabularies) == []
    assert (
        notes_with_dates(activity(vocabularies, schedule_note="Vi går i al slags vejr."), vocabularies) == []
    )


def test_a_course_every_other_week(vocabularies):
    course = [{"repeat": "forløb", "days": ["torsdag"], "first_date": "2027-01-07", "sessions": 3,
               "interval_weeks": 2, "start": "14:00"}]  # fmt: skip
    found = meetings(
        activity(vocabularies, schedule=course), vocabularies, date(2027, 1, 1), date(2027, 12, 31)
    )
    assert days(found) == [date(2027, 1, 7), date(2027, 1, 21), date(2027, 2, 4)]


def test_the_shipped_content_has_its_closures_as_data(vocabularies):
    """The associations' date notes were moved into the data: the Demenscafé has no meeting in July or
    December, the IT-café none in Christmas week, nothing paused is shown as meeting."""
    from aktivsammen.loading import load_content
    from tests.conftest import CONTENT

    entries = {
        entry.slug: entry.activity
        for entry in load_content([CONTENT / "activities"], vocabularies).activities
    }
    year = (date(2026, 12, 1), date(2027, 11, 30))
    jelling = days(meetings(entries["demenscafe-jelling"], vocabularies, *year))
    assert jelling and not [day for day in jelling if day.month in (7, 12)]
    it_cafe = days(meetings(entries["it-cafe-jelling"], vocabularies, *year))
    assert date(2026, 12, 22) not in it_cafe and date(2026, 12, 8) in it_cafe
    assert not [day for day in it_cafe if day.month == 7]
    for slug, paused in entries.items():
        if paused.status.value != "aktiv" and not paused.paused_until:
            assert meetings(paused, vocabularies, *year) == [], slug
    mastery = days(meetings(entries["mestringsforloeb-noerremarken"], vocabularies, *year))
    assert len(mastery) == 8 and date(2027, 2, 17) not in mastery


def test_a_course_says_when_the_next_one_starts_and_how_far_it_has_come(vocabularies):
    course = [{"repeat": "forløb", "days": ["onsdag"], "first_date": "2027-01-13", "sessions": 8,
               "start": "09:30", "end": "11:30"}]  # fmt: skip
    course_activity = activity(vocabularies, schedule=course, closed={"periods": ["vinterferie"]})
    before = upcoming(course_activity, vocabularies, date(2026, 12, 3))
    assert before.course == "Næste hold starter onsdag 13. januar 2027: 8 gange i alt."
    assert before.next[0].day == date(2027, 1, 13)
    running = upcoming(course_activity, vocabularies, date(2027, 2, 25))  # after the winter holiday
    assert running.course == "Holdet er i gang: 2 af 8 gange tilbage. Spørg, om du kan komme med."
    assert upcoming(course_activity, vocabularies, date(2027, 4, 1)).course is None
    assert upcoming(activity(vocabularies), vocabularies, date(2026, 12, 3)).course is None
