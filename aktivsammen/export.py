"""Open data: every activity as an Open Referral HSDS 3.0 service, valid as the standard publishes it.

A record validates against HSDS's own compiled schema (`service_with_definitions.json`, with the
format checker, so every `id` is a UUID). Ids are UUIDv5 of the guide's address and what the
object is (an activity's slug, an association's name, a place), so they never change between
builds and the same association or place has the same id in every record.

Schedules are HSDS's iCalendar-style fields. HSDS has no exception dates, so the true dates are
kept by splitting a rule where it is closed: each schedule is one stretch of the rule between
closures (its own `valid_from`, `valid_to`, `dtstart` and `until`), for the coming year (the
nightly build moves the year on); courses, one-off dates and special dates are one schedule per
day. The closures are said in words in each schedule's description too.

The guide's own vocabularies (area, categories, target groups, level) are HSDS taxonomy terms,
attached to a service as attributes. Plain dicts, not models of our own: the official schema is
what the tests hold the output to.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from .calendar import byday
from .dates import HORIZON_DAYS, closed_days, closed_on, closure_text, fixed_days, open_from, rule_days
from .model import (
    Activity,
    BiweeklySlot,
    CourseSlot,
    DatesSlot,
    Level,
    MonthlySlot,
    PriceAmount,
    Status,
    Vocabularies,
)
from .schedule import PRICE_PER, clock, describe_price, describe_slot
from .text import slugify

HSDS_VERSION = "3.0"
LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
STATUS = {Status.AKTIV: "active", Status.PAUSE: "temporarily closed", Status.AFLYST: "defunct"}
# The guide's vocabularies as HSDS taxonomies: (vocabulary kind, taxonomy name, description).
TAXONOMIES = (
    ("areas", "AktivSammen: lokalområder", "Lokalområderne i kommunen, som aktiviteterne ligger i."),
    ("categories", "AktivSammen: emner", "Hvad aktiviteten går ud på."),
    ("target_groups", "AktivSammen: målgrupper", "Hvem aktiviteten er for."),
    ("levels", "AktivSammen: niveau", "Hvor fysisk krævende aktiviteten er."),
)


class Ids:
    """Stable UUIDs for everything in the export, from the guide's address."""

    def __init__(self, site_address: str):
        self.site = site_address.rstrip("/")
        self._terms: dict[str, dict[str, Any]] | None = None

    def terms(self, vocabularies: Vocabularies) -> dict[str, dict[str, Any]]:
        """The taxonomy terms by id, made once (every service's attributes point to them)."""
        if self._terms is None:
            self._terms = {term["id"]: term for term in taxonomy_terms(vocabularies, self)}
        return self._terms

    def of(self, *path: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join((self.site, *path))))

    def service(self, slug: str) -> str:
        return self.of("aktivitet", slug)

    def organization(self, name: str) -> str:
        return self.of("forening", slugify(name))

    def location(self, activity: Activity) -> str:
        return self.of("sted", activity.location.key)

    def taxonomy(self, kind: str) -> str:
        return self.of("taksonomi", kind)

    def term(self, kind: str, code: str) -> str:
        return self.of("taksonomi", kind, code)


def taxonomy_terms(vocabularies: Vocabularies, ids: Ids) -> list[dict[str, Any]]:
    """Every term of the guide's vocabularies, as HSDS taxonomy terms (with their taxonomy)."""
    found = []
    for kind, name, description in TAXONOMIES:
        taxonomy = {"id": ids.taxonomy(kind), "name": name, "description": description, "version": "1"}
        for code, label, text in _terms(kind, vocabularies):
            found.append({
                "id": ids.term(kind, code), "code": code, "name": label, "description": text or label,
                "taxonomy": name, "taxonomy_id": taxonomy["id"], "taxonomy_detail": taxonomy,
                "language": "da",
            })  # fmt: skip
    return found


def taxonomies(ids: Ids) -> list[dict[str, Any]]:
    return [
        {"id": ids.taxonomy(kind), "name": name, "description": description, "version": "1"}
        for kind, name, description in TAXONOMIES
    ]


def _terms(kind: str, vocabularies: Vocabularies) -> list[tuple[str, str, str]]:
    if kind == "levels":
        return [(level.value, level.label, "") for level in Level]
    return [
        (term.id, term.label, getattr(term, "description", "") or "")
        for term in vocabularies.terms(kind).values()
    ]


