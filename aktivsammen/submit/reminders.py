"""The freshness loop: `aktivsammen stale --send` e-mails each stale activity's contact a signed,
expiring link to "Ret eller bekræft" for that activity, where one press says "Alt passer stadig".

The link names the activity, the last day it works and a signature over both and the contact's
address (which is not in the link: the service reads it from the activity's file, so a link sent
to an old address stops working when the address changes). A valid link fills in "Om dig" with
the contact, so the confirmation is one press and the contact gets the "Tjekket" e-mail. An
invalid or expired link still opens the page, only without that.

Every e-mail sent is logged (activity, address, day) in the service's database, and an activity
is never asked twice within `every_days`. Without `--confirm` nothing is sent: the command says
who would be asked.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import urlencode

from ..freshness import StaleActivity
from ..schedule import danish_date
from .mail import letter
from .outbox import REMINDER, Outbox, load_or_create_key
from .settings import Settings
from .store import Database

LINK_DAYS = 30  # how long a link in a reminder works
EVERY_DAYS = 30  # an activity is asked again at the soonest after this many days
SEND, ASKED_LATELY, NO_EMAIL = "sendes", "spurgt for nylig", "ingen e-mail"


def link_key(settings: Settings) -> bytes:
    """The key the links are signed with: the service's secret key (required in production), or in
    development one kept beside the database, so the command and the service agree."""
    if settings.secret_key is not None:
        return b"links:" + settings.secret_key.get_secret_value().encode()
    return load_or_create_key(None, settings.database, "links.key")


class InviteLinks:
    """Signs and checks the links in reminders (HMAC-SHA256 with the service's secret key)."""

    def __init__(self, key: bytes):
        self.key = key

    def signature(self, slug: str, email: str, last_day: date) -> str:
        text = f"{slug}\n{email.strip().lower()}\n{last_day.isoformat()}"
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()[:32]

    def link(self, site_url: str, slug: str, email: str, today: date) -> str:
        last_day = today + timedelta(days=LINK_DAYS)
        query = urlencode({
            "aktivitet": slug, "gyldig": last_day.isoformat(),
            "signatur": self.signature(slug, email, last_day),
        })  # fmt: skip
        return f"{site_url.rstrip('/')}/indsend/ret?{query}"

    def valid(self, slug: str, email: str, last_day: str, signature: str, today: date) -> bool:
        """True for a link we made for this activity and this address that has not expired."""
        try:
            day = date.fromisoformat(last_day)
        except ValueError:
            return False
        expected = self.signature(slug, email, day)
        return bool(email) and hmac.compare_digest(expected, signature) and today <= day


@dataclass(frozen=True)
class Planned:
    """What `stale --send` does about one stale activity."""

    stale: StaleActivity
    action: str  # SEND, ASKED_LATELY or NO_EMAIL
    asked_on: str = ""  # the last day it was asked, if it was

    @property
    def slug(self) -> str:
        return self.stale.entry.slug


class ReminderLog:
    """Who was asked when (the table is made by store.py)."""

    def __init__(self, database: Database):
        self.database = database

    def last_asked(self, slug: str) -> str:
        row = (
            self.database.connection()
            .execute("SELECT max(sent_at) FROM reminders WHERE slug = ?", (slug,))
            .fetchone()
        )
        return row[0] or ""

    def record(self, slug: str, email: str, day: date, reference: str) -> None:
        with self.database.transaction() as db:
            db.execute(
                "INSERT INTO reminders (slug, email, sent_at, reference) VALUES (?, ?, ?, ?)",
                (slug, email, day.isoformat(), reference),
            )

    def all(self) -> list[tuple[str, str, str, str]]:
        query = "SELECT slug, email, sent_at, reference FROM reminders ORDER BY id"
        return list(self.database.connection().execute(query))


def plan(items: list[StaleActivity], log: ReminderLog, today: date, every_days: int) -> list[Planned]:
    """For each stale activity: send, or not (no e-mail address, or asked within `every_days`)."""
    planned = []
    for item in items:
        asked = log.last_asked(item.entry.slug)
        if not item.entry.activity.contact.email:
            planned.append(Planned(item, NO_EMAIL, asked))
        elif asked and date.fromisoformat(asked) > today - timedelta(days=every_days):
            planned.append(Planned(item, ASKED_LATELY, asked))
        else:
            planned.append(Planned(item, SEND, asked))
    return planned


def reminder_mail(
    item: StaleActivity, link: str, *, sender: str, reference: str, guide_name: str
) -> EmailMessage:
    """ "Står oplysningerne stadig rigtigt?": the activity, when it was last confirmed, the link."""
    activity = item.entry.activity
    contact = activity.contact
    lines = [
        f"Kære {contact.name or activity.organizer.name}",
        "",
        f"Står oplysningerne om {activity.title} på {guide_name} stadig rigtigt?",
        f"De blev sidst bekræftet {danish_date(activity.verified)}.",
        "",
        "Tryk på linket. Så ser du oplysningerne, som de står på guiden nu:",
        f"  {link}",
        "",
        "- Passer det hele, så tryk på «Alt passer stadig». Det er det hele.",
        "- Er noget ændret, så tryk på «Ret» ved det, og send rettelsen.",
        "- Findes aktiviteten ikke mere, så svar på denne e-mail, så fjerner vi den.",
        "",
        f"Linket virker i {LINK_DAYS} dage. Vi spørger en gang om året, så guiden holder sig rigtig",
        "for dem, der bruger den.",
    ]
    return letter(
        f"Står {activity.title} stadig rigtigt på guiden?", sender=sender,
        recipient=formataddr((contact.name or "", contact.email or "")), reference=reference, lines=lines,
    )  # fmt: skip


def send_reminders(
    planned: list[Planned], *, outbox: Outbox, log: ReminderLog, links: InviteLinks, site_url: str,
    sender: str, guide_name: str, today: date,
    wake: Callable[[], None] = lambda: None,
) -> list[tuple[Planned, str]]:  # fmt: skip
    """Put a reminder for every planned SEND in the outbox (sealed, sent by the service's mail
    worker) and log it; return them with their references. The same activity the same day is
    one e-mail, however often this runs."""
    sent = []
    for item in planned:
        if item.action != SEND:
            continue
        email = item.stale.entry.activity.contact.email or ""
        link = links.link(site_url, item.slug, email, today)

        def compose(reference: str, item: Planned = item, link: str = link) -> EmailMessage:
            return reminder_mail(item.stale, link, sender=sender, reference=reference, guide_name=guide_name)

        reference, new = outbox.add(f"paamindelse:{item.slug}:{today.isoformat()}", compose, REMINDER)
        if new:
            log.record(item.slug, email, today, reference)
        sent.append((item, reference))
    wake()
    return sent
