"""The service's e-mail: how each one is put together, and sending it over SMTP (host, port, TLS and
login from settings)."""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Protocol

from ..model import COPENHAGEN
from .settings import Settings


def letter(
    subject: str, *, sender: str, recipient: str, reference: str, lines: list[str],
    reply_to: str = "", sent: datetime | None = None,
) -> EmailMessage:  # fmt: skip
    """A plain-text Danish e-mail; its Message-ID names the reference, so replies can be traced."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = recipient
    if reply_to:
        message["Reply-To"] = reply_to
    message["Message-ID"] = make_msgid(
        idstring=reference, domain=parseaddr(sender)[1].partition("@")[2] or None
    )
    message["Date"] = (sent or datetime.now(COPENHAGEN)).strftime("%a, %d %b %Y %H:%M:%S %z")
    message.set_content("\n".join(lines) + "\n")
    return message


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand the message to the mail server; raise if it was not accepted."""


class SmtpMailer:
    """One connection per message: requests are few, and a fresh connection survives server restarts."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        context = ssl.create_default_context()
        if s.smtp_tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=context
            )
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        with client:
            if s.smtp_tls == "starttls":
                client.starttls(context=context)
            if s.smtp_username:
                password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                client.login(s.smtp_username, password)
            refused = client.send_message(message)
            if refused:  # some recipients refused: not delivered to the coordinators
                raise smtplib.SMTPRecipientsRefused(refused)