def service(
    slug: str, activity: Activity, url: str, vocabularies: Vocabularies, ids: Ids, today: date,
    region: str = "Region Syddanmark",
) -> dict[str, Any]:  # fmt: skip
    """One activity as a whole HSDS service record (everything nested, as `/services/{id}` gives it)."""
    service_id = ids.service(slug)
    contact = activity.contact
    record: dict[str, Any] = {
        "id": service_id,
        "organization_id": ids.organization(activity.organizer.name),
        "name": activity.title,
        "description": activity.summary,
        "url": url,
        "email": contact.email,
        "status": STATUS[activity.status],
        "fees_description": describe_price(activity),
        "eligibility_description": ", ".join(
            vocabularies.label("target_groups", group) for group in activity.target_groups
        ),
        "minimum_age": activity.minimum_age,
        "assured_date": activity.verified.isoformat(),
        "licenses": f"{LICENSE} ({LICENSE_URL})",
        "organization": organization(activity, ids),
        "contacts": [_contact(service_id, slug, activity, ids)],
        "phones": [],
        "schedules": schedules(service_id, activity, vocabularies, ids, today),
        "service_at_locations": [_service_at_location(service_id, activity, vocabularies, ids, region)],
        "languages": [
            {
                "id": ids.of("aktivitet", slug, "sprog"),
                "service_id": service_id,
                "name": "Dansk",
                "code": "da",
            }
        ],
        "cost_options": [_cost(service_id, activity, ids, slug)],
        "attributes": _attributes(service_id, activity, vocabularies, ids),
    }
    return _without_empty(record)


def organization(activity: Activity, ids: Ids, activities: list[str] | None = None) -> dict[str, Any]:
    """The association behind an activity (the same id for every activity it has)."""
    organizer = activity.organizer
    description = f"Forening eller fællesskab, der står bag aktiviteter på guiden, fx {activity.title}."
    if activities:
        description = "Står bag: " + ", ".join(activities) + "."
    return _without_empty({
        "id": ids.organization(organizer.name), "name": organizer.name, "description": description,
        "website": organizer.url,
    })  # fmt: skip


def _contact(service_id: str, slug: str, activity: Activity, ids: Ids) -> dict[str, Any]:
    contact = activity.contact
    contact_id = ids.of("aktivitet", slug, "kontakt")
    phones = []
    if contact.phone:
        phones.append({"id": ids.of("aktivitet", slug, "kontakt", "telefon"), "contact_id": contact_id,
                       "number": contact.phone, "type": "voice", "languages": []})  # fmt: skip
    return _without_empty({
        "id": contact_id, "service_id": service_id, "name": contact.name, "title": contact.role,
        "email": contact.email, "phones": phones,
    })  # fmt: skip


def _service_at_location(
    service_id: str, activity: Activity, vocabularies: Vocabularies, ids: Ids, region: str
) -> dict[str, Any]:
    place = activity.location
    location_id = ids.location(activity)
    location = {
        "id": location_id, "location_type": "physical", "name": place.name,
        "description": place.room, "transportation": activity.transport,
        "latitude": place.latitude, "longitude": place.longitude,
        "addresses": [{
            "id": ids.of("sted", location_id, "adresse"), "location_id": location_id,
            "address_1": place.address, "city": place.city,
            "region": vocabularies.label("areas", activity.area),
            "state_province": region, "postal_code": place.postcode, "country": "DK",
            "address_type": "physical",
        }],
        "accessibility": [
            {"id": ids.of("sted", location_id, "tilgaengelighed", term), "location_id": location_id,
             "description": vocabularies.label("accessibility", term)}
            for term in activity.accessibility
        ],
    }  # fmt: skip
    return {"id": ids.of("aktivitet-sted", service_id, location_id), "service_id": service_id,
            "location_id": location_id, "location": _without_empty(location)}  # fmt: skip


def _cost(service_id: str, activity: Activity, ids: Ids, slug: str) -> dict[str, Any]:
    price = activity.price
    cost = {"id": ids.of("aktivitet", slug, "pris"), "service_id": service_id, "currency": "DKK"}
    if isinstance(price, PriceAmount):
        cost |= {
            "amount": price.amount,
            "option": PRICE_PER[price.per.value],
            "amount_description": price.note,
        }
    else:
        cost |= {"amount": 0, "option": "Gratis"}
    return _without_empty(cost)


def _attributes(service_id: str, activity: Activity, vocabularies: Vocabularies, ids: Ids) -> list[dict]:
    chosen = [("areas", [activity.area]), ("categories", activity.categories),
              ("target_groups", activity.target_groups), ("levels", [activity.level.value])]  # fmt: skip
    terms = ids.terms(vocabularies)
    found = []
    for kind, codes in chosen:
        for code in codes:
            term = terms[ids.term(kind, code)]
            found.append({
                "id": ids.of("egenskab", service_id, kind, code), "link_id": service_id, "link_type": kind,
                "link_entity": "service", "taxonomy_term_id": term["id"], "taxonomy_term": term,
            })  # fmt: skip
    return found


