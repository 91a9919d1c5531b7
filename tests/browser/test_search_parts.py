"""The search page on a download cut in many small parts: the same results, in the same order, as
on the site built with the default parts, and only the parts a search needs are fetched."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve
from tests.conftest import CONTENT, build

QUERIES = ["?q=kor", "?q=whist", "?q=gymnastik&dag=tirsdag", "?q=whst", "?q=kortspil", "?omraade=jelling",
           "?q=svømning", "?q=korsang", "?q=xyz", "?naer=Jelling&km=10", ""]  # fmt: skip


@pytest.fixture(scope="module")
def cut_url(tmp_path_factory):
    output = tmp_path_factory.mktemp("parts") / "output"
    build(CONTENT, output, SEARCH_SHARD_BYTES=1200, SEARCH_STORE_CHUNK=4)
    parts = len(list((output / "soeg/data/dele").glob("*.json")))
    assert parts >= 30  # really cut in many
    with serve(output) as url:
        yield url, parts


def shown(page, url: str) -> tuple[str, list[str]]:
    """The count and every card, once all of them are there (with "Vis flere" pressed once)."""
    page.goto(url)
    page.wait_for_selector("[data-search-status]:not(:empty)")
    status = page.locator("[data-search-status]").text_content()
    total = int(re.match(r"\d+", status)[0]) if status[0].isdigit() else 0
    cards = page.locator("[data-search-results] > li")
    expect(cards).to_have_count(min(total, 30))
    if total > 30:  # the next page too, so that more chunks are needed
        page.locator("[data-search-more]").click()
        expect(cards).to_have_count(min(total, 60))
    return status, cards.all_inner_texts()


def test_the_cut_download_shows_what_the_whole_shows(page, base_url, cut_url):
    url, _ = cut_url
    for query in QUERIES:
        assert shown(page, f"{url}/soeg/{query}") == shown(page, f"{base_url}/soeg/{query}"), query


def test_a_search_fetches_only_the_parts_it_needs(page, cut_url):
    url, parts = cut_url
    fetched: list[str] = []
    page.on("request", lambda request: "/dele/" in request.url and fetched.append(request.url))
    page.goto(f"{url}/soeg/?q=whist")
    expect(page.locator("[data-search-status]")).to_have_text("2 aktiviteter")
    assert 1 <= len(fetched) <= 4 < parts  # its shard and the chunks of its two results
    assert len(set(fetched)) == len(fetched)
    fetched.clear()
    page.get_by_label("Hvad leder du efter?").fill("whist")
    page.get_by_label("Hvad leder du efter?").press("Enter")
    expect(page.locator("[data-search-status]")).to_have_text("2 aktiviteter")
    assert fetched == []  # fetched once per page
