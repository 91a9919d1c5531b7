"""Pelican plugin: paper for professionals and relatives: "Min liste" and each area's week on A4.

- /min-liste/: a list kept in the browser (localStorage), printed as a large-type handout and
  shared as a link (/min-liste/?a=slug,slug). Each activity has a small record of its own
  (aktivitet/<slug>/data.json), so the page fetches only what is on the list.
- /omraade/<id>/udskrift/: the area's week, Monday to Sunday, for notice boards, waiting rooms
  and home care; activities with one-off dates are listed after the week.
- QR codes are drawn in the browser (static/js/qr.js) with qrcode-generator from npm
  (package-lock.json), copied into the output here as lunr is for the search: no build time
  per activity, and the list page needs the browser anyway.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from pelican.generators import Generator

from aktivsammen.handout import dated_entries, list_record, week_program

from ..activities.settings import today_for
from ..plugin_kit import generator_plugin, node_module, write_file

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HANDOUTS_LIST_URL": "min-liste/",
    "HANDOUTS_LIST_SAVE_AS": "min-liste/index.html",
    "HANDOUTS_AREA_URL": "omraade/{id}/udskrift/",
    "HANDOUTS_AREA_SAVE_AS": "omraade/{id}/udskrift/index.html",
    "HANDOUTS_ACTIVITY_DATA_URL": "aktivitet/{slug}/data.json",
    "HANDOUTS_ACTIVITY_DATA_SAVE_AS": "aktivitet/{slug}/data.json",
    # The QR library from node_modules, and where it goes (theme/js/ is minified and fingerprinted).
    "HANDOUTS_QR_LIBRARY": "qrcode-generator/dist/qrcode.js",
    "HANDOUTS_QR_LIBRARY_SAVE_AS": "theme/js/qrcode.js",
}


class HandoutsGenerator(Generator):
    def generate_context(self):
        self.library = node_module(self.settings, self.settings["HANDOUTS_QR_LIBRARY"], "handouts")
        self.context["qr_library"] = self.settings["HANDOUTS_QR_LIBRARY_SAVE_AS"]

    def write_in_background(self):
        """Each activity's record for Min liste (started by plugin_kit, on another core)."""
        output = Path(self.output_path)
        site = self.settings["SITE_ADDRESS"].rstrip("/")
        vocabularies = self.context["vocabularies"]
        for page in self.context["activity_pages"]:
            record = list_record(
                page.slug, page.activity, f"{site}/{page.url}", vocabularies, page.over, page.upcoming
            )
            path = output / self.settings["HANDOUTS_ACTIVITY_DATA_SAVE_AS"].format(slug=page.slug)
            write_file(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())

    def generate_output(self, writer):
        output = Path(self.output_path)
        target = output / self.settings["HANDOUTS_QR_LIBRARY_SAVE_AS"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.library, target)
        relative = self.settings["RELATIVE_URLS"]
        writer.write_file(
            self.settings["HANDOUTS_LIST_SAVE_AS"],
            self.get_template("mylist"),
            self.context,
            relative_urls=relative,
            url=self.settings["HANDOUTS_LIST_URL"],
        )
        today = today_for(self.settings)
        by_slug = {page.slug: page for page in self.context["activity_pages"]}
        for listing in self.context["activity_areas"]:
            items = [(page.slug, page.activity) for page in listing.activities]
            writer.write_file(
                self.settings["HANDOUTS_AREA_SAVE_AS"].format(id=listing.term.id),
                self.get_template("area_print"),
                self.context,
                listing=listing,
                week=week_program(items),
                dated=dated_entries(items, today),
                printed_on=today,
                activity_by_slug=by_slug,
                relative_urls=relative,
                url=self.settings["HANDOUTS_AREA_URL"].format(id=listing.term.id),
            )
        logger.debug("handouts: wrote the list page and the area overviews")


register = generator_plugin(HandoutsGenerator, DEFAULTS)
