""" "Jeg vil gerne følges": a citizen asks the community coordinators for a companion or a call.

Unlike a submission this is personal data about someone who may be vulnerable, so it never
goes near Git, a pull request or a log: it is checked here, turned into an e-mail to the
coordinators of the activity's area, and stored encrypted only until that e-mail is delivered
(see outbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr

from ..model import Activity, Vocabularies, has_control, is_danish_phone, is_email
from ..text import format_phone
from .mail import letter
from .submission import SubmissionInvalid

MAX_NAME = 100
MAX_NOTE = 500
MAX_EMAIL = 254
# What the person would like; the values are what the form posts.
WISHES = {
    "foelges": "Vil gerne have en, der følger med første gang",
    "ringes-op": "Vil gerne ringes op og høre mere først",
}
CONTACT_TIMES = {
    "ligegyldigt": "Når som helst i dagtimerne",
    "formiddag": "Formiddag",
    "eftermiddag": "Eftermiddag",
}


@dataclass(frozen=True)
class CompanionRequest:
    """A checked request: the person's own words, the activity it is about."""

    activity_slug: str
    activity: Activity
    name: str
    phone: str
    email: str
    wish: str
    contact_time: str
    note: str


def one_line(errors: dict[str, str], field: str, value: str, limit: int, required: bool) -> str:
    value = value.strip()
    if has_control(value):
        errors[field] = "må kun være én linje uden linjeskift eller specialtegn"
    elif len(value) > limit:
        errors[field] = f"er for lang: {len(value)} tegn (højst {limit} tegn)"
    elif required and not value:
        errors[field] = "skal udfyldes"
    return value


def check_request(fields: dict[str, str], activity: Activity | None, activity_slug: str) -> CompanionRequest:
    """Check the posted fields; raise SubmissionInvalid with a Danish message per field."""
    errors: dict[str, str] = {}
    if activity is None:
        errors["activity"] = "aktiviteten findes ikke (åbn formularen fra aktivitetens side)"
    name = one_line(errors, "name", fields.get("name", ""), MAX_NAME, required=True)
    phone = one_line(errors, "phone", fields.get("phone", ""), 20, required=False)
    email = one_line(errors, "email", fields.get("email", ""), MAX_EMAIL, required=False)
    if phone and "phone" not in errors and not is_danish_phone(phone):
        errors["phone"] = "skal være et telefonnummer med 8 cifre, fx 20 30 40 50"
    if email and "email" not in errors and not is_email(email):
        errors["email"] = "skal være en e-mailadresse, fx navn@example.dk"
    if not phone and not email and not {"phone", "email"} & errors.keys():
        errors["phone"] = "skriv et telefonnummer eller en e-mailadresse, så vi kan kontakte dig"
    wish = fields.get("wish", "") or "foelges"
    if wish not in WISHES:
        errors["wish"] = "vælg en af mulighederne"
    contact_time = fields.get("contact_time", "") or "ligegyldigt"
    if contact_time not in CONTACT_TIMES:
        errors["contact_time"] = "vælg en af mulighederne"
    note = fields.get("note", "").strip().replace("\r\n", "\n")
    if has_control(note, newlines=True):
        errors["note"] = "indeholder tegn, der ikke kan sendes"
    elif len(note) > MAX_NOTE:
        errors["note"] = f"er for lang: {len(note)} tegn (højst {MAX_NOTE} tegn)"
    if errors or activity is None:
        raise SubmissionInvalid(errors)
    return CompanionRequest(activity_slug, activity, name, phone, email, wish, contact_time, note)


def compose(
    request: CompanionRequest,
    reference: str,
    *,
    vocabularies: Vocabularies,
    sender: str,
    recipient: str,
    site_url: str,
    received: datetime,
) -> EmailMessage:
    """The e-mail to the coordinators. The subject names only the activity and the reference:
    subjects are shown and logged in many places; the person's details are in the body."""
    activity = request.activity
    link = f"{site_url.rstrip('/')}/aktivitet/{request.activity_slug}/" if site_url else request.activity_slug
    lines = [
        f'{request.name} har skrevet via "Jeg vil gerne følges" på aktivitetsguiden.',
        "",
        f"Ønske:           {WISHES[request.wish]}",
        f"Navn:            {request.name}",
        f"Telefon:         {format_phone(request.phone) if request.phone else '(ikke oplyst)'}",
        f"E-mail:          {request.email or '(ikke oplyst)'}",
        f"Bedst at ringe:  {CONTACT_TIMES[request.contact_time]}",
        "",
        f"Aktivitet:       {activity.title}",
        f"Område:          {vocabularies.label('areas', activity.area)}",
        f"Arrangør:        {activity.organizer.name}",
        f"Side:            {link}",
        "",
    ]
    if request.note:
        lines += ["Besked:", *[f"  {line}" for line in request.note.splitlines()], ""]
    lines += [
        f"Reference: {reference} · modtaget {received.strftime('%d.%m.%Y kl. %H.%M')}",
        "",
        "Guiden har slettet henvendelsen, nu hvor den er afleveret til jer. Behandl den efter",
        "kommunens regler for personoplysninger, og slet den, når sagen er afsluttet.",
    ]
    return letter(
        f"Ønske om følgeskab: {activity.title} ({reference})", sender=sender, recipient=recipient,
        reference=reference, lines=lines, sent=received,
        reply_to=formataddr((request.name, request.email)) if request.email else "",
    )  # fmt: skip
