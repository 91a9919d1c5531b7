"""Search in Chromium on the built site: lunr.js agrees with lunr.py; Danish queries; facets; state."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from lunr.index import Index
from playwright.sync_api import expect

from aktivsammen.loading import load_content, load_vocabularies
from aktivsammen.search import (  # also registers the Danish pipeline
    forms_of,
    index_document,
    lunr_index,
    read_published,
    read_store,
    word_forms,
)
from aktivsammen.text import danish_sort_key
from tests.browser.conftest import CONTENT, run_axe

LIBRARIES = ["lunr.min.js", "lunr.stemmer.support.min.js", "lunr.da.min.js"]


@pytest.fixture(scope="module")
def published_search_data(site_dir):
    """The published head and parts, as one object (aktivsammen.search.read_published)."""
    return read_published(site_dir / "soeg" / "data" / "soegedata.json")


@pytest.fixture(scope="module")
def search_data(published_search_data):
    """The downloaded search data, with the store as rows (it is sent by column)."""
    return published_search_data | {"docs": read_store(published_search_data)}


def test_the_browser_reads_the_store_as_the_build_wrote_it(
    page, base_url, published_search_data, search_data
):
    page.goto(base_url + "/soeg/")
    rows = page.evaluate("data => asSearchQuery.readStore(data)", published_search_data)
    assert rows == [row + [None] * (len(search_data["fields"]) - len(row)) for row in search_data["docs"]]
    at = search_data["fields"].index("next")
    assert any(isinstance(row[at], list) and row[at] for row in rows)  # dates were rebuilt, not just kept


@pytest.fixture(scope="module")
def python_index():
    """lunr.py's own serialization of the same index the site ships in compact form."""
    vocabularies = load_vocabularies(CONTENT / "data")
    entries = load_content([CONTENT / "activities"], vocabularies).activities
    listed = [e.activity for e in entries if e.activity.status.value != "aflyst"]
    ordered = sorted(listed, key=lambda activity: danish_sort_key(activity.title))
    with word_forms(forms_of(vocabularies)):  # as the build: mænd is mand, haven is not hav
        return lunr_index([index_document(activity, vocabularies, 40) for activity in ordered])


def test_the_compact_index_expands_to_exactly_what_lunr_py_serialized(
    page, base_url, search_data, python_index
):
    page.goto(base_url + "/soeg/")
    page.wait_for_function("() => window.asSearchQuery")
    expanded = page.evaluate("c => asSearchQuery.expandIndex(c)", search_data["index"])
    # lunr.py numbers terms in the order it first met them; the browser numbers them in sorted
    # order. The numbers are only labels shared by postings and vectors, so compare relabelled.
    position = {posting["_index"]: n for n, (_, posting) in enumerate(python_index["invertedIndex"])}
    relabelled = [
        [
            term,
            {
                **{k: dict(v) for k, v in posting.items() if k != "_index"},
                "_index": position[posting["_index"]],
            },
        ]
        for term, posting in python_index["invertedIndex"]
    ]
    assert expanded["invertedIndex"] == relabelled
    vectors = {}
    for field_ref, elements in python_index["fieldVectors"]:
        pairs = sorted((position[elements[i]], elements[i + 1]) for i in range(0, len(elements), 2))
        vectors[field_ref] = [x for pair in pairs for x in pair]
    assert dict(expanded["fieldVectors"]) == vectors
    assert {k: v for k, v in expanded.items() if k not in ("invertedIndex", "fieldVectors")} == {
        k: v for k, v in python_index.items() if k not in ("invertedIndex", "fieldVectors")
    }


def agreement_queries(search_data) -> list[str]:
    """100+ queries from the shipped content: words, prefixes, typos, pairs and field queries."""
    titles = [doc[1] for doc in search_data["docs"]]
    words = sorted({w.lower() for t in titles for w in re.findall(r"[a-zæøåé]{4,}", t, re.I)})
    queries = words[:60]
    queries += [w[:4] + "*" for w in words[::5]][:20]
    queries += [w + "~1" for w in words[1::6]][:15]
    queries += [f"{a} {b}" for a, b in zip(words[::7], words[3::7], strict=False)][:10]
    queries += [
        "title:kor",
        "kor*",
        "*kor",
        "svøm*",
        "gåture",
        "øvede",
        "yoga",
        "cykling",
        "whist~1",
        "jelling",
    ]
    return queries


def ranked(results) -> list[str]:
    """Refs by score; equal scores (genuine ties) by ref, since the two sides break ties differently."""
    return [r for r, score in sorted(results, key=lambda item: (-round(item[1], 3), item[0]))]


def test_lunr_js_returns_the_same_results_as_lunr_py(page, base_url, search_data, python_index):
    queries = agreement_queries(search_data)
    assert len(queries) >= 100
    index = Index.load(python_index)
    expected = [ranked([(r["ref"], r["score"]) for r in index.search(q)]) for q in queries]
    page.goto(base_url + "/soeg/")
    page.wait_for_function("() => window.lunr && lunr.da && window.asSearchQuery")
    actual = page.evaluate(
        """([index, queries]) => { const idx = asSearchQuery.load(index);
             return queries.map(q => idx.search(q).map(r => [r.ref, r.score])); }""",
        [search_data["index"], queries],
    )
    actual = [ranked(results) for results in actual]
    mismatches = [(q, e, a) for q, e, a in zip(queries, expected, actual, strict=True) if e != a]
    assert mismatches == []
    assert sum(1 for refs in expected if refs) >= 90  # the queries really find things


