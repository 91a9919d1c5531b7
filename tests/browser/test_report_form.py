""" "Meld en fejl" on an activity's page in Chromium at 360×740, JavaScript on and off, against the
real service and a real SMTP server: the report is sent on the first press, the receipt is at the
top and focused, and the editors get the e-mail. axe checks each page (where scripts run)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import run_axe
from tests.browser.test_companion_form import PAGE, deliver, in_first_viewport, service, smtp, smtp_port

__all__ = ["service", "smtp", "smtp_port"]  # the fixtures, shared with the companion form's tests
OPEN = "Er der noget galt? Meld en fejl"
SEND = "Send til redaktionen"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_report_a_mistake_at_360(browser, service, smtp, javascript):
    url, app = service
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="da-DK",
        java_script_enabled=javascript,
        bypass_csp=True,  # for axe, injected as an inline script; the policy is tested elsewhere
    )
    page = context.new_page()
    page.goto(url + PAGE)
    page.get_by_text(OPEN).click()
    page.get_by_role("button", name=SEND).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Hvad er forkert?: vælg det, der passer bedst")
    assert in_first_viewport(page, "[data-error-summary]")
    assert not javascript or run_axe(page) == []
    summary.get_by_role("link").click()
    expect(page.get_by_label("Tiden eller datoerne passer ikke")).to_be_focused()
    page.get_by_label("Aktiviteten findes ikke længere").check()
    page.get_by_label("Fortæl kort, hvad der er forkert").fill(f"Klubben er lukket ({javascript}).")
    page.get_by_label("Din telefon eller e-mail").fill("20 00 00 97")
    before = len(smtp.messages)
    page.get_by_role("button", name=SEND).click()
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_be_focused()
    assert in_first_viewport(page, "[data-receipt]")
    reference = receipt.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"FM-\d{5}", reference)
    assert not javascript or run_axe(page) == []
    page.screenshot(path=f"/tmp/report-receipt-{'js' if javascript else 'nojs'}.png")
    deliver(app)
    (_, message), *more = smtp.messages[before:]
    assert more == [] and reference in message["Subject"] and "20 00 00 97" in message.get_content()
    assert f"Klubben er lukket ({javascript})." in message.get_content()
    context.close()