# --- Schedules ---------------------------------------------------------------------------------


def schedules(
    service_id: str, activity: Activity, vocabularies: Vocabularies, ids: Ids, today: date
) -> list[dict[str, Any]]:
    """The activity's meetings from `today` for a year, as HSDS schedules (see the module's text)."""
    opens = open_from(activity)
    if opens is None:
        return []
    start = max(today, opens, activity.season.from_ if activity.season else today)
    until = today + timedelta(days=HORIZON_DAYS - 35)  # a year and a bit
    if activity.season:
        until = min(until, activity.season.until)
    closures = closure_text(activity, vocabularies)
    found: list[dict[str, Any]] = []

    def add(number: str, values: dict[str, Any], text: str) -> None:
        found.append(_without_empty({
            "id": ids.of("skema", service_id, number), "service_id": service_id,
            "description": f"{text}. {closures}" if closures else text,
            "notes": "Tiderne er dansk tid (Europe/Copenhagen).", **values,
        }))  # fmt: skip

    for index, slot in enumerate(activity.schedule):
        times = {"opens_at": clock_iso(slot.start), "closes_at": clock_iso(slot.end) if slot.end else None}
        if isinstance(slot, DatesSlot | CourseSlot):
            days = [day for day in fixed_days(activity, vocabularies, slot) if start <= day <= until]
            if isinstance(slot, DatesSlot):  # a course's days are its meetings already
                specials = {item.date for item in activity.special_dates}
                days = [d for d in days if d not in specials and not closed_on(activity, vocabularies, d)]
            for day in days:
                add(f"{index}/{day}", {"valid_from": str(day), "valid_to": str(day), "dtstart": str(day),
                                       "count": 1, **times}, describe_slot(slot))  # fmt: skip
            continue
        rule = {
            "freq": "MONTHLY" if isinstance(slot, MonthlySlot) else "WEEKLY",
            "interval": 2 if isinstance(slot, BiweeklySlot) else 1,
            "byday": ",".join(byday(slot)),
            "wkst": "MO",
        }
        for part, (first, last) in enumerate(_stretches(activity, vocabularies, slot, start, until)):
            stretch = {
                "dtstart": str(first),
                "until": str(last),
                "valid_from": str(first),
                "valid_to": str(last),
            }
            add(f"{index}/{part}", {**rule, **stretch, **times}, describe_slot(slot))
    for special in activity.special_dates:
        if start <= special.date <= until:
            day = str(special.date)
            values = {"valid_from": day, "valid_to": day, "dtstart": day, "count": 1,
                      "opens_at": clock_iso(special.start),
                      "closes_at": clock_iso(special.end) if special.end else None}  # fmt: skip
            text = f"{special.note or 'Særlig dag'} kl. {clock(special.start)}"
            add(f"saerlig/{day}", values, text)
    return found


def _stretches(
    activity: Activity, vocabularies: Vocabularies, slot: Any, start: date, until: date
) -> list[tuple[date, date]]:
    """The runs of a repeating slot's real meetings between closures: (first, last) of each."""
    closed = set(closed_days(activity, vocabularies, slot, start, until))
    runs: list[tuple[date, date]] = []
    first = last = None
    for day in rule_days(slot, start, until):
        if day in closed:
            if first is not None:
                runs.append((first, last))
            first = last = None
            continue
        first = first or day
        last = day
    if first is not None:
        runs.append((first, last))
    return runs


def clock_iso(value) -> str:
    return value.strftime("%H:%M")


def _without_empty(record: dict[str, Any]) -> dict[str, Any]:
    """HSDS wants absent rather than null (its types are not nullable)."""
    return {key: value for key, value in record.items() if value is not None and value != ""}


# --- The API as static files ---------------------------------------------------------------------


def pages(items: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """HSDS's paged list (`/services`): the Page object, `contents` a page of items each.

    No items is one empty page (`empty: true`), as an API answers an empty result."""
    count = max(1, -(-len(items) // size))
    return [
        {
            "total_items": len(items),
            "total_pages": count,
            "page_number": number,
            "size": len(chunk),
            "first_page": number == 1,
            "last_page": number == count,
            "empty": not items,
            "contents": chunk,
        }
        for number, chunk in enumerate((items[i * size : (i + 1) * size] for i in range(count)), start=1)
    ]


def api_root(profile_url: str, openapi_url: str) -> dict[str, str]:
    """`/`: which HSDS version this is, and where its description and profile are."""
    return {"version": HSDS_VERSION, "profile": profile_url, "openapi_url": openapi_url}
