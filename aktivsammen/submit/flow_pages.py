"""The question flow's answers to each press: which page comes next, with what values and errors.

HTTP-free: the handlers in app.py pass the posted fields in and send back the page and its status.
Every rule and message comes from the model through `Service.check`; a step shows only the
errors about its own questions, "Tjek dine svar" shows all that are left.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import MAX_SLOTS, danish_today
from .flow import CHECK, STEP_BY_SLUG, STEPS, Step, carried, errors_on, next_step, position, previous_step
from .form import activity_from_form, form_values, within_slots
from .guards import TOO_FAST, TOO_MANY, client_key
from .submission import CONFIRMED_NOTE, SubmissionInvalid, check_submitter

if TYPE_CHECKING:
    from .app import Service
    from .store import Submission
    from .submission import Prepared

ACTION = "/indsend/trin"
# What the flow itself posts besides the answers.
CONTROLS = frozenset({
    "trin", "handling", "edit", "tilbage_til", "rows", "token", "idempotency_key", "website", "consent",
    "invitation",
})  # fmt: skip
INVITED_NOTE = "Kontaktpersonen bekræftede via linket i påmindelsen."
EXPIRED_LINK = (
    "Linket fra e-mailen er for gammelt, men du kan stadig bekræfte eller rette oplysningerne her. "
    "Skriv så hvem du er under «Om dig, der sender»."
)
_TIMES = re.compile(r"^schedule\[(\d+)\]")


@dataclass
class Page:
    """An answer: the HTML between the page's markers, its title and status code."""

    html: str
    title: str
    status: int = 200
    submission: Submission | None = None


@dataclass
class FlowState:
    """What every page of the flow carries (the template reads it)."""

    slug: str
    edit: str = ""
    returning: str = ""
    token: str = ""
    key: str = ""
    carried: list[tuple[str, str]] = field(default_factory=list)
    action: str = ACTION
    back: bool = False
    caption: str = ""
    invitation: str = ""  # "<last day>.<signature>" from a reminder's link, carried to the end


