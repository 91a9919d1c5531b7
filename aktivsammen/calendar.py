"""Calendars: every activity as iCalendar events (RFC 5545), recurring schedules as RRULEs.

Weekly and every-other-week slots become FREQ=WEEKLY rules, "første mandag i måneden" a
FREQ=MONTHLY rule with BYDAY=1MO, one-off dates one event each. A season ends the rule with
UNTIL. Times are local to Europe/Copenhagen, so a Tuesday at 10.00 stays 10.00 across the
change to and from summer time. Every start is computed from the activity's own dates (the
season's start, else the day its facts were confirmed), so the same content gives the same file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from .dates import HORIZON_DAYS, closed_days, closed_on, fixed_days, open_from, slot_meets
from .model import (
    COPENHAGEN,
    Activity,
    BiweeklySlot,
    CourseSlot,
    DatesSlot,
    MonthlySlot,
    Slot,
    Status,
    Vocabularies,
)
from .schedule import clock, describe_price, describe_slot

ZONE = COPENHAGEN  # the guide's time
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODID = "-//AktivSammen//Aktivitetsguide//DA"


def first_meeting(
    activity: Activity, slot: Slot, not_before: date = date.min, today: date | None = None
) -> date:
    """The rule's first day: on or after the season's start, else the day the facts were confirmed
    (or `today`, if earlier). A fortnightly slot's first_date only sets which weeks: the rule
    starts before it when the facts say it meets then."""
    start = activity.season.from_ if activity.season else min(activity.verified, today or date.max)
    day = max(start, not_before)
    while not slot_meets(slot, day):  # a valid slot meets within five weeks
        day += timedelta(days=1)
    return day


def byday(slot: Slot) -> list[str]:
    """RRULE BYDAY of a repeating slot: ["TU", "TH"], or ["1MO", "-1MO"] for weeks of the month.

    The calendars and the open data (HSDS schedules) both state the rule; this is it, once.
    """
    if isinstance(slot, MonthlySlot):
        return [f"{w.number}{BYDAY[d.number]}" for w in slot.weeks for d in slot.days]
    return [BYDAY[d.number] for d in sorted(slot.days, key=lambda d: d.number)]


def _rule(activity: Activity, slot: Slot) -> str:
    """RRULE value, its parts in RFC 5545's (and icalendar's) canonical order."""
    parts = ["FREQ=MONTHLY" if isinstance(slot, MonthlySlot) else "FREQ=WEEKLY"]
    if activity.season:
        # With a local DTSTART, RFC 5545 wants UNTIL in UTC: the end of the season's last day.
        end = datetime.combine(activity.season.until, time(23, 59, 59), ZONE)
        parts.append(f"UNTIL={_stamp(end.astimezone(UTC))}Z")
    if isinstance(slot, BiweeklySlot):
        parts.append("INTERVAL=2")
    parts.append("BYDAY=" + ",".join(byday(slot)))
    if isinstance(slot, BiweeklySlot):
        parts.append("WKST=MO")
    return ";".join(parts)


def _stamp(moment: datetime) -> str:
    """A DATE-TIME without its zone: 20261006T100000."""
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 says, in the order icalendar uses."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: bytes) -> bytes:
    """A content line folded at 75 octets (RFC 5545 section 3.1), as icalendar folds it.

    Each folded part has at most 74 bytes and ends before a character that would not fit whole.
    Like icalendar, an escape's backslash (or RFC 6868 caret) is not left at the end of a part.
    """
    if len(line) < 75:
        return line
    parts, start = [], 0
    while len(line) - start > 74:
        end = start + 74
        while line[end] & 0xC0 == 0x80:  # inside a UTF-8 character: it goes to the next part
            end -= 1
        if line[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _local_times(days: Sequence[date], start: time) -> str:
    return ",".join(_stamp(datetime.combine(day, start)) for day in days)


def _event(
    activity: Activity,
    uid: str,
    day: date,
    slot: Slot,
    url: str,
    rule: str | None,
    *,
    more: Sequence[date] = (),
    skipped: Sequence[date] = (),
    when: str | None = None,
) -> bytes:
    """One VEVENT as text: the canonical properties first, then the others by name (icalendar's order).

    `more` are a course's further meetings (RDATE), `skipped` the days the rule meets but the
    activity does not (EXDATE: closures, and days a special date replaces).
    """
    lines = ["BEGIN:VEVENT", f"SUMMARY:{_text(activity.title)}"]
    lines.append(f"DTSTART;TZID={ZONE.key}:{_stamp(datetime.combine(day, slot.start))}")
    if slot.end:
        lines.append(f"DTEND;TZID={ZONE.key}:{_stamp(datetime.combine(day, slot.end))}")
    lines.append(f"DTSTAMP:{_stamp(datetime.combine(activity.verified, time()))}Z")
    lines.append(f"UID:{_text(uid)}")
    if rule:
        lines.append(f"RRULE:{rule}")
    if more:
        lines.append(f"RDATE;TZID={ZONE.key}:{_local_times(more, slot.start)}")
    if skipped:
        lines.append(f"EXDATE;TZID={ZONE.key}:{_local_times(skipped, slot.start)}")
    text = [
        activity.summary,
        when or describe_slot(slot),
        f"Pris: {describe_price(activity)}",
        f"Arrangør: {activity.organizer.name}",
    ]
    if activity.schedule_note:
        text.append(activity.schedule_note)
    text.append(f"Læs mere: {url}")
    lines.append(f"DESCRIPTION:{_text(chr(10).join(text))}")
    place = activity.location
    lines.append(f"LOCATION:{_text(f'{place.name}, {place.address}, {place.postcode} {place.city}')}")
    # No ORGANIZER: with one, calendar apps treat a club's meeting as an invitation to answer.
    lines.append(f"STATUS:{'CANCELLED' if activity.status is Status.AFLYST else 'CONFIRMED'}")
    lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return b"".join(_fold(line.encode()) + b"\r\n" for line in lines)


def activity_events(
    activity: Activity,
    slug: str,
    url: str,
    domain: str,
    vocabularies: Vocabularies,
    today: date | None = None,
) -> list[bytes]:
    """The activity's events, serialized: one per recurring slot (its rule, with the closed days as
    EXDATE), one per course (its meetings as RDATE), one per one-off date and per special date.

    A paused activity has no events until it starts again (none at all without a date); a
    cancelled one keeps its events, marked CANCELLED, so subscribers see the change. Closed days
    are listed from `today` (the build's day) for HORIZON_DAYS, and the nightly build moves on.

    Written here rather than with icalendar's objects, which cost more than the rest of a
    calendar build; tests/unit/test_calendar.py checks the bytes are the ones icalendar writes.
    """
    opens = open_from(activity)  # None: paused without an end, or cancelled (whose events stay)
    if opens is None and activity.status is Status.PAUSE:
        return []
    opens = opens or date.min
    today = today or activity.verified
    special_days = {special.date for special in activity.special_dates}
    events = []
    for number, slot in enumerate(activity.schedule):
        if isinstance(slot, CourseSlot):
            days = [day for day in fixed_days(activity, vocabularies, slot) if day >= opens]
            if days:
                uid = f"{slug}-{number}@{domain}"
                # Every meeting as RDATE, the first too: with DTSTART alone, ical.js and PyPI ical
                # leave the first meeting out of a set without RRULE (recurring-ical-events keeps it).
                events.append(_event(activity, uid, days[0], slot, url, None, more=days))
        elif isinstance(slot, DatesSlot):
            for day in fixed_days(activity, vocabularies, slot):
                if day >= opens and day not in special_days and not closed_on(activity, vocabularies, day):
                    uid = f"{slug}-{number}-{day:%Y%m%d}@{domain}"
                    events.append(_event(activity, uid, day, slot, url, None))
        else:
            first = first_meeting(activity, slot, opens, today)
            until = activity.season.until if activity.season else max(first, today) + timedelta(HORIZON_DAYS)
            skipped = closed_days(activity, vocabularies, slot, first, until)
            while first in skipped:  # the series starts on a day it really meets
                skipped.remove(first)
                first = first_meeting(activity, slot, first + timedelta(days=1))
            if activity.season and first > activity.season.until:
                continue
            uid = f"{slug}-{number}@{domain}"
            events.append(_event(activity, uid, first, slot, url, _rule(activity, slot), skipped=skipped))
    for special in activity.special_dates:
        if special.date >= opens and (not activity.season or special.date in activity.season):
            uid = f"{slug}-s-{special.date:%Y%m%d}@{domain}"
            when = f"{special.note or 'Særlig dag'}, kl. {clock(special.start)}"
            events.append(_event(activity, uid, special.date, special, url, None, when=when))
    return events


# Europe/Copenhagen as yearly rules (EU summer time since 1996: the last Sunday of March at
# 02.00, the last Sunday of October at 03.00). icalendar's Timezone.from_tzid() lists every
# change as an RDATE instead; ical.js (Thunderbird) and Outlook's app read such a zone as winter
# time all year, an hour wrong from April to October. tests/unit/test_calendar.py holds these
# rules against tzdata for every change from 2024 to 2037.
TIMEZONE_ICAL = (
    b"BEGIN:VTIMEZONE\r\nTZID:Europe/Copenhagen\r\n"
    b"BEGIN:DAYLIGHT\r\nDTSTART:19960331T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    b"TZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
    b"BEGIN:STANDARD\r\nDTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    b"TZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    b"END:VTIMEZONE\r\n"
)


def calendar(name: str, events: Sequence[bytes]) -> bytes:
    """A complete calendar file of serialized events (activity_events), with the time zone they use.

    A build that puts the same event in several calendars (the activity's own and its area's)
    serializes it only once. Every event of the guide has a local start time, so the VTIMEZONE
    comes first whenever there are events, as icalendar writes it.
    """
    # X-WR-CALNAME is an X- property, which icalendar writes as it is, without TEXT escapes.
    head = (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{PRODID}\r\nCALSCALE:GREGORIAN\r\n".encode()
        + _fold(f"X-WR-CALNAME:{name}".encode())
        + f"\r\nX-WR-TIMEZONE:{ZONE.key}\r\n".encode()
    )
    return head + (TIMEZONE_ICAL if events else b"") + b"".join(events) + b"END:VCALENDAR\r\n"
