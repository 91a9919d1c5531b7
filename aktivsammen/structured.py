"""schema.org JSON-LD for an activity: an EventSeries with its eventSchedule, place and organizer.

Search engines and other municipal channels read this; each schedule also carries its plain
Danish description as `name`, so nothing the guide says is lost where schema.org has no term
(e.g. "sidste tirsdag i måneden").
"""

from __future__ import annotations

from typing import Any

from .dates import fixed_days
from .model import (
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


def _schedules(activity: Activity, vocabularies: Vocabularies) -> list[dict[str, Any]]:
    season = activity.season
    bounds = {"startDate": season.from_.isoformat(), "endDate": season.until.isoformat()} if season else {}
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
        if isinstance(slot, MonthlySlot):
            schedule["repeatFrequency"] = "P1M"
            weeks = [w.number for w in slot.weeks if w.number > 0]  # schema.org counts 1-5 only
            if weeks:
                schedule["byMonthWeek"] = weeks
        else:
            schedule["repeatFrequency"] = "P2W" if isinstance(slot, BiweeklySlot) else "P1W"
        found.append(schedule)
    return found


def activity_jsonld(activity: Activity, url: str, vocabularies: Vocabularies) -> dict[str, Any]:
    """The activity as a schema.org EventSeries."""
    place = activity.location
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EventSeries",
        "@id": url,
        "url": url,
        "name": activity.title,
        "description": activity.summary,
        "inLanguage": "da",
        "eventStatus": "https://schema.org/EventCancelled"
        if activity.status is Status.AFLYST
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventSchedule": _schedules(activity, vocabularies),
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
    if activity.season:
        data["startDate"] = activity.season.from_.isoformat()
        data["endDate"] = activity.season.until.isoformat()
    if isinstance(activity.price, PriceAmount):
        data["offers"] = {"@type": "Offer", "price": activity.price.amount, "priceCurrency": "DKK",
                          "description": f"pr. {activity.price.per.value}"}  # fmt: skip
    else:
        data["offers"] = {"@type": "Offer", "price": 0, "priceCurrency": "DKK"}
    return data
