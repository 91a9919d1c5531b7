"""Calendars parse (icalendar) and expand (recurring-ical-events) to the right local dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import yaml

from aktivsammen.calendar import activity_events, calendar
from aktivsammen.model import Activity
from tests.conftest import VALID_ACTIVITY

URL = "https://aktivsammen.example.dk/aktivitet/gaaklub/"


def ics(vocabularies, **changes) -> icalendar.Calendar:
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    return icalendar.Calendar.from_ical(
        calendar("Test", activity_events(activity, "gaaklub", URL, "example.dk"))
    )


def starts(cal, first: date, last: date) -> list[datetime]:
    events = recurring_ical_events.of(cal).between(first, last + timedelta(days=1))
    return sorted(event["DTSTART"].dt for event in events)


SEASON = {"from": date(2026, 9, 1), "until": date(2026, 12, 31)}


@pytest.mark.parametrize(
    ("slot", "expected"),
    [
        ({"repeat": "månedlig", "days": ["mandag"], "weeks": ["første"], "start": "19:00"},
         ["2026-09-07", "2026-10-05", "2026-11-02", "2026-12-07"]),
        ({"repeat": "månedlig", "days": ["tirsdag"], "weeks": ["sidste"], "start": "16:00"},
         ["2026-09-29", "2026-10-27", "2026-11-24", "2026-12-29"]),
        ({"repeat": "månedlig", "days": ["onsdag"], "weeks": ["anden", "fjerde"], "start": "10:00"},
         ["2026-09-09", "2026-09-23", "2026-10-14", "2026-10-28", "2026-11-11", "2026-11-25", "2026-12-09",
          "2026-12-23"]),
        ({"repeat": "hver-anden-uge", "days": ["onsdag"], "first_date": "2026-08-26", "start": "14:00"},
         ["2026-09-09", "2026-09-23", "2026-10-07", "2026-10-21", "2026-11-04", "2026-11-18", "2026-12-02",
          "2026-12-16", "2026-12-30"]),
    ],
)  # fmt: skip
def test_held_back_schedules_give_the_right_dates(vocabularies, slot, expected):
    cal = ics(vocabularies, schedule=[slot], season=SEASON)
    found = starts(cal, date(2026, 8, 1), date(2027, 3, 1))  # the season's UNTIL ends them
    assert [d.date().isoformat() for d in found] == expected
    assert all(d.strftime("%H:%M") == slot["start"] for d in found)


def test_weekly_time_stays_local_across_the_change_from_summer_time(vocabularies):
    slot = {"repeat": "ugentlig", "days": ["tirsdag", "fredag"], "start": "10:00", "end": "11:30"}
    found = starts(ics(vocabularies, schedule=[slot], season=SEASON), date(2026, 10, 19), date(2026, 10, 31))
    assert [d.isoformat() for d in found] == [
        "2026-10-20T10:00:00+02:00", "2026-10-23T10:00:00+02:00",  # summer time
        "2026-10-27T10:00:00+01:00", "2026-10-30T10:00:00+01:00",  # winter time from 25 October
    ]  # fmt: skip


def test_rule_uses_utc_until_and_the_copenhagen_zone(vocabularies):
    cal = ics(vocabularies, season=SEASON)
    [event] = cal.walk("VEVENT")
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["TU"]
    assert rule["UNTIL"][0].isoformat() == "2026-12-31T22:59:59+00:00"  # 23:59:59 in Copenhagen
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert str(event["UID"]) == "gaaklub-0@example.dk"
    assert str(event["URL"]) == URL and "Eksempelvej 40" in str(event["LOCATION"])


def test_one_off_dates_are_single_events_and_no_season_starts_at_confirmation(vocabularies):
    dates = [{"repeat": "datoer", "dates": ["2026-12-05", "2027-01-09"], "start": "10:00", "end": "14:00"}]
    cal = ics(vocabularies, schedule=dates)
    assert [e.get("RRULE") for e in cal.walk("VEVENT")] == [None, None]
    assert [d.date().isoformat() for d in starts(cal, date(2026, 1, 1), date(2027, 12, 31))] == [
        "2026-12-05", "2027-01-09"]  # fmt: skip
    weekly = ics(vocabularies, season=None)  # verified 2026-10-01: first Tuesday after is 6 October
    assert starts(weekly, date(2026, 1, 1), date(2026, 10, 13))[0].date() == date(2026, 10, 6)


def test_cancelled_activities_say_so(vocabularies):
    [event] = ics(vocabularies, status="aflyst").walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"


def test_fast_serialization_is_byte_for_byte_icalendars(vocabularies):
    """to_ical() skips icalendar's folding only for lines that need none; the bytes are the same."""
    from aktivsammen.calendar import to_ical

    data = yaml.safe_load(VALID_ACTIVITY) | {"title": "Æblegrød og kaffe i Ærøskøbing" * 2, "season": SEASON}
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    events = activity_events(activity, "gaaklub", URL, "example.dk")
    assert [to_ical(event) for event in events] == [event.to_ical() for event in events]
    whole = icalendar.Calendar.from_ical(calendar("Å" * 80, events))
    assert whole["X-WR-CALNAME"] == "Å" * 80
