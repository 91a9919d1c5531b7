"""Tæt på: distances from a town, a postcode or the device's position, and the areas nearby,
with and without JavaScript, on the real site in Chromium."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from aktivsammen.geo import distance_km
from aktivsammen.loading import load_content, load_vocabularies
from tests.browser.conftest import CONTENT

KM = re.compile(r"– (under 1 km|ca\. (\d+) km) fra (.+)$")


@pytest.fixture(scope="module")
def real():
    vocabularies = load_vocabularies(CONTENT / "data")
    entries = load_content([CONTENT / "activities"], vocabularies).activities
    activities = {entry.activity.title: entry.activity for entry in entries}
    return vocabularies, activities


def results(page) -> list[tuple[str, float, str]]:
    """(title, km shown, from where) of each result, in order."""
    page.locator("[data-search-results] .as-card").first.wait_for()
    found = []
    for card in page.locator("[data-search-results] .as-card").all():
        where = card.locator('[data-slot="where"]').text_content()
        match = KM.search(where)
        assert match, where
        found.append((card.locator(".as-card__link").text_content(), float(match[2] or 0), match[3]))
    return found


def open_filters(page) -> None:
    """Behind "Filtrér" on a phone; already open on a wide screen."""
    if page.locator("[data-search-filters]").get_attribute("open") is None:
        page.get_by_text("Filtrér").click()


def test_nearest_first_from_a_town_with_the_distance_on_each_card(page, base_url, real):
    vocabularies, activities = real
    page.goto(base_url + "/soeg/?naer=Jelling")
    found = results(page)
    assert [km for _, km, _ in found] == sorted(km for _, km, _ in found)
    assert {origin for _, _, origin in found} == {"Jelling"}
    jelling = vocabularies.terms("areas")["jelling"].centre
    for title, km, _ in found:  # what the card says is the distance to the activity's area centre
        activity = activities[title]
        actual = distance_km(
            jelling, activity.location.point or vocabularies.terms("areas")[activity.area].centre
        )
        assert km == (0 if actual < 1 else math.floor(actual + 0.5)), title
    assert activities[found[0][0]].area == "jelling"
    status = page.locator("[data-search-status]").text_content()
    assert status.endswith("aktiviteter, nærmest Jelling først")


def test_a_distance_limit_a_postcode_and_a_query_together(page, base_url, real):
    _, activities = real
    page.goto(base_url + "/soeg/?q=kor&naer=7100&km=5")
    found = results(page)
    assert found and all(km < 5 for _, km, _ in found)
    assert all("kor" in title.lower() or "sang" in title.lower() for title, _, _ in found), found
    everywhere = len([t for t in activities if "kor" in t.lower()])
    assert len(found) < everywhere  # the choirs further away are left out
    open_filters(page)
    assert page.get_by_label("Højst så langt væk").input_value() == "5"
    page.get_by_label("Højst så langt væk").select_option("")
    page.wait_for_function("() => !location.search.includes('km=')")
    assert len(results(page)) > len(found)


def test_a_misspelt_town_is_understood_and_an_unknown_one_explained(page, base_url):
    page.goto(base_url + "/soeg/?naer=Jeling")
    results(page)
    assert page.locator("[data-search-status]").text_content().endswith("(du skrev ”Jeling”)")
    page.goto(base_url + "/soeg/?naer=Paris")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    open_filters(page)
    assert "Vi kender ikke stedet ”Paris”" in page.locator("[data-search-near-status]").text_content()
    assert page.locator('[data-search-results] [data-slot="where"]').first.text_content().count(" fra ") == 0


def test_my_position_only_when_asked_and_never_in_the_address(browser, base_url):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="da-DK",
        geolocation={"latitude": 55.6165, "longitude": 9.3065},  # Egtved
    )  # fmt: skip
    asked = []
    page = context.new_page()
    page.add_init_script(
        """(() => { const real = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
             navigator.geolocation.getCurrentPosition = (...a) => { window.__asked = (window.__asked || 0) + 1; real(...a); };
           })()"""
    )
    page.goto(base_url + "/soeg/?q=")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    asked.append(page.evaluate("window.__asked || 0"))
    open_filters(page)
    context.grant_permissions(["geolocation"])
    page.get_by_role("button", name="Brug min placering").click()
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent.includes('din placering')"
    )
    found = results(page)
    assert found[0][2] == "din placering" and found[0][1] <= 1
    assert asked == [0] and page.evaluate("window.__asked") == 1  # not on load: on the press
    assert "naer" not in parse_qs(urlsplit(page.url).query)  # where someone is stays on the page
    context.close()


def test_a_refused_position_is_explained(browser, base_url):
    context = browser.new_context(locale="da-DK")  # no permission granted: Chromium refuses
    page = context.new_page()
    page.goto(base_url + "/soeg/")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    open_filters(page)
    page.get_by_role("button", name="Brug min placering").click()
    status = page.locator("[data-search-near-status]")
    page.wait_for_function(
        "() => document.querySelector('[data-search-near-status]').textContent.includes('i stedet')"
    )
    assert "Skriv en by eller et postnummer i stedet" in status.text_content()
    context.close()


def test_few_in_one_area_offers_the_areas_nearby(page, base_url):
    page.goto(base_url + "/soeg/?omraade=vandel")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    box = page.locator("[data-search-nearby]")
    assert box.is_visible()
    links = box.get_by_role("link").all()
    assert next(link.text_content() for link in links) == "Randbøl"
    links[0].click()
    page.wait_for_function("() => location.search.includes('omraade=randboel')")


def test_the_front_page_asks_where_you_live(page, base_url):
    page.goto(base_url + "/")
    page.get_by_label("Eller skriv, hvor du bor").fill("Give")
    page.get_by_role("button", name="Vis", exact=True).click()
    found = results(page)
    assert found[0][2] == "Give" and found[0][1] <= 1


def test_without_javascript_area_pages_offer_days_and_the_areas_nearby(no_js_page, base_url):
    page = no_js_page
    page.goto(base_url + "/omraade/vandel/")  # few activities: the nearby areas come first
    nearby = page.locator(".as-nearby")
    assert nearby.get_by_role("heading", name="Områder tæt på").is_visible()
    assert nearby.locator("a").first.text_content() == "Randbøl"
    assert nearby.bounding_box()["y"] < page.locator(".as-card").first.bounding_box()["y"]
    days = page.get_by_role("navigation", name="Vælg en ugedag")
    assert days.is_visible()
    days.get_by_role("link", name=re.compile("^Torsdag")).click()
    assert urlsplit(page.url).path == "/omraade/vandel/torsdag/"
    on_thursday = page.locator(".as-card").evaluate_all("cards => cards.map(c => c.dataset.fDag)")
    assert on_thursday and all("torsdag" in days.split() for days in on_thursday)
    page.go_back()
    every_day = page.locator(".as-card").evaluate_all("cards => cards.map(c => c.dataset.fDag)")
    assert len(on_thursday) == sum("torsdag" in days.split() for days in every_day) < len(every_day)
    page.go_forward()
    assert page.get_by_role("heading", level=1).text_content() == "Aktiviteter i Vandel om torsdagen"
    page.get_by_role("link", name="Alle dage").click()
    assert urlsplit(page.url).path == "/omraade/vandel/"
