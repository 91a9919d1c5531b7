"""From posted data to a checked activity file and the pull request that proposes it.

The service derives everything that reaches Git (the slug, the path, the branch name, the file's
text) from the validated model; nothing the client sends is used as a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..loading import ACTIVITY_SUFFIX, dump_activity, parse_yaml, read_text
from ..model import MAX_NOTE, SLUG_PATTERN, Activity, Submitter, Vocabularies
from ..problems import format_field, problems_from_validation
from ..schedule import danish_time
from ..text import slugify
from .forges import ChangeRequest
from .form import keep_order
from .store import Submission

NEW, UPDATE = "ny", "rettelse"
# The note of a submission that only confirms an activity ("Alt passer stadig"): only `verified` changes.
CONFIRMED_NOTE = "Alt passer stadig (bekræftet med ét tryk)."
MAX_SLUG = 60
WHOLE = format_field(())  # what the model's errors name when they are about the whole record
_SLUG = re.compile(SLUG_PATTERN)


class SubmissionInvalid(Exception):
    """The submission cannot be accepted; `errors` maps each field to a Danish message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


@dataclass(frozen=True)
class Prepared:
    """A valid submission, ready to store."""

    kind: str  # NEW or UPDATE
    slug: str
    activity: Activity
    yaml: str


def slug_for(title: str) -> str:
    """The file name (and web address) a new activity gets: "Gåklub i Jelling" -> "gaaklub-i-jelling"."""
    slug = slugify(title)
    return slug[:MAX_SLUG].rstrip("-") or "aktivitet"


def free_slug(wanted: str, activities_dir: Path, queued: set[str] = frozenset()) -> str:
    """The wanted slug, or with -2, -3 ... when an activity of that name exists, or is in the queue."""
    slug, number = wanted, 1
    while slug in queued or (activities_dir / f"{slug}{ACTIVITY_SUFFIX}").exists():
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def existing_file(slug: str, activities_dir: Path) -> Path | None:
    """The file of an existing activity, when `slug` (from a client) really names one."""
    path = activities_dir / f"{slug}{ACTIVITY_SUFFIX}"
    return path if _SLUG.match(slug) and path.is_file() else None


def prepare(
    data: Any,
    *,
    edit: str | None,
    vocabularies: Vocabularies,
    activities_dir: Path,
    today: date,
) -> Prepared:
    """Validate a submitted activity with the model; raise SubmissionInvalid with Danish messages."""
    current = existing_file(edit, activities_dir) if edit is not None else None
    if edit is not None and current is None:
        raise SubmissionInvalid(
            {"edit": "aktiviteten, der skal rettes, findes ikke (åbn formularen fra dens side)"}
        )
    if not isinstance(data, dict):
        raise SubmissionInvalid({"activity": "mangler aktivitetens oplysninger"})
    if current is not None:  # an unchanged edit must not reorder lists: the PR shows only real changes
        existing = parse_yaml(read_text(current, current.name), current.name).data
        data = keep_order(data, existing)
    record = {**data, "verified": today.isoformat()}  # submitting confirms the details today
    try:
        activity = Activity.model_validate(record, context={"vocabularies": vocabularies})
    except ValidationError as error:
        raise SubmissionInvalid(_field_errors(error, Activity, record)) from None
    slug = edit or free_slug(slug_for(activity.title), activities_dir)
    return Prepared(UPDATE if edit else NEW, slug, activity, dump_activity(activity))


def _field_errors(error: ValidationError, model: type, record: Any, prefix: str = "") -> dict[str, str]:
    """The model's Danish message per field, the first for each (the form shows one per field)."""
    problems = problems_from_validation(
        error, path="indsendelse", model=model, data=record, line_of=lambda path: 0
    )
    errors: dict[str, str] = {}
    for problem in problems:
        own = "" if prefix and problem.field == WHOLE else problem.field  # the record as a whole
        field = ".".join(part for part in (prefix, own) if part)
        errors.setdefault(field, problem.message)
    return errors


