"""A hand in the back in Chromium: Min liste, paper overviews, and the same help on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PAGE_TYPES, ROOT, run_axe

LIST = "/min-liste/"
KEY = "aktivsammen.minListe"
JSQR = ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js"
SITE = "https://aktivsammen.vejle.dk"
PT_14 = 14 * 96 / 72  # 18.67 px


def seed(page, base_url, slugs):
    """Put a list in this browser's storage, as earlier visits would have."""
    page.goto(base_url + LIST)
    page.evaluate("([key, slugs]) => localStorage.setItem(key, JSON.stringify(slugs))", [KEY, slugs])


def stored(page):
    return page.evaluate("key => JSON.parse(localStorage.getItem(key) || '[]')", KEY)


def named(label: str, title: str) -> re.Pattern:
    """A button's name: its visible label, then the activity's title from a hidden span."""
    return re.compile(rf"^{re.escape(label)}\s*: {re.escape(title)}$")


def titles(page):
    page.wait_for_selector("[data-mylist-status]:not(:text('Henter listen'))")
    return page.locator("[data-mylist-items] .as-handout__title").all_text_contents()


# --- Adding and removing ------------------------------------------------------------


def test_add_from_an_activity_and_a_card_then_remove_on_the_list_page(page, base_url):
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    page.get_by_role("button", name="Føj til min liste").click()
    assert page.get_by_role("button", name="Fjern fra min liste").is_visible()
    message = page.locator("[data-mylist-message]")
    assert (
        message.text_content()
        == "Repair Cafe Vejle er føjet til din liste. Du har 1 aktivitet på listen. Se min liste"
    )
    assert page.get_by_role("link", name="Min liste (1)").is_visible()

    page.goto(base_url + "/omraade/jelling/")
    first = page.locator(".as-card").first
    title = first.locator(".as-card__link").text_content()
    first.get_by_role("button", name=named("Føj til min liste", title)).click()
    assert first.get_by_role("button", name=named("Fjern fra min liste", title)).is_visible()
    assert page.locator("[data-mylist-announcer]").text_content() == (
        f"{title} er føjet til din liste. Du har 2 aktiviteter på listen."
    )
    assert stored(page) == ["repair-cafe-vejle", first.get_attribute("data-slug")]

    page.get_by_role("link", name="Min liste (2)").click()
    assert titles(page) == ["Repair Cafe Vejle", title]
    page.get_by_role("button", name=named("Fjern fra listen", "Repair Cafe Vejle")).click()
    status = page.locator("[data-mylist-status]")
    assert status.text_content() == "Repair Cafe Vejle er fjernet fra listen. Der er 1 aktivitet på listen."
    assert titles(page) == [title]
    # the keyboard stays on the list: the next item's button has the focus
    assert page.evaluate("() => document.activeElement.textContent") == f"Fjern fra listen: {title}"
    page.get_by_role("button", name=named("Fjern fra listen", title)).click()
    assert page.get_by_role("heading", name="Din liste er tom").is_visible()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-mylist-empty')")
    assert not page.locator("[data-mylist-tools]").is_visible()
    assert stored(page) == []


def test_search_results_get_the_button_too(page, base_url):
    page.goto(base_url + "/soeg/?q=kor")
    card = page.locator("[data-search-results] .as-card").first
    card.locator("[data-mylist-toggle]").click()
    assert stored(page) == [card.get_attribute("data-slug")]


def test_the_controls_are_hidden_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    assert not page.locator("[data-module=as-mylist-add]").is_visible()
    assert not page.get_by_role("link", name="Min liste").is_visible()
    page.goto(base_url + LIST)
    assert page.get_by_text("Min liste virker kun, når JavaScript er slået til").is_visible()
    context.close()


def test_lists_filter_by_physical_level_newcomers_and_companions(page, base_url):
    page.goto(base_url + "/aktiviteter/")
    total = page.locator(".as-card").count()
    page.get_by_label("Foregår siddende").check()
    levels = page.locator(".as-card:visible").evaluate_all("els => els.map(e => e.dataset.fNiveau)")
    assert 0 < len(levels) < total and set(levels) == {"siddende"}
    page.get_by_label("Nye er velkomne").check()
    page.get_by_label("Du må tage en med").check()
    flags = page.locator(".as-card:visible").evaluate_all("els => els.map(e => e.dataset.fVis)")
    assert flags and all("nye" in f and "ledsager" in f for f in flags)
    assert page.locator("[data-filter-status]").text_content() == f"Viser {len(flags)} af {total} aktiviteter"


# --- Sharing --------------------------------------------------------------------------

