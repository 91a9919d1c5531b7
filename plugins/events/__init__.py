"""Pelican plugin: the events window (/arrangementer/) and the front page's "Det sker snart".

Upcoming events come from the guide's own one-off dates and, when EVENTS_FEED is set, from the
municipality's event calendar (an iCalendar file or URL), filtered by EVENTS_CATEGORIES.
A feed that cannot be read is reported and the page is built from the guide's own events.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pelican.generators import Generator

from aktivsammen.events import feed_events, guide_events, read_feed, upcoming

from ..activities.settings import today_for
from ..plugin_kit import generator_plugin

DEFAULTS = {
    "EVENTS_FEED": None,  # a path (relative to the project) or an https:// URL of an .ics feed
    "EVENTS_CATEGORIES": [],  # keep only feed events with one of these CATEGORIES; empty: all
    "EVENTS_DAYS": 60,  # how far ahead the window looks
    "EVENTS_URL": "arrangementer/",
    "EVENTS_SAVE_AS": "arrangementer/index.html",
}


class EventsGenerator(Generator):
    def generate_context(self):
        settings = self.settings
        today = today_for(settings)
        feed = []
        if settings["EVENTS_FEED"]:
            try:
                data = read_feed(settings["EVENTS_FEED"], Path.cwd())
                feed = feed_events(data, today, settings["EVENTS_DAYS"], settings["EVENTS_CATEGORIES"])
            except (OSError, ValueError) as error:
                # The municipality's calendar being down must not stop the guide from publishing.
                print(
                    f"Bemærk: kalenderen {settings['EVENTS_FEED']} kunne ikke læses ({error}).",
                    file=sys.stderr,
                )
        # The activities plugin (listed before this one) has read the guide's own dated activities.
        own = guide_events([(page.activity, page.url) for page in self.context["activities"]], today,
                           settings["EVENTS_DAYS"])  # fmt: skip
        self.context["upcoming_events"] = upcoming(own, feed)

    def generate_output(self, writer):
        writer.write_file(
            self.settings["EVENTS_SAVE_AS"], self.get_template("events"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=self.settings["EVENTS_URL"],
        )  # fmt: skip


register = generator_plugin(EventsGenerator, DEFAULTS)
