"""The submission form, generated from the activity's JSON Schema so it never drifts from the model.

`form_spec` walks the schema (labels, help texts, examples, limits and choices all come from the
model, see `ask()` in model.py) and returns the fields the form template renders. Field names are
the paths editors see in validation errors ("schedule[0].start"), so an error from the service
lands next to its field. `activity_from_form` turns the posted fields back into an activity
record; the browser does the same (static/js/submit-form.js) with the same field kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from ..model import MAX_NOTE, MAX_SLOTS, MAX_SPECIAL_DATES, Submitter

# Set by the service, not asked: the submission itself confirms the details today.
NOT_ASKED = frozenset({"verified"})
# In the form but never shown, kept as they are on an edit (carried as hidden fields): derived
# (coordinates come from the place and area data, status from the dates), or for editors (the
# per-time note: the form asks one note about all the times).
NOT_SHOWN = frozenset(
    {"status", "paused_until", "location.latitude", "location.longitude", "schedule[].note"}
)
CLOCK_PATTERN = "[:.][0-5]"  # how the model's time-of-day pattern is recognised
MANY_CHOICES = 6  # above this, a single choice is a drop-down rather than radio buttons
BOOLEAN_CHOICES = (("ja", "Ja"), ("nej", "Nej"))


@dataclass
class FormField:
    """One control, or a group of controls (a fieldset), of the form."""

    name: str  # "title", "location.postcode", "schedule[].start" ([] = the row's index)
    label: str
    help: str = ""
    example: str = ""
    kind: str = "text"  # text, textarea, email, url, date, time, integer, number, dates, numbers,
    # boolean, choice, choices, group, price, rows (the times), records (special dates, closure
    # ranges: a few rows each of the same fields)
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_items: int | None = None
    children: list[FormField] = field(default_factory=list)
    kinds_using: list[str] = field(default_factory=list)  # schedule rows: which repeat kinds have it
    question: str = ""  # the choice's own legend, where its group's legend already names the field
    one_of: bool = False  # optional alone, but one of its group's `x-one-required` fields must be given
    fold: str = ""  # the model's yes/no question (`x-fold`): the field opens under it when answered

    @property
    def shown(self) -> bool:
        return self.name not in NOT_SHOWN

    @property
    def id(self) -> str:
        """An HTML id for the control ("schedule-0-start" once the row is known)."""
        return "felt-" + re.sub(r"[^a-z0-9]+", "-", self.name.replace("[]", "")).strip("-")

    def named(self, row: int) -> str:
        return self.name.replace("[]", f"[{row}]")

    def id_in(self, row: int) -> str:
        return "felt-" + re.sub(r"[^a-z0-9]+", "-", self.named(row)).strip("-")

    def widget(self) -> str:
        if self.kind == "choice":
            return "select" if len(self.choices) > MANY_CHOICES else "radios"
        return self.kind


class _Schema:
    """Resolves $refs and the optional (anyOf null) wrapping of the generated schema."""

    def __init__(self, schema: dict[str, Any]):
        self.defs = schema.get("$defs", {})

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node with its $ref and `anyOf [X, null]` unwrapped, its own title/help kept."""
        outer = {key: value for key, value in node.items() if key not in ("$ref", "anyOf")}
        if "$ref" in node:
            return {**self.resolve(self.defs[node["$ref"].rsplit("/", 1)[1]]), **outer}
        options = [option for option in node.get("anyOf", []) if option.get("type") != "null"]
        if len(options) == 1:
            return {**self.resolve(options[0]), **outer}
        return node


def _text_kind(node: dict[str, Any]) -> str:
    if node.get("format") == "email":
        return "email"
    if node.get("format") == "uri":
        return "url"
    if node.get("format") == "date":
        return "date"
    if CLOCK_PATTERN in node.get("pattern", ""):
        return "time"
    return "textarea" if node.get("maxLength", 0) > 160 else "text"


def danish_date_text(iso: str) -> str:
    """ "2026-12-03" -> "3.12.2026", as people write dates (and as the form reads them back)."""
    match = _ISO_DATE.match(iso)
    return f"{int(match[3])}.{int(match[2])}.{match[1]}" if match else iso


def _example(node: dict[str, Any]) -> str:
    examples = node.get("examples") or []
    if not examples:
        return ""
    if node.get("format") == "date" or node.get("items", {}).get("format") == "date":
        return re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: danish_date_text(m[0]), str(examples[0]))
    if isinstance(examples[0], list):
        return ", ".join(str(item) for item in examples[0])
    return str(examples[0])


def _help(text: str) -> str:
    """The help text without its "Valgfri." opening: the label already says "(valgfri)"."""
    return re.sub(r"^Valgfri(?: webadresse)?[.,]\s*", "", text).strip()


