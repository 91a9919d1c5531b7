"""Pelican plugin: the search page (/soeg/) with a prebuilt Danish lunr index and document store.

The index is built here in Python (aktivsammen.search); the browser only loads it. lunr.js and
lunr-languages come from npm (package-lock.json) and are copied into the output, next to the
search page, so only pages that search load them.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from pelican.generators import Generator

from aktivsammen.search import build_search_data, facets

from ..activities.settings import vocabularies_for
from ..plugin_kit import generator_plugin, node_module

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_URL": "soeg/",
    "SEARCH_SAVE_AS": "soeg/index.html",
    "SEARCH_DATA_SAVE_AS": "soeg/data/soegedata.json",
    "SEARCH_LIBRARY_DIR": "soeg/lib/",
    # Files from node_modules, in load order: lunr, then lunr-languages' stemmer support and Danish.
    "SEARCH_LIBRARIES": [
        "lunr/lunr.min.js",
        "lunr-languages/min/lunr.stemmer.support.min.js",
        "lunr-languages/min/lunr.da.min.js",
    ],
    # How much of each description is indexed: the first words carry the meaning, the rest bytes.
    "SEARCH_DESCRIPTION_WORDS": 40,
}


class SearchGenerator(Generator):
    def generate_context(self):
        self.vocabularies = vocabularies_for(self.settings)
        self.context["facet_groups"] = facets(self.vocabularies)
        self.libraries = [
            node_module(self.settings, name, "search_index") for name in self.settings["SEARCH_LIBRARIES"]
        ]
        self.context["search_libraries"] = [
            self.settings["SEARCH_LIBRARY_DIR"] + source.name for source in self.libraries
        ]

    def write_in_background(self):
        pages = self.context["activities"]  # the listed activities, from the activities plugin
        data = build_search_data(
            [(page.slug, page.activity) for page in pages],
            self.vocabularies,
            description_words=self.settings["SEARCH_DESCRIPTION_WORDS"],
            upcoming={page.slug: page.upcoming for page in pages},
        )
        output = Path(self.output_path)
        target = output / self.settings["SEARCH_DATA_SAVE_AS"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(data.as_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        for source in self.libraries:
            destination = output / self.settings["SEARCH_LIBRARY_DIR"] / source.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        logger.debug("search_index: indexed %d activities into %s", len(pages), target)

    def generate_output(self, writer):
        writer.write_file(
            self.settings["SEARCH_SAVE_AS"],
            self.get_template("search"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings["SEARCH_URL"],
        )


register = generator_plugin(SearchGenerator, DEFAULTS)
