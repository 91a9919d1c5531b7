""" "Jeg vil gerne følges" on an activity's page in Chromium, against the real service and a real SMTP
server on 127.0.0.1: with JavaScript (under the production CSP) and without it, and axe on every state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from aktivsammen.submit.app import create_app
from aktivsammen.submit.settings import Settings
from tests.browser.conftest import EXPECTED_CONSOLE, run_axe
from tests.browser.test_theme import SMALL_TARGETS
from tests.submit.conftest import EDITABLE, free_port, running, smtp_server

PAGE = f"/aktivitet/{EDITABLE}/"
OPEN = "Skriv til os, så kontakter vi dig"
SEND = "Send til koordinatorerne"


@pytest.fixture
def allowed_console_errors() -> tuple[str, ...]:
    return (EXPECTED_CONSOLE,)  # how the service answers a form with mistakes


@pytest.fixture(scope="module")
def smtp_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def smtp(smtp_port):
    with smtp_server(smtp_port) as inbox:
        yield inbox


@pytest.fixture(scope="module")
def service(site_dir, tmp_path_factory, smtp, smtp_port):
    folder = tmp_path_factory.mktemp("foelgeskab")
    settings = Settings(
        database=folder / "q.sqlite3",
        site_dir=site_dir,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        mail_from="AktivSammen <ikke-svar@example.dk>",
        min_fill_seconds=0.3,
        worker=False,
    )
    app = create_app(settings)
    with running(app) as url:
        yield url, app


def deliver(app) -> None:
    while app.state.service.mail_worker.run_once():
        pass


def form(page: Page):
    """The companion form (an activity's page also has "Meld en fejl", with its own "Dit navn")."""
    return page.locator("form.as-companion__form")


def fill_in(page: Page) -> None:
    form(page).get_by_label("Dit navn").fill("Kaj Eksempel")
    form(page).get_by_label("Telefon").fill("20 00 00 98")
    page.get_by_text("Om formiddagen", exact=True).click()
    form(page).get_by_label("Besked").fill("Jeg kommer med min datter.")


def test_ask_for_a_companion_with_javascript(strict_page, service, smtp):
    url, app = service
    page = strict_page
    page.goto(url + PAGE)
    page.get_by_text(OPEN).click()
    page.get_by_role("button", name=SEND).click()
    summary = page.locator(".as-companion [data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Dit navn: skal udfyldes")
    expect(summary).to_contain_text("Telefon: skriv et telefonnummer eller en e-mailadresse")
    expect(form(page).get_by_label("Dit navn")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link", name=re.compile("Dit navn")).click()
    expect(form(page).get_by_label("Dit navn")).to_be_focused()

    fill_in(page)
    page.wait_for_timeout(400)  # the fill time the service asks for (4 s in real use)
    before = len(smtp.messages)
    page.get_by_role("button", name=SEND).click()
    receipt = page.locator("[data-companion-receipt]")
    expect(receipt).to_be_focused()
    reference = receipt.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"FG-\d{5}", reference)
    assert page.url == url + PAGE  # the reader stays on the activity's page
    deliver(app)
    (_, message), *more = smtp.messages[before:]
    assert more == [] and reference in message["Subject"]
    assert "Kaj Eksempel" in message.get_content() and "Om formiddagen" not in message["Subject"]


def in_first_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }",
        selector,
    )


@pytest.mark.parametrize("size", [{"width": 360, "height": 740}, {"width": 1280, "height": 900}])
def test_ask_for_a_companion_without_javascript_sends_on_the_first_press(browser, service, smtp, size):
    url, app = service
    context = browser.new_context(viewport=size, locale="da-DK", java_script_enabled=False)
    page = context.new_page()
    page.goto(url + PAGE)
    page.get_by_text(OPEN).click()  # <details> opens without JavaScript
    form(page).get_by_label("Telefon").fill("12 34")
    page.get_by_role("button", name=SEND).click()
    # A mistake: the errors at the top of a short page, focused, the typed values kept.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Dit navn: skal udfyldes")
    assert in_first_viewport(page, "[data-error-summary]")
    expect(form(page).get_by_label("Telefon")).to_have_value("12 34")
    page.screenshot(path=f"/tmp/companion-nojs-error-{size['width']}.png")
    fill_in(page)
    form(page).get_by_label("Dit navn").fill(f"Kaj Eksempel {size['width']}")  # not a repeat of the other run
    before = len(smtp.messages)
    page.get_by_role("button", name=SEND).click()
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_contain_text("Tak for din besked")
    expect(receipt).to_be_focused()
    assert in_first_viewport(page, "[data-receipt]")
    page.screenshot(path=f"/tmp/companion-nojs-receipt-{size['width']}.png")
    reference = page.locator("[data-reference]").inner_text()
    page.get_by_role("link", name=re.compile("Tilbage til")).last.click()
    assert page.url == url + PAGE
    deliver(app)
    assert [reference in message["Subject"] for _, message in smtp.messages[before:]] == [True]
    context.close()


def test_axe_finds_nothing_in_any_state(page, service):
    url, _ = service
    page.goto(url + PAGE)
    assert run_axe(page) == []
    page.get_by_text(OPEN).click()
    assert run_axe(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(SMALL_TARGETS) == []  # every field, choice and the button: 44 px or more
    page.get_by_role("button", name=SEND).click()
    expect(page.locator(".as-companion [data-error-summary]")).to_be_visible()
    assert run_axe(page) == []
    fill_in(page)
    page.wait_for_timeout(300)
    page.get_by_role("button", name=SEND).click()
    expect(page.locator("[data-companion-receipt]")).to_be_visible()
    assert run_axe(page) == []


def test_a_lost_connection_loses_nothing_and_sending_again_sends_once(browser, service, smtp):
    url, app = service
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.goto(url + PAGE)
    page.get_by_text(OPEN).click()
    fill_in(page)
    page.wait_for_timeout(400)
    delivered = {"count": 0}

    def deliver_then_lose_the_answer(route):
        route.fetch()  # the service gets it, the answer never arrives
        delivered["count"] += 1
        route.abort()

    page.route("**/api/foelgeskab", deliver_then_lose_the_answer)
    page.get_by_role("button", name=SEND).click()
    expect(page.locator(".as-companion .as-form__problem")).to_contain_text("ikke sendt")
    expect(form(page).get_by_label("Dit navn")).to_have_value("Kaj Eksempel")  # nothing typed is lost
    page.unroute("**/api/foelgeskab")
    deliver(app)  # the lost answer's request (and any other test's) is delivered now
    before = len(smtp.messages)
    page.get_by_role("button", name=SEND).click()
    expect(page.locator("[data-companion-receipt]")).to_be_visible()
    deliver(app)
    assert delivered["count"] == 1
    assert len(smtp.messages) == before  # sending again was the same request: no second e-mail
    context.close()
