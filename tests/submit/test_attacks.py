"""The service against the attacks that were found on it, each over real sockets on 127.0.0.1:
tiny posts that ask for huge pages, forged proxy headers, slow clients, a forge folder that is not
a repository, spam traps that give themselves away, slug collisions, Markdown in pull requests,
undeliverable personal data, unsafe production settings."""

from __future__ import annotations

import re
import smtplib
import socket
import subprocess
import threading
import time

import httpx
import pytest
from cryptography.fernet import Fernet
from markdown_it import MarkdownIt

from aktivsammen.cli import main as cli
from aktivsammen.model import MAX_SLOTS
from aktivsammen.submit.app import create_app
from aktivsammen.submit.forges import ChangeRequest, ForgeRejected
from aktivsammen.submit.forges.local import LocalGitForge
from aktivsammen.submit.guards import RateLimiter
from aktivsammen.submit.outbox import EXPIRED, KEEP_UNDELIVERED_SECONDS, REFUSED
from aktivsammen.submit.settings import Settings, settings_problem
from aktivsammen.submit.store import State, Submission
from aktivsammen.submit.submission import pull_request_body
from aktivsammen.submit.worker import refused_for_good
from tests.submit.conftest import (
    NO_JS_FORM,
    activity_record,
    branches,
    free_port,
    git,
    make_settings,
    running,
)
from tests.submit.test_service import submit

# --- 1. Bounded rows and fields, rendering off the event loop -------------------------------------


def test_a_tiny_post_cannot_ask_for_a_huge_page(service):
    url, _ = service
    with httpx.Client(base_url=url, timeout=20) as client:
        times = {"trin": "tider", "handling": "opdater"}
        most = client.post("/indsend/trin", data={**NO_JS_FORM, **times, "rows": str(MAX_SLOTS)})
        for attack in ({**times, "rows": "20000"}, {**times, "handling": "tilfoej", "rows": "99999999999"},
                       {**times, "schedule[19999].note": "x"}, {**times, "handling": "fjern-99999999"},
                       {**times, f"schedule[{'9' * 5000}].note": "x"}):  # fmt: skip
            started = time.monotonic()
            answer = client.post("/indsend/trin", data=attack)
            assert answer.status_code in (200, 422)
            assert len(answer.content) <= len(most.content) * 1.2, attack
            assert time.monotonic() - started < 5
            shown = {int(row) for row in re.findall(r'name="schedule\[(\d+)\]\.', answer.text)}
            assert max(shown) < MAX_SLOTS


def test_a_slow_render_does_not_hold_up_other_requests(service):
    url, app = service
    pages = app.state.service.pages
    real_step = pages.flow_step

    def slow_step(*args, **kwargs):
        time.sleep(1.5)
        return real_step(*args, **kwargs)

    pages.flow_step = slow_step
    answered: list[float] = []
    with httpx.Client(base_url=url, timeout=20) as client:
        slow = threading.Thread(
            target=lambda: client.post("/indsend/trin", data={**NO_JS_FORM, "trin": "tider"})
        )
        slow.start()
        time.sleep(0.2)
        started = time.monotonic()
        assert httpx.get(f"{url}/api/sundhed").status_code == 200
        answered.append(time.monotonic() - started)
        slow.join()
    assert answered[0] < 0.5  # answered while the form was still rendering


def test_previews_have_their_own_rate_limit(content_repo, tmp_path):
    app = create_app(make_settings(content_repo, tmp_path, preview_rate_limit=3))
    with running(app) as url, httpx.Client(base_url=url) as client:
        codes = [
            client.post("/indsend/trin", data={**NO_JS_FORM, "trin": "tider"}).status_code for _ in range(4)
        ]
        api = client.post("/api/forhaandsvisning", json={"activity": activity_record()})
    assert codes == [200, 200, 200, 429]
    assert api.status_code == 429 and api.json()["message"].startswith("Du har sendt mange")


# --- 2. The local forge writes only into the folder it was given -----------------------------------


def one_file_change(reference: str, slug: str) -> ChangeRequest:
    return ChangeRequest(
        reference=reference, branch=f"indsendelse/{reference.lower()}-{slug}",
        path=f"content/activities/{slug}.yaml", content=f"title: {slug}\n",
        commit_message=slug, title=slug, body=slug,
    )  # fmt: skip


