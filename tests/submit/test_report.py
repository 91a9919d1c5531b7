""" "Meld en fejl" against the real service and a real SMTP server on 127.0.0.1: the report reaches
the editors by e-mail and on the list `aktivsammen queue` shows, the reader's contact only in the
sealed e-mail, every mistake answered in Danish on a page of its own, and the same guards as the
other forms."""

from __future__ import annotations

import re

import httpx
import pytest

from aktivsammen.cli import main as cli
from aktivsammen.submit.app import create_app
from aktivsammen.submit.report import LABELS, PROBLEMS
from aktivsammen.templating import theme_environment
from tests.submit.conftest import EDITABLE, free_port, make_settings, running, smtp_server
from tests.submit.test_companion import THEMES, static_activity_page, stored_bytes

REPORT = {
    "activity": EDITABLE,
    "problem": "tider",
    "description": "Klubben mødes nu om onsdagen, ikke om tirsdagen.",
    "name": "Ole Eksempel",
    "contact": "ole.eksempel@example.dk",
}


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def report_settings(content_repo, tmp_path, smtp_port):
    return make_settings(
        content_repo, tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_port,
        site_dir=static_activity_page(tmp_path), mail_from="AktivSammen <ikke-svar@example.dk>",
        editors_to="redaktion@example.dk",
    )  # fmt: skip


def main_of(page: str) -> str:
    return page.split("<!-- aktivitet -->")[1].split("<!-- /aktivitet -->")[0]


def queue(settings, capsys, *args: str) -> str:
    assert cli(["queue", "--database", str(settings.database), *args]) == 0
    return capsys.readouterr().out


def test_a_report_reaches_the_editors_by_email_and_on_their_list(report_settings, smtp_port, capsys):
    app = create_app(report_settings)
    with smtp_server(smtp_port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        answer = client.post("/fejl/send", data=REPORT)  # from the static page: no token, first press
        assert answer.status_code == 200
        main = main_of(answer.text)
        assert re.search(r'<div class="as-panel" role="status" tabindex="-1" autofocus data-receipt>', main)
        reference = re.search(r"data-reference>(FM-\d{5})<", main)[1]
        assert "Vi kontakter dig, hvis vi har spørgsmål" in main and "<form" not in main
        assert f'<a href="../../aktivitet/{EDITABLE}/">Tilbage til ' in main
        again = client.post("/fejl/send", data=REPORT)  # the same report again: the same number
        assert re.search(r"data-reference>(FM-\d{5})<", again.text)[1] == reference
        while app.state.service.mail_worker.run_once():
            pass
    (envelope, message), *more = inbox.messages
    assert more == [] and envelope == ["redaktion@example.dk"]
    assert message["Subject"] == f"Fejl på guiden: Aftenklubben – for voksne med handicap ({reference})"
    assert message["Reply-To"] == "Ole Eksempel <ole.eksempel@example.dk>"
    body = message.get_content()
    assert "Tiden eller datoerne passer ikke" in body and "mødes nu om onsdagen" in body
    assert f"content/activities/{EDITABLE}.yaml" in body and f"queue --done {reference}" in body
    # The list keeps what is wrong; the reader's contact was only in the e-mail, now deleted.
    shown = queue(report_settings, capsys)
    assert f"{reference}" in shown and "Tiden eller datoerne passer ikke" in shown
    assert "mødes nu om onsdagen" in shown
    assert b"ole.eksempel@example.dk" not in stored_bytes(report_settings)
    assert b"Ole Eksempel" not in stored_bytes(report_settings)
    assert cli(["queue", "--database", str(report_settings.database), "--done", reference]) == 0
    assert "klaret" in capsys.readouterr().out
    assert reference not in queue(report_settings, capsys)
    assert "klaret" in queue(report_settings, capsys, "--all")
    assert cli(["queue", "--database", str(report_settings.database), "--done", "FM-99999"]) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"problem": ""}, "problem", "vælg det, der passer bedst"),
        ({"problem": "noget-helt-andet"}, "problem", "vælg det, der passer bedst"),
        ({"problem": "andet", "description": " "}, "description", "skriv, hvad der er forkert"),
        ({"description": "x" * 1001}, "description", "er for lang: 1001 tegn (højst 1000 tegn)"),
        ({"contact": "ring til mig"}, "contact", "skal være et telefonnummer med 8 cifre eller en e-mail"),
        ({"name": "Ole\x00"}, "name", "må kun være én linje"),
    ],
)
def test_a_mistake_is_answered_in_danish_above_the_form_and_nothing_is_kept(
    report_settings, changes, field, message
):
    app = create_app(report_settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        answer = client.post("/fejl/send", data={**REPORT, **changes})
    assert answer.status_code == 422
    main = main_of(answer.text)
    assert main.index("as-error-summary") < main.index("<h1") < main.index("<form")
    assert re.search(r'class="as-error-summary"[^>]*autofocus', main)
    control = f"fejl-{field}-1" if field == "problem" else f"fejl-{field}"
    assert re.search(rf'<a href="#{control}">{re.escape(LABELS[field])}: {re.escape(message)}', main)
    assert 'value="Ole' in main or field == "name"  # what was typed is kept
    assert app.state.service.reports.all() == [] and app.state.service.outbox.waiting() == []


def test_the_same_guards_as_the_other_forms(report_settings, smtp_port, capsys):
    settings = report_settings.model_copy(update={"rate_limit": 2})
    app = create_app(settings)
    with smtp_server(smtp_port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        trapped = client.post("/fejl/send", data={**REPORT, "website": "https://spam.example"})
        assert "data-receipt" in trapped.text  # a robot is not told
        foreign = client.post("/fejl/send", data=REPORT, headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403
        client.post("/fejl/send", data={**REPORT, "description": "Endnu en"})
        flooded = client.post("/fejl/send", data={**REPORT, "description": "Og en til"})
        assert flooded.status_code == 429 and "Vent lidt" in flooded.text
        assert client.get("/fejl/send").status_code == 405
        while app.state.service.mail_worker.run_once():
            pass
    subjects = [message["Subject"] for _, message in inbox.messages]
    assert subjects[0].startswith("[Muligvis spam] Fejl på guiden") and len(subjects) == 2
    assert "[muligvis spam]" in queue(settings, capsys)


def test_a_report_without_contact_says_the_reader_will_not_hear_back(report_settings):
    app = create_app(report_settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        answer = client.post("/fejl/send", data={"activity": EDITABLE, "problem": "findes-ikke"})
    assert "du hører ikke fra os" in answer.text
    (listed,) = app.state.service.reports.open()
    assert listed.problem_label == "Aktiviteten findes ikke længere" and listed.description == ""


def test_an_unknown_activity_is_a_plain_404(report_settings):
    app = create_app(report_settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        answer = client.post("/fejl/send", data={**REPORT, "activity": "../../etc/passwd"})
    assert answer.status_code == 404 and "Aktiviteten findes ikke" in answer.text


def test_the_forms_choices_are_the_ones_the_service_accepts():
    html = str(
        theme_environment(THEMES).get_template("components/report.html").module.report_form(EDITABLE, "")
    )
    assert re.findall(r'name="problem" value="([^"]+)"', html) == list(PROBLEMS)
    labels = re.findall(r'name="problem" value="[^"]+">\s*([^<]+?)</label>', html)
    assert labels == list(PROBLEMS.values())
    assert not re.search(r'name="problem"[^>]* checked', html)  # nothing chosen for the reader
