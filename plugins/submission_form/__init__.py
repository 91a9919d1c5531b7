"""Pelican plugin: the associations' submission form at /indsend/, generated from the activity model.

The fields come from the model's JSON Schema (aktivsammen.submit.form); the same schema is
written next to the page for the browser's validation, with a JSON Schema validator from npm
(@cfworker/json-schema: no eval, so the strict Content-Security-Policy holds).

SUBMISSION_SERVICE_URL says where the form posts: "" is the same site (the local service that
`make serve` runs), an https address a separate service, None no service at all: the page then
builds the activity file in the browser and offers a download and a GitHub "new file" link.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pelican.generators import Generator

from aktivsammen.schema import activity_schema
from aktivsammen.submit.form import field_kinds, form_spec

from ..activities.settings import vocabularies_for
from ..plugin_kit import generator_plugin, node_module

DEFAULTS = {
    "SUBMISSION_SERVICE_URL": "",
    "SUBMISSION_GITHUB_REPOSITORY": "",  # owner/name: the no-service fallback proposes files there
    "SUBMISSION_CONTENT_PATH": "content/activities",
    "SUBMISSION_FORM_URL": "indsend/",
    "SUBMISSION_FORM_SAVE_AS": "indsend/index.html",
    "SUBMISSION_SCHEMA_SAVE_AS": "indsend/aktivitet.schema.json",
    "SUBMISSION_VALIDATOR_SOURCE": "@cfworker/json-schema/dist/esm",
    "SUBMISSION_VALIDATOR_DIR": "indsend/lib/json-schema/",
}


class SubmissionFormGenerator(Generator):
    def generate_context(self):
        schema = activity_schema(vocabularies_for(self.settings))
        self.schema = schema
        self.context["submission_fields"] = form_spec(schema)
        self.context["submission_kinds"] = field_kinds(self.context["submission_fields"])
        self.validator = node_module(
            self.settings, self.settings["SUBMISSION_VALIDATOR_SOURCE"], "submission_form"
        )

    def generate_output(self, writer):
        output = Path(self.output_path)
        schema_file = output / self.settings["SUBMISSION_SCHEMA_SAVE_AS"]
        schema_file.parent.mkdir(parents=True, exist_ok=True)
        schema_file.write_text(json.dumps(self.schema, ensure_ascii=False), encoding="utf-8")
        target = output / self.settings["SUBMISSION_VALIDATOR_DIR"]
        target.mkdir(parents=True, exist_ok=True)
        for script in self.validator.glob("*.js"):  # the modules only, not the maps and type files
            shutil.copyfile(script, target / script.name)
        writer.write_file(
            self.settings["SUBMISSION_FORM_SAVE_AS"],
            self.get_template("submit"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings["SUBMISSION_FORM_URL"],
        )


register = generator_plugin(SubmissionFormGenerator, DEFAULTS)
