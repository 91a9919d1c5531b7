"""Calendars parse (icalendar) and expand (recurring-ical-events) to the right local dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import yaml

from aktivsammen.calendar import TIMEZONE_ICAL, activity_events, calendar
from aktivsammen.model import Activity
from tests.conftest import VALID_ACTIVITY

URL = "https://aktivsammen.example.dk/aktivitet/gaaklub/"


def ics(vocabularies, **changes) -> icalendar.Calendar:
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    return icalendar.Calendar.from_ical(
        calendar("Test", activity_events(activity, "gaaklub", URL, "example.dk", vocabularies))
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


def test_the_time_zone_is_tzdatas_copenhagen_for_every_hour_to_2037():
    """The VTIMEZONE is written as yearly rules (the form every calendar app reads); icalendar's own
    reading of them gives tzdata's offset at every hour, both changes of every year included."""
    zone = icalendar.Timezone.from_ical(TIMEZONE_ICAL).to_tz()
    tzdata = ZoneInfo("Europe/Copenhagen")
    hour = datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC"))
    changes = 0
    while hour.year < 2038:
        assert hour.astimezone(zone).utcoffset() == hour.astimezone(tzdata).utcoffset(), hour
        before = (hour - timedelta(hours=1)).astimezone(tzdata).utcoffset()
        changes += hour.astimezone(tzdata).utcoffset() != before
        hour += timedelta(hours=1)
    assert changes == 2 * 14


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


def icalendar_events(activity: Activity, slug: str, url: str, domain: str) -> list[bytes]:
    """The same events built with icalendar's objects: what the calendars were written with before."""
    from datetime import time
    from zoneinfo import ZoneInfo

    from aktivsammen.calendar import ZONE, byday, first_meeting
    from aktivsammen.model import BiweeklySlot, DatesSlot, MonthlySlot, Status
    from aktivsammen.schedule import describe_price, describe_slot

    def event(uid, day, slot):
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", datetime.combine(activity.verified, time(0, 0), ZoneInfo("UTC")))
        event.add("summary", activity.title)
        event.add("dtstart", datetime.combine(day, slot.start, ZONE))
        if slot.end:
            event.add("dtend", datetime.combine(day, slot.end, ZONE))
        place = activity.location
        event.add("location", f"{place.name}, {place.address}, {place.postcode} {place.city}")
        lines = [activity.summary, describe_slot(slot), f"Pris: {describe_price(activity)}",
                 f"Arrangør: {activity.organizer.name}"]  # fmt: skip
        lines += [activity.schedule_note] if activity.schedule_note else []
        event.add("description", "\n".join([*lines, f"Læs mere: {url}"]))
        event.add("url", url)
        event.add("status", "CANCELLED" if activity.status is Status.AFLYST else "CONFIRMED")
        return event

    events = []
    for number, slot in enumerate(activity.schedule):
        if isinstance(slot, DatesSlot):
            events += [
                event(f"{slug}-{number}-{day:%Y%m%d}@{domain}", day, slot) for day in sorted(slot.dates)
            ]
            continue
        rule = icalendar.vRecur(
            FREQ="MONTHLY" if isinstance(slot, MonthlySlot) else "WEEKLY", BYDAY=byday(slot)
        )
        if isinstance(slot, BiweeklySlot):
            rule["INTERVAL"], rule["WKST"] = 2, "MO"
        if activity.season:
            until = datetime.combine(activity.season.until, time(23, 59, 59), ZONE)
            rule["UNTIL"] = until.astimezone(ZoneInfo("UTC"))
        events.append(event(f"{slug}-{number}@{domain}", first_meeting(activity, slot), slot))
        events[-1].add("rrule", rule)
    return [event.to_ical() for event in events]


AWKWARD = {  # escapes, quotes and folding of lines with multi-byte letters
    "title": "Æblegrød, kaffe; og \\\\ snak i Ærøskøbing og på Ærø med æbler",
    "summary": "Kom; vær med, \\N ikke en ny linje. Æøå " * 3,
    "schedule_note": "Sommerpause i juli,\r\nog i august\\" + "x" * 58,
}
ORGANIZERS = ["Forening", 'Den "gode" forening', "Ældre^sagen; Vejle", "O'Brien", "A:B,C", "Kør’ ud"]
SLOTS = [
    {"repeat": "ugentlig", "days": ["tirsdag", "fredag"], "start": "10:00"},
    {
        "repeat": "hver-anden-uge",
        "days": ["onsdag"],
        "first_date": "2026-08-26",
        "start": "14:00",
        "end": "16:00",
    },
    {"repeat": "månedlig", "days": ["tirsdag"], "weeks": ["anden", "sidste"], "start": "19:30"},
    {"repeat": "datoer", "dates": ["2026-12-05", "2027-01-09"], "start": "10:00", "end": "14:00"},
]


