"""Keeping the guide fresh: which activities nobody has confirmed lately, and which are over."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import fixed_days
from .loading import ActivityEntry
from .model import Activity, CourseSlot, DatesSlot, Vocabularies
from .schedule import danish_date

STALE_AFTER_DAYS = 365


def last_day(activity: Activity, vocabularies: Vocabularies | None = None) -> date | None:
    """Its last possible meeting day: the season's end, or the last one-off date or course meeting;
    None if open-ended. Without the vocabularies a course's closed periods are not known (its end
    may then come out early: only the component gallery, with made-up examples, does that)."""
    ends = [activity.season.until] if activity.season else []
    if all(isinstance(slot, DatesSlot | CourseSlot) for slot in activity.schedule):
        known = vocabularies or Vocabularies(areas=[], categories=[], target_groups=[], accessibility=[],
                                             coordinators=[])  # fmt: skip
        days = [item.date for item in activity.special_dates]
        for slot in activity.schedule:
            days += fixed_days(activity, known, slot)
        if days:
            ends.append(max(days))
    return min(ends) if ends else None


def is_over(activity: Activity, today: date, vocabularies: Vocabularies | None = None) -> bool:
    """True when its season has ended, or every meeting is a one-off date or course meeting in the past."""
    end = last_day(activity, vocabularies)
    return end is not None and end < today


@dataclass(frozen=True)
class StaleActivity:
    entry: ActivityEntry
    days: int  # since the facts were last confirmed


def stale(
    entries: list[ActivityEntry], today: date, older_than: int = STALE_AFTER_DAYS
) -> list[StaleActivity]:
    """Activities not confirmed for more than `older_than` days, oldest first."""
    limit = today - timedelta(days=older_than)
    found = [
        StaleActivity(e, (today - e.activity.verified).days) for e in entries if e.activity.verified < limit
    ]
    return sorted(found, key=lambda item: (item.entry.activity.verified, item.entry.slug))


CSV_COLUMNS = ["sidst_bekraeftet", "dage", "aktivitet", "fil", "forening", "kontakt", "telefon", "email"]


def as_rows(items: list[StaleActivity]) -> list[list[str]]:
    rows = []
    for item in items:
        activity, contact = item.entry.activity, item.entry.activity.contact
        rows.append([
            activity.verified.isoformat(), str(item.days), activity.title, item.entry.source,
            activity.organizer.name, contact.name or "", contact.phone or "", contact.email or "",
        ])  # fmt: skip
    return rows


def as_csv(items: list[StaleActivity]) -> str:
    """The list for a spreadsheet: one row per activity, Danish column names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(as_rows(items))
    return buffer.getvalue()


def as_text(items: list[StaleActivity], older_than: int) -> str:
    """The list for reading in a terminal: who to call, oldest first."""
    if not items:
        return f"Alle aktiviteter er bekræftet inden for de seneste {older_than} dage."
    lines = [f"{len(items)} aktiviteter er ikke bekræftet i over {older_than} dage (ældste først):", ""]
    for item in items:
        activity, contact = item.entry.activity, item.entry.activity.contact
        reach = ", ".join(x for x in (contact.name, contact.phone, contact.email) if x)
        lines.append(f"- {activity.title} ({item.entry.source})")
        lines.append(f"  sidst bekræftet {danish_date(activity.verified)} ({item.days} dage siden)")
        lines.append(f"  {activity.organizer.name}: {reach}")
    return "\n".join(lines)
