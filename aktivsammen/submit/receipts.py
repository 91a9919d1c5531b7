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
from .submission import UPDATE


def receipt_mail(
    submission: Submission, submitter: dict[str, Any], *, sender: str, site_url: str
) -> EmailMessage:
    """ "Vi har fået jeres aktivitet": the reference and what happens next."""
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
