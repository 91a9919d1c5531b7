"""Pelican plugin: /data/aktiviteter.json (Open Referral HSDS names) and its JSON Schema.

The export is built from aktivsammen.export; this plugin decides where the files go.
"""

from __future__ import annotations

import json
from pathlib import Path

from pelican.generators import Generator

from aktivsammen.export import Dataset, dataset, service

from ..plugin_kit import generator_plugin

DEFAULTS = {
    "OPEN_DATA_SAVE_AS": "data/aktiviteter.json",
    "OPEN_DATA_SCHEMA_SAVE_AS": "data/aktiviteter.schema.json",
}


class OpenDataGenerator(Generator):
    def write_in_background(self):
        address = self.settings["SITE_ADDRESS"].rstrip("/")
        vocabularies = self.context["vocabularies"]
        services = [
            service(page.slug, page.activity, f"{address}/{page.url}", vocabularies)
            for page in self.context["activity_pages"]
        ]
        data = dataset(
            f"{self.settings['SITENAME']}: aktiviteter", self.settings["MUNICIPALITY_NAME"], services
        )
        output = Path(self.output_path)
        target = output / self.settings["OPEN_DATA_SAVE_AS"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data.model_dump_json(indent=1, exclude_none=True), encoding="utf-8")
        schema = Dataset.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        (output / self.settings["OPEN_DATA_SCHEMA_SAVE_AS"]).write_text(
            json.dumps(schema, ensure_ascii=False, indent=1), encoding="utf-8"
        )


register = generator_plugin(OpenDataGenerator, DEFAULTS)
