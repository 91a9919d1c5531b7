"""The service's HTML answers, in the site's own page.

The build writes /indsend/ with the form between two markers. The service takes that page as a
shell (same header, footer, styles and help box) and puts its answer between the markers: the
form again with the values kept and the errors shown, a preview to confirm, or the receipt. The
form itself comes from the same template macro the build uses, so the two never differ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..model import Activity, Vocabularies
from ..schedule import describe_price
from ..templating import theme_environment
from .flow import STEPS, Step, fields_of, step_of
from .form import FormField, own_fields, walk
from .store import Submission

THEME_TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "aktivsammen" / "templates"
START, END = "<!-- formular -->", "<!-- /formular -->"
ACTION = "/indsend/send"
# An activity's page: the service's answers to the forms posted from it go in the article's place.
ARTICLE_START, ARTICLE_END = "<!-- aktivitet -->", "<!-- /aktivitet -->"
_ROW = re.compile(r"\[(\d+)\]")
# Errors about the parts of the form the model does not describe: (control id, label).
_OWN_FIELDS = {"consent": ("felt-consent", "Bekræftelse")}
_WHOLE_ROW = re.compile(r"^(.+)\[(\d+)\]$")

_FALLBACK_SHELL = f"""<!doctype html>
<html lang="da"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Indsend en aktivitet</title></head>
<body><main id="indhold">{START}{END}</main></body></html>"""


class PageRenderer:
    def __init__(
        self,
        site_dir: Path | None,
        vocabularies: Vocabularies,
        fields: list[FormField],
        kinds: dict[str, str],
        site_url: str = "",
    ):
        self.site_dir = Path(site_dir) if site_dir else None
        self.site_url = site_url.rstrip("/")
        self.privacy_url = self.site_link("privatliv/")
        self.vocabularies = vocabularies
        self.fields = fields
        self.own = own_fields()  # the sender's questions and the note: asked, never published
        self.specs = {spec.name: spec for spec in walk(fields + self.own)}
        environment = theme_environment(THEME_TEMPLATES)
        self.macros = environment.get_template("components/submission.html").module
        self.flow_macros = environment.get_template("components/flow.html").module
        self.schedules = environment.get_template("components/schedule.html").module
        self.companions = environment.get_template("components/companion.html").module
        self.report_forms = environment.get_template("components/report.html").module

    def shell(self, page: str = "indsend/index.html", start: str = START, end: str = END) -> str:
        """A built page (read each time: a rebuild shows at once) with its markers, or a plain page."""
        if self.site_dir is not None:
            path = self.site_dir / page
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                if start in text and end in text:
                    return text
        return _FALLBACK_SHELL.replace(START, start).replace(END, end)

    def page(self, content: str, title: str | None = None, *, page: str = "indsend/index.html",
              start: str = START, end: str = END) -> str:  # fmt: skip
        before, rest = self.shell(page, start, end).split(start, 1)
        after = rest.split(end, 1)[1]
        if title:
            before = re.sub(r"<title>", f"<title>{escape(title)} – ", before, count=1)
        return f"{before}{start}\n{content}\n{end}{after}"

    def summary(self, errors: dict[str, str]) -> list[tuple[str, str, str]]:
        """(control id, label, message) for the error summary, in the form's order."""
        items = []
        for name, message in errors.items():
            whole_row = _WHOLE_ROW.match(name)
            spec = self.specs.get(_ROW.sub("[]", name))
            if name in _OWN_FIELDS:
                items.append((*_OWN_FIELDS[name], message))
            elif whole_row and f"{whole_row[1]}[].repeat" in self.specs:  # a schedule row as a whole
                row = int(whole_row[2])
                items.append(
                    (self._control(self.specs[f"{whole_row[1]}[].repeat"], row), f"Tid {row + 1}", message)
                )
            elif spec is None:
                items.append(("indhold", name, message))
            else:
                rows = _ROW.findall(name)
                row = int(rows[0]) if rows else None
                label = spec.question or spec.label  # what the form shows next to the control
                label = f"Tid {row + 1}: {label}" if row is not None else label
                items.append((self._control(spec, row), label, message))
        return items

    @staticmethod
    def _control(spec: FormField, row: int | None) -> str:
        """The id to focus for a field: for a group of options, the first option puts the user in it."""
        control = spec.id_in(row) if row is not None else spec.id
        return control + "-1" if spec.widget() in ("radios", "choices", "boolean", "price") else control

    def preview(self, activity: Activity) -> str:
        return str(self.macros.preview(activity, self.vocabularies))

    def submitter_specs(self) -> list[FormField]:
        return list(walk(self.own[:1]))[1:]

    # --- The question flow (flow.py, flow_pages.py) ---

    def flow_step(
        self, state: Any, step: Step, values: dict[str, list[str]], errors: dict[str, str], rows: int
    ) -> str:
        html = self.flow_macros.step_page(
            state, step, fields_of(step, self.fields + self.own), values, errors, self.summary(errors), rows
        )
        return str(html)

    def flow_check(
        self, state: Any, title: str, values: dict[str, list[str]], errors: dict[str, str],
        activity: Activity | None, notice: str,
    ) -> str:  # fmt: skip
        sections = [(step, self.answers(step, values, activity)) for step in STEPS]
        summary = []
        for name, message in errors.items():  # on this page an error leads to its step's answers
            step = step_of(name)
            control, label, _ = self.summary({name: message})[0]
            summary.append((f"svar-{step.slug}" if step else control, label, message))
        preview = Markup(self.preview(activity)) if activity is not None else ""
        return str(self.flow_macros.check_page(state, title, sections, preview, errors, summary, notice))

    def flow_receipt(self, submission: Submission, submitter: dict[str, Any], confirmed: bool) -> str:
        email = submitter.get("email")
        if confirmed:
            heading = "Tak, vi har fået besked"
            message = f"Vi skriver på guiden, at oplysningerne om {submission.title} er tjekket i dag."
        else:
            heading = "Tak, vi har fået jeres aktivitet"
            message = f"Vi har modtaget {submission.title}."
        next_steps = [
            "En redaktør i kommunen læser det igennem, normalt inden for få hverdage.",
            "Når det er godkendt, kommer det på guiden.",
            "Hvis noget skal rettes, eller hvis redaktionen ikke kan tage det med, "
            "skriver eller ringer de til dig og siger hvorfor.",
        ]
        if email:
            next_steps.insert(
                0, f"Vi sender en kvittering til {email}, og en e-mail igen, når redaktionen har set på det."
            )
        next_steps.append(f"Har du spørgsmål, så nævn nummeret {submission.reference}.")
        return str(self.flow_macros.receipt_page(submission.reference, heading, message, next_steps))

    def answers(
        self, step: Step, values: dict[str, list[str]], activity: Activity | None
    ) -> list[tuple[str, Any]]:
        """What "Tjek dine svar" shows for a step: (question, answer in words), answered ones only."""
        rows: list[tuple[str, Any]] = []

        def said(spec: FormField, name: str) -> str:
            given = [value for value in values.get(name, []) if value.strip()]
            labels = dict(spec.choices)
            return ", ".join(labels.get(value, value) for value in given)

        def add(spec: FormField, name: str, label: str = "") -> None:
            text = said(spec, name)
            if text and spec.shown:
                rows.append((label or spec.question or spec.label, text))

        def records(spec: FormField, label: str) -> None:
            for row in range(spec.max_items or 0):
                parts = [said(child, child.named(row)) for child in spec.children]
                if any(parts):
                    rows.append((f"{label}, nr. {row + 1}", " ".join(part for part in parts if part)))

        for spec in fields_of(step, self.fields + self.own):
            if spec.kind == "rows":
                if activity is not None:
                    rows.append((spec.label, Markup(self.schedules.schedule(activity))))
            elif spec.kind == "price":
                if activity is not None:
                    rows.append((spec.label, describe_price(activity)))
            elif spec.kind == "group":
                for child in spec.children:
                    if child.kind == "records":
                        records(child, child.label)
                    else:
                        add(child, child.name)
            elif spec.kind == "records":
                records(spec, spec.label)
            else:
                add(spec, spec.name)
        return rows

    def site_link(self, path: str) -> str:
        """A link to a page of the guide from one of the service's answer pages.

        Without the guide's address it is relative: the service's pages (/foelgeskab/send,
        /indsend/trin) lie as deep as an activity's page, whose shell they are shown in.
        """
        return f"{self.site_url}/{path}" if self.site_url else f"../../{path}"

    def companion(
        self, slug: str, title: str, fields: dict[str, str], errors: dict[str, str], *,
        token: str = "", notice: str = "", reference: str | None = None,
    ) -> str:  # fmt: skip
        """The answer to "Jeg vil gerne følges" posted without JavaScript."""
        sent = "Vi har sendt din besked til kommunens fællesskabskoordinatorer."
        receipt = reference and (reference, sent, [
            "En koordinator ringer eller skriver til dig, normalt inden for et par hverdage.",
            "Sammen finder I ud af det praktiske, fx om en følgeven skal gå med dig første gang.",
            f"Har du spørgsmål, så nævn nummeret {reference}.",
        ])  # fmt: skip
        html = self.companions.companion_page(
            slug, title, self.site_link(f"aktivitet/{slug}/"), self.privacy_url,
            values=fields, errors=errors, token=token, notice=notice, receipt=receipt or None,
        )  # fmt: skip
        return self._activity_answer(
            slug, html, "Tak for din besked" if receipt else f"Følgeskab til {title}", errors
        )

    def report(
        self, slug: str, title: str, fields: dict[str, str], errors: dict[str, str], *,
        token: str = "", notice: str = "", reference: str | None = None,
    ) -> str:  # fmt: skip
        """The answer to "Meld en fejl"."""
        receipt = None
        if reference:
            reply = (
                "Vi kontakter dig, hvis vi har spørgsmål, eller når det er rettet."
                if fields.get("contact", "").strip()
                else "Du har ikke skrevet, hvordan vi kan kontakte dig, så du hører ikke fra os om det."
            )
            receipt = (reference, f"Redaktionen har fået din besked om {title}.", [
                "En redaktør ser på det, normalt inden for få hverdage.",
                "Er noget forkert, spørger vi foreningen og retter det på guiden.",
                reply,
                f"Har du spørgsmål, så nævn nummeret {reference}.",
            ])  # fmt: skip
        html = self.report_forms.report_page(
            slug, title, self.site_link(f"aktivitet/{slug}/"), values=fields, errors=errors,
            token=token, notice=notice, receipt=receipt,
        )  # fmt: skip
        return self._activity_answer(
            slug, html, "Tak for din besked" if receipt else f"Meld en fejl: {title}", errors
        )

    def _activity_answer(self, slug: str, html: Any, heading: str, errors: dict[str, str]) -> str:
        """An answer to a form on an activity's page: a short page in the activity's place, so the
        errors (or a notice) above the form, or the receipt, are at the top."""
        title = f"Fejl: {heading}" if errors else heading
        page = f"aktivitet/{slug}/index.html"
        return self.page(str(html), title, page=page, start=ARTICLE_START, end=ARTICLE_END)

    def message(self, title: str, text: str) -> str:
        body: Any = Markup("<div class='as-notice' role='status'><h2>{}</h2><p>{}</p></div>").format(
            title, text
        )
        return self.page(str(body), title)
