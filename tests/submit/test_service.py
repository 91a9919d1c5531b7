"""The submission service over real HTTP: receipts, Danish field errors, abuse guards, the no-JS
form, edits, and every accepted submission ending as exactly one branch in a real Git repository."""

from __future__ import annotations

import json
import re
import uuid
from html.parser import HTMLParser

import httpx
import pytest
import yaml

from aktivsammen.loading import dump_activity, load_activity, load_vocabularies
from aktivsammen.submit.app import create_app
from aktivsammen.submit.forges.local import LocalGitForge
from aktivsammen.submit.store import State, Submission
from aktivsammen.submit.submission import change_request
from tests.submit.conftest import (
    EDITABLE,
    NO_JS_FORM,
    activity_record,
    branch_files,
    branches,
    git,
    jsonable,
    make_settings,
    running,
)


def token(client: httpx.Client) -> str:
    return client.get("/api/formular").json()["token"]


def submit(client: httpx.Client, record: dict, **extra) -> httpx.Response:
    body = {"activity": record, "consent": True, "token": token(client), **extra}
    return client.post("/api/indsendelser", json=body)


def test_a_submission_gets_a_receipt_and_becomes_one_branch_with_one_file(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        answer = submit(client, activity_record(title="Gåklub på Æblevej"), note="Vi er nye.")
    assert answer.status_code == 202
    receipt = answer.json()
    assert re.fullmatch(r"AS-\d{5}", receipt["reference"])
    assert receipt["reference"] in receipt["message"]
    stored = app.state.service.store.get(receipt["reference"])
    assert stored.state is State.RECEIVED  # stored before any forge work
    assert branches(content_repo) == []

    assert app.state.service.worker.run_once()
    (branch,) = branches(content_repo)
    assert branch == f"indsendelse/{receipt['reference'].lower()}-gaaklub-paa-aeblevej"
    assert branch_files(content_repo, branch) == ["content/activities/gaaklub-paa-aeblevej.yaml"]
    text = git(content_repo, "show", f"{branch}:content/activities/gaaklub-paa-aeblevej.yaml")
    assert yaml.safe_load(text)["title"] == "Gåklub på Æblevej"
    # The file is valid for the build, byte for byte what the model's canonical dump gives.
    path = content_repo / "check" / "gaaklub-paa-aeblevej.yaml"
    path.parent.mkdir()
    path.write_text(text + "\n", encoding="utf-8")
    loaded = load_activity(path, load_vocabularies(content_repo / "content" / "data"))
    assert text + "\n" == dump_activity(loaded.activity)
    assert git(content_repo, "status", "--porcelain", "--untracked-files=no") == ""  # worktree untouched
    (record,) = LocalGitForge(content_repo).records()
    assert record["head"] == branch and record["labels"] == ["indsendelse"]
    assert "| `title` | ` Gåklub på Æblevej ` |" in record["body"] and "Vi er nye." in record["body"]
    assert app.state.service.store.get(receipt["reference"]).state is State.OPENED


def test_field_errors_are_danish_per_field_and_nothing_is_stored(service):
    url, app = service
    record = activity_record(title="", area="mars")
    record["schedule"] = [{"repeat": "ugentlig", "days": ["tirsdag"], "start": "11:00", "end": "10:00"}]
    with httpx.Client(base_url=url) as client:
        answer = client.post("/api/indsendelser", json={"activity": record, "token": token(client)})
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert errors["title"] == "må ikke være tom"
    assert errors["area"].startswith("'mars' er ikke et kendt lokalområde (tilladt: vejle-midtby")
    assert errors["schedule[0]"].startswith("sluttid 10:00 ligger ikke efter starttid 11:00")
    assert errors["consent"].startswith("sæt kryds")
    assert app.state.service.store.all() == []


def test_a_repeated_post_gives_the_same_receipt_and_one_pull_request(service, content_repo):
    url, app = service
    key = str(uuid.uuid4())
    with httpx.Client(base_url=url) as client:
        first = submit(client, activity_record(), idempotency_key=key).json()
        again = submit(client, activity_record(), idempotency_key=key).json()
        # Without a key, the same content is recognised too (a double click with JavaScript off).
        third = submit(client, activity_record(title="Anden klub")).json()
        fourth = submit(client, activity_record(title="Anden klub")).json()
    assert first["reference"] == again["reference"]
    assert third["reference"] == fourth["reference"] != first["reference"]
    worker = app.state.service.worker
    while worker.run_once():
        pass
    assert len(branches(content_repo)) == 2
    assert len(LocalGitForge(content_repo).records()) == 2


def test_names_come_from_the_service_never_from_the_client(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        # The first names a real file through a path, the last differs only in case:
        # only the slug check stops them.
        for edit in (f"../activities/{EDITABLE}", "findes-ikke", EDITABLE.upper()):
            answer = submit(client, activity_record(), edit=edit, note="x")
            assert answer.status_code == 422, edit
            assert "findes ikke" in answer.json()["errors"]["edit"]
        # A title that would be an awkward path becomes a plain slug.
        answer = submit(client, activity_record(title="../../ Hemmelig/fil .yaml"))
    assert answer.status_code == 202
    while app.state.service.worker.run_once():
        pass
    for branch in branches(content_repo):
        (changed,) = branch_files(content_repo, branch)
        assert re.fullmatch(r"content/activities/[a-z0-9-]+\.yaml", changed)
    assert "content/activities/hemmelig-fil-yaml.yaml" in [
        branch_files(content_repo, branch)[0] for branch in branches(content_repo)
    ]


def test_an_edit_changes_that_activity_file_only(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        page = client.get("/indsend/ret", params={"aktivitet": EDITABLE})
        assert page.status_code == 200
        assert 'value="Aftenklubben – for voksne med handicap"' in page.text
        assert client.get("/indsend/ret", params={"aktivitet": "findes-ikke"}).status_code == 404
        current = yaml.safe_load((content_repo / "content" / "activities" / f"{EDITABLE}.yaml").read_text())
        current.pop("verified")
        record = jsonable(current)
        record["summary"] = "Vi spiser sammen og danser hver anden torsdag."
        assert submit(client, record, edit=EDITABLE).status_code == 202
    app.state.service.worker.run_once()
    (branch,) = branches(content_repo)
    assert branch_files(content_repo, branch) == [f"content/activities/{EDITABLE}.yaml"]
    diff = git(content_repo, "diff", f"main...{branch}")
    assert "+summary: Vi spiser sammen og danser hver anden torsdag." in diff
    assert "Rettelse: Aftenklubben" in LocalGitForge(content_repo).records()[0]["title"]


def assert_only_verified_changed(content_repo) -> None:
    """The one pull request's change is the confirmation date, nothing else."""
    (branch,) = branches(content_repo)
    changed = [
        line
        for line in git(content_repo, "diff", "--unified=0", f"main...{branch}").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert [line.split(":")[0] for line in changed] == ["-verified", "+verified"], "\n".join(changed)


class FormControls(HTMLParser):
    """The pairs a browser without JavaScript posts for a form: every named control with its value."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.pairs.append((name, ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.pairs.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea:
            self.pairs[-1] = (self._textarea, self.pairs[-1][1] + data)

    def handle_endtag(self, tag):
        self._textarea = None if tag == "textarea" else self._textarea
        self._select = None if tag == "select" else self._select


def post_form(client: httpx.Client, pairs: list[tuple[str, str]]) -> httpx.Response:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return client.post("/indsend/trin", data=data)


def form_pairs(page: str) -> list[tuple[str, str]]:
    """What the flow's page posts without JavaScript (its buttons aside)."""
    parser = FormControls()
    parser.feed(re.search(r"<form [^>]*data-flow-form.*?</form>", page, re.S)[0])
    return parser.pairs


def press(client: httpx.Client, page: str, handling: str, **answers: str) -> httpx.Response:
    """Press a button on a flow page: its fields as shown, some answers typed over."""
    typed = {name.replace("__", "."): value for name, value in answers.items()}
    pairs = [(name, value) for name, value in form_pairs(page) if name not in typed]
    return post_form(client, [*pairs, *typed.items(), ("handling", handling)])


def send_edit(client: httpx.Client, page: str, **answers: str) -> httpx.Response:
    """From "Ret oplysninger": say who you are on "Om dig", then send from "Tjek dine svar"."""
    mine = press(client, page, "ret-dig")
    assert "Om dig, der sender" in mine.text
    check = press(
        client,
        mine.text,
        "fortsaet",
        submitter__name="Hanne Eksempel",
        submitter__phone="75 00 00 00",
        **answers,
    )
    assert check.status_code == 200, re.findall(r'class="as-error-summary__list".*?</ul>', check.text, re.S)
    return press(client, check.text, "send", consent="ja")


def test_an_unchanged_edit_without_javascript_changes_only_the_confirmation_date(service, content_repo):
    """The flow carries everything in the file (special dates, closures, the notes it never shows):
    sent back as it is, the pull request changes nothing but `verified`."""
    url, app = service
    path = content_repo / "content" / "activities" / f"{EDITABLE}.yaml"
    current = yaml.safe_load(path.read_text())
    assert current["special_dates"] and current["closed"]
    with httpx.Client(base_url=url) as client:
        page = client.get("/indsend/ret", params={"aktivitet": EDITABLE}).text
        assert 'name="special_dates[0].date" value="17.12.2026"' in page  # carried, in Danish
        receipt = send_edit(client, page)
        assert receipt.status_code == 200 and "data-reference" in receipt.text
    app.state.service.worker.run_once()
    assert_only_verified_changed(content_repo)


def test_everything_still_right_is_one_press(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        page = client.get("/indsend/ret", params={"aktivitet": EDITABLE}).text
        assert '<h1 tabindex="-1" data-flow-heading autofocus>Ret oplysninger om Aftenklubben' in page
        receipt = press(client, page, "bekraeft")
        assert receipt.status_code == 200 and "Tak, vi har fået besked" in receipt.text
    app.state.service.worker.run_once()
    assert_only_verified_changed(content_repo)


def test_a_special_date_left_blank_in_the_flow_is_removed(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        page = client.get("/indsend/ret", params={"aktivitet": EDITABLE}).text
        free = press(client, page, "ret-lukket")
        assert 'id="felt-special-dates-0-date"' in free.text
        cleared = {"special_dates[0].date": "", "special_dates[0].start": "", "special_dates[0].end": "",
                   "special_dates[0].note": ""}  # fmt: skip
        pairs = [(name, cleared.get(name, value)) for name, value in form_pairs(free.text)]
        check = post_form(client, [*pairs, ("handling", "fortsaet")])
        assert "Tjek dine svar" in check.text or "Ret oplysninger om" in check.text
        receipt = send_edit(client, check.text)
        assert receipt.status_code == 200
    app.state.service.worker.run_once()
    (branch,) = branches(content_repo)
    diff = git(content_repo, "diff", f"main...{branch}")
    assert "-special_dates:" in diff and "-    note: Julefest" in diff and "+special_dates" not in diff


def test_an_edit_through_the_form_keeps_the_order_of_chosen_values(service, content_repo):
    """Check boxes post in the form's order; the pull request must still show only real changes."""
    url, app = service
    with httpx.Client(base_url=url) as client:
        page = client.get("/indsend/ret", params={"aktivitet": EDITABLE}).text
        fields = re.findall(r'<(?:input|textarea)[^>]*name="([^"]+)"[^>]*>', page)
        assert fields.index("categories") > 0
        current = yaml.safe_load((content_repo / "content" / "activities" / f"{EDITABLE}.yaml").read_text())
        current.pop("verified")
        record = jsonable(current)
        record["categories"] = sorted(record["categories"])  # the form's order, not the file's
        record["accessibility"] = list(reversed(record["accessibility"]))
        assert record["categories"] != current["categories"]
        assert submit(client, record, edit=EDITABLE).status_code == 202
    app.state.service.worker.run_once()
    assert_only_verified_changed(content_repo)


def test_guards_fill_time_honeypot_rate_limit_size_and_origin(content_repo, tmp_path):
    settings = make_settings(
        content_repo,
        tmp_path,
        min_fill_seconds=30,
        rate_limit=2,
        allowed_origins=["https://guide.example.dk"],
    )
    app = create_app(settings)
    with running(app) as url, httpx.Client(base_url=url) as client:
        fast = submit(client, activity_record())
        assert fast.status_code == 422 and "hurtigt" in fast.json()["message"]
        app.state.service.tokens.min_seconds = 0
        trapped = submit(client, activity_record(title="Robotklub"), website="https://spam.example")
        assert trapped.status_code == 202  # a robot learns nothing; an editor can still release it
        assert app.state.service.store.get(trapped.json()["reference"]).state is State.HELD
        assert not app.state.service.worker.run_once()  # held submissions never become pull requests
        assert submit(client, activity_record(title="Klub to")).status_code == 202
        limited = submit(client, activity_record(title="Klub tre"))
        assert limited.status_code == 429 and limited.headers["retry-after"]
        big = client.post("/api/indsendelser", content=b"{" + b" " * 70_000 + b"}",
                          headers={"content-type": "application/json"})  # fmt: skip
        assert big.status_code == 413

        def chunks(size: int):  # no Content-Length: the body arrives in chunks of unknown total
            yield b'{"activity": {"title": "'
            yield b"x" * size
            yield b'"}}'

        chunked = {"content-type": "application/json"}
        assert client.post("/api/indsendelser", content=chunks(70_000), headers=chunked).status_code == 413
        small = client.post("/api/forhaandsvisning", content=chunks(10), headers=chunked)
        assert small.status_code == 422 and "title" not in small.json()["errors"]  # read, and checked
        foreign = client.post("/api/indsendelser", json={}, headers={"origin": "https://evil.example"})
        assert foreign.status_code == 403
        allowed = client.options(
            "/api/indsendelser",
            headers={"origin": "https://guide.example.dk", "access-control-request-method": "POST"},
        )
        assert allowed.headers["access-control-allow-origin"] == "https://guide.example.dk"


def test_the_flow_works_without_javascript(service, content_repo):
    url, app = service
    with httpx.Client(base_url=url) as client:
        page = client.get("/indsend/trin").text
        assert "Hvad laver I?" in page and "Trin 1 af 7" in page
        # Enter in a field presses the first submit button: it must go on, never add or remove.
        first_button = re.search(r"<button[^>]*type=\"submit\"[^>]*>", page)[0]
        assert 'value="fortsaet"' in first_button
        broken = press(client, page, "fortsaet", title="")
        assert broken.status_code == 422 and "Der er noget, du skal rette" in broken.text
        assert 'href="#felt-title"' in broken.text and "Trin 1 af 7" in broken.text
        assert 'href="#felt-schedule' not in broken.text  # later pages' questions wait for their page
        answers = {name.replace(".", "__"): value for name, value in NO_JS_FORM.items()}
        one = {key: answers[key] for key in ("title", "summary", "categories", "target_groups", "level")}
        times = press(client, page, "fortsaet", **one)
        assert times.status_code == 200 and "Hvornår mødes I?" in times.text
        assert 'type="hidden" name="title" value="Strikkeklub i Give"' in times.text  # carried
        bad_time = press(
            client, times.text, "fortsaet", **{"schedule[0]__days": "onsdag", "schedule[0]__start": "25:99"}
        )
        assert bad_time.status_code == 422 and 'href="#felt-schedule-0-start"' in bad_time.text
        # The questions of another kind of time, and a second time, without JavaScript.
        other = press(client, bad_time.text, "opdater", **{"schedule[0]__repeat": "hver-anden-uge"})
        assert 'name="schedule[0].first_date"' in other.text
        more = press(client, other.text, "tilfoej")
        assert 'name="schedule[1].start"' in more.text and 'value="fjern-1"' in more.text
        fewer = press(client, more.text, "fjern-0")
        assert 'name="schedule[1].start"' not in fewer.text
        assert 'name="schedule[0].repeat" value="ugentlig" checked' in fewer.text  # the second moved up
        page = press(
            client, fewer.text, "opdater", **{"schedule[0]__days": "onsdag", "schedule[0]__start": "14:00"}
        ).text
        for _ in range(6):  # every page to "Tjek dine svar", answering what each asks
            if "Tjek dine svar" in page:
                break
            answer = press(client, page, "fortsaet", **answers, submitter__name="Hanne Eksempel",
                           submitter__email="hanne@example.dk")  # fmt: skip
            assert answer.status_code == 200, re.findall(
                r'class="as-error-summary__list".*?</ul>', answer.text, re.S
            )
            page = answer.text
        assert "Hver onsdag fra kl. 14.00" in page and "Hanne Eksempel" in page
        no_consent = press(client, page, "send")
        assert (
            no_consent.status_code == 422
            and '<a href="#felt-consent">Bekræftelse: sæt kryds' in no_consent.text
        )
        receipt = press(client, no_consent.text, "send", consent="ja")
        assert receipt.status_code == 200 and "Tak, vi har fået jeres aktivitet" in receipt.text
        reference = re.search(r"data-reference>(AS-\d{5})<", receipt.text)[1]
        assert "Vi sender en kvittering til hanne@example.dk" in receipt.text
    app.state.service.worker.run_once()
    (branch,) = branches(content_repo)
    assert reference.lower() in branch
    assert branch_files(content_repo, branch) == ["content/activities/strikkeklub-i-give.yaml"]
    written = git(content_repo, "show", f"{branch}:content/activities/strikkeklub-i-give.yaml")
    assert "Hanne" not in written and "hanne@example.dk" not in written  # the sender stays out of Git
    record = LocalGitForge(content_repo).records()[0]
    assert "Hanne" not in record["body"]
    (stored,) = app.state.service.store.all()
    assert json.loads(stored.submitter) == {"name": "Hanne Eksempel", "email": "hanne@example.dk"}


def test_status_and_health(service):
    url, _ = service
    with httpx.Client(base_url=url) as client:
        reference = submit(client, activity_record()).json()["reference"]
        status = client.get(f"/api/indsendelser/{reference}").json()
        assert status == {"reference": reference, "state": "modtaget", "label": State.RECEIVED.label}
        assert client.get("/api/indsendelser/AS-99999").status_code == 404
        assert client.get("/api/sundhed").json()["queue"] == {"modtaget": 1}


@pytest.mark.parametrize("environment", ["production"])
def test_production_refuses_unsafe_defaults(environment, content_repo, tmp_path):
    with pytest.raises(ValueError, match=r"SECRET_KEY.*ALLOWED_ORIGINS"):
        make_settings(content_repo, tmp_path, environment=environment)


def test_the_pull_request_names_the_file_where_the_settings_put_it():
    submission = Submission(
        id=7, idempotency_key="k", received_at="2026-11-22 10:00", kind="ny", slug="gaaklub",
        title="Gåklub", yaml="title: Gåklub\n", note="", state=State.RECEIVED, attempts=0,
        next_attempt_at=0, last_error="", pr_number=None, pr_url="", updated_at="",
    )  # fmt: skip
    change = change_request(submission, {"title": "Gåklub"}, "/indhold/aktiviteter/")
    assert change.path == "indhold/aktiviteter/gaaklub.yaml"
    assert "fil: `indhold/aktiviteter/gaaklub.yaml`" in change.body
