"""The submission form (/indsend/) in Chromium, against the real service over a temporary Git repository.

With JavaScript: rows, errors, preview, sending and the receipt, under the site's strict CSP.
Without it: the same through whole pages from the service. Also "Ret oplysninger", the no-service
fallback (the YAML file made in the browser), axe on every state, and reflow at 320 px.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from aktivsammen.loading import _Loader, dump_activity, load_activity, load_vocabularies
from aktivsammen.submit.app import create_app
from aktivsammen.submit.form import activity_from_form
from aktivsammen.submit.settings import Settings
from tests.browser.conftest import CUT_CONSOLE, EXPECTED_CONSOLE, run_axe, serve
from tests.conftest import CONTENT, build
from tests.submit.conftest import running

REFERENCE = re.compile(r"^AS-\d{5}$")
REPOSITORY = "vejle-kommune/aktivsammen"

# What a user types and clicks (label texts), and what the activity file must then hold.
ACTIVITY = {
    "title": "Stolegymnastik i Vonge",
    "summary": "Vi laver let gymnastik på stole og drikker kaffe bagefter.",
    "categories": ["Motion og bevægelse", "Samvær og snak"],
    "area": "Vonge",
    "organizer.name": "Vonge Seniorklub",
    "organizer.url": "https://example.dk/vonge",
    "contact.name": "Bente Eksempel",
    "contact.phone": "75 00 00 01",
    "contact.email": "bente@example.dk",
    "location.name": "Vonge Forsamlingshus",
    "location.address": "Eksempelvej 7",
    "location.postcode": "7173",
    "location.city": "Vonge",
    "description": "Vi starter roligt.\n\n- Stole\n- Kaffe",
}
EXPECTED = {
    "title": "Stolegymnastik i Vonge",
    "summary": "Vi laver let gymnastik på stole og drikker kaffe bagefter.",
    "categories": ["motion", "samvaer"],
    "area": "vonge",
    "organizer": {"name": "Vonge Seniorklub", "url": "https://example.dk/vonge"},
    "contact": {"name": "Bente Eksempel", "phone": "75 00 00 01", "email": "bente@example.dk"},
    "location": {
        "name": "Vonge Forsamlingshus",
        "address": "Eksempelvej 7",
        "postcode": "7173",
        "city": "Vonge",
    },
    "schedule": [{"repeat": "ugentlig", "days": ["tirsdag", "torsdag"], "start": "10:00", "end": "11:00"}],
    "price": {"amount": 20, "per": "gang"},
    "target_groups": ["seniorer"],
    "accessibility": ["trinfri-adgang", "handicaptoilet"],
    "level": "siddende",
    "newcomers_welcome": True,
    "companion_welcome": True,
    "signup": {"required": False},
    "description": "Vi starter roligt.\n\n- Stole\n- Kaffe\n",
}


# --- The service over a temporary repository ------------------------------------------------------


@dataclass
class Running:
    url: str
    app: FastAPI
    repository: Path

    def git(self, *args: str) -> str:
        return git(self.repository, *args)

    def process_queue(self) -> None:
        """What the worker does in the background: open a branch for every stored submission."""
        while self.app.state.service.worker.run_once():
            pass

    def branch_of(self, reference: str) -> str:
        branches = self.git("for-each-ref", "--format=%(refname:short)", "refs/heads/indsendelse/").split()
        found = [name for name in branches if name.startswith(f"indsendelse/{reference.lower()}-")]
        assert len(found) == 1, branches
        return found[0]

    def changed_files(self, branch: str) -> list[str]:
        return self.git("diff", "--name-only", f"main...{branch}").split()

    def file_on(self, branch: str, path: str) -> dict:
        return yaml.load(self.git("show", f"{branch}:{path}"), Loader=_Loader)

    def stored(self) -> int:
        return sum(self.app.state.service.store.counts().values())


def git(repository: Path, *args: str) -> str:
    """Git's output as it is (a file shown with `git show` keeps its last line break)."""
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    result = subprocess.run(
        ["git", "-C", str(repository), *identity, *args], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="module")
def service(site_dir, tmp_path_factory):
    """The submission service (uvicorn in a thread) over a Git repository holding a copy of the content.

    The worker does not run by itself: tests call `process_queue()`, so what they see is settled.
    """
    folder = tmp_path_factory.mktemp("indsend")
    repository = folder / "repo"
    shutil.copytree(CONTENT, repository / "content")
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", "content")
    git(repository, "commit", "-q", "-m", "Indhold")
    settings = Settings(
        database=folder / "q.sqlite3",
        content_dir=repository / "content",
        local_repository=repository,
        site_dir=site_dir,
        min_fill_seconds=0.5,
        worker=False,
        rate_limit=100,  # the tests send more than a person would from one address
    )
    app = create_app(settings)
    with running(app) as url:
        yield Running(url, app, repository)


