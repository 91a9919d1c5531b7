"""Pelican plugin: the guide's physical activities as OpenActive open data, under /openactive/.

    openactive/session-series/index.json       RPDE 1.0 feed of SessionSeries (one per activity)
    openactive/scheduled-sessions/index.json   RPDE 1.0 feed of ScheduledSessions (the next weeks)
    openactive/index.html                      the dataset site, in Danish, with its Dataset JSON-LD
    openactive/data-catalog.json               a DataCatalog that lists the dataset site

The feeds' pages are plain files (index.json, after-<day>.json, ...), never ?afterTimestamp=
query strings: static hosts ignore query strings, so every page must have a path of its own
(aktivsammen.rpde explains the names). A site served by docs/nginx/aktivsammen.conf, which maps
?afterTimestamp=&afterId= to the page's file, sets OPENACTIVE_QUERY_URLS = True: the feeds are
then their folders (/openactive/session-series/) and `next` uses RPDE's own parameters, as
OpenActive's validator expects (aktivsammen.rpde, query mode). GitHub Pages and other static
hosts must keep the default, False. `next` URLs are absolute, from SITE_ADDRESS, as RPDE asks.
Sessions are a feed of their own, each pointing to its series with `superEvent`: they change
every day as the weeks move on, the series only when an association confirms its facts.
What an activity is comes from content/data/openactive_activities.yaml; an activity it gives no
type (a choir, a card club, a repair café) is not physical activity and is left out, and so is
one whose times have no end (OpenActive's Schedule requires endTime); the build says which.
Everything is published under CC BY 4.0 (every feed page says so in `license`).
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

from pelican.generators import Generator

from aktivsammen import openactive, rpde
from aktivsammen.model import Status

from ..activities.settings import today_for
from ..plugin_kit import generator_plugin, write_file

DEFAULTS = {
    "OPENACTIVE_PATH": "openactive",  # the folder of the feeds and the dataset site
    "OPENACTIVE_TYPES_FILE": "openactive_activities.yaml",  # in ACTIVITIES_DATA_PATH
    "OPENACTIVE_PAGE_SIZE": 500,  # items per feed page (RPDE suggests 500)
    "OPENACTIVE_WEEKS": openactive.WEEKS,  # how many weeks of sessions
    # Meetings that took place within this many days stay in the feed as "deleted" items, so
    # consumers drop them (RPDE keeps a deleted item at least 7 days).
    "OPENACTIVE_DELETED_DAYS": 7,
    # The day the feeds were first published: every day since has a page of its own
    # (after-<day>.json), so a consumer polling the last page of any build finds it. None: the
    # first day an item changed (a page for every day since then).
    "OPENACTIVE_SINCE": None,
    # Where developers ask about the data; None: the repository's issues, else the about page.
    "OPENACTIVE_DISCUSSION_URL": None,
    # True: the feeds' URLs are their folders and `next` is ?afterTimestamp=<modified>&afterId=<id>,
    # for a host that maps those to the pages' files: a site served by docs/nginx/aktivsammen.conf
    # sets it True. False: a path per page, for GitHub Pages and other hosts that ignore queries.
    "OPENACTIVE_QUERY_URLS": False,
}
FEEDS = (
    ("SessionSeries", "session-series", "Aktiviteter (SessionSeries)"),
    ("ScheduledSession", "scheduled-sessions", "Mødegange de næste uger (ScheduledSession)"),
)
PAGE_TEMPLATE = Path(__file__).with_name("dataset.html")


class OpenActiveSettingsError(Exception):
    """An OPENACTIVE_* setting has a value the plugin cannot use."""


class OpenActiveGenerator(Generator):
    def generate_context(self):
        settings = self.settings
        for key, least in (
            ("OPENACTIVE_PAGE_SIZE", 1),
            ("OPENACTIVE_WEEKS", 1),
            ("OPENACTIVE_DELETED_DAYS", 0),
        ):
            if not isinstance(settings[key], int) or settings[key] < least:
                raise OpenActiveSettingsError(f"openactive: {key} must be a whole number of at least {least}")
        if not isinstance(settings["OPENACTIVE_QUERY_URLS"], bool):
            raise OpenActiveSettingsError("openactive: OPENACTIVE_QUERY_URLS must be True or False")
        self.query = settings["OPENACTIVE_QUERY_URLS"]
        if not isinstance(settings["OPENACTIVE_SINCE"], date | None):
            raise OpenActiveSettingsError(
                "openactive: OPENACTIVE_SINCE must be a date, e.g. date(2026, 12, 1)"
            )
        vocabularies = self.context["vocabularies"]
        path = Path(settings["PATH"]) / settings["ACTIVITIES_DATA_PATH"] / settings["OPENACTIVE_TYPES_FILE"]
        self.types = openactive.load_activity_types(path, vocabularies)
        physical = [
            page for page in self.context["activity_pages"] if self.types.labels_for(page.slug, page.activity)
        ]
        self.opportunities = [page for page in physical if openactive.has_schedule(page.activity)]
        untimed = sorted(page.slug for page in physical if not openactive.has_schedule(page.activity))
        if untimed:  # printed, as other notes to the editor: --fatal warnings must not stop the build
            print(
                f"Bemærk: {len(untimed)} aktiviteter er ikke med i OpenActive, fordi ingen af deres tider "
                f"har et sluttidspunkt: {', '.join(untimed)}",
                file=sys.stderr,
            )
        self.site = settings["SITE_ADDRESS"].rstrip("/")
        self.folder = settings["OPENACTIVE_PATH"].strip("/")
        self.ids = openactive.Ids(self.site)
        self.today = today_for(settings)

    def feed_url(self, folder: str) -> str:
        """The feed's folder, ending in "/"."""
        return f"{self.site}/{self.folder}/{folder}/"

    def first_page(self, folder: str) -> str:
        """The feed's path in the site: its folder with query URLs, else its first page's file."""
        return f"{self.folder}/{folder}/" + ("" if self.query else rpde.FIRST_PAGE)

    def items(self) -> dict[str, list[rpde.Item]]:
        """The items of each feed: a cancelled activity is deleted, and so are its meetings and the
        meetings that took place in the last OPENACTIVE_DELETED_DAYS days."""
        vocabularies = self.context["vocabularies"]
        organizers = openactive.organizations(
            (page.activity for page in self.context["activity_pages"]), self.ids
        )
        days = 7 * self.settings["OPENACTIVE_WEEKS"]
        past = self.today - timedelta(days=self.settings["OPENACTIVE_DELETED_DAYS"])
        series, sessions = [], []
        for page in self.opportunities:
            activity, slug = page.activity, page.slug
            confirmed = activity.verified
            if activity.status is Status.AFLYST:
                series.append(rpde.Item(slug, "SessionSeries", confirmed))
                continue
            url = f"{self.site}/{page.url}"
            data = openactive.session_series(
                slug, activity, url, vocabularies, self.types, organizers[activity.organizer.name], self.ids,
                self.today, self.settings["MUNICIPALITY_NAME"],
            )  # fmt: skip
            series.append(rpde.Item(slug, "SessionSeries", confirmed, data))
            until = self.today + timedelta(days=days - 1)
            for meeting, session in openactive.scheduled_sessions(
                slug, activity, url, vocabularies, self.ids, past, until
            ):
                key = openactive.session_key(slug, meeting)
                if meeting.day < self.today:  # it took place: deleted, from the day after
                    sessions.append(
                        rpde.Item(key, "ScheduledSession", max(confirmed, meeting.day + timedelta(days=1)))
                    )
                else:  # in the feed from the day it came within the weeks ahead
                    entered = meeting.day - timedelta(days=days - 1)
                    sessions.append(rpde.Item(key, "ScheduledSession", max(confirmed, entered), session))
        return {"SessionSeries": series, "ScheduledSession": sessions}

    def write_in_background(self):
        output = Path(self.output_path) / self.folder
        items = self.items()
        for kind, folder, _ in FEEDS:
            pages = rpde.pages(
                items[kind], self.feed_url(folder), self.settings["OPENACTIVE_PAGE_SIZE"], self.today,
                self.settings["OPENACTIVE_SINCE"], query=self.query,
            )  # fmt: skip
            for name, page in pages.items():
                write_file(output / folder / name, _json(page))
        catalog = openactive.data_catalog(
            f"{self.site}/{self.folder}/data-catalog.json", f"{self.settings['SITENAME']}: OpenActive",
            self.publisher(), [f"{self.site}/{self.folder}/"],
        )  # fmt: skip
        write_file(output / "data-catalog.json", _json(catalog))

    def publisher(self) -> dict:
        return openactive.publisher(self.settings["MUNICIPALITY_NAME"], self.settings["MUNICIPALITY_URL"])

    def dataset(self) -> dict:
        settings = self.settings
        discussion = settings["OPENACTIVE_DISCUSSION_URL"]
        repository = settings.get("SUBMISSION_GITHUB_REPOSITORY")
        if not discussion:
            discussion = f"https://github.com/{repository}/issues" if repository else f"{self.site}/om/"
        return openactive.dataset(
            f"{self.site}/{self.folder}/",
            f"{settings['SITENAME']}: fysiske aktiviteter i {settings['MUNICIPALITY_NAME']}",
            f"Faste motions- og bevægelsesaktiviteter for seniorer og personer med handicap i "
            f"{settings['MUNICIPALITY_NAME']}, fra foreningernes egne oplysninger på {settings['SITENAME']}.",
            self.publisher(),
            [openactive.Feed(kind, f"{self.site}/{self.first_page(folder)}") for kind, folder, _ in FEEDS],
            discussion,
            self.today,
        )

    def generate_output(self, writer):
        template = self.env.from_string(PAGE_TEMPLATE.read_text(encoding="utf-8"))
        feeds = [  # (name, path in the site, public address)
            (name, self.first_page(folder), f"{self.site}/{self.first_page(folder)}")
            for _, folder, name in FEEDS
        ]
        writer.write_file(
            f"{self.folder}/index.html", template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
            url=f"{self.folder}/", openactive_dataset=self.dataset(), openactive_feeds=feeds,
            openactive_count=sum(page.listed for page in self.opportunities),
            openactive_license=openactive.LICENSE,
            openactive_catalog=f"{self.folder}/data-catalog.json",
            openactive_query_urls=self.query,
        )  # fmt: skip


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


register = generator_plugin(OpenActiveGenerator, DEFAULTS)
