"""The open data is HSDS 3.0 as the standard publishes it: every record validates against HSDS's
own compiled schema with the format checker (UUIDs, e-mails, URIs), ids never change, and the
schedules, expanded as iCalendar rules by a parser we did not write, give the true dates."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta

import pytest
import yaml
from dateutil.rrule import rrulestr
from jsonschema import Draft202012Validator, FormatChecker

from aktivsammen.dates import meetings
from aktivsammen.export import Ids, pages, service, taxonomy_terms
from aktivsammen.model import Activity
from tests.conftest import STANDARDS, VALID_ACTIVITY

HSDS = STANDARDS / "hsds-3.0" / "schema"
SERVICE = Draft202012Validator(
    json.loads((HSDS / "compiled" / "service_with_definitions.json").read_text(encoding="utf-8")),
    format_checker=FormatChecker(),
)
TODAY = date(2026, 12, 4)
IDS = Ids("https://aktivsammen.example.dk")


def record(vocabularies, **changes) -> dict:
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    return service("gaaklub", activity, "https://aktivsammen.example.dk/aktivitet/gaaklub/", vocabularies,
                   IDS, TODAY)  # fmt: skip


def errors(item: dict) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in SERVICE.iter_errors(item)]


def test_a_service_validates_against_the_official_schema(vocabularies):
    item = record(vocabularies)
    assert errors(item) == []
    assert item["id"] == IDS.service("gaaklub") and uuid.UUID(item["id"]).version == 5
    assert (item["status"], item["assured_date"], item["fees_description"]) == (
        "active",
        "2026-10-01",
        "Gratis",
    )
    assert item["cost_options"][0] | {"id": 0, "service_id": 0} == {
        "id": 0, "service_id": 0, "currency": "DKK", "amount": 0, "option": "Gratis"}  # fmt: skip
    location = item["service_at_locations"][0]["location"]
    assert location["addresses"][0]["state_province"] == "Region Syddanmark"
    assert [a["description"] for a in location["accessibility"]] == ["Trinfri adgang", "Handicaptoilet"]
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in item["attributes"]}
    assert {("areas", "vejle-nord"), ("levels", "let")} <= terms
    assert item["contacts"][0]["phones"][0]["number"] == "+45 00 00 00 00"
    assert "CC BY 4.0" in item["licenses"]


def test_the_schema_and_its_format_checker_catch_what_we_would_get_wrong(vocabularies):
    item = record(vocabularies)
    assert errors({**item, "id": "gaaklub"})  # a slug is not a UUID
    broken = json.loads(json.dumps(item))
    broken["schedules"][0]["timezone"] = "Europe/Copenhagen"  # HSDS wants a number there
    del broken["organization"]["description"]
    assert len(errors(broken)) == 2


def test_ids_are_stable_and_shared(vocabularies):
    first, again = record(vocabularies), record(vocabularies)
    assert first == again
    other = record(vocabularies, title="Noget andet")
    assert other["organization"]["id"] == first["organization"]["id"]  # the same association
    assert IDS.service("gaaklub") != Ids("https://andet.example.dk").service("gaaklub")
    found = list(_ids(first))
    assert len(set(found)) == len(found)  # every object its own id


def _ids(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "id":
                yield value
            if key != "taxonomy_detail":  # a term's taxonomy: the same one in every term
                yield from _ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ids(value)


def expanded(schedule: dict) -> list[date]:
    """A schedule's days, by python-dateutil's RFC 5545 rule parser."""
    start = date.fromisoformat(schedule["dtstart"])
    if "freq" not in schedule:
        return [start]
    rule = f"FREQ={schedule['freq']};INTERVAL={schedule['interval']};BYDAY={schedule['byday']}"
    rule += f";WKST={schedule['wkst']};UNTIL={schedule['until'].replace('-', '')}T235959"
    return [moment.date() for moment in rrulestr(rule, dtstart=datetime.combine(start, datetime.min.time()))]


@pytest.mark.parametrize(
    "changes",
    [
        {"closed": {"months": ["juli"], "public_holidays": True, "dates": ["2026-12-15"]}},
        {
            "schedule": [
                {"repeat": "hver-anden-uge", "days": ["onsdag"], "first_date": "2026-09-02", "start": "14:00"}
            ],
            "closed": {"periods": ["juleferie"]},
        },
        {
            "schedule": [{"repeat": "månedlig", "days": ["tirsdag"], "weeks": ["sidste"], "start": "16:00"}],
            "special_dates": [{"date": "2027-03-30", "start": "17:00", "note": "Påskefrokost"}],
        },
        {
            "schedule": [
                {
                    "repeat": "forløb",
                    "days": ["onsdag"],
                    "first_date": "2027-01-13",
                    "sessions": 8,
                    "start": "09:30",
                }
            ],
            "closed": {"weeks": [7]},
        },
        {
            "schedule": [{"repeat": "datoer", "dates": ["2026-12-10", "2026-12-24"], "start": "10:00"}],
            "closed": {"dates": ["2026-12-24"]},
        },
    ],
    ids=["weekly-closures", "fortnightly-holidays", "monthly-special", "course", "one-off"],
)
def test_the_schedules_give_exactly_the_true_dates(vocabularies, changes):
    data = yaml.safe_load(VALID_ACTIVITY)
    data.pop("season", None)
    data |= changes
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    item = service("x", activity, "https://aktivsammen.example.dk/aktivitet/x/", vocabularies, IDS, TODAY)
    assert errors(item) == []
    days = sorted(day for schedule in item["schedules"] for day in expanded(schedule))
    last = max(date.fromisoformat(s["valid_to"]) for s in item["schedules"])
    true = [meeting.day for meeting in meetings(activity, vocabularies, TODAY, last)]
    assert days == true and days
    assert len(set(days)) == len(days)  # no day in two schedules
    if any("freq" in schedule for schedule in item["schedules"]):  # a rule: stated for a year ahead
        assert last >= TODAY + timedelta(days=300)


def test_taxonomy_terms_and_pages_have_the_apis_shapes(vocabularies):
    openapi = json.loads((HSDS / "openapi.json").read_text(encoding="utf-8"))
    page_schema = openapi["components"]["schemas"]["Page"]
    compiled = json.loads((HSDS / "compiled" / "service_with_definitions.json").read_text(encoding="utf-8"))
    term_schema = {"$ref": "#/definitions/taxonomy_term", "definitions": compiled["definitions"]}
    terms = taxonomy_terms(vocabularies, IDS)
    assert terms and all(not list(Draft202012Validator(term_schema, format_checker=FormatChecker())
                                  .iter_errors(term)) for term in terms)  # fmt: skip
    split = pages(terms, 10)
    assert [page["page_number"] for page in split] == list(range(1, len(split) + 1))
    assert split[0]["first_page"] and split[-1]["last_page"] and not split[0]["empty"]
    assert sum(page["size"] for page in split) == split[0]["total_items"] == len(terms)
    for page in split:
        assert set(page_schema["properties"]) <= set(page), set(page_schema["properties"]) - set(page)
    (empty,) = pages([], 10)
    assert empty["empty"] and empty["contents"] == [] and empty["total_pages"] == 1
