"""OpenActive (Modelling Opportunity Data 2.0): a physical activity as a SessionSeries, its
association as an Organization, its next meetings as ScheduledSessions, and the Dataset and
DataCatalog that list the feeds.

Only activities that content/data/openactive_activities.yaml gives an Activity List concept are
opportunities: a choir, a card club or a repair café is not physical activity and stays out.
The meetings are the true dates (aktivsammen.dates), so a closed week has no session. What the
guide does not know (capacity, who leads, whether it is coached) is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .calendar import byday, first_meeting
from .dates import (
    HORIZON_DAYS,
    Meeting,
    closed_days,
    closure_text,
    fixed_days,
    meetings,
    open_from,
    pause_text,
)
from .loading import parse_yaml, read_text, source_name
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
from .problems import ContentError, Problem
from .schedule import describe_price
from .structured import DAYS, local_datetime
from .text import slugify

CONTEXT = "https://openactive.io/"
ACTIVITY_LIST = "https://openactive.io/activity-list"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SCHEMA_VERSION = "https://openactive.io/modelling-opportunity-data/2.0/"
DOCUMENTATION = "https://developer.openactive.io/"
RPDE_FORMAT = "application/vnd.openactive.rpde+json; version=1"
ZONE = COPENHAGEN
WEEKS = 8  # how far ahead the sessions go

# OpenActive's `level` is free text: the guide's own physical level, in the words the pages use.
LEVEL_WORDS = {
    "siddende": "Siddende",
    "let": "Let: roligt tempo med pauser",
    "moderat": "Moderat: man bliver lidt forpustet",
    "hård": "Hård: man bliver forpustet og svedig",
}


class ActivityTypesError(ContentError):
    """content/data/openactive_activities.yaml is not a valid table."""


# --- Activity List concepts -------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityTypes:
    """content/data/openactive_activities.yaml: which Activity List concepts an activity is."""

    concepts: Mapping[str, str]  # prefLabel -> @id, as in the Activity List
    titles: tuple[tuple[tuple[str, ...], str], ...]  # (words, prefLabel): the first match wins
    categories: Mapping[str, str]  # category id -> prefLabel
    activities: Mapping[str, tuple[str, ...]]  # slug -> prefLabels; () leaves it out

    def labels_for(self, slug: str, activity: Activity) -> tuple[str, ...]:
        """The concepts' labels for an activity: its own entry, else its title's words, else its
        first mapped category. None found: not a physical activity."""
        if slug in self.activities:
            return self.activities[slug]
        title = activity.title.casefold()
        for words, label in self.titles:
            if any(word in title for word in words):
                return (label,)
        for category in activity.categories:
            if category in self.categories:
                return (self.categories[category],)
        return ()

    def concepts_for(self, slug: str, activity: Activity) -> list[dict[str, str]]:
        return [concept(label, self.concepts[label]) for label in self.labels_for(slug, activity)]


def concept(label: str, concept_id: str) -> dict[str, str]:
    return {"@type": "Concept", "@id": concept_id, "prefLabel": label, "inScheme": ACTIVITY_LIST}


MIN_WORD = 4  # shorter words are found inside too many others ("gå" in "præstegården")


def load_activity_types(path: Path, vocabularies: Vocabularies) -> ActivityTypes:
    """Read the table; every problem is reported with its line, as for any content file."""
    source = source_name(path)
    document = parse_yaml(read_text(path, source), source)
    data = document.data if isinstance(document.data, dict) else {}
    problems: list[Problem] = []

    def problem(where: tuple, message: str) -> None:
        field = ".".join(str(part) for part in where) or "(hele filen)"
        problems.append(Problem(source, document.line_of(where), field, message))

    if set(data) != {"concepts", "titles", "categories", "activities"}:
        problem((), "skal have præcis concepts, titles, categories og activities")
    concepts = data.get("concepts") or {}
    for label, concept_id in concepts.items():
        if not (isinstance(concept_id, str) and concept_id.startswith(ACTIVITY_LIST + "#")):
            problem(("concepts", label), f"skal være et id fra {ACTIVITY_LIST} (kopier det fra listen)")

    def known(where: tuple, label: Any) -> str:
        if label not in concepts:
            problem(where, f"'{label}' står ikke under concepts (tilføj den med sit id fra listen)")
        return str(label)

    titles = []
    for index, row in enumerate(data.get("titles") or []):
        words = row.get("words") if isinstance(row, dict) else None
        if not (isinstance(words, list) and words and set(row) == {"words", "activity"}):
            problem(("titles", index), "skal have words (en liste af ord) og activity")
            continue
        for number, word in enumerate(words):
            if not (isinstance(word, str) and len(word) >= MIN_WORD):
                problem(("titles", index, "words", number), f"'{word}' er for kort (mindst {MIN_WORD} tegn)")
        words = tuple(str(word).casefold() for word in words)
        titles.append((words, known(("titles", index, "activity"), row["activity"])))
    categories = {}
    for category, label in (data.get("categories") or {}).items():
        if category not in vocabularies.terms("categories"):
            problem(("categories", category), f"'{category}' er ikke en kendt kategori")
        categories[category] = known(("categories", category), label)
    activities = {}
    for slug, labels in (data.get("activities") or {}).items():
        if not isinstance(labels, list):
            problem(("activities", slug), "skal være en liste af typer ([] holder aktiviteten ude)")
            continue
        activities[slug] = tuple(known(("activities", slug, n), label) for n, label in enumerate(labels))
    if problems:
        raise ActivityTypesError(problems)
    return ActivityTypes(dict(concepts), tuple(titles), categories, activities)


# --- Ids --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ids:
    """Stable @ids under the guide's address: the same content gives the same ids in every build.

    A SessionSeries is the activity's page; a ScheduledSession that page with the meeting's start
    (from the Schedules' idTemplate, so a consumer can work out the ids of later meetings);
    an association and a place are named by their name (an association with several activities
    is one Organization). The ids need not resolve: they are names, as OpenActive allows.
    """

    site: str

    def series(self, slug: str) -> str:
        return f"{self.site}/aktivitet/{slug}/"

    def session_template(self, slug: str) -> str:
        """The Schedules' idTemplate (RFC 6570): a session's @id from its startDate."""
        return f"{self.series(slug)}#{{startDate}}"

    def session(self, slug: str, meeting: Meeting) -> str:
        """idTemplate expanded as RFC 6570 does: ":" and "+" percent-encoded."""
        return f"{self.series(slug)}#{quote(local_datetime(meeting.day, meeting.start), safe='')}"

    def organization(self, name: str) -> str:
        return f"{self.site}/forening/{slugify(name)}"

    def place(self, activity: Activity) -> str:
        return f"{self.site}/sted/{activity.location.key}"


def session_key(slug: str, meeting: Meeting) -> str:
    """The RPDE id of a meeting: gaaklub-egtved-2026-12-01-1000."""
    return f"{slug}-{meeting.day.isoformat()}-{meeting.start:%H%M}"


# --- The association --------------------------------------------------------------------------


def organizations(activities: Iterable[Activity], ids: Ids) -> dict[str, dict[str, Any]]:
    """One Organization per association name, from all its activities.

    Its web address, e-mail and phone are given only when all its activities agree on them:
    two activities of one association may give two contact people, and the Organization must be
    the same object wherever it appears.
    """
    found: dict[str, dict[str, set[str]]] = {}
    for activity in activities:
        facts = found.setdefault(activity.organizer.name, {"url": set(), "email": set(), "telephone": set()})
        for key, value in (
            ("url", activity.organizer.url),
            ("email", activity.contact.email),
            ("telephone", activity.contact.phone),
        ):
            if value:
                facts[key].add(value)
    result = {}
    for name, facts in found.items():
        organization: dict[str, Any] = {
            "@type": "Organization",
            "@id": ids.organization(name),
            "identifier": slugify(name),
            "name": name,
        }
        organization.update({key: next(iter(values)) for key, values in facts.items() if len(values) == 1})
        result[name] = organization
    return result


# --- The activity -----------------------------------------------------------------------------


def _duration(start: time, end: time) -> str:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")


def has_schedule(activity: Activity) -> bool:
    """Whether OpenActive can state when the activity meets: a Schedule needs an end time, and a
    SessionSeries without one (or sessions inside it) is not valid."""
    return any(slot.end is not None for slot in activity.schedule)


def _place(activity: Activity, ids: Ids, region: str) -> dict[str, Any]:
    place = activity.location
    found: dict[str, Any] = {
        "@type": "Place",
        "@id": ids.place(activity),
        "identifier": place.key,
        "name": place.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.address,
            "postalCode": place.postcode,
            "addressLocality": place.city,
            "addressRegion": region,
            "addressCountry": "DK",
        },
    }
    if place.point:  # never the area's centre: a pin in the wrong place sends people astray
        found["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    return found


def _offer(activity: Activity, url: str) -> dict[str, Any]:
    price = activity.price
    return {
        "@type": "Offer",
        "@id": f"{url}#pris",
        "name": "Pris",
        "price": price.amount if isinstance(price, PriceAmount) else 0,
        "priceCurrency": "DKK",
        "description": describe_price(activity),
        "url": url,
    }


def _paragraphs(*texts: str | None) -> str | None:
    found = [text for text in texts if text]
    return "\n\n".join(found) if found else None


def _schedule(
    activity: Activity, vocabularies: Vocabularies, slot: Slot, today: date, id_template: str
) -> list[dict[str, Any]]:
    """The slot as OpenActive Schedules: a rule with its skipped days where one can say it, one per
    date for one-off dates. A slot without an end time has none (OpenActive requires endTime)."""
    if slot.end is None:
        return []
    base = {
        "@type": "Schedule",
        "scheduledEventType": "ScheduledSession",
        "startTime": f"{slot.start:%H:%M}",
        "endTime": f"{slot.end:%H:%M}",
        "duration": _duration(slot.start, slot.end),
        "scheduleTimezone": ZONE.key,
        "idTemplate": id_template,
    }
    if isinstance(slot, DatesSlot):
        return [
            {**base, "startDate": day.isoformat(), "endDate": day.isoformat(), "repeatFrequency": "P1D",
             "repeatCount": 1}
            for day in sorted(slot.dates)
        ]  # fmt: skip
    days = sorted(slot.days, key=lambda day: day.number)
    if isinstance(slot, MonthlySlot):  # "første mandag i måneden": BYDAY 1MO, as RFC 5545 writes it
        by_day = byday(slot)
        frequency = "P1M"
    else:
        by_day = [f"https://schema.org/{DAYS[day.number]}" for day in days]
        frequency = "P2W" if isinstance(slot, BiweeklySlot) else f"P{getattr(slot, 'interval_weeks', 1)}W"
    schedule = {**base, "byDay": by_day, "repeatFrequency": frequency}
    if isinstance(slot, CourseSlot):
        course = fixed_days(activity, vocabularies, slot)
        if not course:
            return []
        first, last = course[0], course[-1]
    else:
        first = first_meeting(activity, slot, open_from(activity) or date.min, today)
        last = activity.season.until if activity.season else None
    schedule["startDate"] = first.isoformat()
    if last:
        schedule["endDate"] = last.isoformat()
    skipped = closed_days(
        activity,
        vocabularies,
        slot,
        max(today, first),
        min(last or date.max, today + timedelta(days=HORIZON_DAYS)),
    )
    if skipped:
        schedule["exceptDate"] = [day.isoformat() for day in skipped]
    return [schedule]


def session_series(
    slug: str,
    activity: Activity,
    url: str,
    vocabularies: Vocabularies,
    types: ActivityTypes,
    organizer: dict[str, Any],
    ids: Ids,
    today: date,
    region: str,
) -> dict[str, Any]:
    """The activity as a SessionSeries; its meetings are ScheduledSessions of their own
    (scheduled_sessions) that point back with `superEvent`. `region` is the municipality, which
    OpenActive's addressRegion ("a city or a county or district") asks for."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "SessionSeries",
        "@id": ids.series(slug),
        "identifier": slug,
        "name": activity.title,
        "description": activity.summary,
        "url": url,
        "activity": types.concepts_for(slug, activity),
        "category": [vocabularies.label("categories", category) for category in activity.categories],
        "organizer": organizer,
        "location": _place(activity, ids, region),
        "offers": [_offer(activity, url)],
        "isAccessibleForFree": activity.is_free,
        "level": [LEVEL_WORDS[activity.level.value]],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        # Paused with no date to begin again: postponed (a cancelled one is not published at all).
        "eventStatus": "https://schema.org/EventPostponed"
        if activity.status is Status.PAUSE and open_from(activity) is None
        else "https://schema.org/EventScheduled",
    }
    if activity.minimum_age:  # else adults of any age (OpenActive: no ageRange)
        data["ageRange"] = {"@type": "QuantitativeValue", "minValue": activity.minimum_age}
    if activity.location.room:
        data["meetingPoint"] = activity.location.room
    signup = activity.signup
    instructions = _paragraphs(
        activity.first_visit,
        activity.transport,
        ("Tilmelding er nødvendig." + (f" {signup.how}" if signup.how else "")) if signup.required else None,
    )
    if instructions:
        data["attendeeInstructions"] = instructions
    access = [vocabularies.label("accessibility", feature) + "." for feature in activity.accessibility]
    if activity.companion_welcome:
        access.append("Du må tage en ven eller hjælper med.")
    if access:
        data["accessibilityInformation"] = " ".join(access)
    note = _paragraphs(pause_text(activity), closure_text(activity, vocabularies), activity.schedule_note)
    if note:
        data["schedulingNote"] = note
    template = ids.session_template(slug)
    schedules = [
        s for slot in activity.schedule for s in _schedule(activity, vocabularies, slot, today, template)
    ]
    if schedules:
        data["eventSchedule"] = schedules
    return data