def test_the_local_forge_refuses_a_folder_that_is_not_itself_a_work_tree(content_repo):
    inside = content_repo / "content"  # no .git of its own: Git would find the enclosing repository
    change = one_file_change("AS-00001", "x")
    with pytest.raises(ForgeRejected, match="not a Git repository of its own"):
        LocalGitForge(inside).open_change(change)
    assert branches(content_repo) == []
    assert not (content_repo / ".git" / "aktivsammen").exists()
    LocalGitForge(content_repo).open_change(change)  # its own work tree: fine
    assert branches(content_repo) == ["indsendelse/as-00001-x"]


def test_the_local_forge_works_with_a_bare_repository(content_repo, tmp_path):
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(content_repo), str(bare)], check=True)
    change = one_file_change("AS-00002", "y")
    LocalGitForge(bare).open_change(change)
    assert "indsendelse/as-00002-y" in git(bare, "branch", "--format=%(refname:short)")


# --- 3. Only the proxy's own hop of X-Forwarded-For counts -----------------------------------------


def test_a_forged_forwarded_for_does_not_get_round_the_rate_limit(content_repo, tmp_path):
    app = create_app(make_settings(content_repo, tmp_path, rate_limit=10, trust_proxy_headers=True))
    with running(app) as url, httpx.Client(base_url=url) as client:
        codes = []
        for number in range(15):
            # nginx appends the address it saw: whatever the client put in front is its own invention
            forwarded = {"x-forwarded-for": f"10.0.{number}.1, 203.0.113.7"}
            body = {"activity": activity_record(title=f"Klub nummer {number}"), "consent": True,
                    "token": client.get("/api/formular").json()["token"]}  # fmt: skip
            codes.append(client.post("/api/indsendelser", json=body, headers=forwarded).status_code)
    assert codes.count(202) == 10 and codes.count(429) == 5


def test_the_rate_limiter_forgets_and_stays_bounded():
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, max_addresses=100, clock=lambda: now[0])
    for number in range(10_000):
        assert limiter.allow(f"198.51.{number // 256}.{number % 256}")
        assert len(limiter.hits) <= 100
    assert limiter.allow("192.0.2.1") and limiter.allow("192.0.2.1") and not limiter.allow("192.0.2.1")
    now[0] += 61
    assert limiter.allow("192.0.2.99")
    assert list(limiter.hits) == ["192.0.2.99"]  # everyone whose window has passed is forgotten
    assert limiter.allow("192.0.2.1")


# --- 4. Slow and many clients ------------------------------------------------------------------------


def test_slow_clients_are_cut_off_and_many_cannot_exhaust_the_service(content_repo, tmp_path):
    settings = make_settings(content_repo, tmp_path, max_connections=50, request_timeout_seconds=1.0)
    app = create_app(settings)
    with running(app, guarded=settings) as url:
        port = int(url.rsplit(":", 1)[1])
        sockets = []
        for _ in range(300):  # each sends the start of a request and then nothing
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"POST /indsend/send HTTP/1.1\r\nHost: x\r\n")
            sockets.append(sock)
        time.sleep(0.3)
        closed_at_once = sum(_closed(sock, 0.01) for sock in sockets)
        assert closed_at_once >= 250  # only max_connections are kept open
        time.sleep(1.5)
        assert all(_closed(sock, 0.5) for sock in sockets)  # the rest are cut off after the deadline
        trickle = socket.create_connection(("127.0.0.1", port))
        started = time.monotonic()
        for byte in b"GET /api/sundhed HTTP/1.1\r\nHost: x\r\n":  # one byte every 0.1 s: too slow
            try:
                trickle.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.1)
        assert _closed(trickle, 2.0) and time.monotonic() - started < 4
        assert httpx.get(f"{url}/api/sundhed", timeout=5).status_code == 200  # and it still answers
        for sock in [*sockets, trickle]:
            sock.close()


def _closed(sock: socket.socket, wait: float) -> bool:
    sock.settimeout(wait)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


# --- 7 and 8. Settings ---------------------------------------------------------------------------------


def production(**changes) -> dict:
    return {
        "environment": "production", "secret_key": "k" * 40, "allowed_origins": ["https://guide.example.dk"],
        "smtp_host": "smtp.example.dk", "smtp_tls": "starttls", "mail_from": "Guide <ikke-svar@example.dk>",
        "companion_key": Fernet.generate_key().decode(), "site_url": "https://guide.example.dk", **changes,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"companion_key": ""}, "COMPANION_KEY skal være sat"),
        ({"companion_key": "ikke-en-noegle"}, "COMPANION_KEY er ikke en gyldig Fernet-nøgle"),
        ({"allowed_origins": ["null"]}, "'null' er ikke en https-adresse"),
        (
            {"allowed_origins": ["http://guide.example.dk"]},
            "'http://guide.example.dk' er ikke en https-adresse",
        ),
        ({"allowed_origins": ["https://guide.example.dk/sti"]}, "er ikke en https-adresse uden sti"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, change, named):
    with pytest.raises(ValueError) as refused:
        Settings(database=tmp_path / "q.db", **production(**change))
    assert named in settings_problem(refused.value)
    Settings(database=tmp_path / "q.db", **production())  # the same without the change is accepted


