""" "Jeg vil gerne følges" against a real SMTP server on 127.0.0.1 (aiosmtpd): delivered once,
retried while the server is down, encrypted while waiting, deleted once delivered, and never in
Git, the pull-request queue or the logs. Bad input gets a Danish message per field."""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from aktivsammen.cli import main as cli
from aktivsammen.loading import load_activity, load_vocabularies
from aktivsammen.schedule import danish_time
from aktivsammen.submit.app import create_app
from aktivsammen.submit.companion import CONTACT_TIMES, WISHES, check_request, compose
from aktivsammen.submit.settings import Settings
from aktivsammen.submit.submission import SubmissionInvalid
from aktivsammen.templating import theme_environment
from tests.conftest import CONTENT
from tests.submit.conftest import EDITABLE, branches, free_port, make_settings, running, smtp_server

THEMES = Path(__file__).resolve().parents[2] / "themes" / "aktivsammen" / "templates"
PERSON = {
    "name": "Else Eksempel",
    "phone": "20 00 00 99",
    "email": "else.eksempel@example.dk",
    "contact_time": "formiddag",
    "wish": "foelges",
    "note": "Jeg går med rollator.",
}
VOCABULARIES = load_vocabularies(CONTENT / "data")
SECRETS = ("Else Eksempel", "20 00 00 99", "else.eksempel@example.dk", "rollator")


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def companion_settings(content_repo, tmp_path, smtp_port) -> Settings:
    return make_settings(content_repo, tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_port,
                         mail_from="AktivSammen <ikke-svar@example.dk>")  # fmt: skip


def ask(client: httpx.Client, **changes) -> httpx.Response:
    token = client.get("/api/formular").json()["token"]
    return client.post("/api/foelgeskab", json={"activity": EDITABLE, **PERSON, "token": token, **changes})


def stored_bytes(settings: Settings) -> bytes:
    """Everything the service has on disk next to its database (database, WAL, journal)."""
    folder = Path(settings.database).parent
    return b"".join(path.read_bytes() for path in folder.glob(Path(settings.database).name + "*"))


def test_a_request_is_sealed_then_delivered_once_to_the_areas_coordinators_and_deleted(
    companion_settings, smtp_port, content_repo, caplog
):
    caplog.set_level(logging.DEBUG)
    app = create_app(companion_settings)
    service = app.state.service
    with smtp_server(smtp_port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        key = "9b7f3c1e-2f0a-4c55-9a0e-0c1d2e3f4a5b"
        answer = ask(client, idempotency_key=key)
        assert answer.status_code == 202
        reference = answer.json()["reference"]
        assert re.fullmatch(r"FG-\d{5}", reference) and reference in answer.json()["message"]
        waiting = stored_bytes(companion_settings)
        assert not any(secret.encode() in waiting for secret in SECRETS)  # encrypted at rest
        assert [item.reference for item in service.outbox.waiting()] == [reference]

        assert service.mail_worker.run_once()
        assert ask(client, idempotency_key=key).json()["reference"] == reference  # a repeat: same request
        assert not service.mail_worker.run_once()  # ... and no second e-mail

    (recipients, message), *more = inbox.messages
    assert more == []
    assert recipients == ["faellesskab@vejle.dk"]  # the coordinators of the activity's area
    assert message["Subject"] == f"Ønske om følgeskab: Aftenklubben – for voksne med handicap ({reference})"
    assert message["Reply-To"] == "Else Eksempel <else.eksempel@example.dk>"
    body = message.get_content()
    assert "Navn:            Else Eksempel" in body and "Telefon:         20 00 00 99" in body
    assert "Bedst at ringe:  Formiddag" in body and "  Jeg går med rollator." in body
    assert "Vil gerne have en, der følger med første gang" in body
    # The coordinators read Danish time, whatever the server's own zone (UTC here).
    received = re.search(r"modtaget (\d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d)", body)[1]
    assert received in {danish_time(time.time() - seconds) for seconds in (0, 60)}
    # Delivered: nothing of it is left on disk, in Git, in the pull-request queue or in the logs.
    assert service.outbox.waiting() == []
    assert not any(secret.encode() in stored_bytes(companion_settings) for secret in SECRETS)
    assert service.store.all() == [] and branches(content_repo) == []
    # Every log but the test mail server's own (aiosmtpd logs what it receives, as a mail server may).
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name != "mail.log")
    assert reference in logged and not any(secret in logged for secret in SECRETS)


