"""The activity's JSON Schema, generated from the model with the vocabularies' ids and labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import SLOT_LABELS, Activity, Level, PricePer, Status, Vocabularies, Weekday, WeekOfMonth

# The Danish label of every choice in the model, for the form (vocabularies add their own).
CHOICES = {enum.__name__: enum for enum in (Level, PricePer, Status, WeekOfMonth, Weekday)}

SCHEMA_FILE = Path("schema/activity.schema.json")


def activity_schema(vocabularies: Vocabularies) -> dict[str, Any]:
    """JSON Schema of an activity file; vocabulary fields become enums with Danish labels."""
    schema = Activity.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://aktivsammen.example.dk/schema/activity.schema.json"
    _fill_vocabularies(schema, vocabularies)
    for name, enum in CHOICES.items():
        schema["$defs"][name]["x-labels"] = {member.value: member.label for member in enum}
    for definition in schema["$defs"].values():
        repeat = definition.get("properties", {}).get("repeat")
        if repeat and "const" in repeat:
            repeat["x-labels"] = {repeat["const"]: SLOT_LABELS[repeat["const"]]}
    return schema


def _fill_vocabularies(node: Any, vocabularies: Vocabularies) -> None:
    if isinstance(node, dict):
        kind = node.pop("x-vocabulary", None)
        if kind is not None:
            terms = vocabularies.terms(kind)
            node["enum"] = list(terms)
            node["x-labels"] = {term_id: vocabularies.label(kind, term_id) for term_id in terms}
        for value in node.values():
            _fill_vocabularies(value, vocabularies)
    elif isinstance(node, list):
        for value in node:
            _fill_vocabularies(value, vocabularies)


def render_schema(vocabularies: Vocabularies) -> str:
    """The schema as the checked-in file holds it (stable key order, trailing newline)."""
    return json.dumps(activity_schema(vocabularies), ensure_ascii=False, indent=2) + "\n"