def answers_in(form: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The posted answers (name -> values), without the flow's own controls or impossible rows."""
    values: dict[str, list[str]] = {}
    for name, value in form:
        if name not in CONTROLS and within_slots(name):
            values.setdefault(name, []).append(value)
    return values


def without_row(values: dict[str, list[str]], row: int) -> dict[str, list[str]]:
    """The answers with time `row` removed and the later times moved up."""
    moved: dict[str, list[str]] = {}
    for name, items in values.items():
        match = _TIMES.match(name)
        if match is None:
            moved[name] = items
        elif int(match[1]) != row:
            index = int(match[1])
            moved[_TIMES.sub(f"schedule[{index - 1 if index > row else index}]", name)] = items
    return moved


def rows_in(values: dict[str, list[str]], asked: str) -> int:
    used = {int(match[1]) for name in values if (match := _TIMES.match(name))}
    wanted = int(asked) if asked.isdigit() and len(asked) < 4 else 1
    return min(max(wanted, 1 + max(used, default=0), 1), MAX_SLOTS)


class FlowPages:
    """The flow's pages, rendered by the service's PageRenderer from the model's form."""

    def __init__(self, service: Service):
        self.service = service
        self.pages = service.pages
        self.submitter_kinds = {spec.name: spec.kind for spec in service.pages.submitter_specs()}

    # --- Ways in ---

    def start(self) -> Page:
        return self.step(STEPS[0], {}, {}, FlowState(STEPS[0].slug, token=self.service.tokens.issue()))

    def edit(self, slug: str, invitation: str = "") -> Page | None:
        """ "Ret oplysninger": every current answer on "Tjek dine svar", with "Alt passer stadig".

        From a reminder's link (`invitation`) the contact is the sender, already filled in."""
        record = self.service.existing(slug)
        if record is None:
            return None
        values = form_values(record, self.service.kinds)
        state = FlowState(CHECK, edit=slug, token=self.service.tokens.issue())
        notice = ""
        if invitation:
            contact = self.invited(slug, invitation)
            if contact:
                state.invitation = invitation
                values |= {f"submitter.{name}": [value] for name, value in contact.items()}
            else:
                notice = EXPIRED_LINK
        return self.check(values, {}, state, title=f"Ret oplysninger om {record['title']}", notice=notice)

    def invited(self, slug: str, invitation: str) -> dict[str, str]:
        """The activity's contact (name, e-mail) if `invitation` is a valid link sent to them."""
        record = self.service.existing(slug) or {}
        contact = record.get("contact") or {}
        email = contact.get("email", "")
        last_day, _, signature = invitation.partition(".")
        if not self.service.links.valid(slug, email, last_day, signature, danish_today()):
            return {}
        name = contact.get("name") or (record.get("organizer") or {}).get("name", "")
        return {"name": name, "email": email}

    # --- A press on one of the flow's buttons ---

    def press(self, form: list[tuple[str, str]], allowed: Callable[[], bool]) -> Page:
        """The page after a press. `allowed` says whether the sender may send (the rate limit)."""
        posted = dict(form)
        values = answers_in(form)
        action = posted.get("handling", "fortsaet")
        slug = posted.get("trin", "")
        step = STEP_BY_SLUG.get(slug)
        edit = posted.get("edit", "")
        if edit and self.service.existing(edit) is None:
            return self.message("Aktiviteten findes ikke", "Tjek adressen.", 404)
        token = posted.get("token", "")
        state = FlowState(
            slug if step else CHECK,
            edit=edit,
            returning=CHECK if posted.get("tilbage_til") == CHECK else "",
            token=token if self.service.tokens.age(token) is not None else self.service.tokens.issue(),
            key=posted.get("idempotency_key", ""),
            invitation=posted.get("invitation", ""),
        )
        rows = rows_in(values, posted.get("rows", "1"))
        if action.startswith("ret-") and action[4:] in STEP_BY_SLUG:
            target = STEP_BY_SLUG[action[4:]]
            return self.step(target, values, {}, _moved(state, target, returning=CHECK))
        if step is None:  # on "Tjek dine svar"
            if action == "send":
                return self.send(values, posted, state, allowed)
            if action == "bekraeft" and edit:
                return self.confirm(values, state, allowed)
            return self.check(values, {}, state)
        if action == "tilbage":
            back = previous_step(step)
            return (
                self.step(STEP_BY_SLUG[back], values, {}, _moved(state, STEP_BY_SLUG[back]))
                if back
                else self.start()
            )
        if action == "tilfoej":
            return self.step(step, values, {}, state, rows=min(rows + 1, MAX_SLOTS))
        if action.startswith("fjern-") and action[6:].isdigit():
            return self.step(step, without_row(values, int(action[6:])), {}, state, rows=max(rows - 1, 1))
        if action == "opdater":
            return self.step(step, values, {}, state, rows=rows)
        errors = errors_on(step, self.checked(values, edit)[2])
        if errors:
            return self.step(step, values, errors, state, rows=rows, status=422)
        following = state.returning or next_step(step)
        if following == CHECK:
            return self.check(values, {}, _moved(state, None))
        return self.step(STEP_BY_SLUG[following], values, {}, _moved(state, STEP_BY_SLUG[following]))

    # --- Checking ---

    def checked(
        self, values: dict[str, list[str]], edit: str, consent: bool | None = None
    ) -> tuple[Prepared | None, str, dict[str, str]]:
        """The answers checked by the model (the activity and the sender): every error, worded there."""
        pairs = [(name, value) for name, items in values.items() for value in items]
        activity = activity_from_form(pairs, self.service.kinds)
        note = (values.get("note") or [""])[-1]
        prepared, note, errors = self.service.check(activity, edit or None, note, consent=consent)
        try:
            check_submitter(self.submitter_of(values))
        except SubmissionInvalid as invalid:
            errors.update(invalid.errors)
        return prepared, note, errors

    def submitter_of(self, values: dict[str, list[str]]) -> dict[str, Any]:
        pairs = [(name, value) for name, items in values.items() for value in items]
        return activity_from_form(pairs, self.submitter_kinds).get("submitter") or {}

    # --- Pages ---

    def step(
        self, step: Step, values: dict[str, list[str]], errors: dict[str, str], state: FlowState,
        rows: int | None = None, status: int | None = None,
    ) -> Page:  # fmt: skip
        state.slug = step.slug
        state.back = previous_step(step) is not None
        state.caption = f"{self._what(state)} · {position(step)}"
        state.carried = carried(values, step, self.pages.specs)
        html = self.pages.flow_step(state, step, values, errors, rows or rows_in(values, "1"))
        title = f"Fejl: {step.title}" if errors else step.title
        return Page(self.pages.page(html, title), title, status or (422 if errors else 200))

    def check(
        self, values: dict[str, list[str]], errors: dict[str, str], state: FlowState,
        title: str = "", notice: str = "", status: int | None = None,
    ) -> Page:  # fmt: skip
        state.slug = CHECK
        state.returning = ""
        state.caption = self._what(state)
        state.carried = carried(values, None, self.pages.specs)
        record = self.service.existing(state.edit) if state.edit else None
        title = title or (
            f"Ret oplysninger om {record['title']}" if record else "Tjek dine svar, før du sender"
        )
        pairs = [(name, value) for name, items in values.items() for value in items]
        prepared, _, _ = self.service.check(
            activity_from_form(pairs, self.service.kinds), state.edit or None, "", None
        )
        html = self.pages.flow_check(
            state, title, values, errors, prepared.activity if prepared else None, notice
        )
        title = f"Fejl: {title}" if errors else title
        return Page(self.pages.page(html, title), title, status or (422 if errors else 200))

    def send(
        self,
        values: dict[str, list[str]],
        posted: dict[str, str],
        state: FlowState,
        allowed: Callable[[], bool],
    ) -> Page:
        consent = posted.get("consent") == "ja"
        prepared, note, errors = self.checked(values, state.edit, consent=consent)
        if errors or prepared is None:
            return self.check(values, errors, state)
        if not self.service.tokens.ripe(posted.get("token", "")):
            return self.check(values, {}, state, notice=TOO_FAST, status=422)
        if not allowed():
            return self.message("Vent lidt", TOO_MANY, 429)
        submitter = self.submitter_of(values)
        submission = self.service.accept(
            prepared, note, client_key(state.key), held=bool(posted.get("website", "").strip()),
            submitter=submitter,
        )  # fmt: skip
        return self.receipt(submission, submitter)

    def confirm(self, values: dict[str, list[str]], state: FlowState, allowed: Callable[[], bool]) -> Page:
        """ "Alt passer stadig": the activity as it is, confirmed today (a pull request of one line).

        The sender is who "Om dig" names, if anyone (from a reminder's link: the contact)."""
        if not self.service.tokens.ripe(state.token):
            values = form_values(self.service.existing(state.edit) or {}, self.service.kinds)
            return self.check(values, {}, state, notice=TOO_FAST, status=422)
        if not allowed():
            return self.message("Vent lidt", TOO_MANY, 429)
        submitter = self.submitter_of(values)
        try:
            check_submitter(submitter)
        except SubmissionInvalid:
            submitter = {}
        invited = bool(state.invitation and self.invited(state.edit, state.invitation))
        note = f"{CONFIRMED_NOTE} {INVITED_NOTE}" if invited else CONFIRMED_NOTE
        prepared = self.service.prepare(self.service.existing(state.edit), state.edit)
        submission = self.service.accept(
            prepared, note, client_key(state.key), held=False, submitter=submitter
        )
        return self.receipt(submission, submitter, confirmed=True)

    def receipt(self, submission: Submission, submitter: dict[str, Any], confirmed: bool = False) -> Page:
        html = self.pages.flow_receipt(submission, submitter, confirmed)
        return Page(self.pages.page(html, "Tak"), "Tak", submission=submission)

    def message(self, title: str, text: str, status: int) -> Page:
        return Page(self.pages.message(title, text), title, status)

    @staticmethod
    def _what(state: FlowState) -> str:
        return "Ret en aktivitet" if state.edit else "Indsend en aktivitet"


def _moved(state: FlowState, step: Step | None, returning: str | None = None) -> FlowState:
    state.slug = step.slug if step else CHECK
    if returning is not None:
        state.returning = returning
    return state


def submitter_json(submitter: dict[str, Any]) -> str:
    return json.dumps(submitter, ensure_ascii=False, sort_keys=True) if submitter else ""
