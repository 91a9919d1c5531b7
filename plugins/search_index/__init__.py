"""Pelican plugin: the search page (/soeg/) with a prebuilt Danish lunr index and document store.

The index is built here in Python (aktivsammen.search); the browser only loads it. lunr.js and
lunr-languages come from npm (package-lock.json) and are copied into the output, next to the
search page, so only pages that search load them.
"""

from __future__ import annotations

import json
import logging
import shutil
from itertools import groupby
from pathlib import Path

from pelican.generators import Generator
from pelican.writers import Writer

from aktivsammen.geo import FEW_ACTIVITIES, NEAR_DISTANCES, place_names
from aktivsammen.search import PARTS_FOLDER, Split, build_search_data, facets
from aktivsammen.text import danish_sort_key, index_letter

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
    # Without JavaScript the search page offers the words people search with: an index of them
    # A–Å, and a page per group of words with the activities it means (search_words.yaml).
    "SEARCH_WORDS_URL": "soeg/ord/",
    "SEARCH_WORDS_SAVE_AS": "soeg/ord/index.html",
    "SEARCH_WORD_URL": "soeg/ord/{id}/",
    "SEARCH_WORD_SAVE_AS": "soeg/ord/{id}/index.html",
    # How much of each description is indexed: the first words carry the meaning, the rest bytes.
    "SEARCH_DESCRIPTION_WORDS": 40,
    # How the download is cut (aktivsammen.search.Split): postings per shard in bytes of JSON,
    # activities per store chunk. The parts go in a folder beside SEARCH_DATA_SAVE_AS.
    "SEARCH_SHARD_BYTES": Split.shard_bytes,
    "SEARCH_STORE_CHUNK": Split.chunk_docs,
}


class SearchGenerator(Generator):
    def generate_context(self):
        self.vocabularies = vocabularies_for(self.settings)
        self.context["facet_groups"] = facets(self.vocabularies)
        self.context["near_places"] = place_names(self.vocabularies)
        self.context["NEAR_DISTANCES"] = NEAR_DISTANCES
        self.context["FEW_ACTIVITIES"] = FEW_ACTIVITIES
        self.context["word_groups"] = [
            (group, self.settings["SEARCH_WORD_URL"].format(id=group.id))
            for group in self.vocabularies.search_words
            if not group.one_word
        ]
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
        head, parts = data.files(
            Split(self.settings["SEARCH_SHARD_BYTES"], self.settings["SEARCH_STORE_CHUNK"])
        )
        folder = target.parent / PARTS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):  # a previous build's parts (make serve rebuilds in place)
            if old.name not in parts:
                old.unlink()
        for name, content in parts.items():
            (folder / name).write_text(as_text(content), encoding="utf-8")
        target.write_text(as_text(head), encoding="utf-8")
        self._write_word_pages(data.meaning, {page.slug: page for page in pages})
        for source in self.libraries:
            destination = output / self.settings["SEARCH_LIBRARY_DIR"] / source.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        logger.debug("search_index: indexed %d activities into %s", len(pages), target)

    def _write_word_pages(self, meaning: dict[str, list[str]], pages: dict) -> None:
        """A page per group of search words with the activities it means, for readers without
        JavaScript; written here, where the index has worked out which those are."""
        writer = Writer(self.output_path, settings=self.settings)
        template = self.get_template("search_word")
        for group, url in self.context["word_groups"]:
            writer.write_file(
                self.settings["SEARCH_WORD_SAVE_AS"].format(id=group.id),
                template,
                self.context,
                group=group,
                word_activities=[pages[slug] for slug in meaning.get(group.id, [])],
                relative_urls=self.settings["RELATIVE_URLS"],
                url=url,
            )

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        for name, template, extra in (
            ("SEARCH", "search", {}),
            ("SEARCH_WORDS", "search_words", {"word_index": word_index(self.context)}),
        ):
            writer.write_file(
                self.settings[f"{name}_SAVE_AS"],
                self.get_template(template),
                self.context,
                relative_urls=relative,
                url=self.settings[f"{name}_URL"],
                **extra,
            )


def as_text(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def word_index(context: dict) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The search words A–Å, by letter: (word, what it leads to, its page's URL). Every word of
    each group, every topic and every area with its places, as a book's index would have them."""
    entries = {}
    for group, url in context["word_groups"]:
        for word in group.words:
            entries.setdefault(word, (word, group.label, url))
    for listing in context["activity_categories"]:
        entries.setdefault(listing.term.label.lower(), (listing.term.label, "emne", listing.url))
    for listing in context["activity_areas"]:
        for name in (listing.term.label, *listing.term.places):
            where = "område" if name == listing.term.label else f"område: {listing.term.label}"
            entries.setdefault(name.lower(), (name, where, listing.url))
    ordered = sorted(entries.values(), key=lambda entry: danish_sort_key(entry[0]))
    return [(letter, list(group)) for letter, group in groupby(ordered, key=lambda e: index_letter(e[0]))]


register = generator_plugin(SearchGenerator, DEFAULTS)