@pytest.fixture
def allowed_console_errors(request) -> tuple[str, ...]:
    if "cut_connection" in request.fixturenames:
        return (EXPECTED_CONSOLE, CUT_CONSOLE)
    return (EXPECTED_CONSOLE,)


# --- Helpers ----------------------------------------------------------------------------------------


def open_form(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-live]", state="attached")  # the module has set the form up


def fill_activity(page: Page, values: dict = ACTIVITY, *, row: int = 0) -> None:
    """Fill in the form as a user would: type into the fields, click the labels of the choices."""
    for name in ("title", "summary"):
        page.locator(f"#felt-{name}").fill(values[name])
    for label in values["categories"]:
        page.get_by_text(label, exact=True).click()
    page.locator("#felt-area").select_option(label=values["area"])
    for name in (
        "organizer.name",
        "organizer.url",
        "contact.name",
        "contact.phone",
        "contact.email",
        "location.name",
        "location.address",
        "location.postcode",
        "location.city",
    ):
        page.locator("#felt-" + name.replace(".", "-")).fill(values[name])
    fill_row(page, row, days=["Tirsdag", "Torsdag"], start="10:00", end="11:00")
    page.get_by_text("Det koster penge", exact=True).click()
    page.locator("#felt-price-amount").fill("20")
    page.locator("#felt-price-per").select_option(label="pr. gang")
    page.get_by_text("Seniorer 60+", exact=True).click()
    page.get_by_text("Trinfri adgang", exact=True).click()
    page.get_by_text("Handicaptoilet", exact=True).click()
    page.get_by_text("Foregår siddende", exact=True).click()
    page.locator("label[for=felt-newcomers-welcome-1]").click()  # Ja
    page.locator("label[for=felt-companion-welcome-1]").click()  # Ja
    page.locator("label[for=felt-signup-required-2]").click()  # Nej
    page.locator("#felt-description").fill(values["description"])


def fill_row(page: Page, row: int, *, days: list[str], start: str, end: str) -> None:
    page.locator(f"label[for=felt-schedule-{row}-repeat-1]").click()  # Hver uge
    for day in days:
        page.locator(f"#felt-schedule-{row}-days-1").locator("xpath=ancestor::fieldset[1]").get_by_text(
            day, exact=True
        ).click()
    page.locator(f"#felt-schedule-{row}-start").fill(start)
    page.locator(f"#felt-schedule-{row}-end").fill(end)


def summary_items(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("[data-error-list] li").all_text_contents()]


def axe_without_javascript(browser, page: Page) -> list[dict]:
    """axe on the page a browser without JavaScript shows (axe itself needs it, so: the same HTML
    at the same address in a second browser, with the form's module left out)."""
    html, url = page.content(), page.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    checker = context.new_page()
    checker.route("**/submit-form.js", lambda route: route.fulfill(content_type="text/javascript", body=""))
    checker.route(url, lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=html))
    checker.goto(url)
    try:
        return run_axe(checker)
    finally:
        context.close()


def is_focused(page: Page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement === document.querySelector(s)", selector)


CONSENT = "Oplysningerne er rigtige, og de må vises på guiden."


def preview_with_consent(page: Page, url: str, values: dict) -> None:
    """Open the form, fill it in, see the preview and tick the consent: one press from sending."""
    open_form(page, url)
    fill_activity(page, values)
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("[data-preview]")).to_be_focused()
    page.get_by_text(CONSENT).click()


# --- The converter and the YAML writer agree with Python -------------------------------------------

CONVERTER_CASES = [
    [("title", "  Hej  "), ("categories", "motion"), ("categories", "dans"), ("categories", "")],
    [("newcomers_welcome", "ja"), ("companion_welcome", "nej"), ("signup.required", "måske")],
    [("price", "beløb"), ("price.amount", "25"), ("price.per", "gang")],
    [("price", "gratis"), ("price.amount", "25")],
    [("price.amount", "25 kr"), ("location.latitude", "55,7"), ("location.longitude", "1_0.5e0")],
    [("location.latitude", "abc"), ("price.amount", "1234567890"), ("price.amount", "-7")],
    [("schedule[0].repeat", "datoer"), ("schedule[0].dates", "3.12.2026, 2026-12-10;31.2.2026  1.1.0000")],
    [("schedule[0].repeat", "ugentlig"), ("schedule[1].repeat", "ugentlig"), ("schedule[2].start", "")],
    [("schedule[2].repeat", "ugentlig"), ("schedule[2].start", "9:00"), ("schedule[12].start", "10:00")],
    [("schedule[0].first_date", "03.12.2026"), ("season.from", "1.9.2026"), ("season.until", "2027-05-31")],
    [("description", "Linje 1\r\nLinje 2\r\n"), ("unknown", "x"), ("note", "til redaktionen")],
    [("title", "første"), ("title", "anden"), ("level", ""), ("area", "jelling")],
    [
        ("special_dates[0].date", ""),
        ("special_dates[0].start", ""),
        ("special_dates[1].date", "17.12.2026"),
        ("special_dates[1].start", "17:00"),
        ("closed.ranges[0].from", "20.12.2026"),
        ("closed.ranges[0].until", "2027-01-06"),
        ("closed.ranges[1].from", ""),
        ("closed.months", "juli"),
    ],
    [("special_dates[23].date", "2026-12-24"), ("special_dates[24].date", "2026-12-31")],
]