def scheduled_sessions(
    slug: str, activity: Activity, url: str, vocabularies: Vocabularies, ids: Ids, start: date, until: date
) -> list[tuple[Meeting, dict[str, Any]]]:
    """The activity's meetings from `start` to `until` as ScheduledSessions: the true dates, so
    closures and pauses leave days out and special dates bring their own time."""
    found, starts = [], set()
    for meeting in meetings(activity, vocabularies, start, until):
        if (meeting.day, meeting.start) in starts:  # two time rows the same minute: one session
            continue
        starts.add((meeting.day, meeting.start))
        data: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "ScheduledSession",
            "@id": ids.session(slug, meeting),
            "identifier": session_key(slug, meeting),
            "superEvent": ids.series(slug),
            "startDate": local_datetime(meeting.day, meeting.start),
            "eventStatus": "https://schema.org/EventScheduled",
            "url": url,
        }
        if meeting.end:
            data["endDate"] = local_datetime(meeting.day, meeting.end)
            data["duration"] = _duration(meeting.start, meeting.end)
        if meeting.special and meeting.note:
            data["name"] = f"{activity.title}: {meeting.note}"
        found.append((meeting, data))
    return found


# --- The dataset ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """One RPDE feed of the dataset."""

    kind: str  # "SessionSeries", "ScheduledSession"
    url: str  # its first page


