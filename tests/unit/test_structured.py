"""schema.org JSON-LD for activities carries the schedule, place, organizer and price."""

from __future__ import annotations

import json
from datetime import date

import yaml

from aktivsammen.dates import upcoming
from aktivsammen.model import Activity
from aktivsammen.structured import activity_jsonld
from tests.conftest import VALID_ACTIVITY

TODAY = date(2026, 12, 3)


def jsonld(vocabularies, today=TODAY, **changes):
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    dates = upcoming(activity, vocabularies, today)
    return json.loads(
        json.dumps(activity_jsonld(activity, "https://example.dk/aktivitet/gaaklub/", vocabularies, dates))
    )


def test_event_series_with_place_organizer_and_price(vocabularies):
    data = jsonld(vocabularies)
    assert (data["@context"], data["@type"], data["@id"]) == (
        "https://schema.org", "EventSeries", "https://example.dk/aktivitet/gaaklub/")  # fmt: skip
    assert data["isAccessibleForFree"] is True and data["offers"]["price"] == 0
    assert data["location"]["address"] == {
        "@type": "PostalAddress", "streetAddress": "Eksempelvej 40", "postalCode": "7100",
        "addressLocality": "Vejle", "addressCountry": "DK"}  # fmt: skip
    assert [f["name"] for f in data["location"]["amenityFeature"]] == ["Trinfri adgang", "Handicaptoilet"]
    assert data["organizer"] == {"@type": "Organization", "name": "Nørremarkens Beboerforening",
                                 "url": "https://example.dk/gaaklub"}  # fmt: skip
    # The next meeting, with Denmark's offset that day (Google asks for date-times with offsets).
    assert (data["startDate"], data["endDate"]) == ("2026-12-08T10:00:00+01:00", "2026-12-08T11:30:00+01:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    [weekly] = data["eventSchedule"]
    assert weekly == {
        "@type": "Schedule", "name": "Hver tirsdag kl. 10.00–11.30", "scheduleTimezone": "Europe/Copenhagen",
        "startTime": "10:00", "endTime": "11:30", "startDate": "2026-09-01", "endDate": "2027-05-31",
        "byDay": ["https://schema.org/Tuesday"], "repeatFrequency": "P1W"}  # fmt: skip


def test_every_schedule_kind(vocabularies):
    schedule = [
        {"repeat": "hver-anden-uge", "days": ["onsdag"], "first_date": "2026-09-02", "start": "14:00"},
        {"repeat": "månedlig", "days": ["mandag"], "weeks": ["første", "tredje"], "start": "19:00"},
        {"repeat": "månedlig", "days": ["tirsdag"], "weeks": ["sidste"], "start": "16:00"},
        {"repeat": "datoer", "dates": ["2026-12-05"], "start": "10:00"},
    ]
    found = jsonld(vocabularies, schedule=schedule, season=None, price={"amount": 25, "per": "gang"})
    biweekly, monthly, last, once = found["eventSchedule"]
    assert biweekly["repeatFrequency"] == "P2W"
    assert (monthly["repeatFrequency"], monthly["byMonthWeek"]) == ("P1M", [1, 3])
    assert "byMonthWeek" not in last and last["name"] == "Sidste tirsdag i måneden fra kl. 16.00"
    assert (once["startDate"], once["endDate"]) == ("2026-12-05", "2026-12-05")
    assert found["offers"] == {
        "@type": "Offer",
        "price": 25,
        "priceCurrency": "DKK",
        "availability": "https://schema.org/InStock",
        "url": "https://example.dk/aktivitet/gaaklub/",
        "validFrom": "2026-10-01",
        "description": "pr. gang",
    }
    assert found["isAccessibleForFree"] is False
    assert found["startDate"] == "2026-12-05T10:00:00+01:00"  # the one-off date comes first


def test_closed_days_are_schedule_exceptions_and_the_start_is_the_first_open_day(vocabularies):
    found = jsonld(vocabularies, closed={"months": ["december"], "dates": ["2027-01-05"]})
    [weekly] = found["eventSchedule"]
    assert weekly["exceptDate"] == ["2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29", "2027-01-05"]
    assert found["startDate"] == "2027-01-12T10:00:00+01:00"


def test_summer_time_offset_and_a_pause_with_and_without_an_end(vocabularies):
    summer = jsonld(vocabularies, today=date(2027, 5, 1))
    assert summer["startDate"] == "2027-05-04T10:00:00+02:00"
    until = jsonld(vocabularies, status="pause", paused_until="2027-02-01")
    assert until["eventStatus"] == "https://schema.org/EventScheduled"
    assert until["startDate"] == "2027-02-02T10:00:00+01:00"
    assert until["eventSchedule"][0]["startDate"] == "2027-02-01"
    paused = jsonld(vocabularies, status="pause")
    assert paused["eventStatus"] == "https://schema.org/EventPostponed" and "startDate" not in paused
    cancelled = jsonld(vocabularies, status="aflyst", contact={"name": "X", "phone": "+45 00 00 00 00"})
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled" and "startDate" not in cancelled