def test_origins_can_be_written_as_in_any_environment_file(monkeypatch):
    monkeypatch.setenv(
        "AKTIVSAMMEN_SUBMIT_ALLOWED_ORIGINS", "https://guide.example.dk, https://vejle.example.dk/"
    )
    assert Settings().allowed_origins == ["https://guide.example.dk", "https://vejle.example.dk"]
    monkeypatch.setenv("AKTIVSAMMEN_SUBMIT_ALLOWED_ORIGINS", '["https://guide.example.dk"]')
    assert Settings().allowed_origins == ["https://guide.example.dk"]


def test_serve_says_what_is_wrong_before_it_claims_to_run(monkeypatch, tmp_path, capsys):
    for name, value in production(
        companion_key="ikke-en-noegle", allowed_origins="https://guide.example.dk"
    ).items():
        monkeypatch.setenv(f"AKTIVSAMMEN_SUBMIT_{name.upper()}", str(value))
    monkeypatch.setenv("AKTIVSAMMEN_SUBMIT_DATABASE", str(tmp_path / "q.db"))
    assert cli(["serve"]) == 2
    shown = capsys.readouterr()
    assert "kører på" not in shown.out
    assert "Tjenesten kan ikke starte" in shown.err and "Fernet-nøgle" in shown.err
    assert "Traceback" not in shown.err and "pydantic" not in shown.err


def test_serve_takes_the_content_folder_from_the_environment(monkeypatch, tmp_path, content_repo):
    started = []
    monkeypatch.setattr("uvicorn.Server.run", lambda server: started.append(server.config))
    monkeypatch.setenv("AKTIVSAMMEN_SUBMIT_CONTENT_DIR", str(content_repo / "content"))
    monkeypatch.setenv("AKTIVSAMMEN_SUBMIT_DATABASE", str(tmp_path / "q.db"))
    monkeypatch.chdir(tmp_path)  # no content/ here: only the environment says where it is
    assert cli(["serve"]) == 0
    (config,) = started
    assert config.app.state.service.settings.content_dir == content_repo / "content"
    assert config.limit_concurrency and config.timeout_keep_alive <= 5
    assert cli(["--content", str(content_repo / "content"), "serve"]) == 0  # the option still wins


# --- 9. Companion requests that cannot be delivered ---------------------------------------------------


class Refusing:
    """An aiosmtpd handler that refuses every recipient for good, as a server does for a bad mailbox."""

    async def handle_RCPT(self, server, session, envelope, address, options):
        return "550 5.1.1 Mailbox unavailable"


def test_a_permanently_refused_request_stops_and_expires_with_a_clear_state(content_repo, tmp_path, capsys):
    from aiosmtpd.controller import Controller

    port = free_port()
    settings = make_settings(content_repo, tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                             mail_from="AktivSammen <ikke-svar@example.dk>")  # fmt: skip
    app = create_app(settings)
    service = app.state.service
    with running(app) as url, httpx.Client(base_url=url) as client:
        from tests.submit.test_companion import ask

        reference = ask(client).json()["reference"]
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert service.mail_worker.run_once()
        service.outbox.database.connection().execute("UPDATE companion_requests SET next_attempt_at = 0")
        assert not service.mail_worker.run_once()  # not tried again: the server said no for good
    finally:
        controller.stop()
    (refused,) = service.outbox.given_up()
    assert refused.reference == reference and refused.outcome == REFUSED and refused.attempts == 1
    assert service.outbox.waiting() == []
    with running(app) as url:
        health = httpx.get(f"{url}/api/sundhed").json()
    assert health["companion_requests_waiting"] == 0 and health["companion_requests_given_up"] == 1
    assert cli(["queue", "--database", str(settings.database)]) == 0
    shown = capsys.readouterr().out
    assert f"{reference}  følgeskab, afvist af mailserveren" in shown and "--retry FG-" in shown
    # An editor fixed the mail set-up: it may be sent again while it is still kept.
    assert cli(["queue", "--database", str(settings.database), "--retry", reference]) == 0
    assert [item.reference for item in service.outbox.waiting()] == [reference]
    # A week after it came, whatever was not delivered is deleted unread.
    service.outbox.database.connection().execute(
        "UPDATE companion_requests SET received_at = received_at - ?", (KEEP_UNDELIVERED_SECONDS + 1,)
    )
    service.outbox.expire()
    (expired,) = service.outbox.given_up()
    assert expired.outcome == EXPIRED
    sealed = service.outbox.database.connection().execute("SELECT sealed FROM companion_requests").fetchall()
    assert sealed == [(None,)]
    assert cli(["queue", "--database", str(settings.database)]) == 0
    assert "udløbet, slettet uden at være sendt" in capsys.readouterr().out
    assert cli(["queue", "--database", str(settings.database), "--retry", reference]) == 1


