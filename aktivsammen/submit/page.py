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

from ..model import MAX_SLOTS, Activity, Vocabularies
from ..templating import theme_environment
from .form import FormField, walk
from .store import Submission

THEME_TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "aktivsammen" / "templates"
START, END = "<!-- formular -->", "<!-- /formular -->"
ACTION = "/indsend/send"
COMPANION_START, COMPANION_END = "<!-- foelgeskab -->", "<!-- /foelgeskab -->"
_ROW = re.compile(r"\[(\d+)\]")
# Errors about the parts of the form the model does not describe: (control id, label).
_OWN_FIELDS = {"consent": ("felt-consent", "Bekræftelse"), "note": ("felt-note", "Besked til redaktionen")}
_WHOLE_ROW = re.compile(r"^(.+)\[(\d+)\]$")

_FALLBACK_SHELL = f"""<!doctype html>
<html lang="da"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Indsend en aktivitet</title></head>
<body><main id="indhold"><h1>Indsend en aktivitet</h1>{START}{END}</main></body></html>"""


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
        # The guide's page about personal data, from an activity's page (where the answer is shown).
        self.privacy_url = f"{site_url.rstrip('/')}/privatliv/" if site_url else "../../privatliv/"
        self.vocabularies = vocabularies
        self.fields = fields
        self.specs = {spec.name: spec for spec in walk(fields)}
        environment = theme_environment(THEME_TEMPLATES)
        self.macros = environment.get_template("components/submission.html").module
        self.companions = environment.get_template("components/companion.html").module

    def shell(self, page: str = "indsend/index.html", start: str = START, end: str = END) -> str:
        """A built page (read each time: a rebuild shows at once) with its markers, or a plain page."""
        if self.site_dir is not None:
            path = self.site_dir / page
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                if start in text and end in text:
                    return text
        return _FALLBACK_SHELL.replace(START, start).replace(END, end)

    def _page(self, content: str, title: str | None = None, *, page: str = "indsend/index.html",
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

    def form(
        self,
        values: dict[str, list[str]],
        errors: dict[str, str],
        *,
        edit: str | None,
        token: str,
        rows: int = 1,
        preview: Activity | None = None,
        notice: str = "",
    ) -> str:
        times = next(spec.name for spec in self.fields if spec.kind == "rows") + "["  # "schedule["
        used = {int(index) for name in values if name.startswith(times) for index in _ROW.findall(name)[:1]}
        rows = min(max(rows, 1 + max(used, default=0)), MAX_SLOTS)  # never more than the model takes
        html = self.macros.submission_form(
            self.fields,
            values,
            errors,
            self.summary(errors),
            ACTION,
            edit=edit or "",
            token=token,
            rows=rows,
            preview_html=Markup(self.preview(preview)) if preview is not None else "",
            notice=notice,
        )
        title = "Fejl" if errors else ("Tjek og send" if preview is not None else None)
        return self._page(str(html), title)

    def companion(
        self,
        slug: str,
        fields: dict[str, str],
        errors: dict[str, str],
        *,
        token: str = "",
        notice: str = "",
        receipt: tuple[str, str] | None = None,
    ) -> str:
        """The activity's own page with the companion form answered: errors, a notice, or the receipt."""
        html = self.companions.companion_form(  # "": the form posts back to this service
            slug, "", self.privacy_url, values=fields, errors=errors, token=token,
            notice=notice, receipt=receipt, open=True,
        )  # fmt: skip
        title = "Fejl" if errors else ("Tak" if receipt else None)
        page = f"aktivitet/{slug}/index.html"
        return self._page(str(html), title, page=page, start=COMPANION_START, end=COMPANION_END)

    def receipt(self, submission: Submission, message: str) -> str:
        return self._page(str(self.macros.receipt(submission, message)), "Tak")

    def message(self, title: str, text: str) -> str:
        body: Any = Markup("<div class='as-notice' role='status'><h2>{}</h2><p>{}</p></div>").format(
            title, text
        )
        return self._page(str(body), title)
