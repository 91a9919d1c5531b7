"""The theme in a real browser: axe, keyboard, reflow, text size, contrast, print, no JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PAGE_TYPES, run_axe
from tests.conftest import nu_html_errors

PAGES = list(PAGE_TYPES.items())


def examples(site_dir) -> list[str]:
    return sorted(
        "/" + str(path.parent.relative_to(site_dir)) + "/"
        for path in (site_dir / "komponenter").glob("*/*/index.html")
    )


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_axe_finds_nothing_on_every_page_type(page, base_url, name, path):
    page.goto(base_url + path)
    assert run_axe(page) == []


def test_axe_finds_nothing_in_any_component_example(page, base_url, site_dir):
    found = examples(site_dir)
    assert len(found) >= 20  # every component has named examples
    violations = {}
    for path in found:
        page.goto(base_url + path)
        if result := run_axe(page):
            violations[path] = result
    assert violations == {}


# --- Keyboard -----------------------------------------------------------------

FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    key: el.outerHTML.slice(0, 120),
    tag: el.tagName,
    style: [style.outlineStyle, style.outlineWidth, style.boxShadow, style.backgroundColor, style.color].join("|"),
  };
}"""

# Chromium gives the contents of a closed <details> boxes, though they cannot be focused.
REACHABLE = """() => Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary'))
  .filter(el => !el.closest('[hidden], details:not([open]) > :not(summary)'))
  .filter(el => el.getClientRects().length > 0 && el.tabIndex >= 0)
  .map(el => el.outerHTML.slice(0, 120))"""