def test_only_refusals_about_the_recipient_are_final():
    assert refused_for_good(smtplib.SMTPRecipientsRefused({"a@example.dk": (550, b"no")}))
    assert not refused_for_good(smtplib.SMTPRecipientsRefused({"a@example.dk": (451, b"later")}))
    assert refused_for_good(smtplib.SMTPDataError(554, b"rejected"))
    assert not refused_for_good(smtplib.SMTPAuthenticationError(535, b"bad password"))  # our set-up
    assert not refused_for_good(smtplib.SMTPSenderRefused(550, b"relay", "x@example.dk"))
    assert not refused_for_good(ConnectionRefusedError())


def test_an_old_database_gets_the_new_column(content_repo, tmp_path):
    import sqlite3

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE companion_requests (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                   " idempotency_hash TEXT NOT NULL UNIQUE, received_at REAL NOT NULL, sealed BLOB,"
                   " attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL,"
                   " lease_until REAL NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',"
                   " delivered_at REAL)")  # fmt: skip
        db.execute("INSERT INTO companion_requests (idempotency_hash, received_at, sealed, next_attempt_at)"
                   " VALUES ('h', 1, x'00', 0)")  # fmt: skip
    service = create_app(make_settings(content_repo, tmp_path, database=old)).state.service
    assert [item.outcome for item in service.outbox.waiting()] == [""]


# --- 10, 11. The trap stays hidden; slugs stay unique across the queue ------------------------------


def test_the_spam_trap_cannot_be_told_from_a_normal_receipt(service):
    url, app = service
    with httpx.Client(base_url=url) as client:
        normal = submit(client, activity_record(title="Klub et")).json()
        trapped = submit(client, activity_record(title="Klub to"), website="https://spam.example").json()
        assert app.state.service.store.get(trapped["reference"]).state is State.HELD  # held, as before
        assert trapped["state"] == normal["state"] == "modtaget"
        assert trapped["message"].replace(trapped["reference"], "") == normal["message"].replace(
            normal["reference"], ""
        )
        statuses = [client.get(f"/api/indsendelser/{r['reference']}").json() for r in (normal, trapped)]
        assert statuses[0]["state"] == statuses[1]["state"] and statuses[0]["label"] == statuses[1]["label"]


