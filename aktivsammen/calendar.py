"""Calendars: every activity as iCalendar events (RFC 5545), recurring schedules as RRULEs.

Weekly and every-other-week slots become FREQ=WEEKLY rules, "første mandag i måneden" a
FREQ=MONTHLY rule with BYDAY=1MO, one-off dates one event each. A season ends the rule with
UNTIL. Times are local to Europe/Copenhagen, so a Tuesday at 10.00 stays 10.00 across the
change to and from summer time. Every start is computed from the activity's own dates (the
season's start, else the day its facts were confirmed), so the same content gives the same file.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, Timezone, vRecur

from .model import Activity, BiweeklySlot, DatesSlot, MonthlySlot, Slot, Status
from .schedule import describe_price, describe_slot

ZONE = ZoneInfo("Europe/Copenhagen")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODID = "-//AktivSammen//Aktivitetsguide//DA"


def _meets(slot: Slot, day: date) -> bool:
    """Whether the slot's rule has a meeting on `day`."""
    if day.weekday() not in {d.number for d in slot.days}:
        return False
    if isinstance(slot, BiweeklySlot):
        # Meetings are in the week of first_date and every second week after (or before) it.
        week_of_first = slot.first_date - timedelta(days=slot.first_date.weekday())
        return (day - week_of_first).days // 7 % 2 == 0
    if isinstance(slot, MonthlySlot):
        nth = (day.day - 1) // 7 + 1
        last = (day + timedelta(days=7)).month != day.month
        return any(week.number == nth or (week.number == -1 and last) for week in slot.weeks)
    return True


def first_meeting(activity: Activity, slot: Slot) -> date:
    """The rule's first day: on or after the season's start, else the day the facts were confirmed."""
    start = activity.season.from_ if activity.season else activity.verified
    if isinstance(slot, BiweeklySlot) and not activity.season:
        start = slot.first_date
    day = start
    while not _meets(slot, day):  # a valid slot meets within five weeks
        day += timedelta(days=1)
    return day


def byday(slot: Slot) -> list[str]:
    """RRULE BYDAY of a repeating slot: ["TU", "TH"], or ["1MO", "-1MO"] for weeks of the month.

    The calendars and the open data (HSDS schedules) both state the rule; this is it, once.
    """
    if isinstance(slot, MonthlySlot):
        return [f"{w.number}{BYDAY[d.number]}" for w in slot.weeks for d in slot.days]
    return [BYDAY[d.number] for d in sorted(slot.days, key=lambda d: d.number)]


def _rule(activity: Activity, slot: Slot) -> vRecur:
    if isinstance(slot, MonthlySlot):
        rule = vRecur(FREQ="MONTHLY", BYDAY=byday(slot))
    else:
        rule = vRecur(FREQ="WEEKLY", BYDAY=byday(slot))
        if isinstance(slot, BiweeklySlot):
            rule["INTERVAL"] = 2
            rule["WKST"] = "MO"
    if activity.season:
        # With a local DTSTART, RFC 5545 wants UNTIL in UTC: the end of the season's last day.
        end = datetime.combine(activity.season.until, time(23, 59, 59), ZONE)
        rule["UNTIL"] = end.astimezone(ZoneInfo("UTC"))
    return rule


def _event(activity: Activity, slug: str, uid: str, day: date, slot: Slot, url: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.combine(activity.verified, time(0, 0), ZoneInfo("UTC")))
    event.add("summary", activity.title)
    event.add("dtstart", datetime.combine(day, slot.start, ZONE))
    if slot.end:
        event.add("dtend", datetime.combine(day, slot.end, ZONE))
    place = activity.location
    event.add("location", f"{place.name}, {place.address}, {place.postcode} {place.city}")
    lines = [activity.summary, describe_slot(slot), f"Pris: {describe_price(activity)}"]
    if activity.schedule_note:
        lines.append(activity.schedule_note)
    lines.append(f"Læs mere: {url}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CANCELLED" if activity.status is Status.AFLYST else "CONFIRMED")
    if activity.contact.email:
        event.add("organizer", f"mailto:{activity.contact.email}", parameters={"CN": activity.organizer.name})
    return event


def activity_events(activity: Activity, slug: str, url: str, domain: str) -> list[Event]:
    """The activity's events: one per recurring slot (with its rule) and one per one-off date."""
    events = []
    for number, slot in enumerate(activity.schedule):
        if isinstance(slot, DatesSlot):
            for day in sorted(slot.dates):
                events.append(
                    _event(activity, slug, f"{slug}-{number}-{day:%Y%m%d}@{domain}", day, slot, url)
                )
        else:
            event = _event(
                activity, slug, f"{slug}-{number}@{domain}", first_meeting(activity, slot), slot, url
            )
            event.add("rrule", _rule(activity, slot))
            events.append(event)
    return events


@functools.cache
def _timezone_ical() -> bytes:
    """The VTIMEZONE of Europe/Copenhagen, worked out once per process.

    icalendar's add_missing_timezones() works it out again for every calendar, which took
    longer than writing all the events; the guide has no events before 2024.
    """
    return Timezone.from_tzid(ZONE.key, first_date=date(2024, 1, 1)).to_ical()


def to_ical(component: Component) -> bytes:
    """component.to_ical(), byte for byte, without icalendar's slow folding of short lines.

    icalendar folds every line character by character; a line of at most 74 bytes is never
    folded, and nearly all lines of the guide are that short. Longer ones are folded by
    icalendar itself.
    """
    parts = []
    for line in component.content_lines():
        if line:
            encoded = line.encode()
            parts.append(encoded if len(encoded) < 75 else line.to_ical())
    return b"\r\n".join(parts) + b"\r\n"


def calendar(name: str, events: Sequence[Event | bytes]) -> bytes:
    """A complete calendar file, with the time zone definition its events refer to.

    Events may be given already serialized (to_ical(event)), so a build that puts the same
    event in several calendars (the activity's own and its area's) serializes it only once.
    The result is byte for byte what icalendar writes for the whole calendar: every event of
    the guide has a local start time, so the VTIMEZONE comes first whenever there are events.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", ZONE.key)
    head = to_ical(cal).removesuffix(b"END:VCALENDAR\r\n")
    body = b"".join(event if isinstance(event, bytes) else to_ical(event) for event in events)
    return head + (_timezone_ical() if events else b"") + body + b"END:VCALENDAR\r\n"
