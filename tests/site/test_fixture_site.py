"""Build small fixture sites and check the HTML the plugins produce."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from aktivsammen.problems import ContentError
from aktivsammen.search import read_published
from tests.conftest import ROOT, VALID_ACTIVITY, build
from tests.site.links import broken_links, parse

PROJECT = """\
---
title: Følgeven til fællesskab
summary: En følgeven går med dig første gang.
status: i-drift
owner: Vejle Kommune
areas: [jelling]
categories: [samvaer]
result: Ordningen er i brug.
activities: [gaaklub]
source: Vejle Kommune (2019)
---
## Hvad er det?

En følgeven går med dig.
"""


def activity(**changes: str) -> str:
    text = VALID_ACTIVITY
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture
def site(make_site, tmp_path, pelican_warnings):
    content = make_site(
        activities={
            "gaaklub.yaml": VALID_ACTIVITY,
            "whist.yaml": activity(
                **{
                    "title: Gåklub ved medborgerhuset": "title: Whist i Jelling",
                    "area: vejle-nord": "area: jelling",
                    "categories: [gaa-og-natur, motion]": "categories: [kort-og-spil]",
                    "price: gratis": "price: {amount: 20, per: gang, note: inkl. kaffe}",
                }
            ),
            "oevehold.yaml": activity(
                **{
                    "title: Gåklub ved medborgerhuset": "title: Øvehold for nybegyndere",
                    "level: let": "level: let\nstatus: pause",
                }
            ),
            "lukket-klub.yaml": activity(
                **{
                    "title: Gåklub ved medborgerhuset": "title: Lukket klub",
                    "level: let": "level: let\nstatus: aflyst",
                }
            ),
        },
        projects={"foelgeven.md": PROJECT},
    )
    output = tmp_path / "output"
    build(content, output)
    assert pelican_warnings() == []
    return output


def html(output, path):
    return (output / path).read_text(encoding="utf-8")


def test_activity_page_shows_the_facts_in_plain_danish(site):
    page = html(site, "aktivitet/gaaklub/index.html")
    assert "<h1>Gåklub ved medborgerhuset</h1>" in page
    assert "Hver tirsdag kl. 10.00–11.30" in page
    assert "Sæson: fra 1. september 2026 til 31. maj 2027." in page
    assert "Eksempelvej 40<br>7100 Vejle" in page
    assert '<a href="tel:+4500000000">00 00 00 00</a>' in page
    assert "Ja, du må gerne tage en med, fx en ven, en pårørende eller en følgeven." in page
    assert "Trinfri adgang" in page
    assert "Oplysningerne er sidst bekræftet 1. oktober 2026." in page
    assert "Vi går i <strong>roligt tempo</strong>." in page
    # the coordinator for Vejle town is shown on activities in Vejle Nord
    assert "Fællesskabskoordinatoren for Vejle by" in page
    assert '<html lang="da">' in page and page.count("<h1") == 1


def test_price_and_rural_coordinator(site):
    page = html(site, "aktivitet/whist/index.html")
    assert "20 kr. pr. gang (inkl. kaffe)" in page
    assert "Fællesskabskoordinatoren for landområderne" in page


def test_a_to_aa_listing_in_danish_order_without_cancelled(site):
    page = html(site, "aktiviteter/index.html")
    titles = ["Gåklub ved medborgerhuset", "Whist i Jelling", "Øvehold for nybegyndere"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Lukket klub" not in page
    assert "Holder pause" in page
    # cancelled activities keep their page, marked as such
    assert "<strong>Aflyst.</strong>" in html(site, "aktivitet/lukket-klub/index.html")


def test_area_and_category_pages(site):
    jelling = html(site, "omraade/jelling/index.html")
    assert "Whist i Jelling" in jelling and "Gåklub" not in jelling
    nord = html(site, "omraade/vejle-nord/index.html")
    assert "Gåklub ved medborgerhuset" in nord and "Whist" not in nord
    # every area and category has a page, also the empty ones
    assert "Der er ingen aktiviteter i Vonge" in html(site, "omraade/vonge/index.html")
    cards = html(site, "kategori/kort-og-spil/index.html")
    assert "Whist i Jelling" in cards and "Gåklub" not in cards
    assert "1 aktiviteter" in html(site, "kategori/index.html")


def test_projects(site):
    page = html(site, "projekter/foelgeven/index.html")
    assert "<h2>Hvad er det?</h2>" in page
    assert "I drift" in page
    assert (
        '<dt class="as-facts__label">Resultat</dt>\n  <dd class="as-facts__value">Ordningen er i brug.</dd>'
        in page
    )
    # the activities it names, as cards, and in the list of projects with the result
    assert '<a class="as-card__link" href="../../aktivitet/gaaklub/">Gåklub ved medborgerhuset</a>' in page
    listing = html(site, "projekter/index.html")
    assert (
        "Følgeven til fællesskab" in listing and "<strong>Resultat:</strong> Ordningen er i brug." in listing
    )
    assert '<a href="../aktivitet/gaaklub/">Gåklub ved medborgerhuset</a>' in listing


def test_no_broken_internal_links(site):
    assert broken_links(site) == []


def test_every_page_has_one_h1_and_a_title(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert text.count("<h1") == 1, path
        assert "<title>" in text


def test_invalid_activity_fails_the_build_with_the_editors_message(make_site, tmp_path):
    content = make_site(
        activities={
            "gaaklub.yaml": VALID_ACTIVITY,
            "whist.yaml": activity(**{"area: vejle-nord": "area: atlantis"}),
            "Forkert Navn.yaml": VALID_ACTIVITY,
        }
    )
    with pytest.raises(ContentError) as raised:
        build(content, tmp_path / "output")
    lines = str(raised.value).splitlines()
    assert any(
        line.endswith(
            "whist.yaml:4: area: 'atlantis' er ikke et kendt lokalområde "
            "(tilladt: vejle-midtby, vejle-nord, vejle-syd, vejle-oest, boerkop, jelling, "
            "gadbjerg, give, bredsten, randboel, vandel, egtved, vonge)"
        )
        for line in lines
    )
    assert any("Forkert Navn.yaml:1: (hele filen): filnavnet" in line for line in lines)
    assert lines[-1] == "2 fejl i 2 filer"


def test_reading_in_worker_processes_gives_the_same_site_and_errors(make_site, tmp_path):
    """Large sites read their files in several processes; nothing else may change."""
    files = {
        "gaaklub.yaml": VALID_ACTIVITY,
        "whist.yaml": activity(**{"title: Gåklub ved": "title: Whist ved"}),
    }
    content = make_site(activities=files)
    outputs = {}
    for processes in (1, 2):
        outputs[processes] = tmp_path / f"output-{processes}"
        build(content, outputs[processes], ACTIVITIES_READ_PROCESSES=processes)
    serial, parallel = (
        {p.relative_to(o): p.read_bytes() for p in o.rglob("*") if p.is_file()} for o in outputs.values()
    )
    assert serial == parallel

    (content / "activities" / "whist.yaml").write_text(
        activity(**{"area: vejle-nord": "area: atlantis"}), encoding="utf-8"
    )
    reports = []
    for processes in (1, 2):
        with pytest.raises(ContentError) as raised:
            build(content, tmp_path / "broken", ACTIVITIES_READ_PROCESSES=processes)
        reports.append(raised.value.problems)
    assert reports[0] == reports[1]
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.field) for p in reports[1]] == [("whist.yaml", 4, "area")]


def test_invalid_project_fails_the_build(make_site, tmp_path):
    content = make_site(projects={"foelgeven.md": PROJECT.replace("status: i-drift", "status: kører")})
    with pytest.raises(ContentError, match=r"foelgeven.md:4: status: 'kører' er ikke tilladt"):
        build(content, tmp_path / "output")


def test_activity_text_cannot_inject_markup(make_site, tmp_path):
    content = make_site(
        activities={
            "gaaklub.yaml": activity(
                **{
                    "summary: Vi går": "summary: <script>alert(1)</script> Vi går",
                    "  Vi går i **roligt tempo**.": "  <script>alert(2)</script>[x](javascript:alert(3))",
                }
            )
        }
    )
    build(content, tmp_path / "output")
    for path in (tmp_path / "output").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "javascript:" not in text, path  # escaped text is fine


def test_publish_build_uses_absolute_urls(make_site, tmp_path):
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    build(content, tmp_path / "output", "publishconf.py", SITEURL="https://aktivsammen.example.dk")
    page = parse(tmp_path / "output" / "aktivitet" / "gaaklub" / "index.html")
    internal = [link for link in page.links if "aktivsammen.example.dk" in link]
    assert "https://aktivsammen.example.dk/omraade/vejle-nord/" in internal
    assert not [link for link in page.links if link.startswith("../")]


def test_long_listings_are_split_into_pages(make_site, tmp_path):
    content = make_site(
        activities={
            f"hold-{n}.yaml": activity(**{"title: Gåklub ved medborgerhuset": f"title: Hold {n}"})
            for n in (1, 2, 3)
        }
    )
    output = tmp_path / "output"
    build(content, output, ACTIVITIES_PER_PAGE=2)
    first = html(output, "omraade/vejle-nord/index.html")
    second = html(output, "omraade/vejle-nord/side-2/index.html")
    assert "Hold 1" in first and "Hold 2" in first and "Hold 3" not in first
    assert "Hold 3" in second
    assert 'aria-current="page">Side 2 af 2</span>' in second
    assert 'href="../../../omraade/vejle-nord/" rel="prev">Forrige side</a>' in second
    assert not (output / "omraade" / "vejle-nord" / "side-3").exists()


def test_another_municipality_rebrands_with_settings_and_one_file(make_site, tmp_path):
    default = (ROOT / "themes" / "aktivsammen" / "styles" / "variables.css").read_text(encoding="utf-8")
    variables = tmp_path / "variables.css"
    variables.write_text(default.replace("--as-brand: #00594c;", "--as-brand: #4a1f6b;"), encoding="utf-8")
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    (content / "images").mkdir()
    (content / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
    )
    output = tmp_path / "output"
    build(
        content, output,
        THEME_VARIABLES_FILE=str(variables), MUNICIPALITY_NAME="Testrup Kommune",
        MUNICIPALITY_URL="https://testrup.example.dk", SITELOGO="images/logo.svg", STATIC_PATHS=["images"],
    )  # fmt: skip
    css = html(output, "theme/css/site.css")
    assert "--as-brand: #4a1f6b;" in css and "#00594c" not in css
    front = html(output, "index.html")
    assert '<img class="as-header__logo" src="./images/logo.svg" alt=""' in front
    assert '<a href="https://testrup.example.dk">Testrup Kommune</a>' in front
    assert (output / "images" / "logo.svg").exists()


def test_finished_seasons_and_past_dates_leave_the_listings(make_site, tmp_path):
    content = make_site(
        activities={
            "gaaklub.yaml": VALID_ACTIVITY,
            "sommerhold.yaml": activity(
                **{
                    "title: Gåklub ved medborgerhuset": "title: Sommerhold",
                    "from: 2026-09-01": "from: 2026-05-01",
                    "until: 2027-05-31": "until: 2026-08-31",
                }
            ),
        }
    )
    output = tmp_path / "output"
    build(content, output, ACTIVITIES_TODAY=date(2026, 11, 22))
    assert "Sommerhold" not in html(output, "aktiviteter/index.html")
    assert "Sommerhold" not in html(output, "omraade/vejle-nord/index.html")
    search = read_published(output / "soeg/data/soegedata.json")
    assert "Gåklub ved medborgerhuset" in json.dumps(search, ensure_ascii=False)  # the store is all there
    assert "Sommerhold" not in json.dumps(search, ensure_ascii=False)
    assert "<strong>Slut for denne gang.</strong>" in html(output, "aktivitet/sommerhold/index.html")
    assert "Gåklub ved medborgerhuset" in html(output, "aktiviteter/index.html")


def test_the_build_reports_stale_activities(make_site, tmp_path, capsys):
    old = VALID_ACTIVITY.replace("verified: 2026-10-01", "verified: 2025-01-10")
    content = make_site(activities={"gammel.yaml": old, "ny.yaml": VALID_ACTIVITY})
    build(content, tmp_path / "output", ACTIVITIES_TODAY=date(2026, 11, 22))
    assert "Bemærk: 1 aktiviteter er ikke bekræftet i over 365 dage. Se hvilke med: aktivsammen stale" in (
        capsys.readouterr().err
    )


def test_calendar_files_for_every_activity_and_area(site):
    import icalendar

    page = html(site, "aktivitet/gaaklub/index.html")
    assert 'href="../../aktivitet/gaaklub/gaaklub.ics" download>Tilføj til kalender' in page
    cal = icalendar.Calendar.from_ical((site / "aktivitet" / "gaaklub" / "gaaklub.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Gåklub ved medborgerhuset"]
    area = icalendar.Calendar.from_ical((site / "omraade" / "vejle-nord" / "vejle-nord.ics").read_bytes())
    titles = sorted(str(e["SUMMARY"]) for e in area.walk("VEVENT"))
    assert titles == ["Gåklub ved medborgerhuset"]  # not the cancelled one, nor the one paused for now
    paused = (site / "aktivitet" / "oevehold" / "oevehold.ics").read_bytes()
    assert b"BEGIN:VEVENT" not in icalendar.Calendar.from_ical(paused).to_ical()
    listing = html(site, "omraade/vejle-nord/index.html")
    # a subscription (webcal: at the guide's public address), with help, and the one-off download
    assert (
        '<a href="webcal://aktivsammen.vejle.dk/omraade/vejle-nord/vejle-nord.ics">Abonnér på kalenderen'
        in listing
    )
    assert "iPhone og iPad:" in listing and "Android og Google Kalender:" in listing and "Outlook:" in listing
    assert 'href="../../omraade/vejle-nord/vejle-nord.ics" download>Hent kalenderfilen' in listing


def test_json_ld_sitemap_and_robots(site):
    import json
    import re

    page = html(site, "aktivitet/gaaklub/index.html")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(block)
    assert data["@type"] == "EventSeries" and data["name"] == "Gåklub ved medborgerhuset"
    assert data["url"] == "https://aktivsammen.vejle.dk/aktivitet/gaaklub/"
    sitemap = html(site, "sitemap.xml")
    assert (
        "<url><loc>https://aktivsammen.vejle.dk/aktivitet/gaaklub/</loc><lastmod>2026-10-01</lastmod></url>"
        in sitemap
    )
    assert "<loc>https://aktivsammen.vejle.dk/</loc>" in sitemap and "404" not in sitemap
    assert "komponenter" not in sitemap
    assert html(site, "robots.txt").endswith("Sitemap: https://aktivsammen.vejle.dk/sitemap.xml\n")


def test_events_window_from_a_local_feed(make_site, tmp_path):
    feed = ROOT / "content" / "data" / "eventkalender-eksempel.ics"
    events = activity(
        **{
            "title: Gåklub ved medborgerhuset": "title: Julemarked",
            "  - repeat: ugentlig\n    days: [tirsdag]\n": '  - repeat: datoer\n    dates: ["2026-12-05"]\n',
        }
    )
    content = make_site(activities={"julemarked.yaml": events})
    output = tmp_path / "output"
    build(
        content,
        output,
        ACTIVITIES_TODAY=date(2026, 11, 22),
        EVENTS_FEED=str(feed),
        EVENTS_CATEGORIES=["Seniorer"],
    )
    page = html(output, "arrangementer/index.html")
    assert page.index("Seniorbio med kaffe (eksempel)") < page.index("Julemarked")  # 3 before 5 December
    assert "Koncert for unge" not in page and "Julekoncert" not in page  # other categories
    assert "Det sker snart" in html(output, "index.html")


def test_an_unreadable_feed_does_not_stop_the_build(make_site, tmp_path, capsys):
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    build(content, tmp_path / "output", EVENTS_FEED=str(tmp_path / "findes-ikke.ics"))
    assert "kunne ikke læses" in capsys.readouterr().err
    assert "Der er ingen arrangementer" in html(tmp_path / "output", "arrangementer/index.html")


def test_a_failure_in_background_work_fails_the_build(make_site, tmp_path, monkeypatch):
    """Calendars and data files are written in other processes; their errors still stop the build."""
    from plugins.open_data import OpenDataGenerator
    from plugins.plugin_kit import BackgroundWorkFailed

    def broken(self):
        raise ValueError("kan ikke skrive data")

    monkeypatch.setattr(OpenDataGenerator, "write_in_background", broken)
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    with pytest.raises((BackgroundWorkFailed, ValueError), match="kan ikke skrive data"):
        build(content, tmp_path / "output")


def test_area_day_pages_and_the_areas_nearby(site):
    """Without JavaScript an area page still narrows by day (a page per day it has activities on)
    and names the areas nearest to it, with their distance and count."""
    area = html(site, "omraade/jelling/index.html")
    assert 'href="../../omraade/jelling/tirsdag/"' in area
    day = html(site, "omraade/jelling/tirsdag/index.html")
    assert "<h1>Aktiviteter i Jelling om tirsdagen</h1>" in day and "Whist i Jelling" in day
    assert not (site / "omraade" / "jelling" / "onsdag").exists()  # no activity there that day
    walking = html(site, "omraade/vejle-nord/tirsdag/index.html")
    assert "Gåklub ved medborgerhuset" in walking and "Lukket klub" not in walking
    # Jelling has one activity: the nearby areas come before it, nearest first
    text = " ".join(area.split())
    assert "Der er kun 1 aktivitet i Jelling" in text
    assert text.index("Områder tæt på") < text.index("Whist i Jelling")
    nearby = text[text.index("Områder tæt på") :]
    assert re.search(r'Gadbjerg</a> <span class="as-nearby__facts">ca\. 6 km væk · 0 aktiviteter', nearby)
    assert re.search(r'Vejle Nord</a> <span class="as-nearby__facts">ca\. 7 km væk · 2 aktiviteter', nearby)
    assert nearby.index("Gadbjerg") < nearby.index("Bredsten") < nearby.index("Vejle Nord")


def test_a_page_per_search_word_with_the_activities_it_means(site):
    cards = html(site, "soeg/ord/kortspil/index.html")
    assert "<h1>Aktiviteter om kortspil</h1>" in cards and "Whist i Jelling" in cards
    assert "Gåklub ved medborgerhuset" not in cards
    walks = html(site, "soeg/ord/gaatur/index.html")
    assert "Gåklub ved medborgerhuset" in walks and "Whist i Jelling" not in walks
    words = " ".join(html(site, "soeg/ord/index.html").split())
    assert 'soeg/ord/kortspil/">spillekort</a> <span class="as-secondary">– kortspil</span>' in words
    assert 'omraade/give/">Thyregod</a> <span class="as-secondary">– område: Give og Thyregod</span>' in words
    search = html(site, "soeg/index.html")
    assert 'soeg/ord/kortspil/">kortspil</a>' in search and "Vælg et ord i stedet" in search
