"""The events window: the feed is expanded, filtered to the readers, and merged with the guide."""

from __future__ import annotations

from datetime import date

import yaml

from aktivsammen.events import feed_events, guide_events, upcoming
from aktivsammen.model import Activity
from tests.conftest import CONTENT, VALID_ACTIVITY

FEED = (CONTENT / "data" / "eventkalender-eksempel.ics").read_bytes()


def test_feed_is_expanded_and_filtered_by_category():
    found = feed_events(FEED, date(2026, 11, 22), 60, ["seniorer", "60+"])
    assert [(e.title, e.start.isoformat()) for e in found] == [
        ("Seniorbio med kaffe (eksempel)", "2026-12-03T14:00:00+01:00"),
        ("Julekoncert for hele familien (eksempel)", "2026-12-13T15:00:00+01:00"),
        ("Seniorbio med kaffe (eksempel)", "2027-01-07T14:00:00+01:00"),  # first Thursday, RRULE
    ]
    assert found[0].when == "Torsdag 3. december 2026 kl. 14.00–16.00"
    assert found[0].url == "https://example.dk/eventkalender/seniorbio"
    everything = feed_events(FEED, date(2026, 11, 22), 60, [])
    assert "Koncert for unge (eksempel; ikke for guidens målgruppe)" in {e.title for e in everything}


def test_guide_events_in_the_window_and_merged_in_order(vocabularies):
    data = yaml.safe_load(VALID_ACTIVITY) | {
        "schedule": [
            {"repeat": "datoer", "dates": ["2026-11-01", "2026-12-05", "2027-06-01"], "start": "10:00"}
        ]
    }
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    own = guide_events([(activity, "aktivitet/gaaklub/")], date(2026, 11, 22), 60)
    assert [e.start.date().isoformat() for e in own] == ["2026-12-05"]  # past and too far ahead left out
    assert own[0].source == "guide" and own[0].place == "Medborgerhuset, Vejle"
    merged = upcoming(own, feed_events(FEED, date(2026, 11, 22), 60, ["seniorer"]))
    assert [e.start.date().isoformat() for e in merged] == ["2026-12-03", "2026-12-05", "2027-01-07"]
