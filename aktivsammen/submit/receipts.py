"""The e-mail someone who sent an activity keeps: the receipt with the reference and what comes next.

They go through the same sealed outbox as companion requests (outbox.py): stored encrypted until
the mail server has them, then deleted. Plain text, short, in Danish, with the reference.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

from .mail import letter
from .store import Submission
from .submission import CONFIRMED_NOTE, UPDATE


def receipt_mail(
    submission: Submission, submitter: dict[str, Any], *, sender: str, site_url: str
) -> EmailMessage:
    """ "Vi har fået jeres aktivitet": the reference and what happens next."""
    if submission.note.startswith(CONFIRMED_NOTE):
        what = "jeres bekræftelse af"
    else:
        what = "rettelsen af" if submission.kind == UPDATE else "jeres aktivitet"
    lines = [
        f"Kære {submitter.get('name', '')}".rstrip(),
        "",
        f"Tak. Vi har fået {what} {submission.title}.",
        "",
        f"Jeres referencenummer er {submission.reference}.",
        "",
        "Det sker nu:",
        "- En redaktør i kommunen læser det igennem, normalt inden for få hverdage.",
        "- Når det er godkendt, kommer det på guiden. Så får du en e-mail mere.",
        "- Hvis noget skal rettes, eller hvis redaktionen ikke kan tage det med, skriver eller",
        "  ringer de til dig og fortæller hvorfor.",
        "",
        "Du skal ikke gøre mere nu. Har du spørgsmål, så svar på denne e-mail og nævn nummeret.",
    ]
    if site_url:
        lines += ["", f"Guiden: {site_url.rstrip('/')}/"]
    return letter(
        f"Kvittering: {submission.title} ({submission.reference})", sender=sender,
        recipient=formataddr((submitter.get("name", ""), submitter["email"])),
        reference=submission.reference, lines=lines,
    )  # fmt: skip


def decision_mail(
    submission: Submission, submitter: dict[str, Any], *, merged: bool, confirmed: bool,
    sender: str, site_url: str,
) -> EmailMessage:  # fmt: skip
    """The second e-mail: the editors have merged the pull request, or closed it without merging."""
    page = f"{site_url.rstrip('/')}/aktivitet/{submission.slug}/" if site_url else ""
    if merged and confirmed:
        subject = f"Tjekket: {submission.title} ({submission.reference})"
        news = [
            f"Tak, fordi I tjekkede oplysningerne om {submission.title}.",
            "Ved næste opdatering står der på guiden, at de er bekræftet i dag.",
        ]
    elif merged:
        subject = f"Godkendt: {submission.title} ({submission.reference})"
        news = [
            f"Redaktionen har godkendt {submission.title}.",
            "Den kommer på guiden ved næste opdatering, normalt inden for et døgn.",
        ]
    else:
        subject = f"Ikke på guiden: {submission.title} ({submission.reference})"
        news = [
            f"Redaktionen har ikke taget {submission.title} med på guiden denne gang.",
            "En redaktør skriver eller ringer til dig og fortæller hvorfor, hvis de ikke allerede har",
            "gjort det. Er noget forkert eller mangler, kan du sende den igen fra guiden.",
        ]
    lines = [
        f"Kære {submitter.get('name', '')}".rstrip(),
        "",
        *news,
        "",
        f"Referencenummer: {submission.reference}.",
    ]
    if merged and page:
        lines += ["", f"Siden på guiden: {page}"]
    lines += ["", "Har du spørgsmål, så svar på denne e-mail og nævn nummeret."]
    return letter(
        subject, sender=sender, recipient=formataddr((submitter.get("name", ""), submitter["email"])),
        reference=submission.reference, lines=lines,
    )  # fmt: skip
