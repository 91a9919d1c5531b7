"""Model -> canonical YAML -> model loses nothing (the submission service writes files this way)."""

from __future__ import annotations

import pytest

from aktivsammen.loading import dump_activity, load_activity
from tests.conftest import CONTENT


@pytest.mark.parametrize("path", sorted((CONTENT / "activities").glob("*.yaml")), ids=lambda p: p.stem)
def test_round_trip_of_every_real_activity(tmp_path, vocabularies, path):
    original = load_activity(path, vocabularies).activity
    text = dump_activity(original)
    copy = tmp_path / path.name
    copy.write_text(text, encoding="utf-8")
    assert load_activity(copy, vocabularies).activity == original
    # canonical means stable: dumping the copy gives the same text
    assert dump_activity(load_activity(copy, vocabularies).activity) == text


def test_canonical_form_is_readable(vocabularies):
    activity = load_activity(CONTENT / "activities" / "repair-cafe-vejle.yaml", vocabularies).activity
    text = dump_activity(activity)
    assert text.startswith("title: Repair Cafe Vejle\nsummary: ")
    assert '  start: "16:00"\n' in text
    assert 'postcode: "7100"\n' in text  # times quoted, so no YAML reader turns them into numbers
    assert "categories: [reparation-og-genbrug, samvaer]\n" in text
    assert "  weeks: [sidste]\n" in text
    assert "verified: 2026-10-14\n" in text
    assert "description: |\n" in text
    assert "status:" not in text  # defaults are left out


def test_long_texts_fold_the_way_editors_write_them(vocabularies):
    """Lists of rows indented under their key, long paragraphs folded, short ones on one line."""
    activity = load_activity(CONTENT / "activities" / "aftenklub-for-voksne-med-handicap.yaml", vocabularies)
    text = dump_activity(activity.activity)
    assert "schedule:\n  - repeat: hver-anden-uge\n    days: [torsdag]\n" in text
    assert "first_visit: >-\n  Pia tager imod jer" in text
    assert "\nclosed:\n  months: [juli]\nspecial_dates:\n  - date: 2026-12-17\n" in text  # rows indented
    assert "\n    note: Julefest\n" in text
    assert (
        "\nsummary: Hver anden torsdag aften spiser vi sammen, hører musik, danser og spiller spil. " in text
    )
    assert max(len(line) for line in text.split("description: |")[0].splitlines()) <= 120
