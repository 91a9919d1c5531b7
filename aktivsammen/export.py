"""Open data: every activity as an Open Referral HSDS 3.0 service, for other municipal channels.

The names follow HSDS where it has a field (service, organization, location, address,
schedule as iCalendar-style rules, contact, phone, accessibility, assured_date for the day the
facts were confirmed); the guide's own vocabularies go in `attributes`. The models below are
the export's public view of the domain model, and its JSON Schema is generated from them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .calendar import byday, first_meeting
from .dates import fixed_days
from .model import Activity, BiweeklySlot, CourseSlot, DatesSlot, MonthlySlot, Status, Vocabularies
from .schedule import describe_price, describe_slot

STATUS = {Status.AKTIV: "active", Status.PAUSE: "temporarily closed", Status.AFLYST: "defunct"}


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Phone(View):
    number: str


class Contact(View):
    name: str | None = None
    title: str | None = None
    email: str | None = None
    phones: list[Phone] = []


class Address(View):
    address_1: str
    city: str
    postal_code: str
    country: Literal["DK"] = "DK"
    address_type: Literal["physical"] = "physical"


class Accessibility(View):
    description: str


class Location(View):
    name: str
    location_type: Literal["physical"] = "physical"
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    addresses: list[Address]
    accessibility: list[Accessibility] = []


class ServiceAtLocation(View):
    location: Location


class Schedule(View):
    description: str
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    interval: int | None = None
    byday: str | None = None
    wkst: Literal["MO"] | None = None
    dtstart: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    opens_at: str
    closes_at: str | None = None
    timezone: Literal["Europe/Copenhagen"] = "Europe/Copenhagen"


class Organization(View):
    name: str
    website: str | None = None


class Attribute(View):
    taxonomy: Literal["omraade", "kategori", "maalgruppe", "niveau"]
    code: str
    label: str


class Service(View):
    id: str
    name: str
    description: str
    url: str
    email: str | None = None
    status: Literal["active", "temporarily closed", "defunct"]
    fees_description: str
    eligibility_description: str
    assured_date: date
    organization: Organization
    contacts: list[Contact]
    schedules: list[Schedule]
    service_at_locations: list[ServiceAtLocation]
    attributes: list[Attribute]


class Dataset(View):
    """The whole export: who publishes it, and the services."""

    name: str
    publisher: str
    language: Literal["da"] = "da"
    standard: Literal["Open Referral HSDS 3.0 (field names)"] = "Open Referral HSDS 3.0 (field names)"
    services: list[Service]


def _schedules(activity: Activity, vocabularies: Vocabularies) -> list[Schedule]:
    season = activity.season
    found = []
    for slot in activity.schedule:
        times = {
            "opens_at": slot.start.strftime("%H:%M"),
            "closes_at": slot.end.strftime("%H:%M") if slot.end else None,
        }
        if isinstance(slot, DatesSlot | CourseSlot):  # a course: each meeting, its closed days skipped
            found += [
                Schedule(description=describe_slot(slot), valid_from=d, valid_to=d, **times)
                for d in fixed_days(activity, vocabularies, slot)
            ]
            continue
        biweekly = isinstance(slot, BiweeklySlot)
        found.append(Schedule(
            description=describe_slot(slot),
            freq="MONTHLY" if isinstance(slot, MonthlySlot) else "WEEKLY",
            interval=2 if biweekly else 1,
            byday=",".join(byday(slot)),
            wkst="MO" if biweekly else None,
            dtstart=first_meeting(activity, slot),
            valid_from=season.from_ if season else None,
            valid_to=season.until if season else None,
            **times,
        ))  # fmt: skip
    return found


def service(slug: str, activity: Activity, url: str, vocabularies: Vocabularies) -> Service:
    place, contact = activity.location, activity.contact
    terms = [("omraade", "areas", [activity.area]), ("kategori", "categories", activity.categories),
             ("maalgruppe", "target_groups", activity.target_groups)]  # fmt: skip
    attributes = [
        Attribute(taxonomy=taxonomy, code=code, label=vocabularies.label(kind, code))
        for taxonomy, kind, codes in terms
        for code in codes
    ] + [Attribute(taxonomy="niveau", code=activity.level.value, label=activity.level.label)]
    return Service(
        id=slug,
        name=activity.title,
        description=activity.summary,
        url=url,
        email=contact.email,
        status=STATUS[activity.status],
        fees_description=describe_price(activity),
        eligibility_description=", ".join(
            vocabularies.label("target_groups", t) for t in activity.target_groups
        ),
        assured_date=activity.verified,
        organization=Organization(name=activity.organizer.name, website=activity.organizer.url),
        contacts=[
            Contact(
                name=contact.name,
                title=contact.role,
                email=contact.email,
                phones=[Phone(number=contact.phone)] if contact.phone else [],
            )
        ],
        schedules=_schedules(activity, vocabularies),
        service_at_locations=[
            ServiceAtLocation(
                location=Location(
                    name=place.name,
                    description=activity.transport,
                    latitude=place.latitude,
                    longitude=place.longitude,
                    addresses=[Address(address_1=place.address, city=place.city, postal_code=place.postcode)],
                    accessibility=[
                        Accessibility(description=vocabularies.label("accessibility", a))
                        for a in activity.accessibility
                    ],
                )
            )
        ],
        attributes=attributes,
    )


def dataset(name: str, publisher: str, services: list[Service]) -> Dataset:
    return Dataset(name=name, publisher=publisher, services=services)