def test_the_browser_turns_fields_into_the_same_record_as_the_service(page, service):
    kinds = service.app.state.service.kinds
    page.goto(service.url + "/indsend/")
    records = page.evaluate(
        """async ([cases, kinds]) => {
            const module = await import(new URL("../theme/js/submit-form.js", document.baseURI).href);
            return cases.map((pairs) => module.activityFromForm(pairs, kinds));
        }""",
        [CONVERTER_CASES, kinds],
    )
    assert records == [activity_from_form(pairs, kinds) for pairs in CONVERTER_CASES]
    # Blank rows of special dates and closed periods are no rows, in both.
    assert records[-2] == {
        "special_dates": [{"date": "2026-12-17", "start": "17:00"}],
        "closed": {"ranges": [{"from": "2026-12-20", "until": "2027-01-06"}], "months": ["juli"]},
    }
    assert len(records[-1]["special_dates"]) == 1  # a row beyond what the model takes is ignored


TRICKY_TEXTS = [
    "yes",
    "No",
    "null",
    "~",
    "10:30",
    "0700",
    "1e5",
    "- punkt",
    "Tid: 10",
    "a # b",
    "Slut:",
    " mellemrum foran",
    "mellemrum bagved ",
    'citat "her" og \\ skråstreg',
    "tab\there",
    "Æbler, pærer & [ting] {x}",
    "@navn",
    "%procent",
    "`kode`",
    "'enkelt'",
    "emoji 🙂",
    "linjeskift\u2028unicode",
    "Første linje\nanden linje\n\n- punkt",
    "  indrykket\nlinje",
    "\n\nefter tomme linjer",
    "slut med mellemrum \nnæste",
    "#overskrift\n---\n...",
]


def test_the_yaml_writer_keeps_every_text_as_written(page, service):
    page.goto(service.url + "/indsend/")
    record = {
        "texts": TRICKY_TEXTS,
        "each": {f"k{i}": text for i, text in enumerate(TRICKY_TEXTS)},
        "rows": [{"a": text, "b": [text, "x"]} for text in TRICKY_TEXTS[:5]],
        "numbers": {"whole": 25, "decimal": 55.7557, "yes": True, "no": False},
        "dates": {"season": "2026-09-01"},
    }
    written = page.evaluate(
        """async (record) => {
            const module = await import(new URL("../theme/js/submit-form.js", document.baseURI).href);
            return module.toYaml(record, {"dates.season": "date"});
        }""",
        record,
    )
    loaded = yaml.load(written, Loader=_Loader)
    assert loaded.pop("dates") == {"season": date(2026, 9, 1)}
    for text, back in zip(TRICKY_TEXTS, loaded["each"].values(), strict=True):
        # Multi-line text is a | block: one line break at its end, as in the activity files.
        assert back == (text.rstrip("\n") + "\n" if "\n" in text else text)
    assert loaded["texts"] == TRICKY_TEXTS
    assert loaded["rows"] == [{"a": text, "b": [text, "x"]} for text in TRICKY_TEXTS[:5]]
    assert loaded["numbers"] == record["numbers"]
    assert "texts: [" in written and "rows:\n  - a: " in written


def test_the_browsers_activity_file_is_the_one_the_service_writes(page, service):
    """Without a service the browser writes the file: byte for byte what dump_activity writes (the
    canonical form), for every real activity, so the editors' diff shows only what was changed."""
    vocabularies = load_vocabularies(CONTENT / "data")
    activities = [
        load_activity(path, vocabularies).activity for path in sorted((CONTENT / "activities").glob("*.yaml"))
    ]
    records = [
        a.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True) for a in activities
    ]
    for record in records:
        record.setdefault("accessibility", [])  # as dump_activity: the list is always there
    page.goto(service.url + "/indsend/")
    written = page.evaluate(
        """async ([records, kinds]) => {
            const module = await import(new URL("../theme/js/submit-form.js", document.baseURI).href);
            return records.map((record) => module.toYaml(record, kinds));
        }""",
        [records, service.app.state.service.kinds],
    )
    expected = [dump_activity(activity) for activity in activities]
    assert len(activities) > 50 and written == expected