@pytest.mark.parametrize("season", [SEASON, None])
@pytest.mark.parametrize("organizer", ORGANIZERS)
def test_serialization_is_byte_for_byte_icalendars(vocabularies, season, organizer):
    """The calendars are written without icalendar's objects; the bytes are the ones it writes."""
    base = yaml.safe_load(VALID_ACTIVITY)
    shifted = [AWKWARD | {"title": "x" * (n % 12) + AWKWARD["title"], "summary": "y" * n + AWKWARD["summary"]}
               for n in range(24)]  # fmt: skip  # escapes at every place a line is folded
    cancelled = {"status": "aflyst", "contact": {"name": "X", "phone": "+45 00 00 00 00"}}
    for changes in ({}, *shifted, cancelled):
        data = base | {"season": season, "schedule": SLOTS, "organizer": {"name": organizer}} | changes
        activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
        url = URL + "æ" * 40
        expected = icalendar_events(activity, "gaaklub", url, "example.dk")
        written = activity_events(activity, "gaaklub", url, "example.dk", vocabularies)
        assert written == expected
        assert not any(b"ORGANIZER" in event for event in written)  # not an invitation
    whole = icalendar.Calendar()
    for key, value in (("prodid", "-//AktivSammen//Aktivitetsguide//DA"), ("version", "2.0"),
                       ("calscale", "GREGORIAN"), ("x-wr-calname", "Å, " * 40),
                       ("x-wr-timezone", "Europe/Copenhagen")):  # fmt: skip
        whole.add(key, value)
    whole.add_component(icalendar.Timezone.from_ical(TIMEZONE_ICAL))
    for event in expected:
        whole.add_component(icalendar.Event.from_ical(event))
    assert calendar("Å, " * 40, expected) == whole.to_ical()


# --- true dates: closures, special dates, courses and pauses, as the calendar apps expand them ------

WEEKLY = [{"repeat": "ugentlig", "days": ["tirsdag"], "start": "10:00", "end": "12:00"}]
TRUE_DATE_CASES = {
    "no café in July and December": {"closed": {"months": ["juli", "december"]}},
    "pause in weeks 29-31": {"closed": {"weeks": [29, 30, 31]}},
    "closed in the school holidays": {"closed": {"periods": ["efteraarsferie", "juleferie", "vinterferie"]}},
    "closed on public holidays, Mondays": {
        "schedule": [{"repeat": "ugentlig", "days": ["mandag"], "start": "19:00"}],
        "closed": {"public_holidays": True},
    },
    "a Christmas party instead": {
        "closed": {"dates": ["2026-12-29"]},
        "special_dates": [{"date": "2026-12-22", "start": "17:00", "end": "21:00", "note": "Julefest"}],
    },
    "every other Thursday, closed between Christmas and New Year": {
        "schedule": [{"repeat": "hver-anden-uge", "days": ["torsdag"], "first_date": "2026-08-13",
                      "start": "18:00"}],
        "closed": {"ranges": [{"from": "2026-12-24", "until": "2027-01-01"}]},
    },
    "a course of eight": {
        "schedule": [{"repeat": "forløb", "days": ["onsdag"], "first_date": "2027-01-13", "sessions": 8,
                      "start": "13:00"}],
        "closed": {"periods": ["vinterferie"]},
    },
    "paused until March": {"status": "pause", "paused_until": "2027-03-01"},
}  # fmt: skip


def true_dates_activity(vocabularies, changes) -> Activity:
    data = yaml.safe_load(VALID_ACTIVITY) | {"schedule": WEEKLY} | changes
    data.pop("season")  # all year, so July, the summer weeks and the rule without an end are tried
    return Activity.model_validate(data, context={"vocabularies": vocabularies})


@pytest.mark.parametrize("case", TRUE_DATE_CASES)
def test_the_calendar_expands_to_exactly_the_meetings_the_data_gives(vocabularies, case):
    """recurring-ical-events (not ours) expands RRULE, RDATE and EXDATE to the days of dates.meetings."""
    from aktivsammen.dates import meetings

    activity = true_dates_activity(vocabularies, TRUE_DATE_CASES[case])
    # a year from the day the facts were confirmed (the rules start there): both changes of summer time
    first, last = activity.verified, activity.verified + timedelta(days=364)
    events = activity_events(activity, "gaaklub", URL, "example.dk", vocabularies, today=first)
    expanded = starts(icalendar.Calendar.from_ical(calendar("Test", events)), first, last)
    expected = [
        datetime.combine(meeting.day, meeting.start)
        for meeting in meetings(activity, vocabularies, first, last)
    ]
    assert [moment.replace(tzinfo=None) for moment in expanded] == expected
    assert {moment.utcoffset() for moment in expanded} <= {timedelta(hours=1), timedelta(hours=2)}
    assert expected  # every case meets somewhere in the year


def test_a_course_is_one_event_and_a_pause_without_end_has_none(vocabularies):
    course = true_dates_activity(vocabularies, TRUE_DATE_CASES["a course of eight"])
    [event] = activity_events(course, "kursus", URL, "example.dk", vocabularies)
    assert b"RDATE;TZID=Europe/Copenhagen:" in event and b"RRULE" not in event
    paused = true_dates_activity(vocabularies, {"status": "pause"})
    assert activity_events(paused, "gaaklub", URL, "example.dk", vocabularies) == []
