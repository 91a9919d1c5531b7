"""The association form as a short question flow: one topic per page, then "Tjek dine svar".

GOV.UK's pattern, kept stateless: every page posts every answer given so far (the other pages'
answers as hidden fields), so the flow works the same with JavaScript off (plain posts, pages
rendered here) and on (the browser swaps the answer page in place). The pages are cut from the
form generated from the model (form.py): a step names the model's fields it asks; the labels,
help texts, limits and choices stay the model's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .form import FormField, pattern, walk

CHECK = "tjek"  # the page with every answer and "Send"


@dataclass(frozen=True)
class Step:
    slug: str  # posted as "trin", and the page's address fragment
    title: str  # the page's heading: what it asks
    names: tuple[str, ...]  # the model's top-level fields asked here (and the submitter's own)
    intro: str = ""


STEPS: tuple[Step, ...] = (
    Step(
        "aktiviteten",
        "Hvad laver I?",
        ("title", "summary", "categories", "target_groups", "level", "description", "url"),
        "Fortæl kort, hvad I laver. Det er det, folk ser først på guiden.",
    ),
    Step(
        "tider",
        "Hvornår mødes I?",
        ("schedule", "schedule_note"),
        "Skriv de faste tider. Ferier kommer på næste side.",
    ),
    Step(
        "lukket",
        "Hvornår holder I fri?",
        ("closed", "season", "special_dates"),
        "Så viser guiden og kalenderen kun de dage, hvor I faktisk mødes. Spring over det, der ikke passer.",
    ),
    Step("sted", "Hvor mødes I?", ("area", "location", "accessibility", "transport")),
    Step(
        "praktisk",
        "Pris og tilmelding",
        ("price", "signup", "newcomers_welcome", "companion_welcome", "first_visit"),
    ),
    Step(
        "kontakt",
        "Hvem kan man spørge?",
        ("organizer", "contact"),
        "Det står på guiden, så nye kan ringe eller skrive og spørge.",
    ),
    Step(
        "dig",
        "Om dig, der sender",
        ("submitter", "note"),
        "Så kan redaktionen svare dig. Det kommer ikke på guiden.",
    ),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def top_name(name: str) -> str:
    """ "schedule[0].start" -> "schedule"; "consent" -> "consent"."""
    return re.split(r"[.\[]", name, maxsplit=1)[0]


def step_of(name: str) -> Step | None:
    """The step that asks a field (or where an error about it is shown)."""
    top = top_name(name)
    return next((step for step in STEPS if top in step.names), None)


def fields_of(step: Step, fields: list[FormField]) -> list[FormField]:
    """The top-level fields of the form (and the submitter's) a step asks, in the step's order."""
    by_name = {spec.name: spec for spec in fields}
    return [by_name[name] for name in step.names if name in by_name]


def on_step(name: str, step: Step, specs: dict[str, FormField]) -> bool:
    """Whether the posted field `name` is a control shown on `step` (else it is carried hidden)."""
    spec = specs.get(pattern(name))
    return step_of(name) is step and spec is not None and spec.shown


def carried(
    values: dict[str, list[str]], step: Step | None, specs: dict[str, FormField]
) -> list[tuple[str, str]]:
    """The answers to carry as hidden fields on a page showing `step` (None: the check page)."""
    return [
        (name, value)
        for name, items in values.items()
        if pattern(name) in specs and (step is None or not on_step(name, step, specs))
        for value in items
    ]


def errors_on(step: Step, errors: dict[str, str]) -> dict[str, str]:
    return {name: message for name, message in errors.items() if step_of(name) is step}


def next_step(step: Step) -> str:
    index = STEPS.index(step)
    return STEPS[index + 1].slug if index + 1 < len(STEPS) else CHECK


def previous_step(step: Step) -> str | None:
    index = STEPS.index(step)
    return STEPS[index - 1].slug if index > 0 else None


def position(step: Step) -> str:
    return f"Trin {STEPS.index(step) + 1} af {len(STEPS)}"


def inputs(fields: Iterable[FormField]) -> int:
    """How many controls a set of fields shows (a choice counts each option): the flow's length."""
    count = 0
    for spec in walk(fields):
        if spec.kind in ("group", "rows", "records") or not spec.shown:
            continue
        count += len(spec.choices) if spec.widget() in ("radios", "choices", "boolean", "price") else 1
    return count