def test_delivery_is_retried_while_the_mail_server_is_down_and_nothing_is_lost(
    companion_settings, smtp_port, caplog, capsys
):
    app = create_app(companion_settings)
    service = app.state.service
    with running(app) as url, httpx.Client(base_url=url) as client:
        reference = ask(client).json()["reference"]
    for _ in range(3):  # nothing listens on the port
        service.outbox.database.connection().execute("UPDATE companion_requests SET next_attempt_at = 0")
        assert service.mail_worker.run_once()
    (waiting,) = service.outbox.waiting()
    assert waiting.reference == reference and waiting.attempts == 3
    with running(app) as url:  # monitoring sees that one waits, nothing more
        assert httpx.get(f"{url}/api/sundhed").json()["companion_requests_waiting"] == 1
    assert waiting.last_error == "ConnectionRefusedError"
    assert not any(secret in caplog.text for secret in SECRETS)
    # Editors see that it waits and why, never what it says.
    assert cli(["queue", "--database", str(companion_settings.database)]) == 0
    shown = capsys.readouterr().out
    assert f"{reference}  følgeskab, venter, modtaget " in shown
    assert "forsøg 3, sidste fejl: ConnectionRefusedError" in shown
    assert "E-mails, der ikke er afleveret (følgeskab, kvitteringer, fejlmeldinger): 1" in shown
    assert not any(secret in shown for secret in SECRETS)

    # The service is restarted (a new process, the same database and key) and the server is back.
    restarted = create_app(companion_settings).state.service
    with smtp_server(smtp_port) as inbox:
        restarted.outbox.database.connection().execute("UPDATE companion_requests SET next_attempt_at = 0")
        assert restarted.mail_worker.run_once()
    assert len(inbox.messages) == 1 and reference in inbox.messages[0][1]["Subject"]
    assert restarted.outbox.waiting() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "Else\r\nBcc: alle@example.dk"}, "name", "må kun være én linje uden linjeskift"),
        ({"email": "else@example.dk\nBcc: alle@example.dk"}, "email", "må kun være én linje"),
        ({"name": "Else\x85Bcc: alle@example.dk"}, "name", "må kun være én linje"),  # NEL
        ({"note": "Hej\u2028Bcc: alle@example.dk"}, "note", "indeholder tegn, der ikke kan sendes"),
        ({"email": "else@example.dk>, alle@example.dk"}, "email", "skal være en e-mailadresse"),
        ({"name": "E" * 101}, "name", "er for lang: 101 tegn (højst 100 tegn)"),
        ({"note": "x" * 501}, "note", "er for lang: 501 tegn (højst 500 tegn)"),
        ({"phone": "", "email": ""}, "phone", "skriv et telefonnummer eller en e-mailadresse"),
        ({"phone": "12"}, "phone", "skal være et telefonnummer med 8 cifre"),
        ({"name": " "}, "name", "skal udfyldes"),
        ({"wish": "noget-andet"}, "wish", "vælg en af mulighederne"),
        ({"activity": "../../etc/passwd"}, "activity", "aktiviteten findes ikke"),
    ],
)
def test_bad_input_is_refused_with_a_danish_message_and_nothing_is_kept(
    companion_settings, changes, field, message
):
    app = create_app(companion_settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        answer = ask(client, **changes)
    assert answer.status_code == 422
    assert answer.json()["errors"][field].startswith(message)
    assert app.state.service.outbox.waiting() == []


def static_activity_page(folder: Path) -> Path:
    """A built activity page with the empty companion form, as the build writes it."""
    site = folder / "site" / "aktivitet" / EDITABLE
    site.mkdir(parents=True)
    form = str(theme_environment(THEMES).get_template("components/companion.html").module.companion_form(
        EDITABLE, "", "/privatliv/"))  # fmt: skip
    shell = "<html lang='da'><head><title>Aftenklubben</title></head><body><main>"
    (site / "index.html").write_text(
        f"{shell}<!-- aktivitet --><h1>Aftenklubben</h1><p>Lang tekst</p>{form}<!-- /aktivitet -->"
        "</main></body></html>"
    )
    return folder / "site"


def test_the_form_works_without_javascript_and_sends_on_the_first_press(
    companion_settings, smtp_port, tmp_path
):
    settings = companion_settings.model_copy(update={"site_dir": static_activity_page(tmp_path)})
    app = create_app(settings)
    posted = {"activity": EDITABLE, **PERSON}
    with smtp_server(smtp_port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        # A mistake: a short page of its own, the errors first (focused), the values kept.
        broken = client.post("/foelgeskab/send", data={**posted, "name": ""})
        assert broken.status_code == 422
        main = broken.text.split("<!-- aktivitet -->")[1]
        assert main.index("as-error-summary") < main.index("<h1") and "Lang tekst" not in main
        assert re.search(r'class="as-error-summary"[^>]*autofocus', main)
        assert '<a href="#foelg-name">Dit navn: skal udfyldes</a>' in main
        assert 'aria-invalid="true"' in main and "rollator" in main
        assert "<title>Fejl: Følgeskab til" in broken.text
        assert '<a href="../../privatliv/">Læs mere om dine oplysninger</a>' in main
        assert f'<a href="../../aktivitet/{EDITABLE}/">Tilbage til ' in main
        # The static page had no token: the first correct press sends.
        receipt = client.post("/foelgeskab/send", data=posted)
        assert receipt.status_code == 200
        main = receipt.text.split("<!-- aktivitet -->")[1]
        assert "<form" not in main and main.index("data-receipt") < main.index("Hvad sker der nu?")
        assert re.search(r'<div class="as-panel" role="status" tabindex="-1" autofocus data-receipt>', main)
        reference = re.search(r"data-reference>(FG-\d{5})<", main)[1]
        assert app.state.service.mail_worker.run_once()
    assert [reference in message["Subject"] for _, message in inbox.messages] == [True]
    # Served together with the guide, the e-mail links to the activity's page there.
    assert f"Side:            {url}/aktivitet/{EDITABLE}/" in inbox.messages[0][1].get_content()


def test_a_flood_of_posts_without_a_token_needs_a_second_press_and_a_service_page_counts_fill_time(
    companion_settings, tmp_path
):
    settings = companion_settings.model_copy(
        update={
            "site_dir": static_activity_page(tmp_path),
            "unsigned_posts_per_hour": 2,
            "rate_limit": 50,
            "min_fill_seconds": 0.5,
        }
    )
    app = create_app(settings)
    posted = {"activity": EDITABLE, **PERSON}
    with running(app) as url, httpx.Client(base_url=url) as client:
        sent = [client.post("/foelgeskab/send", data={**posted, "name": f"Navn {n}"}) for n in range(3)]
        assert ["data-receipt" in answer.text for answer in sent] == [True, True, False]
        assert "tryk så på knappen igen" in sent[2].text and 'value="Navn 2"' in sent[2].text
        token = re.search(r'name="token" value="([^"]+)"', sent[2].text)[1]
        assert (
            "tryk så på knappen igen" in client.post("/foelgeskab/send", data={**posted, "token": token}).text
        )
        time.sleep(settings.min_fill_seconds)
        assert "data-receipt" in client.post("/foelgeskab/send", data={**posted, "token": token}).text
    assert len(app.state.service.outbox.waiting()) == 3


def test_a_filled_trap_is_flagged_never_dropped(companion_settings, smtp_port):
    app = create_app(companion_settings)
    with smtp_server(smtp_port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        assert ask(client, website="https://spam.example").status_code == 202
        assert app.state.service.mail_worker.run_once()
    assert inbox.messages[0][1]["Subject"].startswith("[Muligvis spam] Ønske om følgeskab")


def test_the_forms_choices_are_the_ones_the_service_accepts():
    html = str(theme_environment(THEMES).get_template("components/companion.html").module.companion_form(
        EDITABLE, "", "/privatliv/"))  # fmt: skip
    assert re.findall(r'name="wish" value="([^"]+)"', html) == list(WISHES)
    assert re.findall(r'name="contact_time" value="([^"]+)"', html) == list(CONTACT_TIMES)


def test_production_needs_a_key_and_encrypted_mail(content_repo, tmp_path):
    with pytest.raises(ValueError) as refused:
        make_settings(content_repo, tmp_path, environment="production", secret_key="k" * 40,
                      allowed_origins=["https://guide.example.dk"], smtp_host="smtp.example.dk")  # fmt: skip
    text = str(refused.value)
    assert "COMPANION_KEY" in text and "SMTP_TLS" in text and "MAIL_FROM" in text and "SITE_URL" in text
    ready = make_settings(
        content_repo, tmp_path, environment="production", secret_key="k" * 40,
        allowed_origins=["https://guide.example.dk"], smtp_host="smtp.example.dk", smtp_tls="starttls",
        mail_from="AktivSammen <ikke-svar@example.dk>", companion_key=Fernet.generate_key().decode(),
        site_url="https://guide.example.dk",
    )  # fmt: skip
    assert ready.environment == "production"


PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


@given(  # mostly plausible input (so most of it passes the check), with anything at all mixed in
    name=st.text(PRINTABLE, min_size=1, max_size=100).filter(str.strip)
    | st.text(st.sampled_from("Ab \r\n\x85\u2028\x00:"), max_size=20)
    | st.text(max_size=120),
    phone=st.from_regex(r"\A\+?[0-9][0-9 ]{7,14}\Z") | st.text(alphabet="0123456789 +-()\n\r", max_size=25),
    email=st.emails().map(str) | st.just("") | st.text(max_size=60),
    note=st.text(max_size=500) | st.text(max_size=600),
)
@hypothesis_settings(max_examples=300, deadline=None)
def test_whatever_is_typed_is_refused_clearly_or_becomes_a_well_formed_email(name, phone, email, note):
    """No input crashes the check, and what passes it can never add or bend a header of the e-mail."""
    activity = load_activity(CONTENT / "activities" / f"{EDITABLE}.yaml", VOCABULARIES).activity
    fields = {"name": name, "phone": phone, "email": email, "note": note}
    try:
        request = check_request(fields, activity, EDITABLE)
    except SubmissionInvalid as invalid:
        assert invalid.errors and set(invalid.errors) <= {"name", "phone", "email", "note"}
        event("refused")
        return
    event("accepted")
    message = compose(request, "FG-00001", vocabularies=VOCABULARIES, sender="AktivSammen <a@example.dk>",
                      recipient="faellesskab@vejle.dk", site_url="", received=datetime.now(UTC))  # fmt: skip
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert sorted(parsed.keys()) == sorted(message.keys())  # no header smuggled in
    assert parsed["To"] == "faellesskab@vejle.dk" and "Bcc" not in parsed
    assert request.name in parsed.get_content()


def test_the_mail_worker_survives_an_unexpected_error_and_delivers(companion_settings, smtp_port):
    app = create_app(companion_settings)
    service = app.state.service
    with running(app) as url, httpx.Client(base_url=url) as client:
        reference = ask(client).json()["reference"]
    lease_due, calls = service.outbox.lease_due, []

    def fails_once():
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return lease_due()

    service.outbox.lease_due = fails_once
    with smtp_server(smtp_port) as inbox:
        service.mail_worker.start()
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        service.mail_worker.stop()
    assert len(calls) >= 2 and [reference in message["Subject"] for _, message in inbox.messages] == [True]


def test_a_body_the_api_models_refuse_gets_the_same_danish_field_errors(companion_settings):
    app = create_app(companion_settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        too_long = ask(client, name="E" * 250)  # over any limit the API itself might set
        wrong_type = ask(client, wish=5)
        not_an_object = client.post("/api/foelgeskab", json=["Else"])
    assert too_long.status_code == 422
    assert too_long.json()["errors"]["name"] == "er for lang: 250 tegn (højst 100 tegn)"
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"] == {"wish": "skal være tekst (sæt evt. anførselstegn om værdien)"}
    assert wrong_type.json()["message"].startswith("Der er 1 fejl i formularen")
    assert not_an_object.status_code == 422 and list(not_an_object.json()["errors"]) == ["(hele filen)"]
