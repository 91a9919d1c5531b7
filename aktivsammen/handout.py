"""Paper handouts: the week's programme of an area, and the short record a list item shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from .dates import Upcoming
from .model import Activity, DatesSlot, Status, Vocabularies, Weekday
from .schedule import danish_date, describe_season, describe_slot, time_range
from .text import danish_sort_key, format_phone, phone_href


@dataclass
class WeekEntry:
    """One activity on one weekday of the programme, with its time slots on that day."""

    slug: str
    activity: Activity
    times: list[str]  # each slot for this day only: "Hver anden mandag kl. 10.00–12.00"
    start: time  # the earliest
    described_on: Weekday | None = None  # an earlier day with the full description, if any

    @property
    def when(self) -> str:
        return "\n".join(self.times)


@dataclass(frozen=True)
class DatedEntry:
    """An activity that meets on given dates only, with the dates still to come."""

    slug: str
    activity: Activity
    dates: list[date]
    times: str  # "kl. 19.00–21.00"

    @property
    def when(self) -> str:
        return f"{describe_dates(self.dates)} {self.times}"


def on_paper(activity: Activity) -> bool:
    """Paused and cancelled activities stay off a programme that hangs on a wall for weeks."""
    return activity.status is Status.AKTIV


def week_program(items: list[tuple[str, Activity]]) -> list[tuple[Weekday, list[WeekEntry]]]:
    """Monday to Sunday, the activities meeting each day (an activity meeting twice a week is
    under both days), by start time then title. Days without activities are left out; one-off
    dates are not part of a week (see dated_entries)."""
    days: dict[Weekday, dict[str, WeekEntry]] = {day: {} for day in Weekday}
    for slug, activity in items:
        if not on_paper(activity):
            continue
        slots = sorted((s for s in activity.schedule if not isinstance(s, DatesSlot)), key=lambda s: s.start)
        for slot in slots:
            for day in slot.days:
                text = describe_slot(slot.model_copy(update={"days": [day]}))
                if entry := days[day].get(slug):
                    entry.times.append(text)  # two teams on the same day: one block, two times
                else:
                    days[day][slug] = WeekEntry(slug, activity, [text], slot.start)
    program, first_seen = [], {}
    for day, by_slug in days.items():
        entries = sorted(by_slug.values(), key=lambda e: (e.start, danish_sort_key(e.activity.title)))
        for entry in entries:
            # Full once, then short on later days: the paper stays short enough for a wall.
            entry.described_on = first_seen.get(entry.slug)
            first_seen.setdefault(entry.slug, day)
        if entries:
            program.append((day, entries))
    return program


def dated_entries(items: list[tuple[str, Activity]], today: date) -> list[DatedEntry]:
    """Activities with one-off dates still to come, soonest first."""
    found = []
    for slug, activity in items:
        if not on_paper(activity):
            continue
        for slot in activity.schedule:
            if isinstance(slot, DatesSlot) and (coming := sorted(d for d in slot.dates if d >= today)):
                found.append(DatedEntry(slug, activity, coming, time_range(slot.start, slot.end)))
    return sorted(found, key=lambda entry: (entry.dates[0], danish_sort_key(entry.activity.title)))


def describe_dates(dates: list[date], limit: int = 4) -> str:
    """Dates as words ("Lørdag 5. december og lørdag 12. december"), at most `limit` of them."""
    words = [danish_date(day, weekday=True, year=False) for day in dates[:limit]]
    text = ", ".join(words[:-1]) + " og " + words[-1] if len(words) > 1 else words[0]
    if len(dates) > limit:
        text += " (og flere datoer)"
    return text[0].upper() + text[1:]


LIST_NEXT_COUNT = 5  # a list is kept for weeks: enough dates that one stays ahead of the reader
NOTICES = {Status.PAUSE: "Holder pause lige nu", Status.AFLYST: "Aflyst"}


def list_record(
    slug: str,
    activity: Activity,
    address: str,
    vocabularies: Vocabularies,
    over: bool,
    upcoming: Upcoming | None = None,
) -> dict[str, Any]:
    """What "Min liste" shows and prints for one activity: what, when, where, whom to ask.

    `address` is the activity page's absolute address (printed, and in the QR code); `upcoming`
    its next dates as on its page (the list drops those past by the reader's day).
    """
    place, contact = activity.location, activity.contact
    place_line = f"{place.postcode} {place.city}"
    when = [describe_slot(slot) for slot in activity.schedule]
    if activity.season:
        when.append(describe_season(activity.season) + ".")
    notice = "Slut for denne gang" if over else NOTICES.get(activity.status)
    return {
        "slug": slug,
        "address": address,
        "title": activity.title,
        "summary": activity.summary,
        "area": vocabularies.label("areas", activity.area),
        "when": when,
        "where": [place.name + (f", {place.room}" if place.room else ""), place.address, place_line],
        "organizer": activity.organizer.name,
        "contact": {
            "name": contact.name,
            "phone": format_phone(contact.phone) if contact.phone else None,
            "tel": phone_href(contact.phone) if contact.phone else None,
            "email": contact.email,
        },
        "notice": notice,
        "dates": upcoming.as_data(LIST_NEXT_COUNT) if upcoming and not over else None,
    }