def _field(schema: _Schema, name: str, raw: dict[str, Any], required: bool) -> FormField:
    node = schema.resolve(raw)
    spec = FormField(
        name=name,
        label=node.get("title", name),
        help=_help(raw.get("description", "")),  # the property's own text, never a model's docstring
        example=_example(node),
        required=required,
        max_length=node.get("maxLength"),
        minimum=node.get("minimum"),
        maximum=node.get("maximum"),
        fold=raw.get("x-fold") or node.get("x-fold", ""),
    )
    if "oneOf" in node and name == "price":
        amount = schema.resolve(next(o for o in node["oneOf"] if "$ref" in o))
        spec.kind = "price"
        spec.choices = [("gratis", "Gratis"), ("beløb", "Det koster penge")]
        spec.question = "Koster det noget?"
        # The amount's own rules apply once "Det koster penge" is chosen.
        spec.children = _children(schema, "price", amount, required=True)
    elif node.get("type") == "array" and "oneOf" in node.get("items", {}):
        spec.kind = "rows"
        spec.max_items = node.get("maxItems")
        spec.children = _rows(schema, name, node["items"]["oneOf"])
    elif node.get("type") == "array":
        items = schema.resolve(node["items"])
        spec.max_items = node.get("maxItems")
        if "enum" in items:
            spec.kind = "choices"
            spec.choices = _choices(items)
        elif items.get("type") == "object":  # special dates, closure ranges: rows of the same fields
            spec.kind = "records"
            spec.children = _children(schema, f"{name}[]", items, required=True)
        else:
            spec.kind = "dates" if items.get("format") == "date" else "numbers"
    elif node.get("type") == "object":
        spec.kind = "group"
        spec.children = _children(schema, name, node, required)
    elif "enum" in node:
        spec.kind = "choice"
        spec.choices = _choices(node)
    elif node.get("type") == "boolean":
        spec.kind = "boolean"
        spec.choices = list(BOOLEAN_CHOICES)
    elif node.get("type") in ("integer", "number"):
        spec.kind = node["type"]
    else:
        spec.kind = _text_kind(node)
    return spec


def _choices(node: dict[str, Any]) -> list[tuple[str, str]]:
    labels = node.get("x-labels", {})
    return [(value, labels.get(value, value)) for value in node["enum"]]


def _children(schema: _Schema, prefix: str, node: dict[str, Any], required: bool) -> list[FormField]:
    needed = set(node.get("required", []))
    one_of = set(node.get("x-one-required", []))
    children = [
        _field(schema, f"{prefix}.{key}" if prefix else key, child, required and key in needed)
        for key, child in node.get("properties", {}).items()
        if key not in NOT_ASKED
    ]
    for child in children:
        child.one_of = child.name.rsplit(".", 1)[-1] in one_of
    return children


def _rows(schema: _Schema, name: str, members: list[dict[str, Any]]) -> list[FormField]:
    """A schedule row: the union of its kinds' fields, each marked with the kinds that use it."""
    fields: dict[str, FormField] = {}
    repeat = FormField(name=f"{name}[].repeat", label="Hvor ofte", kind="choice", required=True)
    for member in members:
        node = schema.resolve(member)
        kind = node["properties"]["repeat"]["const"]
        repeat.choices.append((kind, node["properties"]["repeat"]["x-labels"][kind]))
        for child in _children(schema, f"{name}[]", node, required=True):
            if child.name == repeat.name:
                continue
            known = fields.setdefault(child.name, child)
            known.kinds_using.append(kind)
    return [repeat, *fields.values()]


def form_spec(schema: dict[str, Any]) -> list[FormField]:
    """The whole form, top to bottom, in the model's field order."""
    return _children(_Schema(schema), "", schema, required=True)


def own_fields() -> list[FormField]:
    """The sender's questions (the Submitter model) and the note to the editors: never published."""
    schema = Submitter.model_json_schema()
    sender = FormField(
        name="submitter", label="Dig, der sender", kind="group", required=True,
        help="Skriv din e-mail eller dit telefonnummer, eller begge dele.",
        children=_children(_Schema(schema), "submitter", schema, required=True),
    )  # fmt: skip
    note = FormField(
        name="note", label="Besked til redaktionen", kind="textarea", max_length=MAX_NOTE,
        help="Fx hvad der er ændret. Skriv ikke personlige oplysninger om andre her.",
    )  # fmt: skip
    return [sender, note]


def walk(fields: Iterable[FormField]) -> Iterable[FormField]:
    """Every field, groups first, then their children."""
    for spec in fields:
        yield spec
        yield from walk(spec.children)


def field_kinds(fields: list[FormField]) -> dict[str, str]:
    """name -> kind for every control: what both converters need to know (also sent to the browser)."""
    return {spec.name: spec.kind for spec in walk(fields) if spec.kind not in ("group",)}


# --- Posted fields -> activity record -----------------------------------------------------------

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_DANISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _parts(name: str) -> list[str | int]:
    return [int(index) if index else key for key, index in _PART.findall(name)]


def within_slots(name: str) -> bool:
    """Whether every row number in a field's name is one the form can have (`schedule[19999].x` is not).

    Checked before anything is built from a post, so no row count a client chooses costs memory.
    """
    most = max(MAX_SLOTS, MAX_SPECIAL_DATES)
    return len(name) <= 200 and all(not index or int(index) < most for _, index in _PART.findall(name))


