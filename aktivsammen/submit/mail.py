"""Sending e-mail to the community coordinators over SMTP (host, port, TLS and login from settings)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from .settings import Settings


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
