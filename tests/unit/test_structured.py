"""schema.org JSON-LD for activities carries the schedule, place, organizer and price."""

from __future__ import annotations

import json

import yaml

from aktivsammen.model import Activity
from aktivsammen.structured import activity_jsonld
from tests.conftest import VALID_ACTIVITY


def jsonld(vocabularies, **changes):
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    return json.loads(
        json.dumps(activity_jsonld(activity, "https://example.dk/aktivitet/gaaklub/", vocabularies))
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
    assert (data["startDate"], data["endDate"]) == ("2026-09-01", "2027-05-31")
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
        "description": "pr. gang",
    }
    assert found["isAccessibleForFree"] is False and "startDate" not in found