SLUGS = ["repair-cafe-vejle", "seniorkor-jelling", "gaaklub-egtved"]


def test_a_shared_link_opens_the_same_list_in_a_fresh_browser(browser, page, base_url):
    seed(page, base_url, SLUGS)
    page.goto(base_url + LIST)
    expected = titles(page)
    link = page.get_by_label("Link til listen").input_value()
    assert link == f"{base_url}{LIST}?a={','.join(SLUGS)}"

    other = browser.new_context()  # another device: nothing stored
    fresh = other.new_page()
    fresh.goto(link)
    assert titles(fresh) == expected
    assert stored(fresh) == SLUGS  # kept there now
    assert fresh.evaluate("() => location.search") == ""
    assert "Listen fra linket er gemt på denne enhed." in fresh.locator("[data-mylist-status]").text_content()
    other.close()


def test_a_shared_link_does_not_overwrite_another_list_unless_asked(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    seed(page, base_url, ["linedance-spinderihallerne"])
    page.goto(f"{base_url}{LIST}?a={','.join(SLUGS)}")
    assert len(titles(page)) == 3
    assert page.get_by_text("Du ser en liste, som nogen har delt med dig.").is_visible()
    assert stored(page) == ["linedance-spinderihallerne"]
    assert run_axe(page) == []
    page.get_by_role("button", name="Gem denne liste i stedet for min egen").click()
    assert stored(page) == SLUGS
    assert not page.locator("[data-mylist-shared]").is_visible()
    context.close()


def test_an_activity_that_no_longer_exists_can_be_removed(browser, base_url):
    # Its record answers 404, which Chromium logs as an error: hence not the `page` fixture.
    page = browser.new_page()
    seed(page, base_url, ["findes-ikke-mere", "repair-cafe-vejle"])
    page.goto(base_url + LIST)
    assert titles(page) == ["Findes ikke længere", "Repair Cafe Vejle"]
    page.get_by_role("button", name=named("Fjern fra listen", "aktivitet, der ikke findes længere")).click()
    assert stored(page) == ["repair-cafe-vejle"]
    page.close()


# --- Paper ----------------------------------------------------------------------------

SMALL_PRINT = """minimum => Array.from(document.querySelectorAll('body *'))
  .filter(el => Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
  .filter(el => el.getClientRects().length > 0 && !el.closest('.as-visually-hidden'))
  .map(el => ({text: el.textContent.trim().slice(0, 50), size: parseFloat(getComputedStyle(el).fontSize)}))
  .filter(t => t.size < minimum)"""

DECODE_QR = """async element => {
  const svg = element.querySelector('svg');
  const source = new XMLSerializer().serializeToString(svg);
  const image = new Image();
  image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(source);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 400;
  const context = canvas.getContext('2d');
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0, 400, 400);
  const code = jsQR(context.getImageData(0, 0, 400, 400).data, 400, 400);
  return code && code.data;
}"""


def decoded(page, selector):
    page.add_script_tag(path=str(JSQR))
    return [page.locator(selector).nth(i).evaluate(DECODE_QR) for i in range(page.locator(selector).count())]


def check_paper(page):
    page.emulate_media(media="print")
    for hidden in (".as-nav", ".as-breadcrumbs", ".as-footer", ".as-help", ".as-skip-link"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.evaluate(SMALL_PRINT, PT_14) == []
    blocks = page.locator(".as-handout")
    assert blocks.count() > 0
    assert blocks.first.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    assert page.locator(".as-handout-help").is_visible()


def test_the_list_prints_large_with_a_qr_code_per_activity(page, base_url):
    seed(page, base_url, SLUGS)
    page.goto(base_url + LIST)
    titles(page)
    check_paper(page)
    for gone in ("[data-mylist-tools]", "[data-mylist-remove]", "[data-mylist-status]"):
        assert not page.locator(gone).first.is_visible(), gone
    assert page.locator(".as-handout .as-qr svg").count() == 3
    assert decoded(page, ".as-handout .as-qr") == [f"{SITE}/aktivitet/{slug}/" for slug in SLUGS]
    assert page.get_by_text(f"aktivsammen.vejle.dk/aktivitet/{SLUGS[0]}/").is_visible()
    assert run_axe(page) == []


def test_the_print_button_prints_the_list(page, base_url):
    seed(page, base_url, SLUGS[:1])
    page.goto(base_url + LIST)
    titles(page)
    page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
    page.get_by_role("button", name="Udskriv listen").click()
    assert page.evaluate("() => window.__printed") == 1


def test_the_area_overview_prints_the_week_on_a4(page, base_url, site_dir):
    page.goto(base_url + "/omraade/vejle-midtby/udskrift/")
    page.wait_for_selector("[data-qr-drawn]")
    days = page.locator(".as-area-print__weekday").all_text_contents()
    order = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag", "På bestemte datoer"]
    assert days and days == sorted(days, key=order.index)
    codes = page.locator(".as-handout .as-qr")
    urls = codes.evaluate_all("els => els.map(e => e.dataset.qr)")
    assert urls and all(re.fullmatch(rf"{SITE}/aktivitet/[a-z0-9-]+/", url) for url in urls)
    assert decoded(page, ".as-handout .as-qr") == urls
    check_paper(page)
    assert run_axe(page) == []


def pdf_pages(page) -> int:
    page.emulate_media(media="print")
    return len(re.findall(rb"/Type\s*/Page(?!s)", page.pdf(format="A4")))


def test_the_biggest_area_fits_on_a_few_sheets(page, base_url, site_dir):
    # The biggest area is the one with the most activity blocks on its overview.
    sizes = {
        path.parent.parent.name: path.read_text(encoding="utf-8").count('<li class="as-handout')
        for path in (site_dir / "omraade").glob("*/udskrift/index.html")
    }
    biggest = max(sizes, key=sizes.get)
    page.goto(f"{base_url}/omraade/{biggest}/udskrift/")
    page.wait_for_selector("[data-qr-drawn]")
    count = pdf_pages(page)
    print(f"\nprinted overview of {biggest}: {sizes[biggest]} blocks on {count} A4 pages")
    assert count <= 8


# --- The same help on every page (WCAG 3.2.6) -------------------------------------

HELP_PAGES = PAGE_TYPES

LANDMARKS = """() => Array.from(document.querySelectorAll('header, nav, main, aside, footer, section[aria-labelledby]'))
  .filter(el => el.parentElement.closest('header, main, aside, footer') === null)
  .map(el => el.tagName.toLowerCase() + (el.getAttribute('aria-labelledby') ? '#' + el.getAttribute('aria-labelledby') : ''))"""


@pytest.fixture(scope="module")
def help_boxes(browser, base_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = {}
    for name, path in HELP_PAGES.items():
        page.goto(base_url + path)
        box = page.locator('aside[aria-labelledby="hjaelp-titel"]')
        found[name] = {
            "count": box.count(),
            "text": box.first.inner_text(),
            "links": box.first.locator("a").evaluate_all(
                "els => els.map(a => a.getAttribute('href').replace(/^(\\.\\.?\\/)+/, ''))"
            ),
            "landmarks": page.evaluate(LANDMARKS),
            "between": page.evaluate("""() => {
              const main = document.querySelector('main').getBoundingClientRect();
              const help = document.querySelector('aside[aria-labelledby="hjaelp-titel"]').getBoundingClientRect();
              const footer = document.querySelector('footer').getBoundingClientRect();
              return main.bottom <= help.top && help.bottom <= footer.top;
            }"""),
        }
    page.close()
    return found


@pytest.mark.parametrize("name", list(HELP_PAGES))
def test_the_help_box_is_on_every_page_in_the_same_place(help_boxes, name):
    box = help_boxes[name]
    assert box["count"] == 1
    assert box["landmarks"] == ["header", "main", "aside#hjaelp-titel", "footer"]
    assert box["between"]  # after the page's own content, before the footer
    assert box["text"] == help_boxes["front"]["text"]
    assert box["links"] == ["tel:+4576810000", "mailto:faellesskab@vejle.dk", "haand-i-ryggen/"]
    assert "Ring til Fællesskabskoordinatorerne på 76 81 00 00" in box["text"]
    assert "Mandag-torsdag kl. 9-15, fredag kl. 9-12" in box["text"]


# --- axe in every new state ----------------------------------------------------------


def test_axe_on_the_list_empty_and_filled(page, base_url):
    page.goto(base_url + LIST)
    assert page.get_by_role("heading", name="Din liste er tom").is_visible()
    assert run_axe(page) == []
    seed(page, base_url, SLUGS)
    page.goto(base_url + LIST)
    titles(page)
    page.get_by_role("button", name="Kopiér linket").click()
    assert run_axe(page) == []


def test_axe_on_an_activity_after_adding_it(page, base_url):
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    page.get_by_role("button", name="Føj til min liste").click()
    assert run_axe(page) == []
    page.goto(base_url + "/omraade/jelling/")
    page.locator(".as-card [data-mylist-toggle]").first.click()
    assert run_axe(page) == []
