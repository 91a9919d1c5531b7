"""LIX with known answers, and the plain-language warnings validate prints."""

from __future__ import annotations

import pytest
import yaml

from aktivsammen.model import Activity
from aktivsammen.readability import lix, warnings
from tests.conftest import VALID_ACTIVITY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 8 words, 2 sentences, 2 long words (Bagefter, drikker): 8/2 + 100*2/8
        ("Vi går en tur. Bagefter drikker vi kaffe.", 29.0),
        # 6 words, 1 sentence, 6 long words: 6/1 + 100
        ("Kommunens fællesskabskoordinatorer understøtter borgernes mangfoldige aktivitetstilbud.", 106.0),
        # markup and link targets do not count as words
        ("Vi **går** en [tur](https://example.dk/lang-adresse). Bagefter drikker vi kaffe.", 29.0),
        ("", 0.0),
    ],
)
def test_lix(text, expected):
    assert lix(text) == pytest.approx(expected)


def activity(vocabularies, **changes):
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    return Activity.model_validate(data, context={"vocabularies": vocabularies})


def test_warnings_name_file_line_and_field(vocabularies):
    hard = " ".join(["Kommunens fællesskabskoordinatorer understøtter borgernes aktivitetstilbud."] * 7)
    easy = " ".join(["Vi går en tur, og så drikker vi en kop kaffe sammen."] * 4)
    lines = {("description",): 35, ("summary",): 2}
    found = warnings(activity(vocabularies, description=hard, summary="x " * 60), "a.yaml", lines.get)
    assert [str(p) for p in found] == [
        "a.yaml:35: description: advarsel: svær at læse (LIX 105, højst 40); "
        "brug kortere sætninger og kortere ord",
        "a.yaml:2: summary: advarsel: for lang til en liste (119 tegn, højst 110); skriv det vigtigste kort",
    ]
    assert warnings(activity(vocabularies, description=easy), "a.yaml", lines.get) == []
    assert warnings(activity(vocabularies, description=hard), "a.yaml", lines.get, max_lix=200) == []
