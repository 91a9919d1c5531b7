"""Shared fixtures: the real vocabularies, a valid activity, and a way to build a site."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from aktivsammen.loading import load_vocabularies

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
# The standards' official schemas and vocabularies, offline: shared/ lies beside the repository
# (CI lays a copy of it beside its clone). Tests that judge output by them fail without it.
STANDARDS = ROOT.parent / "shared" / "standards"

# A complete, valid activity. Tests change one thing in it and expect one clear message;
# keep one key per line so the expected line numbers below stay obvious.
VALID_ACTIVITY = """\
title: Gåklub ved medborgerhuset
summary: Vi går 3-5 km i roligt tempo og drikker kaffe bagefter.
categories: [gaa-og-natur, motion]
area: vejle-nord
organizer:
  name: Nørremarkens Beboerforening
  url: https://example.dk/gaaklub
contact:
  name: Hanne Eksempel
  phone: "+45 00 00 00 00"
  email: gaaklub@example.dk
location:
  name: Medborgerhuset
  address: Eksempelvej 40
  postcode: "7100"
  city: Vejle
schedule:
  - repeat: ugentlig
    days: [tirsdag]
    start: "10:00"
    end: "11:30"
season:
  from: 2026-09-01
  until: 2027-05-31
price: gratis
target_groups: [seniorer]
accessibility: [trinfri-adgang, handicaptoilet]
level: let
newcomers_welcome: true
companion_welcome: true
first_visit: Mød op ved hovedindgangen, Hanne tager imod.
signup:
  required: false
verified: 2026-10-01
description: |
  Vi går i **roligt tempo**.
"""


FIXTURE_PAGES = ("om", "motion-65", "haand-i-ryggen", "was", "privatliv", "aabne-data")


@pytest.fixture(scope="session")
def vocabularies():
    return load_vocabularies(CONTENT / "data")


@pytest.fixture
def make_site(tmp_path):
    """A content folder with the real vocabularies and the given activity/project files."""

    def make(activities: dict[str, str] | None = None, projects: dict[str, str] | None = None) -> Path:
        return write_content(tmp_path / "content", activities, projects)

    return make


def write_content(
    content: Path, activities: dict[str, str] | None = None, projects: dict[str, str] | None = None
) -> Path:
    """Write a content folder: the real vocabularies, the fixture pages and the given files."""
    shutil.copytree(CONTENT / "data", content / "data")
    (content / "pages").mkdir()
    for slug in FIXTURE_PAGES:  # the pages every page's header and footer link to
        (content / "pages" / f"{slug}.md").write_text(f"Title: {slug}\nSlug: {slug}\n\nTekst.\n")
    for folder, files in (("activities", activities or {}), ("projects", projects or {})):
        (content / folder).mkdir()
        for name, text in files.items():
            (content / folder / name).write_text(text, encoding="utf-8")
    return content


def build(content: Path, output: Path, settings_file: str = "pelicanconf.py", **override) -> None:
    """Build a site with the project's settings, theme and plugins into `output`."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        str(ROOT / settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "THEME": str(ROOT / "themes" / "aktivsammen"),
            "PLUGIN_PATHS": [str(ROOT)],
            **override,
        },
    )
    Pelican(settings).run()


@pytest.fixture
def pelican_warnings(caplog):
    """Warnings Pelican logged during the test: a build must log none (--fatal warnings)."""
    caplog.set_level(logging.WARNING)
    return lambda: [r for r in caplog.records if r.levelno >= logging.WARNING]


def nu_html_errors(folder: Path) -> str:
    """The Nu HTML Checker's errors for every page in `folder` ("" when there are none)."""
    import subprocess

    vnu = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--skip-non-html", "--format", "gnu", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return "" if result.returncode == 0 else result.stderr[:3000] or f"vnu exited {result.returncode}"
