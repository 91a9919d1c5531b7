"""Example data that must not go live: the shipped guide's fictitious contacts.

The demo content uses made-up people ("Hanne Eksempel"), example.dk addresses (reserved for
examples, RFC 2606) and numbers no Danish phone has (they start with 0). A municipality that
copies the guide replaces them with its own associations' contacts; with
PUBLISH_REFUSE_EXAMPLE_DATA on, its production build refuses to publish any that are left.
Every build says how many there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .loading import ActivityEntry, source_name
from .model import Vocabularies
from .problems import Problem

# The surnames of the demo's fictitious people: words no real surname list has in this use.
EXAMPLE_SURNAMES = ("Eksempel", "Eksempelsen", "Prøvesen", "Fiktivsen", "Demosen", "Testrup", "Testesen")
_EXAMPLE_NAME = re.compile(r"\b(" + "|".join(EXAMPLE_SURNAMES) + r")\b")
# Domains reserved for examples and tests (RFC 2606, RFC 6761), and example.dk.
_EXAMPLE_DOMAIN = re.compile(
    r"@(?:[\w-]+\.)*(?:example\.(?:dk|com|net|org)|[\w-]+\.(?:test|example|invalid))$", re.I
)


def is_example_name(name: str | None) -> bool:
    return bool(name and _EXAMPLE_NAME.search(name))


def is_example_email(email: str | None) -> bool:
    return bool(email and _EXAMPLE_DOMAIN.search(email))


def is_example_phone(phone: str | None) -> bool:
    """Danish numbers are eight digits from 2 up: one that starts with 0 or 1 is no one's."""
    if not phone:
        return False
    digits = re.sub(r"\D", "", phone)[-8:]  # the number without +45 or 0045 (model.Phone)
    return len(digits) == 8 and digits[0] in "01"


def _line_of(path: Path, value: str) -> int:
    """The first line of the file with the value on it (1 when it cannot be found)."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if value in line:
                return number
    except OSError:
        pass
    return 1


def example_data(
    activities: Iterable[ActivityEntry],
    vocabularies: Vocabularies,
    data_dir: Path,
    events_feed: str | None = None,
    sample_events_feed: str | None = None,
) -> list[Problem]:
    """Every example name, address and number in the content, each as a problem an editor can
    find (file, line, field), and the sample events feed if it is the one in use."""
    found: list[Problem] = []

    def check(path: Path, source: str, field: str, value: str | None, is_example, what: str) -> None:
        if is_example(value):
            found.append(
                Problem(source, _line_of(path, value), field, f"'{value}' er {what} (skriv den rigtige)")
            )

    for entry in activities:
        path = Path(entry.source)  # as editors know it: from the project folder, else absolute
        contact = entry.activity.contact
        check(
            path,
            entry.source,
            "contact.name",
            contact.name,
            is_example_name,
            "et opdigtet eksempelnavn (skriv kontaktens rigtige navn, eller slet det)",
        )
        check(
            path,
            entry.source,
            "contact.email",
            contact.email,
            is_example_email,
            "en eksempeladresse (skriv foreningens rigtige e-mail)",
        )
        check(
            path,
            entry.source,
            "contact.phone",
            contact.phone,
            is_example_phone,
            "et opdigtet nummer (danske numre begynder med 2-9; skriv det rigtige)",
        )
    coordinators = data_dir / "coordinators.yaml"
    source = source_name(coordinators)
    for index, person in enumerate(vocabularies.coordinators):
        check(
            coordinators,
            source,
            f"[{index}].name",
            person.name,
            is_example_name,
            "et opdigtet eksempelnavn (skriv kontaktens rigtige navn, eller slet det)",
        )
        check(
            coordinators,
            source,
            f"[{index}].email",
            person.email,
            is_example_email,
            "en eksempeladresse (skriv foreningens rigtige e-mail)",
        )
        check(
            coordinators,
            source,
            f"[{index}].phone",
            person.phone,
            is_example_phone,
            "et opdigtet nummer (danske numre begynder med 2-9; skriv det rigtige)",
        )
    if events_feed and sample_events_feed and Path(events_feed).name == Path(sample_events_feed).name:
        found.append(
            Problem(
                events_feed,
                1,
                "EVENTS_FEED",
                "er eksempelkalenderen (sæt kommunens egen kalender eller ingen)",
            )
        )
    return found