# --- With JavaScript ----------------------------------------------------------------------------------


def test_fill_check_preview_and_send_with_javascript(strict_page, service):
    page = strict_page
    open_form(page, service.url + "/indsend/")
    before = service.stored()

    # Sending the empty form: the errors are listed at the top, which gets focus.
    page.get_by_role("button", name="Se forhåndsvisning").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    items = summary_items(page)
    assert "Aktivitetens navn: skal udfyldes" in items
    assert "Kategorier: vælg mindst én" in items
    assert "Tid 1: Hvor ofte: vælg en af mulighederne" in items
    assert "Forening eller arrangør: skal udfyldes" in items
    assert "Koster det noget?: vælg en af mulighederne" in items
    assert items.index("Aktivitetens navn: skal udfyldes") == 0  # in the form's order
    assert page.locator("#felt-title-fejl").is_visible()
    assert page.locator("#felt-title").get_attribute("aria-invalid") == "true"
    assert page.title().startswith("Fejl – ")
    summary.get_by_role("link", name="Kategorier: vælg mindst én").click()
    expect(page.locator("#felt-categories-1")).to_be_focused()
    summary.get_by_role("link", name="Aktivitetens navn: skal udfyldes").click()
    expect(page.locator("#felt-title")).to_be_focused()

    # Only the fields of the chosen "Hvor ofte", and the amount only when it costs money.
    assert page.locator("#felt-schedule-0-start").is_visible()
    assert not page.locator("#felt-schedule-0-days-1").is_visible()
    assert not page.locator("#felt-price-amount").is_visible()
    fill_activity(page)
    assert page.locator("#felt-schedule-0-days-1").is_visible()
    assert not page.locator("#felt-schedule-0-first-date").is_visible()
    assert not page.locator("#felt-schedule-0-dates").is_visible()
    assert page.locator("#felt-price-amount").is_visible()

    # A second time row: renumbered, focused, announced; then removed again.
    assert not page.get_by_role("button", name="Fjern tid 1").is_visible()  # at least one row stays
    page.get_by_role("button", name="Tilføj en tid mere").click()
    expect(page.locator("#felt-schedule-1-repeat-1")).to_be_focused()
    assert page.locator("[data-row]").nth(1).locator("legend").first.text_content() == "Tid 2"
    assert page.locator("#felt-schedule-1-start").get_attribute("name") == "schedule[1].start"
    assert page.locator("#felt-schedule-1-start").input_value() == ""  # a fresh row, not a copy
    assert not page.locator("#felt-schedule-1-repeat-1").is_checked()
    expect(page.locator("[data-live]")).to_have_text("Tid 2 er tilføjet.")
    page.locator("label[for=felt-schedule-1-repeat-4]").click()  # På bestemte datoer
    assert page.locator("#felt-schedule-1-dates").is_visible()
    assert not page.locator("#felt-schedule-1-days-1").is_visible()
    page.get_by_role("button", name="Fjern tid 2").click()
    assert page.locator("[data-row]").count() == 1
    expect(page.locator("#felt-schedule-0-repeat-1")).to_be_focused()

    # A rule only the service knows (the end after the start) is shown the same way.
    page.locator("#felt-schedule-0-end").fill("09:00")
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(summary).to_be_focused()
    assert len(summary_items(page)) == 1
    assert summary_items(page)[0].startswith("Tid 1: sluttid 09:00 ligger ikke efter starttid 10:00")
    assert page.locator("#felt-schedule-0-fejl").is_visible()
    assert page.locator("#felt-title-fejl").is_hidden()  # the old errors are gone
    page.locator("#felt-schedule-0-end").fill("11:00")

    # The preview, above the send button; "Ret" goes back to the form.
    page.get_by_role("button", name="Se forhåndsvisning").click()
    preview = page.locator("[data-preview]")
    expect(preview).to_be_focused()
    expect(preview).to_contain_text(ACTIVITY["title"])
    expect(preview).to_contain_text("Vonge Forsamlingshus")
    assert summary.is_hidden()
    assert not page.get_by_role("button", name="Se forhåndsvisning").is_visible()
    page.get_by_role("button", name="Ret").click()
    expect(page.locator("#felt-title")).to_be_focused()
    assert preview.count() == 0
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(preview).to_be_focused()

    # Sending without the consent, then with it; a double click sends once.
    page.locator("#felt-note").fill("Vi er en ny klub.")
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(summary).to_be_focused()
    assert summary_items(page) == [
        "Oplysningerne er rigtige, og de må vises på guiden: "
        "sæt kryds for at bekræfte, at oplysningerne må offentliggøres"
    ]
    assert preview.is_visible()  # the consent is not a change to the activity
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    page.get_by_role("button", name="Send til redaktionen").dblclick()
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_be_focused()
    reference = receipt.locator("[data-reference]").text_content()
    assert REFERENCE.match(reference)
    assert page.locator("form.as-form").count() == 0  # the receipt replaces the form
    assert service.stored() == before + 1

    service.process_queue()
    branch = service.branch_of(reference)
    path = "content/activities/stolegymnastik-i-vonge.yaml"
    assert service.changed_files(branch) == [path]
    written = service.file_on(branch, path)
    assert {key: written[key] for key in EXPECTED} == EXPECTED
    assert set(written) - set(EXPECTED) == {"verified"}


