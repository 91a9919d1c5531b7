"""Writes every activity page and the listings: A–Å, by area and by category."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import groupby
from pathlib import Path
from typing import Any

from pelican.contents import Page
from pelican.generators import Generator
from pelican.writers import Writer

from aktivsammen.dates import upcoming
from aktivsammen.freshness import is_over, last_day, stale
from aktivsammen.geo import FEW_ACTIVITIES, nearby_areas
from aktivsammen.loading import ACTIVITY_SUFFIX, ActivityEntry, checked_slug, source_name
from aktivsammen.model import Status, Vocabularies
from aktivsammen.problems import ContentError
from aktivsammen.sample_data import example_data
from aktivsammen.schedule import times_of_day, weekdays_of
from aktivsammen.search import WEEKDAYS
from aktivsammen.text import DANISH_LETTERS, danish_sort_key, index_letter, slugify

from .parallel import processes_for, read_many
from .reader import ActivityReader
from .settings import today_for, vocabularies_for


class ActivityPage(Page):
    """A Pelican page for one activity; `activity` holds the validated model."""

    default_template = "activity"

    def _expand_settings(self, key: str) -> str:
        # The addresses come from ACTIVITIES_PAGE_URL and ACTIVITIES_PAGE_SAVE_AS.
        return super(Page, self)._expand_settings(key, "activities_page")

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        # Pelican asks this several times per page, each time two os.path calls; the file stays put.
        if source_path:
            return super().get_relative_source_path(source_path)
        if "_relative_source" not in self.__dict__:
            self._relative_source = super().get_relative_source_path()
        return self._relative_source

    # Cached: Pelican works them out from the settings at every access, and each listing that
    # shows the activity's card asks again; they never change.
    @cached_property
    def url_format(self) -> dict:
        return super().url_format

    @cached_property
    def url(self) -> str:
        return self.get_url_setting("url")

    @cached_property
    def save_as(self) -> str:
        return self.get_url_setting("save_as")

    @cached_property
    def weekdays(self) -> list[str]:
        """The weekdays it meets on, for filtering lists by day."""
        return [day.value for day in weekdays_of(self.activity)]

    @cached_property
    def ends(self) -> str:
        """Its last day (ISO), for the script that hides finished activities on older pages."""
        end = last_day(self.activity, self.vocabularies)
        return end.isoformat() if end else ""

    @cached_property
    def times_of_day(self) -> list[str]:
        """formiddag, eftermiddag and/or aften: when its time slots start."""
        return times_of_day(self.activity)

    over = False  # set by settle(): the season has ended or every date has passed
    vocabularies: Vocabularies | None = None  # set by settle()

    def settle(self, today: date, vocabularies: Vocabularies) -> None:
        """Work out, once, what the rest of the build asks of every page: is it over, its dates,
        its addresses. Every surface reads `upcoming`, so they all show the same next date."""
        self.vocabularies = vocabularies
        self.over = is_over(self.activity, today, vocabularies)
        self.upcoming = upcoming(self.activity, vocabularies, today)
        for cached in ("url", "save_as"):
            getattr(self, cached)

    @property
    def listed(self) -> bool:
        """Cancelled and finished activities keep their page (links stay valid) but leave the listings."""
        return self.activity.status is not Status.AFLYST and not self.over


@dataclass
class Listing:
    """A listing: a vocabulary term (area or category) and its activities, split into pages."""

    term: Any
    url: str
    save_as: str
    per_page: int
    activities: list[ActivityPage] = field(default_factory=list)
    weekday: str | None = None  # an area's listing for one day of the week ("tirsdag")
    days: list[Listing] = field(default_factory=list)  # an area's listings by weekday, if any
    nearby: list[tuple[Any, Listing]] = field(default_factory=list)  # (geo.Nearby, its listing)
    whole: Listing | None = None  # a day's listing: the area's listing of every day

    @property
    def few(self) -> bool:
        """So few activities that the nearby areas are offered before the list, not after it."""
        return len(self.activities) < FEW_ACTIVITIES

    @property
    def chunks(self) -> list[list[ActivityPage]]:
        items = self.activities
        return [items[i : i + self.per_page] for i in range(0, len(items), self.per_page)] or [[]]

    @property
    def page_urls(self) -> list[str]:
        """The URL of each page: the listing's own, then side-2/, side-3/ ..."""
        return [self.url] + [f"{self.url}side-{n}/" for n in range(2, len(self.chunks) + 1)]

    def save_as_for(self, number: int) -> str:
        if number == 1:
            return self.save_as
        folder, name = self.save_as.rsplit("/", 1)
        return f"{folder}/side-{number}/{name}"


