"""The events window: upcoming one-off events, from the guide itself and from the municipality's
event calendar (an iCalendar feed read at build time), for the guide's readers."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events

from .model import COPENHAGEN, Activity, DatesSlot
from .schedule import clock, danish_date

ZONE = COPENHAGEN  # the guide's time


@dataclass(frozen=True)
class UpcomingEvent:
    """One event on one day, wherever it came from."""

    title: str
    start: datetime
    end: datetime | None
    place: str
    url: str | None
    source: str  # "guide" or "calendar"

    @property
    def when(self) -> str:
        text = danish_date(self.start.date(), weekday=True)
        if self.start.time() != time(0, 0):
            text += f" kl. {clock(self.start.time())}"
            if self.end and self.end.date() == self.start.date():
                text += f"–{clock(self.end.time())}"
        return text[0].upper() + text[1:]


def read_feed(location: str, base: Path) -> bytes:
    """The feed's bytes, from a URL or a file (relative to the project)."""
    if location.startswith(("https://", "http://")):
        with urllib.request.urlopen(location, timeout=30) as response:
            return response.read()
    return (base / location).read_bytes()


def feed_events(data: bytes, today: date, days: int, categories: list[str]) -> list[UpcomingEvent]:
    """Events in the feed from today for `days` days; only those in `categories`, if any are given."""
    calendar = icalendar.Calendar.from_ical(data)
    wanted = {c.casefold() for c in categories}
    found = []
    for event in recurring_ical_events.of(calendar).between(today, today + timedelta(days=days)):
        tags = event.get("CATEGORIES")
        names = {str(c).casefold() for group in (tags if isinstance(tags, list) else [tags]) if group
                 for c in group.cats}  # fmt: skip
        if wanted and not names & wanted:
            continue
        start, end = event["DTSTART"].dt, event.get("DTEND")
        found.append(UpcomingEvent(
            title=str(event.get("SUMMARY", "")),
            start=_local(start),
            end=_local(end.dt) if end else None,
            place=str(event.get("LOCATION", "")),
            url=str(event["URL"]) if event.get("URL") else None,
            source="calendar",
        ))  # fmt: skip
    return sorted(found, key=lambda e: (e.start, e.title))


def _local(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(ZONE) if value.tzinfo else value.replace(tzinfo=ZONE)
    return datetime.combine(value, time(0, 0), ZONE)


def guide_events(activities: list[tuple[Activity, str]], today: date, days: int) -> list[UpcomingEvent]:
    """The guide's own one-off dates (arrangementer) in the window, each linking to its page."""
    found = []
    last = today + timedelta(days=days)
    for activity, url in activities:
        for slot in activity.schedule:
            if isinstance(slot, DatesSlot):
                for day in slot.dates:
                    if today <= day <= last:
                        found.append(UpcomingEvent(
                            title=activity.title,
                            start=datetime.combine(day, slot.start, ZONE),
                            end=datetime.combine(day, slot.end, ZONE) if slot.end else None,
                            place=f"{activity.location.name}, {activity.location.city}",
                            url=url,
                            source="guide",
                        ))  # fmt: skip
    return found


def upcoming(*sources: list[UpcomingEvent]) -> list[UpcomingEvent]:
    return sorted((e for events in sources for e in events), key=lambda e: (e.start, e.title))
