"""Stale activities and activities that are over, with known answers."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from aktivsammen.freshness import as_csv, as_text, is_over, stale
from aktivsammen.loading import ActivityEntry
from aktivsammen.model import Activity
from tests.conftest import VALID_ACTIVITY

TODAY = date(2026, 11, 22)


def entry(vocabularies, slug="gaaklub", **changes) -> ActivityEntry:
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    return ActivityEntry(slug, f"content/activities/{slug}.yaml",
                         Activity.model_validate(data, context={"vocabularies": vocabularies}))  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "over"),
    [
        ({}, False),  # season until 2027-05-31
        ({"season": {"from": date(2025, 9, 1), "until": date(2026, 5, 31)}}, True),
        ({"season": {"from": date(2025, 9, 1), "until": TODAY}}, False),  # the last day still counts
        ({"schedule": [{"repeat": "datoer", "dates": [date(2026, 10, 1)], "start": "10:00"}]}, True),
        ({"schedule": [{"repeat": "datoer", "dates": [date(2026, 10, 1), TODAY], "start": "10:00"}]}, False),
        ({"schedule": [{"repeat": "datoer", "dates": [date(2026, 10, 1)], "start": "10:00"},
                       {"repeat": "ugentlig", "days": ["mandag"], "start": "10:00"}]}, False),
    ],
)  # fmt: skip
def test_is_over(vocabularies, changes, over):
    assert is_over(entry(vocabularies, **changes).activity, TODAY) is over


def test_stale_lists_the_oldest_first_with_contacts(vocabularies):
    entries = [
        entry(vocabularies, "ny", verified=date(2026, 10, 1)),
        entry(vocabularies, "gammel", verified=date(2025, 1, 10)),
        entry(vocabularies, "aeldst", verified=date(2024, 6, 1)),
        entry(vocabularies, "graense", verified=date(2025, 11, 22)),  # exactly 365 days: not stale yet
    ]
    found = stale(entries, TODAY)
    assert [item.entry.slug for item in found] == ["aeldst", "gammel"]
    assert found[0].days == 904
    assert [i.entry.slug for i in stale(entries, TODAY, older_than=30)] == [
        "aeldst",
        "gammel",
        "graense",
        "ny",
    ]
    text = as_text(found, 365)
    assert text.startswith("2 aktiviteter er ikke bekræftet i over 365 dage (ældste først):")
    assert "sidst bekræftet 1. juni 2024 (904 dage siden)" in text
    assert "Hanne Eksempel, +45 00 00 00 00, gaaklub@example.dk" in text
    assert as_csv(found).splitlines() == [
        "sidst_bekraeftet,dage,aktivitet,fil,forening,kontakt,telefon,email",
        "2024-06-01,904,Gåklub ved medborgerhuset,content/activities/aeldst.yaml,Nørremarkens Beboerforening,"
        "Hanne Eksempel,+45 00 00 00 00,gaaklub@example.dk",
        "2025-01-10,681,Gåklub ved medborgerhuset,content/activities/gammel.yaml,Nørremarkens Beboerforening,"
        "Hanne Eksempel,+45 00 00 00 00,gaaklub@example.dk",
    ]
    assert as_text([], 365) == "Alle aktiviteter er bekræftet inden for de seneste 365 dage."


def test_last_day(vocabularies):
    from aktivsammen.freshness import last_day

    assert last_day(entry(vocabularies).activity) == date(2027, 5, 31)  # the season's end
    assert last_day(entry(vocabularies, season=None).activity) is None  # weekly, open-ended
    dates = [{"repeat": "datoer", "dates": [date(2026, 12, 5), date(2027, 1, 9)], "start": "10:00"}]
    assert last_day(entry(vocabularies, season=None, schedule=dates).activity) == date(2027, 1, 9)