def pattern(name: str) -> str:
    """ "schedule[0].start" -> "schedule[].start": the form field a posted name belongs to."""
    return re.sub(r"\[\d+\]", "[]", name)


def _date_text(text: str) -> str:
    """ "3.12.2026" -> "2026-12-03"; anything else unchanged (the model says what is wrong)."""
    match = _DANISH_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def _value(kind: str, values: list[str]) -> Any:
    values = [value.strip() for value in values if value.strip()]
    if kind == "choices":
        return values
    if not values:
        return None
    text = values[-1]
    if kind == "boolean":
        return {"ja": True, "nej": False}.get(text, text)
    if kind == "integer":
        return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text
    if kind == "number":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    if kind == "dates":
        return [_date_text(part) for part in re.split(r"[\s,;]+", text) if part]
    if kind == "numbers":  # week numbers: "29, 30 og 31"
        parts = [part for part in re.split(r"[\s,;]+|\bog\b", text) if part]
        return [int(part) if part.isdigit() and len(part) < 4 else part for part in parts]
    if kind == "date":
        return _date_text(text)
    return text.replace("\r\n", "\n")


def activity_from_form(pairs: Iterable[tuple[str, str]], kinds: dict[str, str]) -> dict[str, Any]:
    """The posted form as an activity record (before validation; unknown names are ignored)."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        if within_slots(name) and pattern(name) in kinds:
            grouped.setdefault(name, []).append(value)
    price_choice = (grouped.pop("price", None) or [""])[-1]
    record: dict[str, Any] = {}
    for name, values in grouped.items():
        value = _value(kinds[pattern(name)], values)
        if value is None or value == []:
            continue
        parts = _parts(name)
        node: Any = record
        for part, following in pairwise(parts):
            empty: Any = [] if isinstance(following, int) else {}
            if isinstance(part, int):
                while len(node) <= part:
                    node.append(None)
                node[part] = node[part] if node[part] is not None else empty
                node = node[part]
            else:
                node = node.setdefault(part, empty)
        node[parts[-1]] = value
    if price_choice == "gratis":
        record["price"] = "gratis"
    return _tidy(record, kinds)


def _tidy(record: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """Drop the blank rows: the form offers more rows (times, special dates, closed periods)
    than are used, and a row left empty is no row."""
    for name, kind in kinds.items():
        *parents, last = name.split(".")
        node: Any = record
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if kind == "records" and isinstance(node, dict) and isinstance(node.get(last), list):
            node[last] = [row for row in node[last] if row]
            if not node[last]:
                del node[last]
    rows = record.get("schedule")
    if isinstance(rows, list):
        rows = [row or {} for row in rows]
        while rows and set(rows[-1]) <= {"repeat"}:
            rows.pop()  # blank rows at the end: the form offers more than are used
        if rows:
            record["schedule"] = rows
        else:
            record.pop("schedule")
    return record


def keep_order(posted: Any, current: Any) -> Any:
    """`posted` with its chosen values in `current`'s order, new ones last.

    Check boxes post in the form's order, so an unchanged edit would otherwise reorder an
    activity's categories and show a change the submitter never made.
    """
    if isinstance(posted, dict) and isinstance(current, dict):
        return {key: keep_order(value, current.get(key)) for key, value in posted.items()}
    if isinstance(posted, list) and isinstance(current, list):
        if all(isinstance(item, dict) for item in posted):
            return [keep_order(item, current[index] if index < len(current) else None)
                    for index, item in enumerate(posted)]  # fmt: skip
        if all(isinstance(item, str) for item in posted) and all(isinstance(i, str) for i in current):
            position = {item: index for index, item in enumerate(current)}
            return sorted(posted, key=lambda item: position.get(item, len(current)))
    return posted


def form_values(activity: dict[str, Any], kinds: dict[str, str] | None = None) -> dict[str, list[str]]:
    """An activity record as form values (name -> values), to prefill or re-show the form.

    With the form's `kinds`, dates are written as people write them ("3.12.2026").
    """
    values: dict[str, list[str]] = {}
    dated = {name for name, kind in (kinds or {}).items() if kind in ("date", "dates")}

    def text(name: str, item: Any) -> str:
        return danish_date_text(str(item)) if pattern(name) in dated else str(item)

    def visit(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                visit(f"{prefix}.{key}" if prefix else key, child)
        elif isinstance(node, list) and node and isinstance(node[0], dict):
            for index, child in enumerate(node):
                visit(f"{prefix}[{index}]", child)
        elif isinstance(node, list):
            if prefix.endswith(".dates") or (kinds or {}).get(pattern(prefix)) in ("dates", "numbers"):
                values[prefix] = [", ".join(text(prefix, item) for item in node)]
            else:
                values[prefix] = [str(item) for item in node]
        elif isinstance(node, bool):
            values[prefix] = ["ja" if node else "nej"]
        elif node is not None:
            values[prefix] = [text(prefix, node)]

    visit("", activity)
    price = activity.get("price")
    if price == "gratis":
        values["price"] = ["gratis"]
    elif isinstance(price, dict):
        values["price"] = ["beløb"]
    return values