def check_submitter(data: Any) -> Submitter:
    """Who sent it, checked by the model; raise SubmissionInvalid with "submitter.<field>" errors."""
    record = data if isinstance(data, dict) else {}
    try:
        return Submitter.model_validate(record)
    except ValidationError as error:
        raise SubmissionInvalid(_field_errors(error, Submitter, record, prefix="submitter")) from None


def check_note(note: str | None) -> str:
    note = (note or "").strip().replace("\r\n", "\n")
    if len(note) > MAX_NOTE:
        raise SubmissionInvalid({"note": f"er for lang: {len(note)} tegn (højst {MAX_NOTE} tegn)"})
    return note


# --- The pull request ---------------------------------------------------------------------------


def _code(value: Any, limit: int = 300) -> str:
    """A submitter's value as an inline code span in one table cell: shown, never interpreted.

    In code, GitHub makes no mentions (@someone), no closing keywords (Fixes #1), no links and
    no images. The fence is longer than any run of backticks inside; pipes are escaped, as GFM
    tables need even in code; line breaks become a visible mark.
    """
    text = str(value).replace("\r", "").replace("\n", " ⏎ ")
    text = text[:limit] + ("…" if len(text) > limit else "")
    text = text.replace("|", "\\|")
    fence = "`" * (1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return f"{fence} {text} {fence}"  # the spaces are stripped when shown: a leading ` stays safe


def _code_block(text: str) -> list[str]:
    """Free text (the note) as a fenced code block, its fence longer than any backtick run inside."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    return [fence + "text", *text.replace("\r", "").splitlines(), fence]


def _rows(prefix: str, node: Any) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [
            row for key, child in node.items() for row in _rows(f"{prefix}.{key}" if prefix else key, child)
        ]
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return [
            row for index, child in enumerate(node) for row in _rows(format_field((prefix, index)), child)
        ]
    if isinstance(node, list):
        return [(prefix, ", ".join(str(item) for item in node))]
    return [(prefix, "ja" if node is True else "nej" if node is False else str(node))]


def pull_request_body(submission: Submission, activity_fields: dict[str, Any], path: str) -> str:
    """What the editor reads first: the fields as a table, the submitter's note, the reference."""
    action = "retter" if submission.kind == UPDATE else "foreslår en ny aktivitet:"
    received = danish_time(submission.received_at)
    lines = [
        f"En forening {action} {_code(submission.title)} via formularen på sitet.",
        "",
        f"Reference: **{submission.reference}** · modtaget {received} · fil: `{path}`",
        "",
    ]
    if submission.note:
        lines += [
            "### Besked fra indsenderen",
            "",
            *_code_block(submission.note),
            "",
        ]
    lines += ["### Oplysningerne", "", "| Felt | Værdi |", "| --- | --- |"]
    lines += [f"| `{field}` | {_code(value)} |" for field, value in _rows("", activity_fields)]
    lines += [
        "",
        "Tjek teksten, og ret direkte i filen, hvis noget skal justeres. "
        "Byggetjekket viser, om filen er gyldig. Flet, når alt er i orden.",
    ]
    return "\n".join(lines) + "\n"


def change_request(
    submission: Submission, activity_fields: dict[str, Any], content_path: str
) -> ChangeRequest:
    """The forge's instructions for one stored submission; every name is derived, never received."""
    if not _SLUG.match(submission.slug):  # stored by us, but checked again before it becomes a path
        raise ValueError(f"unsafe slug in the queue: {submission.slug!r}")
    what = "Rettelse" if submission.kind == UPDATE else "Ny aktivitet"
    path = f"{content_path.strip('/')}/{submission.slug}{ACTIVITY_SUFFIX}"
    return ChangeRequest(
        reference=submission.reference,
        branch=f"indsendelse/{submission.reference.lower()}-{submission.slug}"[:100],
        path=path,
        content=submission.yaml,
        commit_message=f"{what}: {submission.title} ({submission.reference})\n\nIndsendt via formularen.\n",
        title=f"{what}: {submission.title} ({submission.reference})",
        body=pull_request_body(submission, activity_fields, path),
    )
