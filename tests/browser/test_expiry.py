"""On a page built before an activity ended, the browser hides it by today's date."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import small_site
from tests.conftest import VALID_ACTIVITY

SUMMER = VALID_ACTIVITY.replace("title: Gåklub ved medborgerhuset", "title: Sommerhold").replace(
    "from: 2026-09-01", "from: 2026-05-01").replace("until: 2027-05-31", "until: 2026-08-31")  # fmt: skip


@pytest.fixture(scope="module")
def built_in_june(tmp_path_factory):
    activities = {"sommerhold": SUMMER, "gaaklub": VALID_ACTIVITY}
    with small_site(tmp_path_factory.mktemp("expiry"), activities, date(2026, 6, 1)) as url:
        yield url


@pytest.mark.parametrize(("today", "shown"), [("2026-08-31T12:00:00", True), ("2026-11-22T12:00:00", False)])
def test_finished_activities_disappear_from_lists_by_date(page, built_in_june, today, shown):
    page.clock.set_fixed_time(today)
    page.goto(built_in_june + "/omraade/vejle-nord/")
    assert page.get_by_role("link", name="Sommerhold").is_visible() is shown
    assert page.get_by_role("link", name="Gåklub ved medborgerhuset").is_visible()
    expected = "Viser alle 2 aktiviteter" if shown else "Viser alle 1 aktiviteter"
    assert page.locator("[data-filter-status]").text_content() == expected


def test_a_finished_activity_page_says_so(page, built_in_june):
    page.clock.set_fixed_time("2026-11-22T12:00:00")
    page.goto(built_in_june + "/aktivitet/sommerhold/")
    assert page.get_by_text("Slut for denne gang.").is_visible()
    page.goto(built_in_june + "/aktivitet/gaaklub/")
    assert not page.get_by_text("Slut for denne gang.").is_visible()