class ActivitiesGenerator(Generator):
    """Reads content/activities/ through the reader, then writes pages and listings."""

    def generate_context(self):
        self.vocabularies = vocabularies_for(self.settings)
        today = today_for(self.settings)
        sorted_by: dict[ActivityPage, str] = {}  # each page (in file order) and its sort key
        problems = []
        paths = sorted(self.get_files(self.settings["ACTIVITIES_PATHS"], extensions=False))
        for path in self._read(paths):
            try:
                full_path = Path(self.path) / path
                if full_path.suffix != ACTIVITY_SUFFIX:  # no reader for it; the reader checks the rest
                    checked_slug(full_path, source_name(full_path), ACTIVITY_SUFFIX)
                page = self.readers.read_file(
                    base_path=self.path, path=path, content_class=ActivityPage, context=self.context
                )
            except ContentError as error:
                problems.extend(error.problems)
                continue
            self.add_source_path(page)
            page.settle(today, self.vocabularies)  # now, while worker processes still read the next files
            sorted_by[page] = danish_sort_key(page.title)
        if problems:
            # Fail before anything is written: a build never half-succeeds.
            raise ContentError(problems)

        # Kept for the publish plugin's build report, so it need not read the content again.
        self.context["stale_activities"] = self._report_stale(list(sorted_by), today)
        self._check_example_data(list(sorted_by))
        self.pages = sorted(sorted_by, key=sorted_by.__getitem__)
        listed = [page for page in self.pages if page.listed]
        self.areas = self._listings(listed, "areas", "AREA", lambda page: [page.activity.area])
        self.categories = self._listings(
            listed, "categories", "CATEGORY", lambda page: page.activity.categories
        )
        self._add_days_and_nearby(self.areas)
        self.context.update(
            activity_pages=self.pages,
            # Every activity by its slug (the file name), listed or not: what content links name.
            activity_by_slug={page.slug: page for page in self.pages},
            activities=listed,
            activity_letters=[
                (letter, list(group))
                for letter, group in groupby(listed, key=lambda p: index_letter(p.title))
            ],
            danish_letters=DANISH_LETTERS,
            activity_areas=self.areas,
            activity_categories=self.categories,
            vocabularies=self.vocabularies,
        )
        # Compiled here, before the page processes are forked, so they do not each compile them.
        for template in {page.template for page in self.pages}:
            self.get_template(template)

    def _read(self, paths: list[str]) -> Iterator[str]:
        """Each path, once it may be read: when there are many files, worker processes read them
        and the reader is handed each result just before its path comes out of here."""
        processes = processes_for(self.settings["ACTIVITIES_READ_PROCESSES"], len(paths))
        if processes < 2:
            yield from paths
            return
        reader = self.readers.readers[ActivityReader.file_extensions[0]]
        absolute = [os.path.abspath(os.path.join(self.path, path)) for path in paths]
        data = Path(self.path) / self.settings["ACTIVITIES_DATA_PATH"]
        outcomes = read_many(absolute, data, processes)
        for path, full_path, outcome in zip(paths, absolute, outcomes, strict=True):
            reader.preread[full_path] = outcome
            yield path

    def _report_stale(self, pages, today: date) -> list:
        """Tell the editor how many activities nobody has confirmed lately.

        Printed, not logged as a warning: builds run with --fatal warnings, and an old entry is
        a task for the editor, not a broken build.
        """
        days = self.settings["ACTIVITIES_STALE_AFTER_DAYS"]
        entries = [ActivityEntry(page.slug, page.relative_source_path, page.activity) for page in pages]
        found = stale(entries, today, days)
        if found:
            print(
                f"Bemærk: {len(found)} aktiviteter er ikke bekræftet i over {days} dage. "
                "Se hvilke med: aktivsammen stale",
                file=sys.stderr,
            )
        return found

    def _check_example_data(self, pages) -> None:
        """Say how many example contacts the content has; refuse them where the setting says so
        (a municipality's production build: PUBLISH_REFUSE_EXAMPLE_DATA), before anything is written."""
        entries = [
            ActivityEntry(page.slug, source_name(Path(self.path) / page.relative_source_path), page.activity)
            for page in pages
        ]
        found = example_data(
            entries,
            self.vocabularies,
            Path(self.settings["PATH"]) / self.settings["ACTIVITIES_DATA_PATH"],
            self.settings.get("EVENTS_FEED"),
            self.settings.get("SAMPLE_EVENTS_FEED"),
        )
        if found and self.settings["PUBLISH_REFUSE_EXAMPLE_DATA"]:
            raise ContentError(found)
        if found:
            print(
                f"Bemærk: indholdet har {len(found)} eksempeloplysninger (navne, adresser, numre), som ikke "
                "må udgives. Se hvilke med: aktivsammen examples",
                file=sys.stderr,
            )

    def _listings(self, pages, kind: str, setting: str, terms_of) -> list[Listing]:
        """A listing per term of the vocabulary, with the pages (in their order) whose terms_of has it."""
        listings = {
            term.id: Listing(
                term=term,
                url=self.settings[f"ACTIVITIES_{setting}_URL"].format(id=term.id),
                save_as=self.settings[f"ACTIVITIES_{setting}_SAVE_AS"].format(id=term.id),
                per_page=self.settings["ACTIVITIES_PER_PAGE"],
            )
            for term in getattr(self.vocabularies, kind)
        }
        for page in pages:
            for term in terms_of(page):
                listings[term].activities.append(page)
        return list(listings.values())

    def _add_days_and_nearby(self, areas: list[Listing]) -> None:
        """Each area's listings by weekday (the days it has activities on), and its nearest areas."""
        by_id = {listing.term.id: listing for listing in areas}
        for listing in areas:
            area_id = listing.term.id
            listing.nearby = [
                (near, by_id[near.area.id]) for near in nearby_areas(self.vocabularies, area_id)
            ]
            for day in WEEKDAYS:
                pages = [page for page in listing.activities if day in page.weekdays]
                if pages:
                    listing.days.append(
                        Listing(
                            term=listing.term,
                            url=self.settings["ACTIVITIES_AREA_DAY_URL"].format(id=area_id, day=slugify(day)),
                            save_as=self.settings["ACTIVITIES_AREA_DAY_SAVE_AS"].format(
                                id=area_id, day=slugify(day)
                            ),
                            per_page=self.settings["ACTIVITIES_PER_PAGE"],
                            activities=pages,
                            weekday=day,
                            days=listing.days,
                            whole=listing,
                            nearby=listing.nearby,
                        )
                    )

    # The activity pages are the most work of a build: two processes share them.
    BACKGROUND_PARTS = 2

    def write_in_background(self, part: int = 0, parts: int = 1):
        """The activity pages (every parts-th from part on): nothing else reads them.

        Started by plugin_kit in processes of their own once every generator has its context,
        while this process writes the listings (generate_output).
        """
        writer = Writer(self.output_path, settings=self.settings)
        relative = self.settings["RELATIVE_URLS"]
        for page in self.pages[part::parts]:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                page=page,
                activity=page.activity,
                relative_urls=relative,
                url=page.url,
            )

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        indexes = [
            ("activities", "INDEX", {}),
            ("areas", "AREAS", {"listings": self.areas}),
            ("categories", "CATEGORIES", {"listings": self.categories}),
        ]
        for template, setting, extra in indexes:
            writer.write_file(
                self.settings[f"ACTIVITIES_{setting}_SAVE_AS"],
                self.get_template(template),
                self.context,
                relative_urls=relative,
                url=self.settings[f"ACTIVITIES_{setting}_URL"],
                **extra,
            )
        area_days = [day for area in self.areas for day in area.days]
        for template, listings in (("area", self.areas + area_days), ("category", self.categories)):
            for listing in listings:
                for number, chunk in enumerate(listing.chunks, start=1):
                    writer.write_file(
                        listing.save_as_for(number),
                        self.get_template(template),
                        self.context,
                        listing=listing,
                        page_number=number,
                        page_count=len(listing.chunks),
                        page_activities=chunk,
                        relative_urls=relative,
                        url=listing.page_urls[number - 1],
                    )
