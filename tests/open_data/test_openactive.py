"""OpenActive: the activity-type table, what goes into the feeds, true dates, ids and RPDE pages."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from aktivsammen import openactive, rpde
from aktivsammen.loading import load_activity, parse_yaml
from tests.conftest import CONTENT, VALID_ACTIVITY, build, write_content
from tests.open_data.validators import activity_list
from tests.site.test_fixture_site import activity

TABLE = CONTENT / "data" / "openactive_activities.yaml"
TODAY = date(2026, 11, 22)  # a Sunday
SITE = "https://aktivsammen.vejle.dk"


@pytest.fixture(scope="module")
def types(vocabularies):
    return openactive.load_activity_types(TABLE, vocabularies)


def real(slug: str, vocabularies):
    return load_activity(CONTENT / "activities" / f"{slug}.yaml", vocabularies).activity


# --- The table editors keep ------------------------------------------------------------------


def test_every_concept_in_the_table_is_in_the_activity_list_by_id_and_name():
    concepts = parse_yaml(TABLE.read_text(encoding="utf-8"), str(TABLE)).data["concepts"]
    listed = activity_list()
    assert len(concepts) >= 20
    for label, concept_id in concepts.items():
        assert concept_id in listed, f"{label}: {concept_id} is not in the Activity List"
        assert listed[concept_id] == label, f"{concept_id} is called {listed[concept_id]!r} in the list"


def test_every_type_the_table_names_is_one_of_its_concepts(types):
    named = {label for _, label in types.titles} | set(types.categories.values())
    named |= {label for labels in types.activities.values() for label in labels}
    assert named <= set(types.concepts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "  - words: [svøm]\n",
            "  - words: [svø]\n",
        ),
        ("    activity: Swimming\n", "    activity: Svømning\n"),
        ("  dans: Dance\n", "  dance: Dance\n"),
    ],
)
def test_a_broken_table_is_reported_with_its_line(tmp_path, vocabularies, change, message):
    text = TABLE.read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "openactive_activities.yaml"
    path.write_text(text.replace(change, message), encoding="utf-8")
    with pytest.raises(openactive.ActivityTypesError) as raised:
        openactive.load_activity_types(path, vocabularies)
    line = text.replace(change, message).splitlines().index(message.rstrip("\n")) + 1
    assert [problem.line for problem in raised.value.problems] == [line]


PHYSICAL = {
    "stolegymnastik-nord": "Chair Based Exercise",
    "vandgymnastik-varmtvandsbassin-oest": "Aqua Aerobics",
    "vandgymnastik-give": "Aqua Aerobics",
    "gaaklub-egtved": "Walking",
    "gaaklub-fjorden-boerkop": "Walking",
    "seniorvandrerne-grejsdalen": "Hiking",
    "folkedans-vandel": "Folk Dance",
    "linedance-spinderihallerne": "Line Dancing",
    "seniordans-boerkop": "Dance",
    "krolf-randboel": "Croquet",
    "petanque-gadbjerg": "Petanque",
    "billard-lindeballe": "Billiards",
    "seniorfitness-bredsten": "General Fitness for Older Adults",
    "generationshaven-give": "Gardening",
    "idraetsdag-for-alle-brejning": "Multisports",
    "bevaegelse-handicap-brejning": "Multisports",  # by its own entry
    "aftenklub-for-voksne-med-handicap": "Dance",  # by its category
}
NOT_PHYSICAL = [
    "midtbyens-seniorkor", "faellessang-praestegaarden-gadbjerg", "whist-thyregod", "bridgeklub-vonge",
    "repair-cafe-vejle", "reservedelsvaerkstedet-hjaelpemiddeldepotet", "strikkeklub-give",
    "it-cafe-jelling", "faellesspisning-egtved", "demenscafe-jelling", "foredrag-egtved",
    "mestringsforloeb-noerremarken", "cykelture-vind-i-haaret-vandel",
]  # fmt: skip


@pytest.mark.parametrize(("slug", "label"), PHYSICAL.items())
def test_physical_activities_get_their_type(types, vocabularies, slug, label):
    assert types.labels_for(slug, real(slug, vocabularies)) == (label,)


@pytest.mark.parametrize("slug", NOT_PHYSICAL)
def test_choirs_cards_and_repair_cafes_are_not_opportunities(types, vocabularies, slug):
    assert types.labels_for(slug, real(slug, vocabularies)) == ()


# --- A site's feeds --------------------------------------------------------------------------

CHAIRS = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Stolegymnastik i Jelling",
        "area: vejle-nord": "area: jelling",
        "  name: Nørremarkens Beboerforening\n": "  name: Jelling Seniorforening\n",
        "  city: Vejle\n": (
            "  city: Vejle\n  room: Salen på 1. sal\n  latitude: 55.7557\n  longitude: 9.4196\n"
        ),
        "season:\n  from: 2026-09-01\n  until: 2027-05-31\n": (
            "closed:\n  weeks: [50]\n  periods: [mellem-jul-og-nytaar]\n"
            'special_dates:\n  - date: 2026-12-17\n    start: "17:00"\n    end: "21:00"\n    note: Julefest\n'
        ),
        "price: gratis": "price:\n  amount: 25\n  per: gang",
        "target_groups: [seniorer]": "target_groups: [seniorer, handicap]",
        "level: let": "level: siddende",
    }
)
CHOIR = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Seniorkoret i Jelling",
        "categories: [gaa-og-natur, motion]": "categories: [sang-og-musik]",
        "  name: Nørremarkens Beboerforening\n": "  name: Jelling Seniorforening\n",
    }
)
CANCELLED = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Petanque i Vonge",
        "level: let": "level: let\nstatus: aflyst",
    }
)
MONTHLY = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Dansecafé",
        "categories: [gaa-og-natur, motion]": "categories: [dans]",
        "  - repeat: ugentlig\n    days: [tirsdag]\n": (
            "  - repeat: månedlig\n    days: [mandag]\n    weeks: [første, sidste]\n"
        ),
        "target_groups: [seniorer]": "target_groups: [seniorer, alle-voksne]",
    }
)
EVERY_OTHER = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Krolf i Vonge",
        "  - repeat: ugentlig\n    days: [tirsdag]\n": (
            "  - repeat: hver-anden-uge\n    days: [onsdag]\n    first_date: 2026-11-25\n"
        ),
        "target_groups: [seniorer]": "target_groups: [seniorer, maend]",
        "verified: 2026-10-01": "verified: 2026-11-20",
    }
)
DAY_OUT = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Idrætsdag i Vonge",
        "  - repeat: ugentlig\n    days: [tirsdag]\n": (
            '  - repeat: datoer\n    dates: ["2026-12-05", "2026-11-18"]\n'
        ),
        "target_groups: [seniorer]": "target_groups: [handicap]",
    }
)
COURSE = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Faldforebyggelse på biblioteket",
        "  - repeat: ugentlig\n    days: [tirsdag]\n": (
            "  - repeat: forløb\n    days: [torsdag]\n    first_date: 2026-12-03\n    sessions: 4\n"
        ),
        "season:\n  from: 2026-09-01\n  until: 2027-05-31\n": "closed:\n  dates: [2026-12-10]\n",
    }
)
PAUSED = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Gåklub ved søen",
        "level: let": "level: let\nstatus: pause\npaused_until: 2027-01-05",
    }
)
NO_END = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Svømning i Vonge",
        '    end: "11:30"\n': "",
    }
)
SITE_FILES = {
    "gaaklub": VALID_ACTIVITY, "stolegymnastik": CHAIRS, "koret": CHOIR, "petanque": CANCELLED,
    "dansecafe": MONTHLY, "krolf": EVERY_OTHER, "idraetsdag": DAY_OUT, "fald": COURSE, "soegaaklub": PAUSED,
    "svoemning": NO_END,
}  # fmt: skip
SETTINGS = {"ACTIVITIES_TODAY": TODAY, "OPENACTIVE_PAGE_SIZE": 2}


def build_fixture(root: Path, **settings) -> Path:
    content = write_content(root / "content", {f"{slug}.yaml": text for slug, text in SITE_FILES.items()})
    build(content, root / "output", **{**SETTINGS, **settings})
    return root / "output"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("openactive"))


def walk(output: Path, feed: str) -> list[dict]:
    """Every item of a feed, following `next` from the first page to the last, as a consumer does."""
    folder = output / "openactive" / feed
    base = f"{SITE}/openactive/{feed}/"
    name, found, seen = "index.json", [], set()
    while True:
        assert name not in seen, f"{feed}: {name} is visited twice"
        seen.add(name)
        page = json.loads((folder / name).read_text(encoding="utf-8"))
        assert page["license"] == openactive.LICENSE
        found += page["items"]
        assert page["next"].startswith(base)
        following = page["next"].removeprefix(base)
        if following == name:
            assert page["items"] == [], "the last page is empty"
            order = [(item["modified"], item["id"]) for item in found]
            assert order == sorted(set(order)), "by modified, then id, each item once"
            return found
        name = following


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_only_physical_activities_with_times_openactive_can_state_are_in_the_feeds(site):
    series = by_id(walk(site, "session-series"))
    # not the choir; nor the swimming, whose time has no end (a Schedule requires endTime)
    assert sorted(series) == sorted(set(SITE_FILES) - {"koret", "svoemning"})
    sessions = walk(site, "scheduled-sessions")
    assert not [item for item in sessions if item["id"].startswith(("koret-", "svoemning-"))]


def test_a_cancelled_activity_is_a_deleted_item_without_sessions(site):
    item = by_id(walk(site, "session-series"))["petanque"]
    assert item == {"state": "deleted", "kind": "SessionSeries", "id": "petanque",
                    "modified": rpde.day_stamp(date(2026, 10, 1))}  # fmt: skip
    assert not [item for item in walk(site, "scheduled-sessions") if item["id"].startswith("petanque-")]


def sessions_of(site: Path, slug: str) -> dict[str, dict]:
    return {
        item["id"]: item for item in walk(site, "scheduled-sessions") if item["id"].startswith(f"{slug}-20")
    }


def test_sessions_are_the_true_dates_for_the_next_weeks_closed_weeks_left_out(site):
    sessions = sessions_of(site, "stolegymnastik")
    updated = {key: item["data"] for key, item in sessions.items() if item["state"] == "updated"}
    days = sorted(date.fromisoformat(data["startDate"][:10]) for data in updated.values())
    assert days[0] == date(2026, 11, 24) and days[-1] <= TODAY + timedelta(weeks=8)
    assert date(2026, 12, 8) not in days  # week 50 is closed
    assert not [day for day in days if date(2026, 12, 24) <= day <= date(2027, 1, 1)]  # mellem jul og nytår
    assert date(2026, 12, 15) in days and date(2027, 1, 5) in days
    party = updated["stolegymnastik-2026-12-17-1700"]  # a special date, on a Thursday, with its time
    assert (
        party["startDate"] == "2026-12-17T17:00:00+01:00" and party["endDate"] == "2026-12-17T21:00:00+01:00"
    )
    assert party["duration"] == "PT4H" and party["name"] == "Stolegymnastik i Jelling: Julefest"
    first = updated["stolegymnastik-2026-11-24-1000"]
    assert first == {
        "@context": "https://openactive.io/",
        "@type": "ScheduledSession",
        "@id": f"{SITE}/aktivitet/stolegymnastik/#2026-11-24T10%3A00%3A00%2B01%3A00",
        "identifier": "stolegymnastik-2026-11-24-1000",
        "superEvent": f"{SITE}/aktivitet/stolegymnastik/",
        "startDate": "2026-11-24T10:00:00+01:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "url": f"{SITE}/aktivitet/stolegymnastik/",
        "endDate": "2026-11-24T11:30:00+01:00",
        "duration": "PT1H30M",
    }
    # in the feed from the day it came within the eight weeks, so it lands after what was there
    assert sessions["stolegymnastik-2026-11-24-1000"]["modified"] == rpde.day_stamp(date(2026, 10, 1))
    assert sessions["stolegymnastik-2027-01-12-1000"]["modified"] == rpde.day_stamp(date(2026, 11, 18))
    # last week's meeting is a deleted item, from the day after it
    assert sessions["stolegymnastik-2026-11-17-1000"] == {
        "state": "deleted", "kind": "ScheduledSession", "id": "stolegymnastik-2026-11-17-1000",
        "modified": rpde.day_stamp(date(2026, 11, 18)),
    }  # fmt: skip


def test_courses_dates_every_other_week_and_pauses(site):
    def days(slug: str) -> list[str]:
        return sorted(key.removeprefix(f"{slug}-")[:10] for key, item in sessions_of(site, slug).items()
                      if item["state"] == "updated")  # fmt: skip

    assert days("fald") == [
        "2026-12-03",
        "2026-12-17",
        "2026-12-24",
        "2026-12-31",
    ]  # 12-10 closed, not counted
    assert days("krolf") == ["2026-11-25", "2026-12-09", "2026-12-23", "2027-01-06"]
    assert days("idraetsdag") == ["2026-12-05"]
    assert days("soegaaklub") == ["2027-01-05", "2027-01-12"]  # paused until 5 January
    assert [key for key, item in sessions_of(site, "idraetsdag").items() if item["state"] == "deleted"] == [
        "idraetsdag-2026-11-18-1000"
    ]


def series_data(site: Path) -> dict[str, dict]:
    return {key: item["data"] for key, item in by_id(walk(site, "session-series")).items() if "data" in item}


def test_age_range_60_only_when_the_activity_is_for_seniors_alone(site):
    ages = {slug: data.get("ageRange") for slug, data in series_data(site).items()}
    sixty = {"@type": "QuantitativeValue", "minValue": 60}
    assert ages == {
        "gaaklub": sixty,  # [seniorer]
        "krolf": sixty,  # [seniorer, maend]: "især for mænd" says whom it suits, not an age
        "fald": sixty,
        "soegaaklub": sixty,
        "stolegymnastik": None,  # [seniorer, handicap]: younger people with a handicap too
        "dansecafe": None,  # [seniorer, alle-voksne]
        "idraetsdag": None,  # [handicap]: no ageRange means adults
    }


def test_a_session_series_says_what_the_guide_knows(site):
    data = series_data(site)["stolegymnastik"]
    assert data["activity"] == [{
        "@type": "Concept", "@id": "https://openactive.io/activity-list#ee3cf3ee-082e-4f53-9cb2-3ef0589497ed",
        "prefLabel": "Chair Based Exercise", "inScheme": "https://openactive.io/activity-list",
    }]  # fmt: skip
    assert data["organizer"] == {
        "@type": "Organization", "@id": f"{SITE}/forening/jelling-seniorforening",
        "identifier": "jelling-seniorforening", "name": "Jelling Seniorforening",
        "url": "https://example.dk/gaaklub", "email": "gaaklub@example.dk", "telephone": "+45 00 00 00 00",
    }  # fmt: skip
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 55.7557, "longitude": 9.4196}
    assert data["location"]["address"] == {
        "@type": "PostalAddress", "streetAddress": "Eksempelvej 40", "postalCode": "7100",
        "addressLocality": "Vejle", "addressRegion": "Vejle Kommune", "addressCountry": "DK",
    }  # fmt: skip
    assert data["offers"][0]["price"] == 25 and data["offers"][0]["priceCurrency"] == "DKK"
    assert data["offers"][0]["description"] == "25 kr. pr. gang"
    assert data["isAccessibleForFree"] is False and data["level"] == ["Siddende"]
    assert data["meetingPoint"] == "Salen på 1. sal"
    assert data["attendeeInstructions"] == "Mød op ved hovedindgangen, Hanne tager imod."
    assert data["accessibilityInformation"] == (
        "Trinfri adgang. Handicaptoilet. Du må tage en ven eller hjælper med."
    )
    assert data["schedulingNote"] == "Ingen møder i uge 50 og i dagene mellem jul og nytår."
    assert data["eventSchedule"] == [{
        "@type": "Schedule", "scheduledEventType": "ScheduledSession", "startTime": "10:00",
        "endTime": "11:30", "duration": "PT1H30M", "scheduleTimezone": "Europe/Copenhagen",
        "idTemplate": f"{SITE}/aktivitet/stolegymnastik/#{{startDate}}",
        "byDay": ["https://schema.org/Tuesday"], "repeatFrequency": "P1W", "startDate": "2026-10-06",
        "exceptDate": ["2026-12-08", "2026-12-29", "2027-12-14"],  # the next 400 days, as the calendars
    }]  # fmt: skip
    free = series_data(site)["gaaklub"]
    assert free["offers"][0]["price"] == 0 and free["isAccessibleForFree"] is True
    assert "geo" not in free["location"]  # no coordinates: no pin, rather than the area's centre
    assert series_data(site)["dansecafe"]["eventSchedule"][0]["byDay"] == ["1MO", "-1MO"]
    assert series_data(site)["dansecafe"]["eventSchedule"][0]["repeatFrequency"] == "P1M"
    krolf = series_data(site)["krolf"]["eventSchedule"][0]
    # from the season's start, in step with first_date (2026-11-25 is twelve weeks later)
    assert (krolf["repeatFrequency"], krolf["startDate"], krolf["endDate"]) == (
        "P2W",
        "2026-09-02",
        "2027-05-31",
    )


def test_one_organization_per_association_the_same_wherever_it_appears(site):
    organizers = [data["organizer"] for data in series_data(site).values()]
    by_name = {}
    for organizer in organizers:
        assert by_name.setdefault(organizer["name"], organizer) == organizer
    assert len(by_name) == 2  # Nørremarkens Beboerforening and Jelling Seniorforening


def test_the_same_content_gives_the_same_files_and_ids(site, tmp_path):
    again = build_fixture(tmp_path, ACTIVITIES_READ_PROCESSES=2)
    files = {path.relative_to(site): path.read_bytes() for path in (site / "openactive").rglob("*")
             if path.is_file()}  # fmt: skip
    assert files == {
        path.relative_to(again): path.read_bytes()
        for path in (again / "openactive").rglob("*")
        if path.is_file()
    }


def test_the_dataset_site_lists_both_feeds_under_cc_by(site):
    page = (site / "openactive" / "index.html").read_text(encoding="utf-8")
    assert page.count("<h1") == 1 and "<h1>Åbne data: OpenActive</h1>" in page
    assert 'href="../openactive/session-series/index.json"' in page
    dataset = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert dataset["@type"] == "Dataset" and dataset["license"] == openactive.LICENSE
    assert [feed["contentUrl"] for feed in dataset["distribution"]] == [
        f"{SITE}/openactive/session-series/index.json",
        f"{SITE}/openactive/scheduled-sessions/index.json",
    ]
    catalog = json.loads((site / "openactive" / "data-catalog.json").read_text(encoding="utf-8"))
    assert catalog["dataset"] == [f"{SITE}/openactive/"] and catalog["license"] == openactive.LICENSE


# --- RPDE pages as files ---------------------------------------------------------------------


def items(*entries: tuple[str, date]) -> list[rpde.Item]:
    return [rpde.Item(item_id, "SessionSeries", day, {"name": item_id}) for item_id, day in entries]


def follow(pages: dict[str, dict], name: str = rpde.FIRST_PAGE) -> tuple[list[str], str]:
    """The ids a consumer reads from page `name` on, and the last page it ends on."""
    found = []
    while True:
        page = pages[name]
        found += [item["id"] for item in page["items"]]
        following = page["next"].removeprefix(BASE)
        if following == name:
            return found, name
        name = following


BASE = "https://example.dk/feed/"
OCT = [date(2026, 10, day) for day in range(1, 32)]


def test_pages_are_ordered_by_modified_then_id_and_end_on_an_empty_page():
    feed = items(("c", OCT[2]), ("a", OCT[2]), ("b", OCT[2]), ("z", OCT[0]), ("d", OCT[9]))
    pages = rpde.pages(feed, BASE, 2, OCT[20])
    ids, last = follow(pages)
    assert ids == ["z", "a", "b", "c", "d"]
    # the last page is named after the build's day: there is nothing after the last item then
    assert last == "after-2026-10-21.json" and pages[last] == {
        "next": BASE + last,
        "items": [],
        "license": rpde.LICENSE,
    }
    assert set(pages) >= {
        "index.json",
        "after-2026-10-01.json",
        "after-2026-10-03-b.json",
        "after-2026-10-03.json",
    }
    assert [item["modified"] for item in pages["after-2026-10-01.json"]["items"]] == [
        rpde.day_stamp(OCT[2]),
        rpde.day_stamp(OCT[2]),
    ]
    # every day up to the build's has a page, for consumers who stopped there
    assert {f"after-{day.isoformat()}.json" for day in OCT[:21]} <= set(pages)
    assert follow(pages, "after-2026-10-05.json") == (["d"], last)
    assert follow(pages, "after-2026-10-15.json") == ([], last)


def test_polling_the_last_page_after_a_change_finds_what_changed():
    before = rpde.pages(items(("a", OCT[0]), ("b", OCT[1])), BASE, 500, OCT[1])
    _, last = follow(before)
    # a changes on 5 October, c is new on 3 October: the next build still has the page polled
    after = rpde.pages(items(("a", OCT[4]), ("b", OCT[1]), ("c", OCT[2])), BASE, 500, OCT[5])
    assert follow(after, last)[0] == ["c", "a"]


def test_an_empty_feed_is_one_last_page():
    assert rpde.pages([], BASE, 500, OCT[0]) == {
        "index.json": {"next": BASE + "index.json", "items": [], "license": rpde.LICENSE}
    }


def test_ids_must_be_unique_and_fit_in_a_file_name():
    with pytest.raises(ValueError, match="same id"):
        rpde.pages(items(("a", OCT[0]), ("a", OCT[1])), BASE, 500, OCT[1])
    with pytest.raises(ValueError, match="file names"):
        rpde.pages(
            items(
                ("A/b", OCT[0]),
            ),
            BASE,
            500,
            OCT[1],
        )


# --- RPDE pages with query URLs ---------------------------------------------------------------


def follow_query(pages: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Query mode: the ids a consumer reads from the folder on, and the file of each page it reads."""
    found, names, url = [], [rpde.FIRST_PAGE], BASE
    while True:
        page = pages[names[-1]]
        found += [item["id"] for item in page["items"]]
        if page["next"] == url:
            return found, names
        url = page["next"]
        query = url.removeprefix(BASE + "?")
        timestamp, item_id = re.fullmatch(r"afterTimestamp=(\d+)&afterId=([a-z0-9-]+)", query).groups()
        names.append(f"after-{timestamp}-{item_id}.json")


