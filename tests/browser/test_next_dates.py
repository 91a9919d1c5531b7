"""A page read days after its build still tells the true next meeting: the browser drops the dates
already past (next-dates.js) on the activity page, the cards, the search results and Min liste;
without JavaScript the build's own dates stand."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import small_site
from tests.conftest import VALID_ACTIVITY

BUILT = date(2026, 11, 24)  # a Tuesday: the walking club's next meeting is that day
READ = "2026-12-10T12:00:00"  # a Thursday, two weeks and a bit later
CLOSED_IN_DECEMBER = VALID_ACTIVITY.replace("title: Gåklub ved medborgerhuset", "title: Vinterklubben").replace(
    "season:", "closed:\n  months: [december]\nseason:")  # fmt: skip


@pytest.fixture(scope="module")
def built_earlier(tmp_path_factory):
    activities = {"gaaklub": VALID_ACTIVITY, "vinterklubben": CLOSED_IN_DECEMBER}
    with small_site(tmp_path_factory.mktemp("next-dates"), activities, BUILT) as url:
        yield url


def test_the_activity_page_moves_on_to_the_next_meeting(page, built_earlier):
    page.clock.set_fixed_time(READ)
    page.goto(built_earlier + "/aktivitet/gaaklub/")
    box = page.locator(".as-next")
    assert box.locator("[data-next-first]").text_content() == "tirsdag 15. december kl. 10.00–11.30"
    assert box.get_by_role("listitem").all_inner_texts() == [
        "tirsdag 22. december kl. 10.00–11.30", "tirsdag 29. december kl. 10.00–11.30",
        "tirsdag 5. januar kl. 10.00–11.30", "tirsdag 12. januar kl. 10.00–11.30",
    ]  # fmt: skip
    page.goto(built_earlier + "/aktivitet/vinterklubben/")
    assert page.locator("[data-next-first]").text_content() == "tirsdag 5. januar kl. 10.00–11.30"
    assert page.get_by_text("Ingen møder i december.").is_visible()


def test_cards_search_results_and_my_list_agree(page, built_earlier):
    page.clock.set_fixed_time(READ)
    page.goto(built_earlier + "/omraade/vejle-nord/")
    card = page.locator('.as-card[data-slug="gaaklub"]')
    assert card.locator(".as-next-line").inner_text() == "Næste gang: tirsdag 15. december kl. 10.00–11.30"
    page.goto(built_earlier + "/min-liste/?a=gaaklub,vinterklubben")
    when = page.locator('[data-mylist-items] [data-slug="vinterklubben"] [data-slot="when"]')
    when.wait_for()
    assert "Næste gang: tirsdag 5. januar kl. 10.00–11.30." in when.inner_text()
    assert "Ingen møder i december." in when.inner_text()
    walk = page.locator('[data-mylist-items] [data-slug="gaaklub"] [data-slot="when"]').inner_text()
    assert "Næste gang: tirsdag 15. december kl. 10.00–11.30." in walk


def test_search_results_drop_a_past_date_and_say_nothing_rather_than_something_false(page, built_earlier):
    # The search data is smaller: two meetings each, which the nightly build keeps ahead.
    page.clock.set_fixed_time("2026-11-26T12:00:00")
    page.goto(built_earlier + "/soeg/?q=gåklub")
    result = page.locator(".as-card", has_text="Gåklub ved medborgerhuset")
    assert result.locator(".as-next-line").inner_text() == "Næste gang: tirsdag 1. december kl. 10.00–11.30"
    page.clock.set_fixed_time(READ)
    page.reload()
    result.wait_for()
    assert result.locator(".as-next-line").count() == 0
    assert result.get_by_text("Hver tirsdag kl. 10.00–11.30").is_visible()


def test_when_every_known_date_has_passed_it_says_to_call(page, built_earlier):
    page.clock.set_fixed_time("2027-03-01T12:00:00")  # the page holds meetings up to mid-January
    page.goto(built_earlier + "/aktivitet/gaaklub/")
    assert page.get_by_text("De datoer, vi kender, er overstået. Ring og spørg om de næste.").is_visible()
    assert not page.get_by_text("Næste gang:").is_visible()


def test_without_javascript_the_builds_dates_stand(no_js_page, built_earlier):
    no_js_page.goto(built_earlier + "/aktivitet/gaaklub/")
    box = no_js_page.locator(".as-next")
    assert box.locator("[data-next-first]").text_content() == "tirsdag 24. november kl. 10.00–11.30"
    assert len(box.get_by_role("listitem").all_inner_texts()) == 4  # five in all, the first above
