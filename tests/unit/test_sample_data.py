"""The demo's example contacts are found, and a municipality's production build refuses them."""

from __future__ import annotations

import pytest

from aktivsammen.cli import main
from aktivsammen.problems import ContentError
from aktivsammen.sample_data import is_example_email, is_example_name, is_example_phone
from tests.conftest import VALID_ACTIVITY, build


@pytest.mark.parametrize("name", ["Hanne Eksempel", "Bent Prøvesen", "Aase Testrup", "Poul Fiktivsen"])
def test_example_names(name):
    assert is_example_name(name)


@pytest.mark.parametrize("name", ["Hanne Jensen", "Eksempelvej Seniorklub", "Prøvehold", None])
def test_real_names_pass(name):
    assert not is_example_name(name)


def test_reserved_domains_and_numbers_no_one_has():
    for email in ("gaaklub@example.dk", "a@mail.example.com", "x@klub.test", "y@EXAMPLE.ORG"):
        assert is_example_email(email), email
    for email in ("faellesskab@vejle.dk", "klub@exampleklub.dk", "a@example.dk.vejle.dk", None):
        assert not is_example_email(email), email
    for phone in ("00 00 00 00", "+45 00 00 21 30", "0045 12 34 56 78", "11111111"):
        assert is_example_phone(phone), phone
    for phone in ("+45 76 81 00 00", "75 00 00 00", "20 30 40 50", None):
        assert not is_example_phone(phone), phone


REAL = (
    VALID_ACTIVITY.replace("Hanne Eksempel", "Hanne Jensen")
    .replace("gaaklub@example.dk", "gaaklub@gaaklubben.dk")
    .replace("00 00 00 00", "75 12 34 56")
)


def test_the_production_setting_refuses_example_data_and_writes_nothing(make_site, tmp_path, capsys):
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY, "rigtig.yaml": REAL})
    assert "Hanne Eksempel" in VALID_ACTIVITY and "example.dk" in VALID_ACTIVITY
    build(content, tmp_path / "demo")  # the demo builds, and says how many there are
    # three in the file, and the sample events feed the local settings read
    assert "indholdet har 4 eksempeloplysninger" in capsys.readouterr().err
    with pytest.raises(ContentError) as refused:
        build(content, tmp_path / "live", PUBLISH_REFUSE_EXAMPLE_DATA=True)
    messages = [str(problem) for problem in refused.value.problems]
    assert len(messages) == 4 and all("gaaklub.yaml:" in m for m in messages[:3]), messages
    assert "EVENTS_FEED: er eksempelkalenderen" in messages[3]
    assert any("contact.name: 'Hanne Eksempel' er et opdigtet eksempelnavn" in m for m in messages)
    assert any("contact.email: 'gaaklub@example.dk' er en eksempeladresse" in m for m in messages)
    assert not (tmp_path / "live" / "index.html").exists()
    (content / "activities" / "gaaklub.yaml").unlink()
    build(
        content, tmp_path / "live", PUBLISH_REFUSE_EXAMPLE_DATA=True, EVENTS_FEED=None
    )  # all real: published
    assert (tmp_path / "live" / "aktivitet" / "rigtig" / "index.html").exists()


def test_the_command_lists_them_with_file_and_line(make_site, capsys):
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    assert main(["--content", str(content), "examples"]) == 1
    out = capsys.readouterr().out
    lines = VALID_ACTIVITY.splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if "Hanne Eksempel" in text)
    assert f"gaaklub.yaml:{line}: contact.name: 'Hanne Eksempel'" in out and out.endswith(
        "3 eksempeloplysninger.\n"
    )
