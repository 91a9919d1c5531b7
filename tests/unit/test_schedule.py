"""Schedules, seasons and prices read as plain Danish."""

from datetime import date

import pytest

from aktivsammen.model import Activity, Season
from aktivsammen.schedule import danish_date, describe_price, describe_season, describe_slot, weekdays_of
from tests.conftest import VALID_ACTIVITY


def slot(**fields):
    from pydantic import TypeAdapter

    from aktivsammen.model import Slot

    return TypeAdapter(Slot).validate_python(fields)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"repeat": "ugentlig", "days": ["tirsdag"], "start": "10:00", "end": "11:30"},
            "Hver tirsdag kl. 10.00–11.30",
        ),
        (
            {"repeat": "ugentlig", "days": ["torsdag", "mandag"], "start": "9:30", "end": "11:00"},
            "Hver mandag og torsdag kl. 9.30–11.00",
        ),
        (
            {"repeat": "ugentlig", "days": ["mandag", "onsdag", "fredag"], "start": "13:00"},
            "Hver mandag, onsdag og fredag fra kl. 13.00",
        ),
        (
            {
                "repeat": "hver-anden-uge",
                "days": ["onsdag"],
                "first_date": "2026-09-02",
                "start": "14:00",
                "end": "16:00",
            },
            "Hver anden onsdag kl. 14.00–16.00",
        ),
        (
            {"repeat": "månedlig", "days": ["mandag"], "weeks": ["første"], "start": "19:00", "end": "21:00"},
            "Første mandag i måneden kl. 19.00–21.00",
        ),
        (
            {
                "repeat": "månedlig",
                "days": ["tirsdag"],
                "weeks": ["sidste", "anden"],
                "start": "16:00",
                "end": "19:00",
            },
            "Anden og sidste tirsdag i måneden kl. 16.00–19.00",
        ),
        (
            {"repeat": "datoer", "dates": ["2026-12-05"], "start": "10:00", "end": "14:00"},
            "Lørdag 5. december 2026 kl. 10.00–14.00",
        ),
        (
            {
                "repeat": "datoer",
                "dates": ["2027-01-09", "2026-12-05"],
                "start": "10:00",
                "end": "14:00",
                "note": "tag madpakke med",
            },
            "Lørdag 5. december 2026 og lørdag 9. januar 2027 kl. 10.00–14.00 (tag madpakke med)",
        ),
    ],
)
def test_slot_in_plain_danish(fields, expected):
    assert describe_slot(slot(**fields)) == expected


def test_season_and_dates():
    season = Season.model_validate({"from": "2026-09-01", "until": "2027-05-31"})
    assert describe_season(season) == "Fra 1. september 2026 til 31. maj 2027"
    assert danish_date(date(2026, 11, 22), weekday=True) == "søndag 22. november 2026"


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("gratis", "Gratis"),
        ({"amount": 25, "per": "gang", "note": "inkl. kaffe"}, "25 kr. pr. gang (inkl. kaffe)"),
        ({"amount": 1200, "per": "år"}, "1.200 kr. pr. år"),
        ({"amount": 0, "per": "gang"}, "Gratis"),
        ({"amount": 300, "per": "forløb"}, "300 kr. for hele forløbet"),
    ],
)
def test_price_in_plain_danish(vocabularies, price, expected):
    import yaml

    data = yaml.safe_load(VALID_ACTIVITY) | {"price": price}
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    assert describe_price(activity) == expected
    assert activity.is_free == (expected == "Gratis")


def test_weekdays_of_include_one_off_dates(vocabularies):
    import yaml

    data = yaml.safe_load(VALID_ACTIVITY)
    data["schedule"].append({"repeat": "datoer", "dates": ["2026-12-05"], "start": "10:00"})
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    assert [day.value for day in weekdays_of(activity)] == ["tirsdag", "lørdag"]


def test_moments_are_told_in_danish_time_summer_and_winter():
    from datetime import UTC, datetime

    from aktivsammen.schedule import danish_time

    assert danish_time(datetime(2026, 12, 2, 17, 4, tzinfo=UTC)) == "02.12.2026 kl. 18.04"  # CET
    assert danish_time(datetime(2026, 7, 1, 17, 4, tzinfo=UTC)) == "01.07.2026 kl. 19.04"  # CEST
    assert danish_time("2026-12-02T17:04:00+00:00") == danish_time(1796231040.0) == "02.12.2026 kl. 18.04"
    assert danish_time("2026-12-02 17:04") == "02.12.2026 kl. 18.04"  # stored without a zone: UTC
