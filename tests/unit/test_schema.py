"""The checked-in JSON Schema is generated from the model and must not go stale."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from aktivsammen.schema import SCHEMA_FILE, render_schema
from tests.conftest import ROOT, VALID_ACTIVITY


def test_checked_in_schema_is_current(vocabularies):
    checked_in = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert checked_in == render_schema(vocabularies), "run `make schema` and commit the file"


def test_schema_carries_vocabularies_with_labels(vocabularies):
    schema = json.loads(render_schema(vocabularies))
    area = schema["properties"]["area"]
    assert area["enum"][:2] == ["vejle-midtby", "vejle-nord"]
    assert area["x-labels"]["boerkop"] == "Børkop og Brejning"
    assert schema["additionalProperties"] is False


@pytest.fixture(scope="module")
def validator(vocabularies):
    schema = json.loads(render_schema(vocabularies))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize(
    "path", sorted((ROOT / "content" / "activities").glob("*.yaml")), ids=lambda p: p.stem
)
def test_every_real_activity_fits_the_schema(validator, path):
    # The browser form validates with this schema: it must accept everything the model accepts.
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"area": "atlantis"}, "is not one of"),
        ({"titel": "x"}, "Additional properties"),
        ({"level": "hard"}, "is not one of"),
    ],
)
def test_schema_rejects_what_the_model_rejects(validator, change, words):
    data = json.loads(json.dumps(yaml.safe_load(VALID_ACTIVITY), default=str)) | change
    assert any(words in e.message for e in validator.iter_errors(data))


def test_schema_file_path_is_relative():
    assert not Path(SCHEMA_FILE).is_absolute()
