"""The association form as a question flow (/indsend/) in Chromium, against the real service over a
temporary Git repository: JavaScript on and off at 360×740, the same words for the same mistake,
"Ret oplysninger" and "Alt passer stadig", axe and reflow on every page, and the page without a
service, whose answers file the editors import.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from aktivsammen.loading import _Loader, load_activity, load_vocabularies
from aktivsammen.submit.answers import import_answers
from aktivsammen.submit.app import create_app
from aktivsammen.submit.settings import Settings
from tests.browser.conftest import EXPECTED_CONSOLE, run_axe, serve
from tests.conftest import CONTENT, build
from tests.submit.conftest import running

REFERENCE = re.compile(r"^AS-\d{5}$")
PHONE = {"width": 360, "height": 740}
EDITED = "repair-cafe-vejle"


def git(repository: Path, *args: str) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    return subprocess.run(
        ["git", "-C", str(repository), *identity, *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def service(site_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("indsend")
    repository = folder / "repo"
    shutil.copytree(CONTENT, repository / "content")
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", "content")
    git(repository, "commit", "-q", "-m", "Indhold")
    settings = Settings(
        database=folder / "q.sqlite3", content_dir=repository / "content", local_repository=repository,
        site_dir=site_dir, min_fill_seconds=0.5, worker=False, rate_limit=100,
    )  # fmt: skip
    app = create_app(settings)
    with running(app) as url:
        yield url, app, repository


@pytest.fixture
def allowed_console_errors() -> tuple[str, ...]:
    return (EXPECTED_CONSOLE,)


def phone_page(browser, javascript: bool) -> Page:
    context = browser.new_context(viewport=PHONE, locale="da-DK", java_script_enabled=javascript)
    return context.new_page()


def heading(page: Page) -> str:
    return page.locator("[data-flow] h1").inner_text()


def go_on(page: Page, javascript: bool, expected: str) -> None:
    page.get_by_role("button", name=re.compile("^(Fortsæt|Gem og tjek dine svar)$")).click()
    expect(page.locator("[data-flow] h1")).to_have_text(expected)
    assert no_sideways_scroll(page)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def in_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 120) <= PHONE["height"]


def fill_everything(page: Page, javascript: bool, title: str) -> None:
    """Every page of the flow, as a person answers it: typing, and clicking the choices' labels."""
    page.locator("#felt-title").fill(title)
    page.locator("#felt-summary").fill("Vi laver let gymnastik på stole og drikker kaffe bagefter.")
    page.get_by_text("Motion og bevægelse", exact=True).click()
    page.get_by_text("Seniorer 60+", exact=True).click()
    page.get_by_text("Foregår siddende", exact=True).click()
    go_on(page, javascript, "Hvornår mødes I?")
    row = page.locator("[data-row]").first
    row.get_by_text("Tirsdag", exact=True).click()
    page.locator("#felt-schedule-0-start").fill("10:00")
    page.locator("#felt-schedule-0-end").fill("11:00")
    go_on(page, javascript, "Hvornår holder I fri?")
    # Each kind of closure is a yes/no question the association opens only if it applies.
    assert page.locator("[data-flow] input:visible:not(.as-form__trap *)").count() == 2  # helligdage: ja/nej
    page.get_by_text("Holder I fri hele måneder, fx i juli?").click()
    page.get_by_text("juli", exact=True).click()
    page.get_by_text("Holder I fri på enkelte datoer?").click()
    page.locator("#felt-closed-dates").fill("24.12.2026, 31.12.2026")
    go_on(page, javascript, "Hvor mødes I?")
    page.locator("#felt-area").select_option(label="Vonge")
    for name, value in (("name", "Vonge Forsamlingshus"), ("address", "Eksempelvej 7"),
                        ("postcode", "7173"), ("city", "Vonge")):  # fmt: skip
        page.locator(f"#felt-location-{name}").fill(value)
    page.get_by_text("Trinfri adgang", exact=True).click()
    go_on(page, javascript, "Pris og tilmelding")
    page.get_by_text("Gratis", exact=True).click()
    page.locator("label[for=felt-signup-required-2]").click()  # Nej
    page.locator("label[for=felt-newcomers-welcome-1]").click()  # Ja
    page.locator("label[for=felt-companion-welcome-1]").click()  # Ja
    go_on(page, javascript, "Hvem kan man spørge?")
    page.locator("#felt-organizer-name").fill("Vonge Seniorklub")
    page.locator("#felt-contact-phone").fill("75 00 00 01")
    go_on(page, javascript, "Om dig, der sender")
    page.locator("#felt-submitter-name").fill("Bente Eksempel")
    page.locator("#felt-submitter-email").fill("bente@example.dk")
    go_on(page, javascript, "Tjek dine svar, før du sender")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_new_activity_from_the_start_page_to_the_receipt_on_a_phone(browser, service, javascript):
    url, app, repository = service
    page = phone_page(browser, javascript)
    page.goto(url + "/indsend/")
    page.get_by_role("link", name="Start").click()
    expect(page.locator("[data-flow] h1")).to_have_text("Hvad laver I?")
    if javascript:
        expect(page.locator("[data-submit]")).to_have_attribute("data-flow-ready", "true")
    title = f"Stolegymnastik i Vonge {'med' if javascript else 'uden'} JS"
    # A first press with nothing filled in: the error summary on top, focused, in the first screen.
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert in_first_screen(page, "[data-error-summary]")
    if javascript:
        expect(page.locator("[data-error-summary]")).to_be_focused()
    fill_everything(page, javascript, title)
    answers = page.locator(".as-answers").all_inner_texts()
    assert any("tirsdag" in text and "10.00" in text for text in answers)
    assert any("juli" in text and "24.12.2026" in text for text in answers)
    assert any("Bente Eksempel" in text for text in answers)
    # Change one answer from the check page: back to the page, then straight back here.
    page.get_by_role("button", name="Ret svarene på «Hvad laver I?»").click()
    expect(page.locator("[data-flow] h1")).to_have_text("Hvad laver I?")
    page.locator("#felt-summary").fill("Let gymnastik på stole, og kaffe bagefter.")
    go_on(page, javascript, "Tjek dine svar, før du sender")
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    time.sleep(0.5)  # the service wants a moment between the first page and sending
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_visible()
    assert in_first_screen(page, "[data-reference]")
    expect(page.locator("[data-receipt]")).to_be_focused()  # autofocus without JavaScript
    reference = page.locator("[data-reference]").inner_text()
    assert REFERENCE.match(reference)
    page.screenshot(
        path=str(Path(app.state.service.settings.database).parent / f"kvittering-{javascript}.png")
    )
    page.context.close()

    while app.state.service.worker.run_once():
        pass
    branches = git(
        repository,
        "for-each-ref",
        "--format=%(refname:short)",
        f"refs/heads/indsendelse/{reference.lower()}-*",
    ).split()
    assert len(branches) == 1
    (changed,) = git(repository, "diff", "--name-only", f"main...{branches[0]}").split()
    written = yaml.load(git(repository, "show", f"{branches[0]}:{changed}"), Loader=_Loader)
    assert written["title"] == title
    assert written["summary"] == "Let gymnastik på stole, og kaffe bagefter."
    assert written["schedule"] == [
        {"repeat": "ugentlig", "days": ["tirsdag"], "start": "10:00", "end": "11:00"}
    ]
    assert written["closed"]["months"] == ["juli"] and len(written["closed"]["dates"]) == 2
    assert written["contact"] == {"phone": "75 00 00 01"} and written["price"] == "gratis"
    assert "Bente" not in git(repository, "show", f"{branches[0]}:{changed}")


