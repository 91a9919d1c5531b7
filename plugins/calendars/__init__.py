"""Pelican plugin: an iCalendar file for every activity and a subscribable feed per area.

The events come from aktivsammen.calendar; this plugin only decides where the files go.
Event addresses are absolute (SITE_ADDRESS), since a calendar app opens them outside the site.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pelican.generators import Generator

from aktivsammen.calendar import activity_events, calendar

from ..activities.settings import today_for
from ..plugin_kit import generator_plugin, write_file

DEFAULTS = {
    "CALENDARS_ACTIVITY_SAVE_AS": "aktivitet/{slug}/{slug}.ics",  # each download its own name
    "CALENDARS_AREA_SAVE_AS": "omraade/{id}/{id}.ics",
}


class CalendarsGenerator(Generator):
    def generate_context(self):
        # The templates link to the files with these patterns.
        self.context["CALENDARS_ACTIVITY_SAVE_AS"] = self.settings["CALENDARS_ACTIVITY_SAVE_AS"]
        self.context["CALENDARS_AREA_SAVE_AS"] = self.settings["CALENDARS_AREA_SAVE_AS"]

    def write_in_background(self):
        address = self.settings["SITE_ADDRESS"].rstrip("/")
        domain = urlsplit(address).netloc or "aktivsammen"
        events_of = {}
        vocabularies = self.context["vocabularies"]
        today = today_for(self.settings)  # closed days are listed from here
        for page in self.context["activity_pages"]:  # every page, also cancelled or finished ones
            # Serialized once here; the area's calendar reuses the same bytes.
            url = f"{address}/{page.url}"
            events_of[page.slug] = activity_events(page.activity, page.slug, url, domain, vocabularies, today)
            self._write(self.settings["CALENDARS_ACTIVITY_SAVE_AS"].format(slug=page.slug),
                        calendar(page.activity.title, events_of[page.slug]))  # fmt: skip
        for listing in self.context["activity_areas"]:
            events = [event for page in listing.activities for event in events_of[page.slug]]
            name = f"{self.settings['SITENAME']}: {listing.term.label}"
            self._write(
                self.settings["CALENDARS_AREA_SAVE_AS"].format(id=listing.term.id), calendar(name, events)
            )

    def _write(self, save_as: str, data: bytes) -> None:
        write_file(Path(self.output_path) / save_as, data)


register = generator_plugin(CalendarsGenerator, DEFAULTS)