def search(page, base_url, query: str):
    page.goto(f"{base_url}/soeg/{query}")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    titles = page.locator("[data-search-results] .as-card__link").all_text_contents()
    return page.locator("[data-search-status]").text_content(), titles


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("?q=kor", ["Seniorkoret i Jelling", "Midtbyens Seniorkor"]),  # compound: kor in seniorkor
        ("?q=seniorkor", ["Seniorkoret i Jelling", "Midtbyens Seniorkor"]),
        ("?q=whist", ["Whistklubben i Thyregod", "Whistklubben på Løget Høj"]),
        ("?q=whst", ["Whistklubben i Thyregod", "Whistklubben på Løget Høj"]),  # typo, 1 edit
        (
            "?q=gymnastik",
            [
                "Stolegymnastik i Aktivitetscentret Nord",
                "Stolegymnastik i Egtved",
                "Vandgymnastik for seniorer i Give",
                "Vandgymnastik i varmtvandsbassin",
            ],
        ),  # compounds
        (
            "?q=stoelgymnastik",
            ["Stolegymnastik i Aktivitetscentret Nord", "Stolegymnastik i Egtved"],
        ),  # 2 edits
        ("?q=strik", ["Strik og snak i Give", "Strikkecaféen i Nørremarken"]),  # partly typed
        ("?q=kor+jelling", ["Seniorkoret i Jelling"]),  # both words rank highest
        ("?q=demenscafe", ["Demenscafé i Jelling", "Demenscafé for mennesker med demens og pårørende"]),
    ],
)
def test_danish_queries(page, base_url, query, expected_first):
    status, titles = search(page, base_url, query)
    assert sorted(titles[: len(expected_first)]) == sorted(expected_first), titles[:5]
    assert status.endswith("aktiviteter") or status == "1 aktivitet"


def test_aa_ae_oe_typed_for_aa_ae_oe(page, base_url):
    _, spelled_out = search(page, base_url, "?q=haandarbejde")
    _, danish = search(page, base_url, "?q=håndarbejde")
    assert spelled_out == danish and len(danish) >= 3
    _, spelled_out = search(page, base_url, "?q=loeget+hoej")
    assert spelled_out[0] in ("Whistklubben på Løget Høj", "Sundt madfællesskab på Løget Høj")


def test_inflections_find_the_same(page, base_url):
    _, singular = search(page, base_url, "?q=gåtur")
    _, plural = search(page, base_url, "?q=gåture")
    assert singular and singular[:3] == plural[:3]


def test_stop_words_are_ignored(page, base_url):
    _, with_stop_words = search(page, base_url, "?q=og+i+whist+på")
    _, plain = search(page, base_url, "?q=whist")
    assert plain and with_stop_words == plain


def test_facets_alone_list_everything_that_matches(page, base_url, search_data):
    status, titles = search(page, base_url, "?dag=onsdag&omraade=egtved")
    fields = search_data["fields"]
    areas = [option[0] for option in search_data["facets"]["omraade"]]
    expected = [
        doc[fields.index("title")]
        for doc in search_data["docs"]
        if areas[doc[fields.index("area")]] == "egtved" and doc[fields.index("days")] & (1 << 2)
    ]
    assert titles == expected and expected  # A–Å order when there is no text
    assert status == (f"{len(expected)} aktiviteter" if len(expected) > 1 else "1 aktivitet")


def test_facets_and_text_combined_with_counts(page, base_url):
    _, all_walks = search(page, base_url, "?q=gåklub")
    _, free_walks = search(page, base_url, "?q=gåklub&vis=gratis")
    assert 0 < len(free_walks) <= len(all_walks)
    # counts next to each option are for the current search
    count = page.locator('[data-count="vis=gratis"]').text_content()
    assert int(count) == len(free_walks)


def test_no_hits_suggests_what_to_do(page, base_url):
    status, titles = search(page, base_url, "?q=xyzzy&dag=søndag")
    assert titles == [] and status == "Ingen aktiviteter fundet"
    empty = page.locator("[data-search-empty]")
    assert empty.is_visible()
    assert "76 81 00 00" in empty.text_content()
    assert run_axe(page) == []
    page.get_by_role("button", name="Fjern søgeordene").click()
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] li').length > 0")
    assert "q=" not in page.url and "dag=s%C3%B8ndag" in page.url


