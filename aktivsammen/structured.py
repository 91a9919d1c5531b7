"""schema.org JSON-LD for an activity: an EventSeries with its eventSchedule, place and organizer.

Search engines and other municipal channels read this; each schedule also carries its plain
Danish description as `name`, so nothing the guide says is lost where schema.org has no term
(e.g. "sidste tirsdag i måneden").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from .dates import HORIZON_DAYS, Upcoming, closed_days, fixed_days, open_from
from .model import (
    COPENHAGEN,
    Activity,
    BiweeklySlot,
    CourseSlot,
    DatesSlot,
    MonthlySlot,
    PriceAmount,
    Slot,
    Status,
    Vocabularies,
)
from .schedule import describe_slot

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _times(slot: Slot) -> dict[str, str]:
    times = {"startTime": slot.start.strftime("%H:%M")}
    if slot.end:
        times["endTime"] = slot.end.strftime("%H:%M")
    return times


def local_datetime(day: date, clock: time) -> str:
    """ "2026-12-08T10:00:00+01:00": a date-time with Denmark's offset that day, as Google asks."""
    return datetime.combine(day, clock, COPENHAGEN).isoformat()


def _schedules(activity: Activity, vocabularies: Vocabularies, today: date | None) -> list[dict[str, Any]]:
    """One Schedule per time slot; a repeating one with the days it skips (exceptDate) from today."""
    season = activity.season
    bounds = {"startDate": season.from_.isoformat(), "endDate": season.until.isoformat()} if season else {}
    opens = open_from(activity)
    if opens and opens > (season.from_ if season else date.min):
        bounds["startDate"] = opens.isoformat()  # paused until then
    found = []
    for slot in activity.schedule:
        base = {"@type": "Schedule", "name": describe_slot(slot), "scheduleTimezone": "Europe/Copenhagen",
                **_times(slot)}  # fmt: skip
        if isinstance(slot, DatesSlot | CourseSlot):  # a course: each meeting, its closed days skipped
            found += [
                {**base, "startDate": d.isoformat(), "endDate": d.isoformat()}
                for d in fixed_days(activity, vocabularies, slot)
            ]
            continue
        days = [f"https://schema.org/{DAYS[d.number]}" for d in sorted(slot.days, key=lambda d: d.number)]
        schedule = {**base, **bounds, "byDay": days}
        if today and opens:
            until = min(today + timedelta(days=HORIZON_DAYS), season.until if season else date.max)
            skipped = closed_days(activity, vocabularies, slot, max(today, opens), until)
            if skipped:
                schedule["exceptDate"] = [day.isoformat() for day in skipped]
        if isinstance(slot, MonthlySlot):
            schedule["repeatFrequency"] = "P1M"
            weeks = [w.number for w in slot.weeks if w.number > 0]  # schema.org counts 1-5 only
            if weeks:
                schedule["byMonthWeek"] = weeks
        else:
            schedule["repeatFrequency"] = "P2W" if isinstance(slot, BiweeklySlot) else "P1W"
        found.append(schedule)
    return found


def _status(activity: Activity, upcoming: Upcoming | None) -> str:
    if activity.status is Status.AFLYST:
        return "https://schema.org/EventCancelled"
    if activity.status is Status.PAUSE and not (upcoming and upcoming.next):
        return "https://schema.org/EventPostponed"  # paused with no date to start again
    return "https://schema.org/EventScheduled"


def activity_jsonld(
    activity: Activity, url: str, vocabularies: Vocabularies, upcoming: Upcoming | None = None
) -> dict[str, Any]:
    """The activity as a schema.org EventSeries: `startDate` is its next meeting (from `upcoming`,
    as the page shows it), `eventSchedule` the rule with the days it skips."""
    place = activity.location
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "@id": url,
        "url": url,
        "name": activity.title,
        "description": activity.summary,
        "inLanguage": "da",
        "eventStatus": _status(activity, upcoming),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventSchedule": _schedules(activity, vocabularies, upcoming.today if upcoming else None),
        "location": {
            "@type": "Place",
            "name": place.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": place.address,
                "postalCode": place.postcode,
                "addressLocality": place.city,
                "addressCountry": "DK",
            },
            "amenityFeature": [
                {
                    "@type": "LocationFeatureSpecification",
                    "name": vocabularies.label("accessibility", a),
                    "value": True,
                }
                for a in activity.accessibility
            ],
        },
        "organizer": {"@type": "Organization", "name": activity.organizer.name},
        "isAccessibleForFree": activity.is_free,
        "audience": [
            {"@type": "Audience", "audienceType": vocabularies.label("target_groups", t)}
            for t in activity.target_groups
        ],
        "keywords": [vocabularies.label("categories", c) for c in activity.categories],
    }
    if activity.organizer.url:
        data["organizer"]["url"] = activity.organizer.url
    if upcoming and upcoming.next:
        first = upcoming.next[0]
        data["startDate"] = local_datetime(first.day, first.start)
        if first.end:
            data["endDate"] = local_datetime(first.day, first.end)
    data["offers"] = {
        "@type": "Offer",
        "price": activity.price.amount if isinstance(activity.price, PriceAmount) else 0,
        "priceCurrency": "DKK",
        "availability": "https://schema.org/InStock",
        "url": url,
        "validFrom": activity.verified.isoformat(),  # the day the price was last confirmed
    }
    if isinstance(activity.price, PriceAmount):
        price = activity.price
        data["offers"]["description"] = f"{price.per.label}" + (f". {price.note}" if price.note else "")
    return data