def test_two_pending_activities_of_the_same_name_get_different_files(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        first = submit(client, activity_record(title="Sangglade seniorer"), note="Den ene").json()
        second = submit(client, activity_record(title="Sangglade seniorer"), note="Den anden").json()
    store = app.state.service.store
    slugs = [store.get(receipt["reference"]).slug for receipt in (first, second)]
    assert slugs == ["sangglade-seniorer", "sangglade-seniorer-2"]
    while app.state.service.worker.run_once():
        pass
    files = {
        git(content_repo, "diff", "--name-only", f"main...{branch}") for branch in branches(content_repo)
    }
    assert files == {
        "content/activities/sangglade-seniorer.yaml",
        "content/activities/sangglade-seniorer-2.yaml",
    }


# --- 12. The pull request shows what was written, never acts on it ------------------------------------

HOSTILE = (
    "@octocat Fixes #1 ![x](https://evil.example/x.png) [klik](https://evil.example) <b>fed</b> `kode` | rør"
)


def test_submitter_text_in_the_pull_request_is_shown_as_code():
    submission = Submission(
        id=9, idempotency_key="k", received_at="2026-12-01 10:00", kind="ny", slug="x", title=HOSTILE,
        yaml="", note=f"Hej\n{HOSTILE}\n````\n# Overskrift\n", state=State.RECEIVED, attempts=0,
        next_attempt_at=0, last_error="", pr_number=None, pr_url="", updated_at="",
    )  # fmt: skip
    body = pull_request_body(
        submission, {"title": HOSTILE, "summary": "`a` ``b``"}, "content/activities/x.yaml"
    )
    html = MarkdownIt("commonmark").enable("table").render(body)
    assert "<a " not in html and "<img" not in html and "<b>" not in html and "<h1" not in html
    outside_code = re.sub(r"<code>.*?</code>|<pre>.*?</pre>", "", html, flags=re.S)
    for word in ("@octocat", "Fixes #1", "evil.example", "Overskrift"):
        assert word not in outside_code and word in html
    assert html.count("<tr>") == 1 + 2  # header and two rows: the pipe did not split a cell
    assert "`kode` | rør" in html.replace("&lt;", "<").replace("&gt;", ">")  # shown exactly as written


# --- 13. Answers for what the routes do not take; nothing extra in production ------------------------


def test_unreadable_bodies_and_wrong_methods_get_documented_danish_answers(content_repo, tmp_path):
    site = tmp_path / "site"  # a site served alongside, as `make serve` does: it must not answer 404
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    app = create_app(make_settings(content_repo, tmp_path, site_dir=site))
    json_type = {"content-type": "application/json"}
    with running(app) as url, httpx.Client(base_url=url) as client:
        not_utf8 = client.post("/api/indsendelser", content=b'{"activity": "\xff\xfe"}', headers=json_type)
        nested = client.post("/api/indsendelser", content=b'{"activity":' + b"[" * 5000 + b"]" * 5000 + b"}",
                             headers=json_type)  # fmt: skip
        for answer in (not_utf8, nested):
            assert answer.status_code in (400, 422)
            assert answer.json()["message"] and "error" not in answer.text.lower().replace("errors", "")
        for path in ("/foelgeskab/send", "/api/indsendelser", "/api/foelgeskab"):
            wrong = client.get(path)
            assert wrong.status_code == 405 and wrong.headers["allow"] == "POST", path
            assert wrong.json()["message"].startswith("Denne adresse")
        assert client.get("/").status_code == 200  # the site itself is still served
        documented = client.get("/openapi.json").json()["paths"]
        for path in ("/api/indsendelser", "/api/foelgeskab", "/api/forhaandsvisning"):
            assert {"400", "413", "422", "429"} <= set(documented[path]["post"]["responses"]), path
        page = client.get("/indsend/ret", params={"aktivitet": "findes-ikke"})
    assert page.status_code == 404
    policy = page.headers["content-security-policy"]
    assert (
        "default-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
        and "'unsafe-inline'" not in policy
    )
    for name in ("x-content-type-options", "referrer-policy", "x-frame-options"):
        assert page.headers[name]
    assert page.headers["cache-control"] == "no-store"


def test_production_does_not_publish_the_api_description(content_repo, tmp_path):
    settings = make_settings(content_repo, tmp_path, **production(database=tmp_path / "q.db"))
    app = create_app(settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(path).status_code == 404, path
        assert client.get("/api/sundhed").status_code == 200
    development = create_app(make_settings(content_repo, tmp_path, database=tmp_path / "d.db"))
    with running(development) as url:
        assert httpx.get(f"{url}/openapi.json").status_code == 200


# --- 6. Control characters are refused on every way in -------------------------------------------------


@pytest.mark.parametrize("char", ["\r", "\x00", "\u2028"])
def test_control_characters_in_a_submission_are_field_errors(service, char):
    url, app = service
    with httpx.Client(base_url=url) as client:
        record = activity_record(title=f"Gåklub{char}X-WR-CALNAME:Falsk")
        record["location"] = {**record["location"], "name": f"Hu{char}set"}
        answer = submit(client, record)
        form = client.post(
            "/indsend/trin", data={**NO_JS_FORM, "trin": "kontakt", "organizer.name": f"Give{char}Strik"}
        )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"title", "location.name"}
    assert form.status_code == 422 and 'href="#felt-organizer-name"' in form.text
    assert app.state.service.store.all() == []


# --- 15. validate from another folder ------------------------------------------------------------------


def test_validate_from_another_folder_says_where_the_content_is_missing(
    tmp_path, monkeypatch, capsys, content_repo
):
    monkeypatch.chdir(tmp_path)
    assert cli(["validate"]) == 1
    error = capsys.readouterr().err
    assert f"Mappen med indhold findes ikke: {tmp_path / 'content'}" in error and "--content" in error
    named = content_repo / "content" / "activities" / "aftenklub-for-voksne-med-handicap.yaml"
    assert cli(["validate", str(named)]) == 0  # the folder the file is in is the content
    assert "Alt i orden: 1 aktiviteter" in capsys.readouterr().out