def test_skip_link_moves_focus_to_the_main_content(page, base_url):
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_STATE)
    assert "Gå til indhold" in focused["key"]
    assert page.locator(".as-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#indhold"
    page.keyboard.press("Tab")
    # the next stop is inside <main>, not the header navigation
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.mark.parametrize(
    "path", ["/", "/aktivitet/repair-cafe-vejle/", "/omraade/jelling/", "/kategori/motion/"]
)
def test_every_control_is_reachable_and_visibly_focused(page, base_url, path):
    page.goto(base_url + path)
    expected = page.evaluate(REACHABLE)
    reached, invisible = [], []
    for _ in range(len(expected) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY" or (reached and state["key"] == reached[0]):
            break
        reached.append(state["key"])
        page.evaluate("() => { window.__focused = document.activeElement; document.activeElement.blur(); }")
        unfocused = page.evaluate("""() => { const s = getComputedStyle(window.__focused);
          return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor, s.color].join("|"); }""")
        if unfocused == state["style"]:
            invisible.append(state["key"])
        page.evaluate("() => window.__focused.focus()")
    assert sorted(reached) == sorted(expected)
    assert invisible == []


# --- Reflow and text size ------------------------------------------------------

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"

CUT_OFF_OR_OVERLAPPING = """() => {
  const problems = [];
  const leaves = Array.from(document.querySelectorAll('main p, main li, main h1, main h2, main h3, main dt, main dd, main a, main button, main label, header a, footer a'))
    .filter(el => el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true }));
  for (const el of leaves) {
    const s = getComputedStyle(el);
    if (['hidden', 'clip'].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1) problems.push('cut off: ' + el.outerHTML.slice(0, 80));
    const r = el.getBoundingClientRect();
    if (r.right > document.documentElement.clientWidth + 1) problems.push('outside: ' + el.outerHTML.slice(0, 80));
  }
  const blocks = Array.from(document.querySelectorAll('main p, main li, main h1, main h2, main h3, main dt, main dd'))
    .filter(el => el.getClientRects().length > 0 && el.checkVisibility());  // not inside a closed <details>
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      const a = blocks[i], b = blocks[j];
      if (a.contains(b) || b.contains(a)) continue;
      const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      const overlap = Math.min(r.right, q.right) - Math.max(r.left, q.left) > 2 && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 2;
      if (overlap) problems.push('overlap: ' + a.outerHTML.slice(0, 60) + ' / ' + b.outerHTML.slice(0, 60));
    }
  }
  return problems;
}"""


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_320px_wide_screen_reflows_without_horizontal_scrolling(browser, base_url, name, path):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(base_url + path)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert page.evaluate(CUT_OFF_OR_OVERLAPPING) == []
    page.close()


@pytest.mark.parametrize("path", ["/", "/aktivitet/repair-cafe-vejle/", "/aktiviteter/", "/omraade/jelling/"])
def test_200_percent_text_size_nothing_overlaps_or_is_cut_off(browser, base_url, path):
    # The reader's own browser text-size setting (not zoom): 16 px -> 32 px.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.goto(base_url + path)
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") == 40  # 1.25rem
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert page.evaluate(CUT_OFF_OR_OVERLAPPING) == []
    context.close()


def test_400_percent_zoom_reflows(browser, base_url):
    # 400% zoom on a 1280 px screen is a 320 px wide viewport with a 4x device scale.
    page = browser.new_page(viewport={"width": 320, "height": 256}, device_scale_factor=4)
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.close()


# --- Contrast and size -----------------------------------------------------------

BODY_TEXT = """() => {
  function rgb(value) { return value.match(/[\\d.]+/g).map(Number); }
  function luminance([r, g, b]) {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function background(el) {
    for (; el; el = el.parentElement) {
      const value = rgb(getComputedStyle(el).backgroundColor);
      if (value.length < 4 || value[3] > 0) return value.slice(0, 3);
    }
    return [255, 255, 255];
  }
  return Array.from(document.querySelectorAll('main p, main li, main dd'))
    .filter(el => el.getClientRects().length > 0 && el.textContent.trim())
    .map(el => {
      const a = luminance(rgb(getComputedStyle(el).color)), b = luminance(background(el));
      return {text: el.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize),
              ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
    });
}"""


@pytest.mark.parametrize("path", ["/", "/aktivitet/repair-cafe-vejle/", "/kategori/motion/", "/om/"])
def test_body_text_is_at_least_20px_with_7_to_1_contrast(page, base_url, path):
    page.goto(base_url + path)
    texts = page.evaluate(BODY_TEXT)
    assert texts
    # Secondary texts (hints, dates) are allowed to be smaller, never below 18 px.
    assert [t for t in texts if t["size"] < 18] == []
    paragraphs = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    )
    assert paragraphs >= 20
    assert [t for t in texts if t["ratio"] < 7] == []


def test_font_size_is_never_fixed_on_html(site_dir):
    css = (site_dir / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    assert not re.search(r"(^|[\s,}])html\s*\{[^}]*font-size", css)
    assert "font-size: var(--as-size-body)" in css


def test_aaa_contrast_with_axe_on_the_activity_page(page, base_url):
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    assert run_axe(page, tags=["wcag2aaa"]) == []


# --- Print ------------------------------------------------------------------------


def test_print_view_of_an_activity(page, base_url):
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    page.emulate_media(media="print")
    for hidden in (".as-nav", ".as-breadcrumbs", ".as-footer", ".as-skip-link", "[data-module=as-print]"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.get_by_text("Spinderigade 11E").is_visible()
    assert page.locator(".as-contact").is_visible()
    assert page.get_by_text(
        "Siden på nettet: https://aktivsammen.vejle.dk/aktivitet/repair-cafe-vejle/"
    ).is_visible()
    size = page.evaluate("() => getComputedStyle(document.body).fontSize")
    assert float(size.removesuffix("px")) >= 18  # 14 pt


def test_print_button_opens_the_print_dialog(page, base_url):
    page.goto(base_url + "/aktivitet/repair-cafe-vejle/")
    page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
    page.get_by_role("button", name="Udskriv siden").click()
    assert page.evaluate("() => window.__printed") == 1


# --- Without JavaScript ----------------------------------------------------------


def test_every_listed_activity_is_reachable_by_browsing_without_javascript(browser, base_url, site_dir):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    found: dict[str, set[str]] = {}
    hrefs = "links => links.map(a => a.href)"
    for start, menu in (("/omraade/", "Områder"), ("/kategori/", "Emner")):
        page.goto(base_url + "/")
        page.get_by_role("link", name=menu, exact=True).click()
        queue = page.locator("main a.as-terms__link").evaluate_all(hrefs)
        slugs: set[str] = set()
        while queue:
            page.goto(queue.pop())
            cards = page.locator("main a.as-card__link").evaluate_all(hrefs)
            slugs.update(re.search(r"aktivitet/([^/]+)/", href)[1] for href in cards)
            queue.extend(page.locator(".as-pagination a[rel=next]").evaluate_all(hrefs))
        found[start] = slugs
    context.close()
    listed = {
        path.parent.name
        for path in (site_dir / "aktivitet").glob("*/index.html")
        if not any(
            notice in path.read_text(encoding="utf-8")
            for notice in (
                '<p class="as-notice"><strong>Aflyst.</strong>',
                '<p class="as-notice"><strong>Slut for denne gang.</strong>',
            )
        )
    }
    assert found["/omraade/"] == listed
    assert found["/kategori/"] == listed


def test_filters_narrow_the_list_and_announce_the_count(page, base_url):
    page.goto(base_url + "/aktiviteter/")
    status = page.locator("[data-filter-status]")
    total = page.locator(".as-card").count()
    assert status.text_content() == f"Viser alle {total} aktiviteter"
    page.get_by_label("Lørdag").check()
    shown = page.locator(".as-card:visible").count()
    assert 0 < shown < total
    assert status.text_content() == f"Viser {shown} af {total} aktiviteter"
    for days in page.locator(".as-card:visible").evaluate_all("els => els.map(e => e.dataset.fDag)"):
        assert "lørdag" in days
    page.get_by_label("Område").select_option(label="Jelling")
    areas = page.locator(".as-card:visible").evaluate_all("e => e.map(x => x.dataset.fOmraade)")
    assert areas and all(a == "jelling" for a in areas)


def test_filters_are_hidden_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/aktiviteter/")
    assert not page.locator("[data-module=as-filters]").is_visible()
    assert page.locator(".as-card").count() > 60
    context.close()


# --- Whole site ------------------------------------------------------------------


def test_nu_html_checker_finds_no_errors(site_dir):
    assert nu_html_errors(site_dir) == ""


SMALL_TARGETS = """() => Array.from(document.querySelectorAll('a[href], button, select, input, summary'))
  .filter(el => el.getClientRects().length > 0 && !el.closest('p, .as-prose, .as-search__hint, .as-print-only'))
  // not shown: a closed <details>'s contents (Chromium gives them boxes) and the robots' trap field
  .filter(el => !el.closest('details:not([open]) > :not(summary), .as-form__trap'))
  .map(el => {
    // a check box's or radio button's target is its row with the label, as clicking the label ticks it
    const target = el.matches('input[type=checkbox], input[type=radio]') ? el.closest('.as-check, .as-form__option') : el;
    const r = target.getBoundingClientRect();
    return {el: el.outerHTML.slice(0, 80), width: Math.round(r.width), height: Math.round(r.height)};
  })
  .filter(t => t.width < 44 || t.height < 44)"""


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_click_targets_are_at_least_44px(page, base_url, name, path):
    # Links inside running text are exempt (WCAG 2.5.5); everything else is at least 44 x 44 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + path)
    assert page.evaluate(SMALL_TARGETS) == []
