""" "Meld en fejl": a reader tells the editors that something about an activity is wrong.

What is wrong is about the activity, not the reader, so it is kept in the service's database for
the editors' list (`aktivsammen queue`) until an editor marks it done. The reader's contact, if
they give one so the editors can ask or answer, is personal data: it goes only into the e-mail to
the editors, which waits sealed in the outbox like a companion request (outbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr

from ..model import Activity, Vocabularies, has_control, is_danish_phone, is_email
from ..text import format_phone
from .companion import MAX_NAME, one_line
from .mail import letter
from .store import Database
from .submission import SubmissionInvalid

MAX_DESCRIPTION = 1000
# What is wrong; the values are what the form posts.
PROBLEMS = {
    "tider": "Tiden eller datoerne passer ikke",
    "sted": "Stedet passer ikke",
    "kontakt": "Telefon, e-mail eller kontaktperson passer ikke",
    "findes-ikke": "Aktiviteten findes ikke længere",
    "andet": "Noget andet",
}
# Danish labels of the fields, for the error summary and the e-mail.
LABELS = {
    "problem": "Hvad er forkert?",
    "description": "Fortæl kort, hvad der er forkert",
    "name": "Dit navn",
    "contact": "Din telefon eller e-mail",
}


@dataclass(frozen=True)
class ErrorReport:
    """A checked report: what is wrong with which activity, and who to answer (if anyone)."""

    activity_slug: str
    activity: Activity
    problem: str
    description: str
    name: str
    contact: str  # a phone number or an e-mail address, or ""

    @property
    def problem_label(self) -> str:
        return PROBLEMS[self.problem]


def check_report(fields: dict[str, str], activity: Activity | None, activity_slug: str) -> ErrorReport:
    """Check the posted fields; raise SubmissionInvalid with a Danish message per field."""
    errors: dict[str, str] = {}
    if activity is None:
        errors["activity"] = "aktiviteten findes ikke (åbn formularen fra aktivitetens side)"
    problem = fields.get("problem", "")
    if problem not in PROBLEMS:
        errors["problem"] = "vælg det, der passer bedst"
    description = fields.get("description", "").strip().replace("\r\n", "\n")
    if has_control(description, newlines=True):
        errors["description"] = "indeholder tegn, der ikke kan sendes"
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"er for lang: {len(description)} tegn (højst {MAX_DESCRIPTION} tegn)"
    elif problem == "andet" and not description:
        errors["description"] = "skriv, hvad der er forkert, når du har valgt «Noget andet»"
    name = one_line(errors, "name", fields.get("name", ""), MAX_NAME, required=False)
    contact = one_line(errors, "contact", fields.get("contact", ""), 254, required=False)
    if contact and "contact" not in errors and not (is_danish_phone(contact) or is_email(contact)):
        errors["contact"] = "skal være et telefonnummer med 8 cifre eller en e-mailadresse, fx 20 30 40 50"
    if errors or activity is None:
        raise SubmissionInvalid(errors)
    return ErrorReport(activity_slug, activity, problem, description, name, contact)


def compose(
    report: ErrorReport,
    reference: str,
    *,
    vocabularies: Vocabularies,
    sender: str,
    recipient: str,
    site_url: str,
    received: datetime,
) -> EmailMessage:
    """The e-mail to the editors: what is wrong, where to fix it, and who to answer."""
    activity = report.activity
    link = f"{site_url.rstrip('/')}/aktivitet/{report.activity_slug}/" if site_url else report.activity_slug
    contact = report.contact
    if contact and is_danish_phone(contact):
        contact = format_phone(contact)
    lines = [
        'En læser har meldt en fejl via "Meld en fejl" på aktivitetsguiden.',
        "",
        f"Hvad er forkert:  {report.problem_label}",
        f"Aktivitet:        {activity.title}",
        f"Område:           {vocabularies.label('areas', activity.area)}",
        f"Arrangør:         {activity.organizer.name}",
        f"Side:             {link}",
        f"Filen:            content/activities/{report.activity_slug}.yaml",
        "",
    ]
    if report.description:
        lines += ["Læserens beskrivelse:", *[f"  {line}" for line in report.description.splitlines()], ""]
    who = " · ".join(part for part in (report.name, contact) if part)
    lines += [
        f"Svar til:         {who or '(ikke oplyst: læseren vil ikke have svar)'}",
        "",
        f"Reference: {reference} · modtaget {received.strftime('%d.%m.%Y kl. %H.%M')}",
        "",
        "Tjek det med foreningen, ret filen, og marker fejlmeldingen som klaret:",
        f"  aktivsammen queue --done {reference}",
    ]
    answer_by_mail = report.contact and is_email(report.contact)
    return letter(
        f"Fejl på guiden: {activity.title} ({reference})", sender=sender, recipient=recipient,
        reference=reference, lines=lines, sent=received,
        reply_to=formataddr((report.name, report.contact)) if answer_by_mail else "",
    )  # fmt: skip


# --- The editors' list -----------------------------------------------------------------------


def reference_for(number: int) -> str:
    """ "FM-00012" (FM for fejlmelding), short enough to read aloud."""
    return f"FM-{number:05d}"


def number_of(reference: str) -> int | None:
    prefix, _, digits = reference.strip().upper().partition("-")
    return int(digits) if prefix == "FM" and digits.isdigit() and len(digits) <= 9 else None


@dataclass(frozen=True)
class Listed:
    """A report as `aktivsammen queue` shows it (no contact: that is only in the e-mail)."""

    id: int
    received_at: str
    slug: str
    title: str
    problem: str
    description: str
    suspect: bool
    done_at: str | None

    @property
    def reference(self) -> str:
        return reference_for(self.id)

    @property
    def problem_label(self) -> str:
        return PROBLEMS.get(self.problem, self.problem)


_LISTED = "id, received_at, slug, title, problem, description, suspect, done_at"


class ReportList:
    """The error reports in the service's database (the table is made by store.py)."""

    def __init__(self, database: Database):
        self.database = database

    def add(self, report: ErrorReport, key: str, suspect: bool) -> tuple[str, bool]:
        """Store a report (committed before this returns); the same key gives the same reference."""
        with self.database.transaction() as db:
            found = db.execute("SELECT id FROM error_reports WHERE idempotency_key = ?", (key,)).fetchone()
            if found:
                return reference_for(found[0]), False
            cursor = db.execute(
                "INSERT INTO error_reports (idempotency_key, received_at, slug, title, problem,"
                " description, suspect) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    report.activity_slug,
                    report.activity.title,
                    report.problem,
                    report.description,
                    int(suspect),
                ),
            )
            return reference_for(cursor.lastrowid or 0), True

    def open(self) -> list[Listed]:
        return self._select("WHERE done_at IS NULL")

    def all(self) -> list[Listed]:
        return self._select("")

    def _select(self, where: str) -> list[Listed]:
        rows = self.database.connection().execute(f"SELECT {_LISTED} FROM error_reports {where} ORDER BY id")
        return [Listed(*row[:6], bool(row[6]), row[7]) for row in rows]

    def mark_done(self, reference: str) -> Listed | None:
        number = number_of(reference)
        if number is None:
            return None
        with self.database.transaction() as db:
            db.execute(
                "UPDATE error_reports SET done_at = ? WHERE id = ? AND done_at IS NULL",
                (datetime.now(UTC).isoformat(timespec="seconds"), number),
            )
        found = self._select(f"WHERE id = {int(number)}")
        return found[0] if found else None