def test_a_network_error_loses_nothing_and_a_retry_gets_the_same_receipt(browser, service):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_form(page, service.url + "/indsend/")
    values = {**ACTIVITY, "title": "Stolegymnastik i Give"}
    fill_activity(page, values)
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("[data-preview]")).to_be_focused()
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    before = service.stored()

    # The submission reaches the service, but the answer is lost on the way back.
    def lost_answer(route):
        route.fetch()
        route.abort()

    page.route("**/api/indsendelser", lost_answer)
    page.get_by_role("button", name="Send til redaktionen").click()
    problem = page.locator(".as-form__problem")
    expect(problem).to_contain_text("Vi kunne ikke få forbindelse")
    expect(page.get_by_role("button", name="Prøv igen")).to_be_focused()
    assert page.locator("#felt-title").input_value() == values["title"]
    assert page.locator("[data-preview]").is_visible()
    assert service.stored() == before + 1
    first_key = page.locator("input[name=idempotency_key]").input_value()

    page.unroute("**/api/indsendelser")
    page.get_by_role("button", name="Prøv igen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert service.stored() == before + 1  # the same key: the same submission, not a second one
    reference = page.locator("[data-reference]").text_content()
    found = service.app.state.service.store.get(reference)
    assert found is not None and found.title == values["title"]
    assert re.fullmatch(r"[0-9a-f-]{36}", first_key)
    assert errors == []
    context.close()


def test_the_form_works_without_object_hasown_and_structuredclone(page, service):
    # Safari before 15.4 and Chrome before 98 have neither.
    page.add_init_script("delete Object.hasOwn; delete window.structuredClone;")
    before = service.stored()
    preview_with_consent(page, service.url + "/indsend/", {**ACTIVITY, "title": "Stolegymnastik i Gadbjerg"})
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert service.stored() == before + 1


def test_a_browser_without_replacechildren_keeps_the_plain_form(page, service):
    page.add_init_script("delete Element.prototype.replaceChildren;")
    page.goto(service.url + "/indsend/")  # the module has run when the page has loaded
    assert page.locator("[data-live]").count() == 0  # not enhanced
    assert page.locator("[data-default-step]").count() == 1  # Enter still previews
    page.locator("#felt-title").fill("Stolegymnastik i Bredsten")
    page.locator("#felt-title").press("Enter")
    page.wait_for_url("**/indsend/send")  # the service's own page
    assert page.title().startswith("Fejl – ")
    assert page.locator("#felt-title").input_value() == "Stolegymnastik i Bredsten"


def test_a_changed_form_offers_no_retry_of_a_failed_send(page, service, cut_connection):
    values = {**ACTIVITY, "title": "Stolegymnastik i Ødsted"}
    preview_with_consent(page, service.url + "/indsend/", values)
    before = service.stored()
    page.route("**/api/indsendelser", lambda route: route.abort())
    page.get_by_role("button", name="Send til redaktionen").click()
    problem = page.locator(".as-form__problem")
    expect(page.get_by_role("button", name="Prøv igen")).to_be_focused()
    page.unroute("**/api/indsendelser")

    # A change after the failed send: the preview and the retry go, nothing is sent unseen.
    page.locator("#felt-title").fill("Stolegymnastik i Ødsted Hallen")
    expect(page.locator("[data-preview]")).to_have_count(0)
    expect(problem).to_be_hidden()
    expect(page.get_by_role("button", name="Prøv igen")).to_have_count(0)
    assert service.stored() == before

    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("[data-preview]")).to_contain_text("Stolegymnastik i Ødsted Hallen")
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    found = service.app.state.service.store.get(page.locator("[data-reference]").text_content())
    assert found is not None and found.title == "Stolegymnastik i Ødsted Hallen"


