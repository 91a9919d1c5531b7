"""Nothing lost, nothing doubled: forge outages, refusals, a crash halfway, a killed service, and load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from aktivsammen.cli import main as cli
from aktivsammen.submit.app import create_app
from aktivsammen.submit.forges import ForgeError, ForgeRejected
from aktivsammen.submit.forges.local import LocalGitForge
from aktivsammen.submit.store import State
from tests.submit.conftest import activity_record, branches, free_port, git, make_settings, running


class FlakyForge(LocalGitForge):
    """The local forge with faults on demand: fails at a chosen step for the first N attempts."""

    def __init__(self, *args, fail_times: int = 0, step: str = "start", error=ForgeError, **kwargs):
        super().__init__(*args, **kwargs)
        self.fail_times = fail_times
        self.step = step
        self.error = error
        self.calls = 0

    def open_change(self, change):
        self.calls += 1
        if self.step == "start" and self.calls <= self.fail_times:
            raise self.error("forge answered 500")
        return super().open_change(change)

    def _record(self, change):
        if self.step == "after-branch" and self.calls <= self.fail_times:
            raise self.error("pull request refused after the branch was made")
        return super()._record(change)


def post(client: httpx.Client, title: str) -> str:
    token = client.get("/api/formular").json()["token"]
    body = {"activity": activity_record(title=title), "consent": True, "token": token}
    answer = client.post("/api/indsendelser", json=body)
    assert answer.status_code == 202, answer.text
    return answer.json()["reference"]


def drain(app, seconds: float = 10) -> None:
    """Run the worker until nothing is due or waiting for a retry."""
    store, worker = app.state.service.store, app.state.service.worker
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not worker.run_once() and store.next_due_in() is None:
            return
        time.sleep(0.02)
    raise AssertionError("the queue did not drain")


def commits_on(repo, branch) -> int:
    return int(git(repo, "rev-list", "--count", f"main..{branch}"))


def test_forge_down_then_back_ends_in_one_pull_request(content_repo, tmp_path):
    forge = FlakyForge(content_repo, fail_times=3)
    app = create_app(make_settings(content_repo, tmp_path), forge=forge)
    with running(app) as url, httpx.Client(base_url=url) as client:
        reference = post(client, "Gåklub")
        drain(app)
    submission = app.state.service.store.get(reference)
    assert submission.state is State.OPENED and submission.attempts == 4
    assert len(branches(content_repo)) == 1 and len(forge.records()) == 1


def test_pull_request_refused_after_the_branch_is_resumed_not_orphaned(content_repo, tmp_path):
    forge = FlakyForge(content_repo, fail_times=2, step="after-branch")
    app = create_app(make_settings(content_repo, tmp_path), forge=forge)
    with running(app) as url, httpx.Client(base_url=url) as client:
        reference = post(client, "Gåklub")
        drain(app)
    assert app.state.service.store.get(reference).attempts == 3  # the two faults really happened
    (branch,) = branches(content_repo)
    assert commits_on(content_repo, branch) == 1  # the retries found the commit and did not add more
    (record,) = forge.records()
    assert record["head"] == branch and record["reference"] == reference


def test_a_refusal_waits_for_an_editor_who_can_send_it_again(content_repo, tmp_path, capsys):
    forge = FlakyForge(content_repo, fail_times=1, error=ForgeRejected)
    settings = make_settings(content_repo, tmp_path)
    app = create_app(settings, forge=forge)
    with running(app) as url, httpx.Client(base_url=url) as client:
        reference = post(client, "Gåklub")
        drain(app)
        assert app.state.service.store.get(reference).state is State.NEEDS_EDITOR
        assert cli(["queue", "--database", str(settings.database)]) == 0
        listing = capsys.readouterr().out
        assert f"{reference}  kræver-redaktør" in listing
        assert "forsøg 1, sidste fejl: forge answered 500" in listing
        assert cli(["queue", "--database", str(settings.database), "--retry", reference]) == 0
        drain(app)
    assert app.state.service.store.get(reference).state is State.OPENED
    assert len(forge.records()) == 1


def test_a_killed_service_resumes_after_restart(content_repo, tmp_path):
    """Stored but not yet a pull request when the process dies: the next process finishes it."""
    port = free_port()
    environment = {
        **os.environ,
        "AKTIVSAMMEN_SUBMIT_DATABASE": str(tmp_path / "koe.sqlite3"),
        "AKTIVSAMMEN_SUBMIT_LOCAL_REPOSITORY": str(content_repo),
        "AKTIVSAMMEN_SUBMIT_MIN_FILL_SECONDS": "0",
        "AKTIVSAMMEN_SUBMIT_WORKER": "false",
    }
    command = [sys.executable, "-m", "aktivsammen.cli", "--content", str(content_repo / "content"),
               "serve", "--port", str(port)]  # fmt: skip

    def start(env):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/sundhed", timeout=1)
                return process
            except httpx.TransportError:
                time.sleep(0.05)
        process.kill()
        raise AssertionError("the service did not start")

    first = start(environment)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        references = [post(client, f"Klub nummer {number}") for number in range(5)]
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert branches(content_repo) == []

    second = start({**environment, "AKTIVSAMMEN_SUBMIT_WORKER": "true"})
    try:
        deadline = time.monotonic() + 30
        while len(branches(content_repo)) < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            states = {ref: client.get(f"/api/indsendelser/{ref}").json()["state"] for ref in references}
    finally:
        second.terminate()
        second.wait()
    assert set(states.values()) == {"pr-oprettet"}
    assert len(branches(content_repo)) == 5 and len(LocalGitForge(content_repo).records()) == 5


def test_load_200_submissions_from_20_clients(content_repo, tmp_path):
    settings = make_settings(content_repo, tmp_path, worker=True)
    app = create_app(settings)
    with running(app) as url:
        started = time.monotonic()

        def client_run(number: int) -> list[str]:
            with httpx.Client(base_url=url, timeout=30) as client:
                return [post(client, f"Belastning {number} {index}") for index in range(10)]

        with ThreadPoolExecutor(max_workers=20) as pool:
            references = [ref for batch in pool.map(client_run, range(20)) for ref in batch]
        accepted = time.monotonic() - started
        store = app.state.service.store
        deadline = time.monotonic() + 120
        while store.counts().get(State.OPENED, 0) < 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        opened = time.monotonic() - started
    assert len(set(references)) == 200
    assert store.counts() == {State.OPENED: 200}
    assert len(branches(content_repo)) == 200 and len(LocalGitForge(content_repo).records()) == 200
    print(f"\nload: 200 submissions from 20 clients accepted in {accepted:.2f} s "
          f"({200 / accepted:.0f}/s); all 200 pull requests made after {opened:.2f} s")  # fmt: skip


def test_through_the_service_to_github_with_faults_midway(content_repo, tmp_path, github_standin):
    """The whole path with the GitHub backend: forge down, then a 500 on the pull request after the
    branch and the commit were made; every submission still ends as exactly one pull request."""
    from aktivsammen.submit.forges.github import GitHubForge

    forge = GitHubForge(**github_standin.forge_kwargs())
    app = create_app(make_settings(content_repo, tmp_path), forge=forge)
    with running(app) as url, httpx.Client(base_url=url) as client:
        references = [post(client, f"Klub {number}") for number in range(3)]
        github_standin.down()
        assert app.state.service.worker.run_once()  # connection refused: kept for a retry
        github_standin.up()
        github_standin.fail("POST", r"/pulls$", status=500, times=2)
        drain(app)
    store = app.state.service.store
    assert {store.get(ref).state for ref in references} == {State.OPENED}
    pulls = github_standin.pulls()
    assert len(pulls) == 3
    refused = [r.status for r in github_standin.requests if r.method == "POST" and r.path.endswith("/pulls")]
    assert refused.count(500) == 2  # the faults really happened
    for pull, reference in zip(sorted(pulls, key=lambda p: p.title), sorted(references), strict=True):
        assert reference in pull.title and "indsendelse" in pull.labels
        assert len(github_standin.changed_files(pull.head)) == 1
