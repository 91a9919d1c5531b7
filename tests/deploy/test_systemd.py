"""docs/systemd/: the service's unit passes systemd's own check, and the environment file
example names every setting the service reads, in a form the settings accept."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from aktivsammen.submit.settings import Settings
from tests.conftest import ROOT

UNIT = ROOT / "docs" / "systemd" / "aktivsammen-submit.service"
ENV_EXAMPLE = ROOT / "docs" / "systemd" / "submit.env.example"
PREFIX = Settings.model_config["env_prefix"]
NOT_FROM_THE_ENVIRONMENT: set[str] = set()  # every setting can come from the environment file


def env_lines(text: str) -> tuple[dict[str, str], set[str]]:
    """The example's assignments as systemd's EnvironmentFile reads them, and the names only
    mentioned in comments (defaults, and secrets to fill in)."""
    values, commented = {}, set()
    for line in text.splitlines():
        if match := re.fullmatch(rf"({PREFIX}\w+)=(.*)", line):
            name, value = match.groups()
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[name] = value
        elif match := re.fullmatch(rf"#({PREFIX}\w+)=.*", line):
            commented.add(match.group(1))
    return values, commented


def test_the_example_names_every_setting():
    values, commented = env_lines(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert not set(values) & commented
    expected = {PREFIX + name.upper() for name in set(Settings.model_fields) - NOT_FROM_THE_ENVIRONMENT}
    assert set(values) | commented == expected


def test_the_example_starts_in_production_once_its_secrets_are_filled_in(monkeypatch):
    values, _ = env_lines(ENV_EXAMPLE.read_text(encoding="utf-8"))
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()  # as written, it refuses to start
    for name in ("SECRET_KEY", "GITHUB_TOKEN", "COMPANION_KEY"):
        assert name in str(refused.value)
    monkeypatch.setenv(PREFIX + "SECRET_KEY", "x" * 48)
    monkeypatch.setenv(PREFIX + "GITHUB_TOKEN", "github_pat_test")
    monkeypatch.setenv(PREFIX + "COMPANION_KEY", Fernet.generate_key().decode())
    settings = Settings()
    assert settings.allowed_origins == ["https://aktivsammen.vejle.dk"]
    assert settings.trust_proxy_headers and settings.forge == "github"
    assert str(settings.database).startswith("/var/lib/aktivsammen/")  # the unit's StateDirectory


def test_the_unit_reads_the_example_and_writes_only_its_state():
    unit = UNIT.read_text(encoding="utf-8")
    assert "EnvironmentFile=/etc/aktivsammen/submit.env" in unit
    assert "StateDirectory=aktivsammen" in unit and "ReadWritePaths=/var/lib/aktivsammen" in unit
    for setting in ("ProtectSystem=strict", "ProtectHome=true", "NoNewPrivileges=true", "PrivateTmp=true"):
        assert setting in unit.splitlines(), setting
    assert "--host 127.0.0.1 --port 8001" in unit  # where docs/nginx/aktivsammen.conf looks for it


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path):
    """systemd's own check; the program's path is this checkout's, as it must exist."""
    unit = tmp_path / UNIT.name
    text = UNIT.read_text(encoding="utf-8")
    unit.write_text(text.replace("/srv/aktivsammen/app", str(ROOT)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr


REMINDERS = ROOT / "docs" / "systemd" / "aktivsammen-reminders.service"
TIMER = ROOT / "docs" / "systemd" / "aktivsammen-reminders.timer"


def test_the_reminders_run_the_freshness_loop_as_the_service_does():
    """`stale --send --confirm` weekly, as the service's user, with its settings, database and
    hardening: its outbox gets the e-mails and its log the people asked."""
    unit, service = REMINDERS.read_text(encoding="utf-8"), UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/srv/aktivsammen/app/.venv/bin/aktivsammen stale --send --confirm" in unit
    shared = (
        "User=", "Group=", "WorkingDirectory=", "EnvironmentFile=", "StateDirectory=", "ReadWritePaths=",
        "UMask=", "Protect", "Private", "Restrict", "SystemCall", "NoNewPrivileges", "CapabilityBoundingSet",
    )  # fmt: skip
    lines = {line for line in service.splitlines() if line.startswith(shared)}
    assert lines <= set(unit.splitlines()), lines - set(unit.splitlines())
    timer = TIMER.read_text(encoding="utf-8")
    assert "Persistent=true" in timer and "OnCalendar=Mon *-*-* 09:00:00 Europe/Copenhagen" in timer


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_reminders_and_their_timer(tmp_path):
    for path in (REMINDERS, TIMER):
        text = path.read_text(encoding="utf-8").replace("/srv/aktivsammen/app", str(ROOT))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / REMINDERS.name), str(tmp_path / TIMER.name)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    calendar = subprocess.run(["systemd-analyze", "calendar", "Mon *-*-* 09:00:00 Europe/Copenhagen"],
                              capture_output=True, text=True)  # fmt: skip
    assert calendar.returncode == 0 and "Next elapse: Mon" in calendar.stdout
