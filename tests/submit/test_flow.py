"""The question flow's edges: the receipt e-mail, and the answers file from a guide without a service."""

from __future__ import annotations

import json
import re

import httpx

from aktivsammen.cli import main as cli
from aktivsammen.loading import load_activity, load_vocabularies
from aktivsammen.schema import activity_schema
from aktivsammen.submit.answers import FORMAT
from aktivsammen.submit.app import create_app
from aktivsammen.submit.flow import STEPS, fields_of
from aktivsammen.submit.form import form_spec, own_fields
from tests.conftest import CONTENT
from tests.submit.conftest import NO_JS_FORM, free_port, make_settings, running, smtp_server

SENDER = {"submitter.name": "Hanne Eksempel", "submitter.email": "hanne@example.dk"}


def test_the_sender_gets_a_receipt_by_e_mail(content_repo, tmp_path):
    port = free_port()
    settings = make_settings(content_repo, tmp_path, smtp_host="127.0.0.1", smtp_port=port)
    app = create_app(settings)
    with smtp_server(port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        token = re.search(r'name="token" value="([^"]+)"', client.get("/indsend/trin").text)[1]
        sent = {**NO_JS_FORM, **SENDER, "trin": "tjek", "handling": "send", "consent": "ja", "token": token}
        answer = client.post("/indsend/trin", data=sent)
        assert answer.status_code == 200, re.findall(r"as-error-summary__list.*?</ul>", answer.text, re.S)
        reference = re.search(r"data-reference>(AS-\d{5})<", answer.text)[1]
        assert app.state.service.mail_worker.run_once()
    ((recipients, message),) = inbox.messages
    assert recipients == ["hanne@example.dk"]
    assert message["Subject"] == f"Kvittering: Strikkeklub i Give ({reference})"
    body = message.get_content()
    assert reference in body and "En redaktør i kommunen læser det igennem" in body
    assert app.state.service.outbox.waiting() == []  # delivered and deleted


def test_every_question_is_on_exactly_one_page():
    schema = activity_schema(load_vocabularies(CONTENT / "data"))
    fields = form_spec(schema) + own_fields()
    asked = [spec.name for step in STEPS for spec in fields_of(step, fields)]
    assert sorted(asked) == sorted(spec.name for spec in fields if spec.shown)  # status: derived
    assert len(asked) == len(set(asked))


def answers_file(tmp_path, answers: dict[str, str]):
    path = tmp_path / "indsendelse-2026-12-04.json"
    pairs = [[name, value] for name, value in answers.items()]
    path.write_text(json.dumps({"formular": FORMAT, "version": 1, "felter": pairs}), encoding="utf-8")
    return path


def test_an_answers_file_becomes_a_checked_activity_file(content_repo, tmp_path, capsys):
    content = content_repo / "content"
    good = answers_file(tmp_path, {**NO_JS_FORM, **SENDER, "note": "Ny klub"})
    assert cli(["--content", str(content), "import", str(good)]) == 0
    written = content / "activities" / "strikkeklub-i-give.yaml"
    entry = load_activity(written, load_vocabularies(content / "data"))
    assert entry.activity.title == "Strikkeklub i Give"
    out = capsys.readouterr().out
    assert "Sendt af: Hanne Eksempel (hanne@example.dk)" in out and "Besked: Ny klub" in out
    assert "Hanne" not in written.read_text(encoding="utf-8")
    # The same file again never overwrites: a second activity of the same name gets its own file.
    assert cli(["--content", str(content), "import", str(good)]) == 0
    assert (content / "activities" / "strikkeklub-i-give-2.yaml").is_file()


def test_a_wrong_answers_file_says_what_is_wrong_and_writes_nothing(content_repo, tmp_path, capsys):
    content = content_repo / "content"
    before = sorted(path.name for path in (content / "activities").iterdir())
    bad = answers_file(tmp_path, {**NO_JS_FORM, "contact.phone": "12 34", "schedule[0].start": "25:99"})
    assert cli(["--content", str(content), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "contact.phone (Telefon): '12 34' er ikke et gyldigt dansk telefonnummer" in err
    assert "schedule[0].start (Fra klokken):" in err
    assert "submitter.name (Dit navn): mangler" in err
    not_ours = tmp_path / "andet.json"
    not_ours.write_text('{"title": "x"}', encoding="utf-8")
    assert cli(["--content", str(content), "import", str(not_ours)]) == 1
    assert "er ikke en indsendelse fra guidens formular" in capsys.readouterr().err
    assert sorted(path.name for path in (content / "activities").iterdir()) == before