def publisher(name: str, url: str) -> dict[str, Any]:
    return {"@type": "Organization", "@id": url, "name": name, "url": url}


def dataset(
    url: str,
    name: str,
    description: str,
    owner: dict[str, Any],
    feeds: list[Feed],
    discussion_url: str,
    modified: date,
) -> dict[str, Any]:
    """The dataset site's JSON-LD: what the feeds hold, who publishes them and under what licence."""
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "name": name,
        "description": description,
        "keywords": ["aktiviteter", "motion", "seniorer", "handicap", "fællesskaber", "OpenActive"],
        "license": LICENSE,
        "discussionUrl": discussion_url,
        "documentation": DOCUMENTATION,
        "inLanguage": ["da"],
        "schemaVersion": SCHEMA_VERSION,
        "publisher": owner,
        "dateModified": local_datetime(modified, time()),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": feed.kind,
                "additionalType": f"https://openactive.io/{feed.kind}",
                "encodingFormat": RPDE_FORMAT,
                "contentUrl": feed.url,
                "identifier": feed.kind,
            }
            for feed in feeds
        ],
    }


def data_catalog(url: str, name: str, owner: dict[str, Any], dataset_urls: list[str]) -> dict[str, Any]:
    """A DataCatalog with the guide's dataset site, for catalogues that collect OpenActive data."""
    return {
        "@context": CONTEXT,
        "@type": "DataCatalog",
        "@id": url,
        "name": name,
        "publisher": owner,
        "license": LICENSE,
        "dataset": dataset_urls,
    }
