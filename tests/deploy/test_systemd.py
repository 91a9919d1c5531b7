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
