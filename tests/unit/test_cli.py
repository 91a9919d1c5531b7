"""The editors' command: output, exit status and help text."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from aktivsammen.cli import build_parser, main
from aktivsammen.model import Activity
from tests.conftest import CONTENT, ROOT, VALID_ACTIVITY


@pytest.fixture
def content(tmp_path):
    shutil.copytree(CONTENT / "data", tmp_path / "content" / "data")
    (tmp_path / "content" / "activities").mkdir()
    (tmp_path / "content" / "projects").mkdir()
    return tmp_path / "content"


def test_validate_ok(content, capsys):
    (content / "activities" / "gaaklub.yaml").write_text(VALID_ACTIVITY, encoding="utf-8")
    assert main(["--content", str(content), "validate"]) == 0
    assert capsys.readouterr().out == "Alt i orden: 1 aktiviteter og 0 projekter er gyldige.\n"


def test_validate_reports_each_problem_then_a_count(content, capsys):
    activities = content / "activities"
    (activities / "gaaklub.yaml").write_text(VALID_ACTIVITY.replace("title:", "titel:"), encoding="utf-8")
    (activities / "tom.yaml").write_text("", encoding="utf-8")
    (activities / "rigtig.yaml").write_text(VALID_ACTIVITY, encoding="utf-8")
    assert main(["--content", str(content), "validate"]) == 1
    lines = capsys.readouterr().err.splitlines()
    allowed = ", ".join(field.alias or name for name, field in Activity.model_fields.items())
    assert lines[0].endswith(
        f"gaaklub.yaml:1: titel: ukendt felt 'titel' (mente du 'title'? tilladte felter: {allowed})"
    )
    assert lines[1].endswith(
        "tom.yaml:1: (hele filen): filen er tom (skriv aktivitetens felter som linjer "
        "med nøgle: værdi, fx title: Gåklub)"
    )
    assert lines[2] == "2 fejl i 2 filer"


def test_validate_single_file_and_missing_file(content, capsys):
    path = content / "activities" / "gaaklub.yaml"
    path.write_text(VALID_ACTIVITY, encoding="utf-8")
    assert main(["--content", str(content), "validate", str(path)]) == 0
    assert main(["--content", str(content), "validate", str(content / "findes-ikke.yaml")]) == 1
    assert "findes-ikke.yaml:1: (hele filen): filen findes ikke" in capsys.readouterr().err


def test_broken_vocabulary_is_reported_with_its_line(content, capsys):
    areas = content / "data" / "areas.yaml"
    areas.write_text(areas.read_text(encoding="utf-8").replace('postcodes: ["7300"]', 'postcodes: ["73"]'))
    assert main(["--content", str(content), "validate"]) == 1
    err = capsys.readouterr().err
    assert "areas.yaml:" in err and "postcodes[0]: '73' er ikke et postnummer" in err


def test_a_misplaced_area_centre_is_reported_with_its_line(content, capsys):
    areas = content / "data" / "areas.yaml"
    text = areas.read_text(encoding="utf-8")
    areas.write_text(text.replace("centre: [55.756, 9.420]", "centre: [9.420, 55.756]"), encoding="utf-8")
    line = text.splitlines().index("  centre: [55.756, 9.420]") + 1
    assert main(["--content", str(content), "validate"]) == 1
    err = capsys.readouterr().err
    assert f"areas.yaml:{line}:" in err and "centre: '[9.42, 55.756]' er ikke et sted i Danmark" in err


def test_one_phone_number_has_one_set_of_hours(content, capsys):
    """The area's coordinator and the general line share a number: a page shows both, so their
    hours must agree, or the editor hears which line to change."""
    path = content / "data" / "coordinators.yaml"
    text = path.read_text(encoding="utf-8")
    changed = text.replace("hours: Mandag-torsdag kl. 9-15, fredag kl. 9-12\n  areas: [boerkop",
                           "hours: Tirsdag-fredag kl. 9-14\n  areas: [boerkop")  # fmt: skip
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    line = changed.splitlines().index("  hours: Tirsdag-fredag kl. 9-14") + 1
    assert main(["--content", str(content), "validate"]) == 1
    err = capsys.readouterr().err
    assert (
        f"coordinators.yaml:{line}: [2].hours: 'Tirsdag-fredag kl. 9-14' er ikke de samme tider som 'faelles'"
        in err
    )


def test_every_command_has_help_text():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]  # argparse keeps subcommands here
    assert set(commands.choices) == {
        "validate",
        "format",
        "stale",
        "examples",
        "import",
        "schema",
        "queue",
        "serve",
    }
    for action in commands._choices_actions:
        assert action.help, action.dest


def test_installed_command_runs_on_the_real_content():
    result = subprocess.run(
        [sys.executable, "-m", "aktivsammen.cli", "validate"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("Alt i orden: 63 aktiviteter og 15 projekter er gyldige")


def test_stale_command_text_and_csv(content, capsys):
    old = VALID_ACTIVITY.replace("verified: 2026-10-01", "verified: 2025-01-10")
    (content / "activities" / "gammel.yaml").write_text(old, encoding="utf-8")
    (content / "activities" / "ny.yaml").write_text(VALID_ACTIVITY, encoding="utf-8")
    assert main(["--content", str(content), "stale", "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 aktiviteter er ikke bekræftet i over 365 dage") and "gammel.yaml" in out
    assert "ny.yaml" not in out
    assert (
        main(["--content", str(content), "stale", "--csv", "--today", "2026-11-22", "--older-than", "30"])
        == 0
    )
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("sidst_bekraeftet,dage,") and len(rows) == 3


def test_validate_prints_language_warnings_without_failing(content, capsys):
    hard = "Kommunens fællesskabskoordinatorer understøtter borgernes aktivitetstilbud. " * 7
    text = VALID_ACTIVITY.replace("  Vi går i **roligt tempo**.", "  " + hard)
    (content / "activities" / "svaer.yaml").write_text(text, encoding="utf-8")
    assert main(["--content", str(content), "validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(
        "svaer.yaml:35: description: advarsel: svær at læse (LIX 105, højst 40); "
        "brug kortere sætninger og kortere ord"
    )
    assert out[-1] == "Alt i orden: 1 aktiviteter og 0 projekter er gyldige (1 advarsel)."
    assert main(["--content", str(content), "validate", "--lix", "200"]) == 0
    assert capsys.readouterr().out == "Alt i orden: 1 aktiviteter og 0 projekter er gyldige.\n"


def test_format_rewrites_hand_written_files_in_the_form_the_submission_form_writes(content, capsys):
    path = content / "activities" / "gaaklub.yaml"
    hand_written = VALID_ACTIVITY.replace("\n", "\n\n", 1)  # a blank line the canonical form has not
    path.write_text(hand_written, encoding="utf-8")
    assert main(["--content", str(content), "format", "--check"]) == 1
    assert path.read_text(encoding="utf-8") == hand_written  # --check changes nothing
    assert main(["--content", str(content), "format"]) == 0
    assert "1 af 1 aktivitetsfiler er skrevet om." in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") != hand_written
    assert main(["--content", str(content), "format", "--check"]) == 0
    assert main(["--content", str(content), "validate"]) == 0


def test_format_leaves_every_file_alone_when_one_is_invalid(content, capsys):
    good = content / "activities" / "gaaklub.yaml"
    good.write_text(VALID_ACTIVITY.replace("\n", "\n\n", 1), encoding="utf-8")
    (content / "activities" / "forkert.yaml").write_text("title: [", encoding="utf-8")
    before = good.read_text(encoding="utf-8")
    assert main(["--content", str(content), "format"]) == 1
    assert "forkert.yaml" in capsys.readouterr().err
    assert good.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in (content / "activities").iterdir()) == ["forkert.yaml", "gaaklub.yaml"]


def test_links_from_the_sites_root_are_refused_in_projects_and_pages(content, capsys):
    """`](/kategori/motion/)` breaks when the guide is served from a folder: validate names it."""
    from tests.site.test_fixture_site import PROJECT

    body = PROJECT + "\nSe [motion](/kategori/motion/) og [om](https://example.dk/om/).\n"
    (content / "projects" / "foelgeven.md").write_text(body, encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "om.md").write_text(
        'Title: Om\n\n<a href="/indsend/">Indsend</a>\n', encoding="utf-8"
    )
    assert main(["--content", str(content), "validate"]) == 1
    lines = capsys.readouterr().err.splitlines()
    line = body.splitlines().index("Se [motion](/kategori/motion/) og [om](https://example.dk/om/).") + 1
    assert lines[0].endswith(
        f"foelgeven.md:{line}: (tekst): linket /kategori/motion/ begynder med / og virker ikke, når"
        " guiden ligger i en mappe; skriv {filename}side.md for en side eller et projekt, eller"
        " {site}kategori/motion/ for en side, guiden selv laver"
    )
    assert lines[1].endswith(
        "om.md:3: (tekst): linket /indsend/ begynder med / og virker ikke, når"
        " guiden ligger i en mappe; skriv {filename}side.md for en side eller et"
        " projekt, eller {site}indsend/ for en side, guiden selv laver"
    )
    assert lines[2] == "2 fejl i 2 filer"


def test_validate_finds_links_to_activities_that_do_not_exist(content, capsys):
    (content / "activities" / "gaaklub.yaml").write_text(VALID_ACTIVITY, encoding="utf-8")
    (content / "pages").mkdir()
    (content / "pages" / "om.md").write_text(
        "Title: Om\n\nGå med i [gåklubben]({aktivitet}gaaklub) eller [koret]({aktivitet}koret).\n",
        encoding="utf-8",
    )
    assert main(["--content", str(content), "validate"]) == 1
    report = capsys.readouterr().err
    assert (
        "content/pages/om.md:3: (tekst): linket {aktivitet}koret peger på en aktivitet, der ikke findes"
        in report
    )
    assert "{aktivitet}gaaklub" not in report