def test_the_same_mistake_gets_the_same_words_with_and_without_javascript(browser, service):
    url, _, _ = service
    said = []
    for javascript in (True, False):
        page = phone_page(browser, javascript)
        page.goto(url + "/indsend/trin")
        page.locator("#felt-title").fill("Klub")
        for option in page.locator("input[name=categories]").all()[:5]:  # one more than the model takes
            option.check()
        page.get_by_role("button", name="Fortsæt").click()
        expect(page.locator("[data-error-summary]")).to_be_visible()
        said.append(page.locator("[data-error-list]").inner_text())
        page.context.close()
    assert said[0] == said[1]
    assert "Kategorier: " in said[0] and "højst have 4" in said[0] and "Kort beskrivelse: mangler" in said[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_ret_oplysninger_names_the_activity_and_alt_passer_stadig_is_one_press(browser, service, javascript):
    url, app, repository = service
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="da-DK", java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(f"{url}/aktivitet/{EDITED}/")
    page.get_by_role("link", name=re.compile("^Ret eller bekræft oplysningerne")).click()
    expect(page.locator("[data-flow] h1")).to_have_text("Ret oplysninger om Repair Cafe Vejle")
    time.sleep(0.5)
    page.get_by_role("button", name="Alt passer stadig").click()
    expect(page.locator("[data-receipt] h1")).to_have_text("Tak, vi har fået besked")
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert in_first_screen(page, "[data-reference]")
    reference = page.locator("[data-reference]").inner_text()
    context.close()
    while app.state.service.worker.run_once():
        pass
    (branch,) = git(
        repository,
        "for-each-ref",
        "--format=%(refname:short)",
        f"refs/heads/indsendelse/{reference.lower()}-*",
    ).split()
    changed = [line for line in git(repository, "diff", "--unified=0", f"main...{branch}").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]  # fmt: skip
    assert [line.split(":")[0] for line in changed] == ["-verified", "+verified"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_edit_changes_one_answer_and_the_pull_request_only_that(browser, service, javascript):
    url, app, repository = service
    page = phone_page(browser, javascript)
    page.goto(f"{url}/indsend/ret?aktivitet={EDITED}")
    page.get_by_role("button", name="Ret svarene på «Hvem kan man spørge?»").click()
    expect(page.locator("[data-flow] h1")).to_have_text("Hvem kan man spørge?")
    page.locator("#felt-contact-phone").fill("12 34")  # a mistake first
    page.get_by_role("button", name="Gem og tjek dine svar").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Telefon")
    page.locator("#felt-contact-phone").fill("75 00 00 09")
    page.get_by_role("button", name="Gem og tjek dine svar").click()
    expect(page.locator("[data-flow] h1")).to_have_text("Ret oplysninger om Repair Cafe Vejle")
    page.get_by_role("button", name="Ret svarene på «Om dig, der sender»").click()
    page.locator("#felt-submitter-name").fill("Karen Eksempel")
    page.locator("#felt-submitter-phone").fill("75 00 00 08")
    page.get_by_role("button", name="Gem og tjek dine svar").click()
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    time.sleep(0.5)
    page.get_by_role("button", name="Send til redaktionen").click()
    expect(page.locator("[data-receipt]")).to_be_focused()
    assert in_first_screen(page, "[data-reference]")
    reference = page.locator("[data-reference]").inner_text()
    page.context.close()
    while app.state.service.worker.run_once():
        pass
    (branch,) = git(repository, "for-each-ref", "--format=%(refname:short)",
                    f"refs/heads/indsendelse/{reference.lower()}-*").split()  # fmt: skip
    changed = [line for line in git(repository, "diff", "--unified=0", f"main...{branch}").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]  # fmt: skip
    assert [line.strip() for line in changed if "phone" in line][-1] == '+  phone: "75 00 00 09"'
    assert {line[0] + line[1:].split(":")[0].strip() for line in changed} == {
        "-phone", "+phone", "-verified", "+verified"}  # fmt: skip


def test_a_time_of_another_kind_shows_its_own_questions_at_once(page, service):
    url, _, _ = service
    page.goto(url + "/indsend/trin")
    page.locator("#felt-title").fill("Kortklub")
    page.locator("#felt-summary").fill("Vi spiller kort.")
    page.get_by_text("Kort og spil", exact=True).click()
    page.get_by_text("Seniorer 60+", exact=True).click()
    page.get_by_text("Foregår siddende", exact=True).click()
    page.get_by_role("button", name="Fortsæt").click()
    expect(page.locator("#felt-schedule-0-first-date")).to_have_count(0)
    page.get_by_text("Hver anden uge", exact=True).click()
    expect(page.locator("#felt-schedule-0-first-date")).to_be_visible()
    expect(page.locator("#felt-schedule-0-repeat-2")).to_be_focused()
    page.get_by_role("button", name="Tilføj en tid mere").click()
    expect(page.locator("[data-row]")).to_have_count(2)
    page.get_by_role("button", name="Fjern tid 1").click()
    expect(page.locator("[data-row]")).to_have_count(1)
    page.go_back()  # the browser's Back goes back a step of the flow
    expect(page.locator("[data-row]")).to_have_count(2)


def test_axe_and_reflow_find_nothing_on_any_page_of_the_flow(browser, service):
    url, _, _ = service
    context = browser.new_context(viewport={"width": 320, "height": 740}, locale="da-DK", bypass_csp=True)
    page = context.new_page()
    page.goto(url + "/indsend/trin")
    seen = [heading(page)]
    assert no_sideways_scroll(page) and run_axe(page) == []
    page.get_by_role("button", name="Fortsæt").click()  # with the errors shown
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert no_sideways_scroll(page) and run_axe(page) == []
    # Every page, with an activity's real answers: through "Ret" from "Tjek dine svar".
    page.goto(url + "/indsend/ret?aktivitet=" + EDITED)
    seen.append(heading(page))
    assert run_axe(page) == [] and no_sideways_scroll(page)
    for change in page.locator(".as-answers__change").all_inner_texts():
        page.goto(url + "/indsend/ret?aktivitet=" + EDITED)
        page.get_by_role("button", name=change.strip()).click()
        expect(page.locator("[data-flow] h1")).not_to_contain_text("Ret oplysninger om")
        seen.append(heading(page))
        assert no_sideways_scroll(page), seen[-1]
        assert run_axe(page) == [], seen[-1]
    assert len(set(seen)) == 8  # the seven pages and Tjek dine svar
    context.close()


@pytest.fixture(scope="module")
def fallback_url(tmp_path_factory):
    output = tmp_path_factory.mktemp("uden-tjeneste") / "output"
    build(CONTENT, output, SUBMISSION_SERVICE_URL=None)
    with serve(output) as url:
        yield url


def test_without_a_service_the_answers_become_a_file_the_editors_import(page, fallback_url, tmp_path):
    page.goto(fallback_url + "/indsend/")
    expect(page.locator("form[data-flow-file]")).to_have_attribute("data-file-started", "true")
    page.locator("#felt-title").fill("Gåklub i Bredsten")
    page.locator("#felt-summary").fill("Vi går en tur og drikker kaffe.")
    page.get_by_text("Motion og bevægelse", exact=True).click()
    page.get_by_text("Seniorer 60+", exact=True).click()
    page.get_by_text("Let: roligt tempo, og du kan holde pauser", exact=True).click()
    first = page.locator("[data-row]").first
    expect(first.locator("#felt-schedule-0-first-date")).to_be_hidden()  # only the chosen kind's questions
    first.get_by_text("Onsdag", exact=True).click()
    page.locator("#felt-schedule-0-start").fill("10:00")
    page.locator("#felt-area").select_option(label="Bredsten")
    for name, value in (
        ("name", "Bredsten Kirke"),
        ("address", "Eksempelvej 3"),
        ("postcode", "7182"),
        ("city", "Bredsten"),
    ):
        page.locator(f"#felt-location-{name}").fill(value)
    page.get_by_text("Gratis", exact=True).click()
    page.locator("label[for=felt-signup-required-2]").click()
    page.locator("label[for=felt-newcomers-welcome-1]").click()
    page.locator("label[for=felt-companion-welcome-1]").click()
    page.locator("#felt-organizer-name").fill("Bredsten Gåklub")
    page.locator("#felt-contact-email").fill("gaa@example.dk")
    page.locator("#felt-submitter-name").fill("Ole Eksempel")
    page.locator("#felt-submitter-phone").fill("75 00 00 02")
    page.get_by_role("button", name="Gem svarene som en fil").click()
    expect(page.locator("[data-file-ready]")).to_be_focused()
    with page.expect_download() as download:
        page.locator("[data-file-link]").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("indsendelse-") and json.loads(saved.read_text())["felter"]
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    imported = import_answers(saved, content)
    activity = load_activity(imported.path, load_vocabularies(content / "data")).activity
    assert activity.title == "Gåklub i Bredsten" and activity.area == "bredsten"
    assert imported.for_editor[0] == "Sendt af: Ole Eksempel (75 00 00 02)"
