"""Validation problems as editors read them: file:line: field: what is wrong (what is allowed)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .model import UNION_TAGS

WHOLE_FILE = "(hele filen)"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one content file."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class ContentError(Exception):
    """One or more content files are invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_report(self.problems))

    def __reduce__(self):
        # Rebuilt from the problems, not the report, when it crosses processes (parallel reading).
        return (type(self), (self.problems,))


def format_report(problems: list[Problem]) -> str:
    """All problems, one per line, then a count in plain Danish."""
    lines = [str(problem) for problem in problems]
    files = len({problem.path for problem in problems})
    noun = "fejl"
    lines.append(f"{len(problems)} {noun} i {files} {'fil' if files == 1 else 'filer'}")
    return "\n".join(lines)


def _expected(error: ErrorDetails) -> str:
    expected = str(error.get("ctx", {}).get("expected", ""))
    return expected.replace("'", "").replace(" or ", ", ")


# Pydantic's own error types, in plain Danish. Our validators raise type "aktivsammen"
# with a Danish message already, so they need no entry here.
MESSAGES: dict[str, Any] = {
    "missing": lambda e: "mangler (feltet skal udfyldes)",
    "extra_forbidden": None,  # handled with the list of allowed keys, see _message()
    "string_type": lambda e: "skal være tekst (sæt evt. anførselstegn om værdien)",
    "string_too_short": lambda e: "må ikke være tom",
    "string_too_long": lambda e: f"er for lang: {len(e['input'])} tegn (højst {e['ctx']['max_length']} tegn)",
    "int_type": lambda e: "skal være et helt tal (fx 25)",
    "int_parsing": lambda e: "skal være et helt tal (fx 25)",
    "int_from_float": lambda e: "skal være et helt tal uden decimaler (fx 25)",
    "float_type": lambda e: "skal være et tal (fx 55.71)",
    "float_parsing": lambda e: "skal være et tal (fx 55.71)",
    "greater_than_equal": lambda e: f"er for lille (mindst {e['ctx']['ge']})",
    "less_than_equal": lambda e: f"er for stor (højst {e['ctx']['le']})",
    "bool_type": lambda e: "skal være true (ja) eller false (nej)",
    "bool_parsing": lambda e: "skal være true (ja) eller false (nej)",
    "date_type": lambda e: "skal være en dato som ÅÅÅÅ-MM-DD (fx 2026-09-01)",
    "date_parsing": lambda e: "skal være en gyldig dato som ÅÅÅÅ-MM-DD (fx 2026-09-01)",
    "date_from_datetime_parsing": lambda e: "skal være en gyldig dato som ÅÅÅÅ-MM-DD (fx 2026-09-01)",
    "date_from_datetime_inexact": lambda e: "skal være en dato uden klokkeslæt (fx 2026-09-01)",
    "list_type": lambda e: "skal være en liste: [første, anden] eller en linje pr. punkt med - foran",
    "too_short": lambda e: f"skal have mindst {_items(e['ctx']['min_length'])}",
    "too_long": lambda e: f"må højst have {_items(e['ctx']['max_length'])}",
    "model_type": lambda e: "skal være en gruppe af felter (nøgle: værdi), ikke en enkelt værdi",
    "model_attributes_type": lambda e: "skal være en gruppe af felter (nøgle: værdi)",
    "dict_type": lambda e: "skal være en gruppe af felter (nøgle: værdi)",
    "enum": lambda e: f"'{e['input']}' er ikke tilladt (tilladt: {_expected(e)})",
    "literal_error": lambda e: f"'{e['input']}' er ikke tilladt (tilladt: {_expected(e)})",
    "union_tag_invalid": lambda e: (
        f"'{e['ctx']['tag']}' er ikke en kendt gentagelse (tilladt: {_expected_tags(e)})"
    ),
    "union_tag_not_found": lambda e: "mangler repeat (tilladt: ugentlig, hver-anden-uge, månedlig, datoer)",
}


def _items(count: int) -> str:
    return f"{count} punkt" if count == 1 else f"{count} punkter"


def _expected_tags(error: ErrorDetails) -> str:
    return str(error["ctx"]["expected_tags"]).replace("'", "")


def _message(error: ErrorDetails, allowed_keys: Iterable[str]) -> str:
    kind = error["type"]
    if kind == "aktivsammen":
        return error["msg"]
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        allowed = list(allowed_keys)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
        hint = f"mente du '{close[0]}'? " if close else ""
        return f"ukendt felt '{key}' ({hint}tilladte felter: {', '.join(allowed)})"
    translate = MESSAGES.get(kind)
    if translate is None:
        # A pydantic error we have no Danish text for yet: still name it plainly.
        return f"ugyldig værdi ({error['msg']})"
    return translate(error)


def danish_message(error: ErrorDetails) -> str:
    """One pydantic error in plain Danish (as in the build's reports), for a model without extras."""
    return _message(error, ())


def field_path(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The error's location as keys in the file, without pydantic's union tags."""
    # A tag always follows the field it selects a variant of; a first key that merely looks like
    # one (a misspelt top-level key "månedlig") is the user's key and stays.
    return tuple(part for index, part in enumerate(loc) if index == 0 or part not in UNION_TAGS)


def format_field(path: tuple[Any, ...]) -> str:
    """("schedule", 0, "start") -> "schedule[0].start"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or WHOLE_FILE


def _allowed_keys(model: type, path: tuple[Any, ...], data: Any) -> list[str]:
    """The keys a mapping at `path` may hold, found by walking the model alongside the data."""
    current: Any = model
    node = data
    for part in path:
        node = node[part] if isinstance(node, Mapping | list) else None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) else None
        if field is None:
            field = next((f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        current = _model_in(field.annotation, node)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any, node: Any) -> type | None:
    """The model class inside an annotation (unwrapping lists, optionals and unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    candidates = [m for arg in get_args(annotation) if (m := _model_in(arg, node)) is not None]
    if len(candidates) > 1 and isinstance(node, Mapping):
        # A discriminated union: pick the member whose `repeat` matches the data.
        for candidate in candidates:
            repeat = candidate.model_fields.get("repeat")
            if repeat is not None and node.get("repeat") in get_args(repeat.annotation):
                return candidate
    return candidates[0] if candidates else None


def _without_renamed_fields(details: list[ErrorDetails], model: type, data: Any) -> list[ErrorDetails]:
    """A misspelt key ("titel") is one mistake: drop the "title is missing" it also causes."""
    renamed = set()
    for detail in details:
        if detail["type"] == "extra_forbidden":
            where = field_path(detail["loc"])
            allowed = _allowed_keys(model, where[:-1], data)
            close = difflib.get_close_matches(str(where[-1]), allowed, n=1, cutoff=0.5)
            if close:
                renamed.add((*where[:-1], close[0]))
    return [d for d in details if not (d["type"] == "missing" and field_path(d["loc"]) in renamed)]


def problems_from_validation(
    error: ValidationError | list[ErrorDetails],
    *,
    path: str,
    model: type,
    data: Any,
    line_of: Any,
) -> list[Problem]:
    """Turn pydantic's errors into Danish problems with the line each one is on."""
    details = error.errors(include_url=False) if isinstance(error, ValidationError) else error
    problems = []
    for detail in _without_renamed_fields(details, model, data):
        where = field_path(detail["loc"])
        container = where[:-1] if detail["type"] == "extra_forbidden" else where
        allowed = _allowed_keys(model, container, data) if detail["type"] == "extra_forbidden" else []
        problems.append(Problem(path, line_of(where), format_field(where), _message(detail, allowed)))
    return problems
