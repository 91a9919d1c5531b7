"""Fixtures for the submission service: a real Git repository with the guide's content, and the
service running under uvicorn on 127.0.0.1, reached over real sockets."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import uvicorn
import yaml
from aiosmtpd.controller import Controller

from aktivsammen.submit.app import create_app
from aktivsammen.submit.server import server_config
from aktivsammen.submit.settings import Settings
from tests.conftest import CONTENT, VALID_ACTIVITY
from tests.submit.github_standin import github_standin  # noqa: F401  (a fixture for every test here)

EDITABLE = "aftenklub-for-voksne-med-handicap"  # an activity of the real content that edit tests change


# A new activity's answers as the question flow posts them (every page's at once).
NO_JS_FORM = {
    "title": "Strikkeklub i Give",
    "summary": "Vi strikker og snakker.",
    "categories": "kreativ",
    "area": "give",
    "organizer.name": "Give Strik",
    "contact.phone": "75 00 00 00",
    "location.name": "Give Bibliotek",
    "location.address": "Eksempelvej 2",
    "location.postcode": "7323",
    "location.city": "Give",
    "schedule[0].repeat": "ugentlig",
    "schedule[0].days": "onsdag",
    "schedule[0].start": "14:00",
    "price": "gratis",
    "target_groups": "seniorer",
    "level": "siddende",
    "newcomers_welcome": "ja",
    "companion_welcome": "nej",
    "signup.required": "nej",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def content_repo(tmp_path) -> Path:
    """A Git repository (branch main) holding a copy of the guide's content, committed."""
    repo = tmp_path / "repo"
    (repo / "content").mkdir(parents=True)
    shutil.copytree(CONTENT / "data", repo / "content" / "data")
    shutil.copytree(CONTENT / "activities", repo / "content" / "activities")
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.dk", "commit", "-qm", "Indhold")
    return repo


def make_settings(repo: Path, tmp_path: Path, **overrides) -> Settings:
    values = {
        "database": tmp_path / "koe.sqlite3",
        "content_dir": repo / "content",
        "local_repository": repo,
        "min_fill_seconds": 0.0,
        "retry_base_seconds": 0.05,
        "retry_max_seconds": 0.2,
        "rate_limit": 1000,
        "worker": False,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
def settings(content_repo, tmp_path) -> Settings:
    return make_settings(content_repo, tmp_path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(app, guarded: Settings | None = None) -> Iterator[str]:
    """Run an ASGI app under uvicorn in a thread; yield its base URL.

    With `guarded` (the settings), uvicorn is configured as `aktivsammen serve` runs it.
    """
    port = free_port()
    if guarded is not None:
        config = server_config(app, "127.0.0.1", port, guarded)
    else:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def service(settings):
    """(base URL, app) of a running service; its worker only runs when a test asks."""
    app = create_app(settings)
    with running(app) as url:
        yield url, app


def jsonable(value):
    """YAML's dates as text, the way JSON carries them."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def activity_record(**changes) -> dict:
    """A valid activity as the form's script sends it (no `verified`: the service sets it)."""
    record = yaml.safe_load(VALID_ACTIVITY)
    record.pop("verified")
    return {**jsonable(record), **changes}


def branch_files(repo: Path, branch: str) -> list[str]:
    """The files a branch changes compared with main."""
    return git(repo, "diff", "--name-only", f"main...{branch}").splitlines()


def branches(repo: Path) -> list[str]:
    return [name for name in git(repo, "branch", "--format=%(refname:short)").splitlines() if name != "main"]


# --- A mail server on 127.0.0.1 (aiosmtpd) for the companion requests ---------------------------


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.original_content, policy=policy.default))
        )
        return "250 OK"


@contextlib.contextmanager
def smtp_server(port: int):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


class Clock:
    """A clock that only moves when told to (for pacing and back-off without waiting)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
