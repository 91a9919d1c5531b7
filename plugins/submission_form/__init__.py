"""Pelican plugin: the associations' submission form at /indsend/, generated from the activity model.

The questions come from the model's JSON Schema (aktivsammen.submit.form), cut into the question
flow's pages (aktivsammen.submit.flow). The schema is written next to the page for developers.

SUBMISSION_SERVICE_URL says where the flow runs: "" is the same site (the local service that
`make serve` runs), an https address a separate service; the page is then the flow's start page.
None is no service at all: the page then holds every question on one page, and the browser saves
the answers as a file to e-mail to the editors, who turn it into an activity file with
`aktivsammen import` (the model checks it there, with the same messages as the service).
"""

from __future__ import annotations

import json
from pathlib import Path

from pelican.generators import Generator

from aktivsammen.schema import activity_schema
from aktivsammen.submit.flow import STEPS, fields_of
from aktivsammen.submit.form import form_spec, own_fields

from ..activities.settings import vocabularies_for
from ..plugin_kit import generator_plugin

DEFAULTS = {
    "SUBMISSION_SERVICE_URL": "",
    # With no service: an activity page's "Ret oplysninger" opens its file in GitHub's editor there.
    "SUBMISSION_GITHUB_REPOSITORY": "",
    "SUBMISSION_CONTENT_PATH": "content/activities",
    "EDITORS_EMAIL": "",  # the editors' function mailbox: where the no-service page's files go
    "SUBMISSION_FORM_URL": "indsend/",
    "SUBMISSION_FORM_SAVE_AS": "indsend/index.html",
    "SUBMISSION_SCHEMA_SAVE_AS": "indsend/aktivitet.schema.json",
}


class SubmissionFormGenerator(Generator):
    def generate_context(self):
        schema = activity_schema(vocabularies_for(self.settings))
        self.schema = schema
        fields = form_spec(schema) + own_fields()
        self.context["submission_steps"] = [(step, fields_of(step, fields)) for step in STEPS]

    def generate_output(self, writer):
        output = Path(self.output_path)
        schema_file = output / self.settings["SUBMISSION_SCHEMA_SAVE_AS"]
        schema_file.parent.mkdir(parents=True, exist_ok=True)
        schema_file.write_text(json.dumps(self.schema, ensure_ascii=False), encoding="utf-8")
        writer.write_file(
            self.settings["SUBMISSION_FORM_SAVE_AS"],
            self.get_template("submit"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings["SUBMISSION_FORM_URL"],
        )


register = generator_plugin(SubmissionFormGenerator, DEFAULTS)
