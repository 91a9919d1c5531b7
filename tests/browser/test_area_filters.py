"""Area pages filter as the search page does (topic and step-free too), and keep it in the address."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect


def shown_titles(page) -> list[str]:
    return page.locator("[data-filter-item]:not([hidden]) .as-card__link").all_text_contents()


def test_topic_and_step_free_filters_are_kept_in_the_address(page, base_url):
    page.goto(base_url + "/omraade/vejle-nord/")
    everything = shown_titles(page)
    page.get_by_text("Flere valg").click()
    page.get_by_label("Trinfri adgang").check()
    step_free = shown_titles(page)
    assert 0 < len(step_free) < len(everything)
    page.get_by_label("Tirsdag").check()
    both = shown_titles(page)
    assert set(both) <= set(step_free)
    assert parse_qs(urlsplit(page.url).query) == {"dag": ["tirsdag"], "tilg": ["trinfri-adgang"]}
    page.reload()  # a reload (or back from an activity) shows the same list
    assert page.get_by_label("Tirsdag").is_checked() and page.get_by_label("Trinfri adgang").is_checked()
    assert shown_titles(page) == both
    assert (
        page.locator("[data-filter-status]").text_content()
        == f"Viser {len(both)} af {len(everything)} aktiviteter"
    )


def test_a_shared_link_with_a_topic_opens_with_it_chosen(page, base_url):
    page.goto(base_url + "/omraade/vejle-midtby/?kategori=sang-og-musik")
    assert page.locator(".as-filters__more").get_attribute("open") is not None
    titles = shown_titles(page)
    assert titles and all(
        "sang-og-musik"
        in (
            page.locator(f'[data-filter-item]:has(a:text-is("{title}"))').get_attribute("data-f-kategori")
            or ""
        )
        for title in titles
    )


def test_the_areas_nearby_keep_the_choices(page, base_url):
    page.goto(base_url + "/omraade/vandel/")
    page.get_by_label("Torsdag").check()
    nearby = page.locator(".as-nearby a[data-keep-filters]").first
    assert urlsplit(nearby.get_attribute("href")).query == "dag=torsdag"
    nearby.click()
    page.wait_for_url("**/omraade/randboel/?dag=torsdag")
    expect(page.get_by_label("Torsdag")).to_be_checked()  # once filters.js has read the address
    assert parse_qs(urlsplit(page.url).query) == {"dag": ["torsdag"]}