def test_query_pages_are_named_by_the_position_before_them_and_end_on_an_empty_page():
    feed = items(("c", OCT[2]), ("a", OCT[2]), ("b", OCT[2]), ("z", OCT[0]), ("d", OCT[9]))
    pages = rpde.pages(feed, BASE, 2, OCT[20], query=True)
    ids, names = follow_query(pages)
    assert ids == ["z", "a", "b", "c", "d"]
    oct1, oct3, oct10 = (rpde.day_stamp(OCT[day]) for day in (0, 2, 9))
    assert names == ["index.json", f"after-{oct3}-a.json", f"after-{oct3}-c.json", f"after-{oct10}-d.json"]
    assert set(pages) == {*names, "last.json"}  # no daily pages
    first = pages["index.json"]
    assert first["next"] == f"{BASE}?afterTimestamp={oct3}&afterId=a"
    assert [(item["id"], item["modified"]) for item in first["items"]] == [("z", oct1), ("a", oct3)]
    # the last page is the position after the last item: empty, and its `next` is its own URL
    last = {"next": f"{BASE}?afterTimestamp={oct10}&afterId=d", "items": [], "license": rpde.LICENSE}
    assert pages[f"after-{oct10}-d.json"] == pages["last.json"] == last
    assert pages[f"after-{oct3}-c.json"]["next"] == last["next"]
    # files mode is unchanged by it
    assert "index.json" in rpde.pages(feed, BASE, 2, OCT[20]) and not any(
        name.startswith(f"after-{oct3}") for name in rpde.pages(feed, BASE, 2, OCT[20])
    )


def test_query_pages_a_full_last_page_is_followed_by_the_empty_one():
    pages = rpde.pages(items(("a", OCT[0]), ("b", OCT[1])), BASE, 2, OCT[5], query=True)
    assert follow_query(pages) == (["a", "b"], ["index.json", f"after-{rpde.day_stamp(OCT[1])}-b.json"])


def test_an_empty_query_feed_is_its_folder_pointing_to_itself():
    empty = {"next": BASE, "items": [], "license": rpde.LICENSE}
    assert rpde.pages([], BASE, 500, OCT[0], query=True) == {"index.json": empty, "last.json": empty}


def test_query_ids_must_fit_in_a_file_name_and_a_query_string():
    with pytest.raises(ValueError, match="file names"):
        rpde.pages(items(("a&b=c", OCT[0])), BASE, 500, OCT[1], query=True)
