"""True dates over the real guide: every surface gives the same next meeting, the JSON-LD has a
future startDate for every running activity, and every calendar, read by two strict parsers the
project did not write (PyPI `ical`, npm `ical.js`), expands to exactly the meetings the data gives
over a school year with both changes of summer time."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ical.calendar_stream import IcsCalendarStream

from aktivsammen.dates import meetings, next_meetings
from aktivsammen.handout import on_paper
from aktivsammen.loading import load_activity, load_vocabularies
from aktivsammen.model import Status
from aktivsammen.search import read_published, read_store
from tests.conftest import CONTENT, build

pytestmark = pytest.mark.slow

TODAY = date(2026, 8, 10)  # a school year's first day: the year ahead has both changes of summer time
UNTIL = date(2027, 6, 30)
ZONE = ZoneInfo("Europe/Copenhagen")
UTC = ZoneInfo("UTC")
ROOT = Path(__file__).parent


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    output = tmp_path_factory.mktemp("true-dates") / "output"
    build(CONTENT, output, ACTIVITIES_TODAY=TODAY)
    vocabularies = load_vocabularies(CONTENT / "data")
    activities = {
        path.stem: load_activity(path, vocabularies).activity
        for path in sorted((CONTENT / "activities").glob("*.yaml"))
    }
    return output, vocabularies, activities


def read(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


def first_next(html: str) -> str | None:
    found = re.search(r"<span data-next-first>([^<]+)</span>", html)
    return found.group(1) if found else None


def cards(output: Path) -> dict[str, set[str | None]]:
    """slug -> the "Næste gang" of each of its cards, on every listing of the built site."""
    found: dict[str, set[str | None]] = {}
    for path in output.rglob("*.html"):
        for card in re.split(r'(?=<li class="as-card" data-slug=")', path.read_text(encoding="utf-8"))[1:]:
            slug = re.match(r'<li class="as-card" data-slug="([^"]+)"', card).group(1)
            found.setdefault(slug, set()).add(first_next(card.split("</ul>", 1)[0]))
    return found


def test_every_surface_gives_the_same_next_meeting(guide):
    output, vocabularies, activities = guide
    on_cards = cards(output)
    search = read_published(output / "soeg/data/soegedata.json")
    position = search["fields"].index("next")
    in_results = {doc[0]: doc[position] for doc in read_store(search)}
    checked = Counter()
    for slug, activity in activities.items():
        coming = next_meetings(activity, vocabularies, TODAY, 1)
        expected = coming[0].text() if coming else None
        page = read(output, f"aktivitet/{slug}/index.html")
        record = json.loads(read(output, f"aktivitet/{slug}/data.json"))
        jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
        if record["notice"] == "Slut for denne gang":
            assert expected is None and record["dates"] is None, slug
            continue
        assert first_next(page) == expected, slug
        assert [pair[1] for pair in record["dates"]["next"][:1]] == ([expected] if expected else []), slug
        if slug in in_results:  # the listed ones: running or paused
            result = in_results[slug]
            assert (result[0][1] if isinstance(result, list) and result else None) == expected, slug
            assert on_cards[slug] == (
                {expected} if expected and activity.status is Status.AKTIV else {None}
            ), slug
            checked["search results and cards"] += 1
        if expected:
            start = datetime.combine(coming[0].day, coming[0].start, ZONE)
            assert datetime.fromisoformat(jsonld["startDate"]) == start, slug
            assert start.date() >= TODAY and jsonld["eventStatus"].endswith("EventScheduled"), slug
            checked["with a next meeting"] += 1
        else:
            assert "startDate" not in jsonld, slug
            status = {Status.PAUSE: "EventPostponed", Status.AFLYST: "EventCancelled"}[activity.status]
            assert jsonld["eventStatus"] == f"https://schema.org/{status}", slug
        checked["activities"] += 1
    assert checked["with a next meeting"] >= 55 and checked["search results and cards"] >= 55, checked


def test_the_area_overviews_print_the_same_next_meeting(guide):
    output, vocabularies, activities = guide
    printed = 0
    for area in vocabularies.areas:
        html = read(output, f"omraade/{area.id}/udskrift/index.html")
        # Each activity's full block (a later weekday repeats only its times: as-handout--repeat).
        blocks = re.split(r'(?=<li class="as-handout[ "])', html)[1:]
        full = [block for block in blocks if 'class="as-handout"' in block[:30]]
        for slug, activity in activities.items():
            if activity.area != area.id or not on_paper(activity) or f"/aktivitet/{slug}/" not in html:
                continue
            coming = next_meetings(activity, vocabularies, TODAY, 1)
            # one block in the week, and one more among the dates when it also has one-off dates
            for block in [block for block in full if f'aktivitet/{slug}/">' in block]:
                assert first_next(block) == coming[0].text(), slug
                printed += 1
    assert printed >= 40


def test_every_running_activity_has_a_future_start_date(guide):
    output, vocabularies, activities = guide
    for slug, activity in activities.items():
        jsonld = re.search(r'ld\+json">(.*?)</script>', read(output, f"aktivitet/{slug}/index.html"), re.S)[1]
        if activity.status is Status.AKTIV and next_meetings(activity, vocabularies, TODAY, 1):
            assert date.fromisoformat(json.loads(jsonld)["startDate"][:10]) >= TODAY, slug


# --- the calendars, by two strict parsers ------------------------------------------------------


def expected_starts(activities, vocabularies, slugs) -> list[str]:
    starts = [
        datetime.combine(meeting.day, meeting.start, ZONE).astimezone(UTC).isoformat()
        for slug in slugs
        for meeting in meetings(activities[slug], vocabularies, TODAY, UNTIL)
    ]
    return sorted(starts)


def python_ical_starts(path: Path) -> list[str]:
    """PyPI `ical` (pydantic models: refuses what RFC 5545 does not allow), its timeline expanded."""
    calendar = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    first, last = (
        datetime.combine(TODAY, datetime.min.time(), ZONE),
        datetime.combine(UNTIL, datetime.max.time(), ZONE),
    )
    return sorted(
        event.dtstart.astimezone(UTC).isoformat()
        for event in calendar.timeline_tz(ZONE).overlapping(first, last)
        if event.dtstart >= first
    )


def ical_js_starts(paths: list[Path]) -> dict[str, list[str]]:
    first = datetime.combine(TODAY, datetime.min.time(), ZONE).astimezone(UTC)
    last = datetime.combine(date.fromordinal(UNTIL.toordinal() + 1), datetime.min.time(), ZONE).astimezone(
        UTC
    )
    done = subprocess.run(
        ["node", str(ROOT / "ical_expand.mjs"), first.isoformat(), last.isoformat(), *map(str, paths)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return {
        path: [datetime.fromisoformat(s.replace("Z", "+00:00")).isoformat() for s in starts]
        for path, starts in json.loads(done.stdout).items()
    }


def test_every_calendar_expands_to_the_meetings_in_both_strict_parsers(guide):
    output, vocabularies, activities = guide
    files = {f"aktivitet/{slug}/{slug}.ics": [slug] for slug in activities}
    for area in vocabularies.areas:
        files[f"omraade/{area.id}/{area.id}.ics"] = [s for s, a in activities.items() if a.area == area.id]
    by_ical_js = ical_js_starts([output / path for path in files])
    meetings_found = 0
    for path, slugs in files.items():
        expected = expected_starts(activities, vocabularies, slugs)
        assert python_ical_starts(output / path) == expected, path
        assert by_ical_js[str(output / path)] == expected, path
        meetings_found += len(expected)
    assert meetings_found > 3000  # each meeting twice: in its activity's and in its area's calendar


# --- the JSON-LD, by schema.org's vocabulary and Google's Event requirements -------------------


def test_every_pages_json_ld_fits_schema_org_and_googles_event_fields(guide):
    from tests.site.schema_org import SchemaOrg

    output, _, activities = guide
    schema = SchemaOrg()
    checked = 0
    for slug in activities:
        page = read(output, f"aktivitet/{slug}/index.html")
        [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        data = json.loads(block)
        assert schema.problems(data) == [], slug
        # Google's required fields, and the recommended ones the guide has the facts for.
        assert data["name"] and data["location"]["address"]["streetAddress"], slug
        for field in ("description", "eventAttendanceMode", "eventStatus", "organizer", "offers"):
            assert data[field], (slug, field)
        assert {"price", "priceCurrency", "availability", "url", "validFrom"} <= data["offers"].keys(), slug
        if "startDate" in data:
            assert datetime.fromisoformat(data["startDate"]).utcoffset() is not None, slug  # with its offset
            checked += 1
        for schedule in data["eventSchedule"]:
            for day in schedule.get("exceptDate", []):
                assert date.fromisoformat(day) >= TODAY, slug
    assert checked >= 55


def test_the_checker_catches_what_schema_org_does_not_allow():
    from tests.site.schema_org import SchemaOrg

    schema = SchemaOrg()
    good = {"@type": "EventSeries", "name": "x", "eventStatus": "https://schema.org/EventPostponed",
            "eventSchedule": [{"@type": "Schedule", "byDay": ["https://schema.org/Monday"],
                               "exceptDate": ["2026-12-24"], "startTime": "10:00"}]}  # fmt: skip
    assert schema.problems(good) == []
    wrong = [
        ({"@type": "EventSerie"}, "not a schema.org class"),
        ({"@type": "Event", "startdate": "2026-12-08"}, "no such schema.org property"),
        ({"@type": "Event", "exceptDate": ["2026-12-24"]}, "not a property of Event"),
        ({"@type": "Event", "eventStatus": "https://schema.org/Monday"}, "is not one of"),
        ({"@type": "Event", "location": {"@type": "Schedule"}}, "a Schedule where"),
        ({"@type": "Schedule", "exceptDate": "24. december"}, "does not fit"),
        ({"@type": "Event", "isAccessibleForFree": "ja"}, "does not fit"),
    ]
    for node, message in wrong:
        [problem] = schema.problems(node)
        assert message in problem, (node, problem)
