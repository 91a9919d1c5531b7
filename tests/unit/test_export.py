"""The open-data export uses HSDS names, validates against its schema, and loses no schedule."""

from __future__ import annotations

import jsonschema
import yaml

from aktivsammen.export import Dataset, dataset, service
from aktivsammen.model import Activity
from tests.conftest import VALID_ACTIVITY


def exported(vocabularies, **changes) -> dict:
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    one = service("gaaklub", activity, "https://example.dk/aktivitet/gaaklub/", vocabularies)
    return dataset("Test", "Vejle Kommune", [one]).model_dump(mode="json", exclude_none=True)


def test_export_validates_against_its_schema(vocabularies):
    data = exported(vocabularies)
    jsonschema.validate(data, Dataset.model_json_schema())
    [item] = data["services"]
    assert (item["id"], item["status"], item["assured_date"]) == ("gaaklub", "active", "2026-10-01")
    assert item["fees_description"] == "Gratis"
    location = item["service_at_locations"][0]["location"]
    assert location["addresses"] == [{"address_1": "Eksempelvej 40", "city": "Vejle", "postal_code": "7100",
                                      "country": "DK", "address_type": "physical"}]  # fmt: skip
    assert [a["description"] for a in location["accessibility"]] == ["Trinfri adgang", "Handicaptoilet"]
    assert {(a["taxonomy"], a["code"]) for a in item["attributes"]} >= {
        ("omraade", "vejle-nord"),
        ("niveau", "let"),
    }
    assert item["contacts"][0]["phones"] == [{"number": "+45 00 00 00 00"}]


def test_every_schedule_kind_as_rules(vocabularies):
    schedule = [
        {"repeat": "ugentlig", "days": ["torsdag", "tirsdag"], "start": "10:00", "end": "11:30"},
        {"repeat": "hver-anden-uge", "days": ["onsdag"], "first_date": "2026-09-02", "start": "14:00"},
        {"repeat": "månedlig", "days": ["tirsdag"], "weeks": ["sidste"], "start": "16:00"},
        {"repeat": "datoer", "dates": ["2026-12-05"], "start": "10:00"},
    ]
    weekly, biweekly, monthly, once = exported(vocabularies, schedule=schedule)["services"][0]["schedules"]
    assert (weekly["freq"], weekly["interval"], weekly["byday"], weekly["opens_at"], weekly["closes_at"]) == (
        "WEEKLY", 1, "TU,TH", "10:00", "11:30")  # fmt: skip
    assert (weekly["valid_from"], weekly["valid_to"], weekly["dtstart"]) == (
        "2026-09-01",
        "2027-05-31",
        "2026-09-01",
    )
    assert (biweekly["interval"], biweekly["wkst"], biweekly["dtstart"]) == (2, "MO", "2026-09-02")
    assert (monthly["freq"], monthly["byday"]) == ("MONTHLY", "-1TU")
    assert (once.get("freq"), once["valid_from"], once["valid_to"]) == (None, "2026-12-05", "2026-12-05")
    assert weekly["description"] == "Hver tirsdag og torsdag kl. 10.00–11.30"


def test_status_mapping(vocabularies):
    assert exported(vocabularies, status="pause")["services"][0]["status"] == "temporarily closed"
    assert exported(vocabularies, status="aflyst")["services"][0]["status"] == "defunct"