def test_a_refused_token_is_replaced_for_the_next_press(page, service):
    fetched = []

    def first_token_invalid(route):
        fetched.append(route.request.url)
        if len(fetched) == 1:
            route.fulfill(json={"token": "1.0", "min_seconds": 0})  # not one of the service's
        else:
            route.continue_()

    page.route("**/api/formular", first_token_invalid)
    preview_with_consent(page, service.url + "/indsend/", {**ACTIVITY, "title": "Stolegymnastik i Lindved"})
    assert len(fetched) == 1
    before = service.stored()
    page.get_by_role("button", name="Send til redaktionen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Formularen blev sendt meget hurtigt")
    assert page.locator("[data-preview]").is_visible()  # nothing to correct in the activity
    assert service.stored() == before

    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert service.stored() == before + 1
    assert len(fetched) >= 2  # a new one (the next press fetches it, if it was not there yet)


def test_a_token_older_than_20_hours_is_fetched_again(page, service):
    page.clock.install()
    fetched = []
    page.on("request", lambda request: "/api/formular" in request.url and fetched.append(request.url))
    preview_with_consent(page, service.url + "/indsend/", {**ACTIVITY, "title": "Stolegymnastik i Hover"})
    assert len(fetched) == 1
    page.clock.fast_forward("21:00:00")  # the page was left open overnight
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert len(fetched) == 2


def test_a_retry_after_midnight_is_the_same_submission(page, service, cut_connection):
    page.clock.install(time=datetime.combine(date.today(), datetime.min.time()) - timedelta(minutes=5))
    preview_with_consent(page, service.url + "/indsend/", {**ACTIVITY, "title": "Stolegymnastik i Gårslev"})
    before = service.stored()

    def lost_answer(route):
        route.fetch()
        route.abort()

    page.route("**/api/indsendelser", lost_answer)
    day = page.evaluate("() => new Date().getDate()")
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.get_by_role("button", name="Prøv igen")).to_be_focused()
    assert service.stored() == before + 1
    page.unroute("**/api/indsendelser")
    page.clock.fast_forward("10:00")  # past midnight: the record is confirmed on another day
    assert page.evaluate("() => new Date().getDate()") != day
    page.get_by_role("button", name="Prøv igen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert service.stored() == before + 1


def test_a_web_address_with_danish_letters_is_accepted(page, service):
    url = "https://example.dk/æbler-og-pærer/gåtur"
    values = {**ACTIVITY, "title": "Stolegymnastik i Børkop", "organizer.url": url}
    preview_with_consent(page, service.url + "/indsend/", values)
    assert page.locator("[data-error-summary]").is_hidden()
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()


def test_a_row_added_in_the_preview_is_announced_in_one_message(page, service):
    preview_with_consent(page, service.url + "/indsend/", {**ACTIVITY, "title": "Stolegymnastik i Vinding"})
    page.get_by_role("button", name="Tilføj en tid mere").click()
    expect(page.locator("[data-preview]")).to_have_count(0)
    expect(page.locator("[data-live]")).to_have_text(
        "Tid 2 er tilføjet. Du har ændret noget. Se forhåndsvisningen igen, før du sender."
    )


def test_enter_in_the_preview_sends(page, service):
    before = service.stored()
    preview_with_consent(page, service.url + "/indsend/", {**ACTIVITY, "title": "Stolegymnastik i Smidstrup"})
    # Enter presses the form's first submit button, which is the hidden "Se forhåndsvisning".
    page.locator("#felt-title").press("Enter")
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert service.stored() == before + 1


def test_the_fields_wait_while_the_preview_is_made(page, service):
    held = []
    page.route("**/api/forhaandsvisning", lambda route: held.append(route))
    open_form(page, service.url + "/indsend/")
    fill_activity(page, {**ACTIVITY, "title": "Stolegymnastik i Brejning"})
    # aria-busy on the form where focus goes would keep a screen reader from reading it out.
    page.evaluate(
        """() => {
            window.busyAtFocus = [];
            document.addEventListener("focusin", () =>
                busyAtFocus.push(document.querySelector("form.as-form").getAttribute("aria-busy")));
        }"""
    )
    page.get_by_role("button", name="Se forhåndsvisning").click()
    title = page.locator("#felt-title")
    expect(title).to_be_disabled()  # no change can slip past the preview being made
    assert page.locator("#felt-note").is_disabled()
    held[0].continue_()
    expect(page.locator("[data-preview]")).to_be_focused()
    expect(page.locator("[data-preview]")).to_contain_text("Stolegymnastik i Brejning")
    expect(title).to_be_enabled()
    assert page.evaluate("busyAtFocus") == [None, None]  # the button pressed, then the preview


def test_an_unanswered_request_ends_in_the_network_problem(page, service, cut_connection):
    page.clock.install()
    page.route("**/api/forhaandsvisning", lambda route: None)  # never answered
    open_form(page, service.url + "/indsend/")
    fill_activity(page, {**ACTIVITY, "title": "Stolegymnastik i Thyregod"})
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("#felt-title")).to_be_disabled()
    page.clock.fast_forward(31_000)
    expect(page.locator(".as-form__problem")).to_contain_text("Vi kunne ikke få forbindelse")
    expect(page.get_by_role("button", name="Prøv igen")).to_be_focused()
    expect(page.locator("#felt-title")).to_be_enabled()


