"""A file of answers from the submission page when the guide has no service (submit-file.js).

The browser only saves what was typed; here the model checks it, with the same rules and Danish
messages as the service, and the activity file is written in the canonical form. A new file
never replaces an existing one, and nothing is written when anything is wrong.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..loading import load_vocabularies
from ..model import danish_today
from ..schema import activity_schema
from .form import activity_from_form, field_kinds, form_spec, own_fields, pattern, walk
from .submission import SubmissionInvalid, check_note, check_submitter, prepare

FORMAT = "aktivsammen-indsendelse"  # as submit-file.js writes it


class AnswersInvalid(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Imported:
    path: Path
    title: str
    for_editor: list[str] = field(default_factory=list)  # the sender and the note: not in the file


def _pairs(path: Path) -> list[tuple[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AnswersInvalid([f"{path}: filen kan ikke læses som en indsendelse ({error})"]) from None
    if (
        not isinstance(data, dict)
        or data.get("formular") != FORMAT
        or not isinstance(data.get("felter"), list)
    ):
        raise AnswersInvalid([f"{path}: filen er ikke en indsendelse fra guidens formular"])
    return [
        (pair[0], pair[1])
        for pair in data["felter"]
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
    ]


def import_answers(path: Path, content_dir: Path) -> Imported:
    pairs = _pairs(path)
    vocabularies = load_vocabularies(content_dir / "data")
    fields = form_spec(activity_schema(vocabularies))
    labels = {spec.name: spec.label for spec in walk(fields + own_fields())}
    kinds = field_kinds(fields)
    errors: dict[str, str] = {}
    prepared = None
    try:
        prepared = prepare(
            activity_from_form(pairs, kinds), edit=None, vocabularies=vocabularies,
            activities_dir=content_dir / "activities", today=danish_today(),
        )  # fmt: skip
    except SubmissionInvalid as invalid:
        errors.update(invalid.errors)
    own = activity_from_form(pairs, field_kinds(own_fields()))
    submitter = None
    try:
        submitter = check_submitter(own.get("submitter"))
        note = check_note(own.get("note"))
    except SubmissionInvalid as invalid:
        errors.update(invalid.errors)
    if errors or prepared is None or submitter is None:
        raise AnswersInvalid(
            [
                f"{path}: {name} ({labels.get(pattern(name), name)}): {message}"
                for name, message in errors.items()
            ]
        )
    target = content_dir / "activities" / f"{prepared.slug}.yaml"
    draft = target.with_name(f".{target.name}.{os.getpid()}")
    draft.write_text(prepared.yaml, encoding="utf-8")
    try:
        os.link(draft, target)  # whole or not at all, and never over an existing file
    finally:
        draft.unlink()
    reach = ", ".join(value for value in (submitter.email, submitter.phone) if value)
    lines = [f"Sendt af: {submitter.name} ({reach})"]
    if note:
        lines.append(f"Besked: {note}")
    return Imported(target, prepared.activity.title, lines)