def test_typing_searches_and_the_address_keeps_the_state(page, base_url):
    page.goto(base_url + "/soeg/")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    page.get_by_label("Hvad leder du efter?").fill("whist")
    page.wait_for_function("() => location.search === '?q=whist'")
    expect(page.locator("[data-search-status]")).to_have_text("2 aktiviteter")
    page.get_by_label("Tirsdag").check()
    page.wait_for_function("() => location.search.includes('dag=tirsdag')")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["whist"], "dag": ["tirsdag"]}
    page.go_back()
    page.wait_for_function("() => !location.search.includes('dag=')")
    assert not page.get_by_label("Tirsdag").is_checked()
    page.reload()
    page.wait_for_selector("[data-search-status]:not(:empty)")
    assert page.get_by_label("Hvad leder du efter?").input_value() == "whist"


def test_front_page_search_box_leads_to_results(page, base_url):
    page.goto(base_url + "/")
    page.get_by_label("Hvad har du lyst til?").fill("svømning")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_selector("[data-search-status]:not(:empty)")
    assert urlsplit(page.url).path == "/soeg/"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["svømning"]}


def test_search_page_has_no_axe_violations_with_results(page, base_url):
    search(page, base_url, "?q=kor")
    page.locator("details.as-filters__more summary").click()
    assert run_axe(page) == []


def test_every_facet_works_from_the_keyboard(page, base_url):
    search(page, base_url, "")
    total = page.locator("[data-search-status]").text_content()
    page.locator("details.as-filters__more summary").focus()
    page.keyboard.press("Enter")  # opens "Flere valg"
    boxes = page.locator("form[data-module=as-filters] input[type=checkbox]")
    assert boxes.count() > 0
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.focus()
        page.keyboard.press("Space")
        assert box.is_checked()
        page.keyboard.press("Space")
        assert not box.is_checked()
    select = page.get_by_label("Område", exact=True)
    select.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => location.search.includes('omraade=')")
    assert page.locator("[data-search-status]").text_content() != total


def test_more_results_on_request(page, base_url, search_data):
    status, titles = search(page, base_url, "")
    # no text and no filters: every listed activity, 30 shown at first
    assert len(titles) == 30 and status == f"{len(search_data['docs'])} aktiviteter"
    page.get_by_role("button", name=re.compile("Vis flere")).click()
    assert page.locator("[data-search-results] .as-card").count() > 30


def test_without_javascript_a_search_leads_to_the_words_and_their_activities(browser, base_url):
    """A search typed on the front page without JavaScript lands on words to choose from (the box
    that would lead back is gone), and a word leads to the activities it means."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base_url + "/")
    page.get_by_label("Hvad har du lyst til?").fill("kortspil")
    page.get_by_role("button", name="Søg", exact=True).click()
    assert urlsplit(page.url).path == "/soeg/"
    assert page.get_by_role("heading", name="Vælg et ord i stedet").is_visible()
    assert not page.get_by_label("Hvad leder du efter?").is_visible()
    assert not page.locator("form[data-module=as-filters]").is_visible()
    page.get_by_role("link", name="kortspil", exact=True).click()
    assert page.get_by_role("heading", level=1).text_content() == "Aktiviteter om kortspil"
    titles = page.locator(".as-card__link").all_text_contents()
    assert len(titles) == 4 and all(
        any(word in title.lower() for word in ("whist", "bridge", "kort", "spil")) for title in titles
    ), titles
    page.go_back()
    page.get_by_role("link", name="Alle søgeord fra A til Å").click()
    page.get_by_role("link", name="ipad", exact=True).click()  # a word as people write it
    assert page.get_by_role("heading", level=1).text_content() == "Aktiviteter om hjælp til computer og mobil"
    assert page.locator(".as-card").count() >= 1
    context.close()


def test_search_libraries_load_only_on_the_search_page(site_dir):
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        loads = any(library in text for library in LIBRARIES)
        assert loads == (path.relative_to(site_dir).as_posix() == "soeg/index.html"), path


def test_on_a_phone_the_results_come_first_and_are_announced(browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    phone = context.new_page()
    try:
        phone.goto(f"{base_url}/soeg/?q=kortspil")  # as from the front page's search box
        first = phone.locator("[data-search-results] .as-card__link").first
        first.wait_for()
        status = phone.locator("[data-search-status]")
        assert status.get_attribute("aria-live") == "polite" and status.text_content() == "4 aktiviteter"
        for element in (status, first):
            box = element.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 740, box  # on the first screen
        assert phone.evaluate("document.activeElement.id") == "resultater"
        assert phone.locator(".as-card__summary").first.is_visible()  # the one-line summary, as on area cards
        # The filters wait behind "Filtrér"; opened, they still narrow the list.
        filters = phone.locator("[data-search-filters]")
        assert not phone.get_by_label("Mandag").is_visible()
        filters.locator(".as-search-page__filter-button").click()
        phone.get_by_label("Tirsdag").check()
        assert filters.locator(".as-search-page__filter-button").text_content() == "Filtrér (1 valgt)"
    finally:
        context.close()


def test_on_a_wide_screen_the_filters_are_open_beside_the_results(page, base_url):
    page.goto(f"{base_url}/soeg/")
    page.wait_for_selector("[data-search-status]:not(:empty)")
    assert page.locator("[data-search-filters]").get_attribute("open") is not None
    assert page.get_by_label("Mandag").is_visible()