def test_axe_finds_nothing_in_any_state_of_the_form(page, service):
    open_form(page, service.url + "/indsend/")
    assert run_axe(page) == []
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert run_axe(page) == []
    values = {**ACTIVITY, "title": "Stolegymnastik i Egtved"}
    fill_activity(page, values)
    page.get_by_role("button", name="Tilføj en tid mere").click()
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("[data-preview]")).to_be_focused()
    assert run_axe(page) == []
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert run_axe(page) == []
    assert run_axe(page, tags=["wcag2aaa"]) == []  # 7:1 contrast


def test_change_an_existing_activity(page, service, tmp_path):
    slug = "repair-cafe-vejle"
    original = load_activity(
        service.repository / "content" / "activities" / f"{slug}.yaml",
        load_vocabularies(service.repository / "content" / "data"),
    ).activity
    open_form(page, f"{service.url}/indsend/ret?aktivitet={slug}")
    assert page.locator("#felt-title").input_value() == original.title
    assert page.locator("input[name=edit]").input_value() == slug
    new_summary = "Vi reparerer alt fra brødristere til cykler, og kaffen er gratis."
    page.locator("#felt-summary").fill(new_summary)
    page.get_by_role("button", name="Se forhåndsvisning").click()
    expect(page.locator("[data-preview]")).to_contain_text(new_summary)
    page.locator("#felt-note").fill("Ny tekst.")
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    page.get_by_role("button", name="Send til redaktionen").click()
    reference = page.locator("[data-reference]").text_content()
    assert REFERENCE.match(reference)

    service.process_queue()
    branch = service.branch_of(reference)
    path = f"content/activities/{slug}.yaml"
    assert service.changed_files(branch) == [path]
    written = tmp_path / f"{slug}.yaml"
    written.write_text(service.git("show", f"{branch}:{path}"), encoding="utf-8")
    changed = load_activity(written, load_vocabularies(CONTENT / "data")).activity
    before = original.model_dump(mode="json", by_alias=True, exclude_none=True)
    after = changed.model_dump(mode="json", by_alias=True, exclude_none=True)
    # Ticked choices come back in the form's order, which may differ from the file's.
    for choices in ("categories", "target_groups", "accessibility"):
        before[choices], after[choices] = sorted(before[choices]), sorted(after[choices])
    assert after == {**before, "summary": new_summary, "verified": after["verified"]}


# --- Without JavaScript -------------------------------------------------------------------------------


def test_fill_check_preview_and_send_without_javascript(browser, no_js_page, service):
    page = no_js_page
    page.goto(service.url + "/indsend/")
    assert page.locator("[data-live]").count() == 0
    values = {**ACTIVITY, "title": "Stolegymnastik i Jelling"}

    # A first try with only some fields: the service's page with errors, the values kept.
    page.locator("#felt-title").fill(values["title"])
    page.get_by_text("Motion og bevægelse", exact=True).click()
    page.get_by_role("button", name="Se forhåndsvisning").click()
    assert page.title().startswith("Fejl – ")
    assert page.locator("#felt-title").input_value() == values["title"]
    assert page.locator("#felt-categories-1").is_checked()
    items = summary_items(page)
    assert "Kort beskrivelse: mangler (feltet skal udfyldes)" in items
    assert page.locator("#felt-summary-fejl").is_visible()
    assert axe_without_javascript(browser, page) == []

    # One more time row, without JavaScript a new page with an empty second row.
    page.get_by_role("button", name="Tilføj en tid mere").click()
    assert page.locator("[data-row]").count() == 2
    assert page.locator("#felt-title").input_value() == values["title"]

    fill_activity(page, {**values, "categories": ["Samvær og snak"]})  # Motion is still ticked
    page.get_by_role("button", name="Se forhåndsvisning").click()
    assert page.title().startswith("Tjek og send – ")
    expect(page.locator(".as-preview")).to_contain_text(values["title"])
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    time.sleep(0.5)  # the service wants the form open for min_fill_seconds
    page.get_by_role("button", name="Send til redaktionen").click()
    reference = page.locator("[data-reference]").text_content()
    assert REFERENCE.match(reference)
    assert axe_without_javascript(browser, page) == []

    service.process_queue()
    branch = service.branch_of(reference)
    path = "content/activities/stolegymnastik-i-jelling.yaml"
    assert service.changed_files(branch) == [path]
    written = service.file_on(branch, path)
    assert {key: written[key] for key in EXPECTED} == {**EXPECTED, "title": values["title"]}


