"""The freshness loop for real: `aktivsammen stale --send` (a dry run, then --confirm) puts signed,
expiring links in the service's outbox, a real SMTP server gets them, the link opens "Ret
oplysninger" with the contact filled in, one press confirms, and nobody is asked twice in N days."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from aktivsammen.cli import main as cli
from aktivsammen.model import danish_today
from aktivsammen.schedule import danish_date
from aktivsammen.submit.app import create_app
from aktivsammen.submit.flow_pages import EXPIRED_LINK, INVITED_NOTE
from aktivsammen.submit.forges.local import LocalGitForge
from aktivsammen.submit.reminders import LINK_DAYS, InviteLinks
from tests.submit.conftest import EDITABLE, free_port, make_settings, running, smtp_server
from tests.submit.test_service import press

TODAY = danish_today()  # the service checks a link's last day against today
STALE_EMAIL = "kontakt-gammel@example.dk"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def stale_repo(content_repo):
    """The guide's content with one activity last confirmed two years ago, with an e-mail contact,
    and one without an e-mail."""
    folder = content_repo / "content" / "activities"
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["verified"] < TODAY - timedelta(days=300):
            fresh = path.read_text(encoding="utf-8").replace(
                f"verified: {data['verified']}", f"verified: {TODAY}"
            )
            path.write_text(fresh, encoding="utf-8")
    path = folder / f"{EDITABLE}.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    text = re.sub(r"verified: \S+", "verified: 2024-11-01", text)
    if data["contact"].get("email"):
        text = text.replace(data["contact"]["email"], STALE_EMAIL)
    else:
        text = text.replace("contact:\n", f"contact:\n  email: {STALE_EMAIL}\n")
    path.write_text(text, encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["contact"]["email"] == STALE_EMAIL
    other = next(p for p in sorted(folder.glob("*.yaml")) if p != path)
    data = yaml.safe_load(other.read_text(encoding="utf-8"))
    lines = [
        line for line in other.read_text(encoding="utf-8").splitlines() if not line.startswith("  email:")
    ]
    other.write_text(
        re.sub(r"verified: \S+", "verified: 2024-06-01", "\n".join(lines) + "\n"), encoding="utf-8"
    )
    return content_repo, other.stem


def remind(repo, database, capsys, *extra: str, today: date = TODAY) -> str:
    argv = ["--content", str(repo / "content"), "stale", "--send", "--database", str(database),
            "--site-url", "https://guide.example.dk", "--today", today.isoformat(), *extra]  # fmt: skip
    assert cli(argv) == 0
    return capsys.readouterr().out


def test_stale_send_is_a_dry_run_then_sends_once_and_the_link_confirms_in_one_press(
    stale_repo, tmp_path, smtp_port, capsys
):
    repo, without_email = stale_repo
    settings = make_settings(repo, tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_port,
                             site_url="https://guide.example.dk")  # fmt: skip
    dry = remind(repo, settings.database, capsys)
    assert "- sendes: Aftenklubben – for voksne med handicap" in dry and f"til {STALE_EMAIL}" in dry
    assert "- ingen e-mail: " in dry and f"{without_email}.yaml" in dry and "ring i stedet" in dry
    assert "Prøvekørsel: intet er sendt. 1 ville få en e-mail." in dry
    app = create_app(settings)
    assert app.state.service.outbox.waiting() == []
    sent = remind(repo, settings.database, capsys, "--confirm")
    assert "1 e-mails lagt i tjenestens udbakke (FG-" in sent
    again = remind(repo, settings.database, capsys, "--confirm")  # the same day: asked already
    assert (
        "- spurgt for nylig: Aftenklubben" in again
        and f"igen tidligst {danish_date(TODAY + timedelta(days=30))}" in again
    )
    assert "0 e-mails lagt" in again
    with smtp_server(smtp_port) as inbox, running(app) as url, httpx.Client(base_url=url) as client:
        while app.state.service.mail_worker.run_once():
            pass
        ((envelope, reminder),) = inbox.messages
        assert envelope == [STALE_EMAIL]
        assert reminder["Subject"] == "Står Aftenklubben – for voksne med handicap stadig rigtigt på guiden?"
        body = reminder.get_content()
        assert "sidst bekræftet 1. november 2024" in body and f"virker i {LINK_DAYS} dage" in body
        link = re.search(r"https://guide\.example\.dk/indsend/ret\?\S+", body)[0]
        query = parse_qs(urlsplit(link).query)
        assert query["aktivitet"] == [EDITABLE] and STALE_EMAIL not in link  # the address is not in it
        assert query["gyldig"] == [(TODAY + timedelta(days=LINK_DAYS)).isoformat()]
        page = client.get(urlsplit(link).path + "?" + urlsplit(link).query).text
        assert "Ret oplysninger om Aftenklubben" in page and EXPIRED_LINK not in page
        assert f'name="submitter.email" value="{STALE_EMAIL}"' in page  # the contact is the sender
        assert 'name="invitation"' in page
        receipt = press(client, page, "bekraeft")
        assert receipt.status_code == 200 and "Tak, vi har fået besked" in receipt.text
        assert f"Vi sender en kvittering til {STALE_EMAIL}" in receipt.text
    app.state.service.worker.run_once()
    (record,) = LocalGitForge(repo).records()
    assert INVITED_NOTE in record["body"]
    (stored,) = app.state.service.store.all()
    assert STALE_EMAIL in stored.submitter
    later = remind(repo, settings.database, capsys, today=TODAY + timedelta(days=31))
    assert "- sendes: Aftenklubben" in later  # a month on, it may be asked again (if still stale)


@pytest.mark.parametrize("what", ["tampered", "expired", "old-address"])
def test_a_bad_or_old_link_still_opens_the_page_without_the_contact(stale_repo, tmp_path, what):
    repo, _ = stale_repo
    settings = make_settings(repo, tmp_path)
    app = create_app(settings)
    links: InviteLinks = app.state.service.links
    email = STALE_EMAIL if what != "old-address" else "tidligere@example.dk"
    today = date.today() - timedelta(days=LINK_DAYS + 1) if what == "expired" else date.today()
    link = urlsplit(links.link("", EDITABLE, email, today))
    query = link.query.replace("signatur=", "signatur=0") if what == "tampered" else link.query
    with running(app) as url, httpx.Client(base_url=url) as client:
        page = client.get(f"{link.path}?{query}").text
        assert "Ret oplysninger om Aftenklubben" in page and EXPIRED_LINK in page
        assert 'name="invitation"' not in page and 'name="submitter.email" value="' not in page
        receipt = press(client, page, "bekraeft")  # "Alt passer stadig" still works, without a sender
        assert "Tak, vi har fået besked" in receipt.text
    app.state.service.worker.run_once()
    assert INVITED_NOTE not in LocalGitForge(repo).records()[0]["body"]


def test_a_link_is_signed_for_one_activity_one_address_and_a_last_day():
    links = InviteLinks(b"k" * 32)
    day = date(2026, 12, 4)
    signature = links.signature("a", "x@example.dk", day)
    assert links.valid("a", "X@example.dk ", day.isoformat(), signature, day)  # as the file writes it
    assert not links.valid("b", "x@example.dk", day.isoformat(), signature, day)
    assert not links.valid("a", "y@example.dk", day.isoformat(), signature, day)
    assert not links.valid("a", "x@example.dk", day.isoformat(), signature, day + timedelta(days=1))
    assert not links.valid("a", "x@example.dk", "2026-13-01", signature, day)
    assert not links.valid("a", "", day.isoformat(), links.signature("a", "", day), day)
    assert not InviteLinks(b"o" * 32).valid("a", "x@example.dk", day.isoformat(), signature, day)