# --- No service: the file is made in the browser ------------------------------------------------------


@pytest.fixture(scope="module")
def fallback_url(tmp_path_factory):
    output = tmp_path_factory.mktemp("uden-tjeneste") / "output"
    build(CONTENT, output, SUBMISSION_SERVICE_URL=None, SUBMISSION_GITHUB_REPOSITORY=REPOSITORY)
    with serve(output) as url:
        yield url


def test_without_a_service_the_browser_makes_the_activity_file(page, fallback_url, tmp_path):
    open_form(page, fallback_url + "/indsend/")
    assert page.locator("#felt-note").is_hidden()  # nothing to tell editors without the service
    page.get_by_role("button", name="Lav aktivitetsfilen").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert "Aktivitetens navn: skal udfyldes" in summary_items(page)

    values = {
        **ACTIVITY,
        "title": "Gåklub: Æblehaven i Bredsten",
        "description": "Start:\n  - indrykket\nSlut # x",
    }
    fill_activity(page, values)
    page.get_by_role("button", name="Lav aktivitetsfilen").click()
    box = page.locator("[data-preview]")
    expect(box).to_be_focused()
    text = page.locator("[data-yaml]").text_content()
    slug = "gaaklub-aeblehaven-i-bredsten"
    assert f"{slug}.yaml" in box.text_content()

    # The file is valid with the real vocabularies, and holds what was typed.
    path = tmp_path / f"{slug}.yaml"
    path.write_text(text, encoding="utf-8")
    entry = load_activity(path, load_vocabularies(CONTENT / "data"))
    loaded = entry.activity.model_dump(mode="json", by_alias=True, exclude_none=True)
    expected = {**EXPECTED, "title": values["title"], "description": values["description"]}  # the model trims
    assert {key: loaded[key] for key in EXPECTED} == expected
    assert text.startswith(f'title: "{values["title"]}"\nsummary: ')
    assert "categories: [motion, samvaer]\n" in text and "  - repeat: ugentlig\n" in text

    with page.expect_download() as download:
        page.locator("[data-download]").click()
    assert download.value.suggested_filename == f"{slug}.yaml"
    assert Path(download.value.path()).read_text(encoding="utf-8") == text

    link = urlsplit(page.locator("[data-github]").get_attribute("href"))
    assert (link.scheme, link.netloc) == ("https", "github.com")
    assert link.path == f"/{REPOSITORY}/new/main/content/activities"
    assert parse_qs(link.query) == {"filename": [f"{slug}.yaml"], "value": [text]}

    # Changing a field takes the file away: it no longer matches the form.
    page.locator("#felt-summary").fill("Noget andet.")
    assert box.count() == 0


def test_without_a_service_a_failed_schema_load_can_be_retried(page, fallback_url, cut_connection):
    page.route("**/aktivitet.schema.json", lambda route: route.abort())
    open_form(page, fallback_url + "/indsend/")
    page.get_by_role("button", name="Lav aktivitetsfilen").click()
    expect(page.get_by_role("button", name="Prøv igen")).to_be_focused()
    page.unroute("**/aktivitet.schema.json")
    page.get_by_role("button", name="Prøv igen").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert "Aktivitetens navn: skal udfyldes" in summary_items(page)


# --- Reflow --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width, text_size", [(320, "100%"), (640, "200%")])
def test_the_form_reflows_without_horizontal_scrolling(browser, service, width, text_size):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="da-DK")
    page = context.new_page()
    open_form(page, service.url + "/indsend/")
    page.add_style_tag(content=f"html {{ font-size: {text_size}; }}")  # the reader's own text size
    page.get_by_role("button", name="Se forhåndsvisning").click()  # with the errors shown
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.get_by_role("button", name="Tilføj en tid mere").click()
    page.locator("label[for=felt-schedule-1-repeat-3]").click()  # the most fields in a row
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '.as-form input:not([type=hidden]), .as-form select, .as-form button, .as-form__option')]
            .filter(e => e.offsetParent && e.closest('.as-form__trap') === null && e.type !== 'checkbox' && e.type !== 'radio')
            .map(e => e.getBoundingClientRect())
            .filter(r => r.height < 44).length"""
    )
    assert small == 0  # every target is at least 44 px high
    context.close()
