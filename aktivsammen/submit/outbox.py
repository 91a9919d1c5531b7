"""Companion requests waiting to be e-mailed: encrypted at rest, deleted once delivered.

A request is personal data about someone who may be vulnerable. It is kept only as long as it
takes to hand it to the coordinators' mail server: the whole e-mail is sealed with Fernet
(AES + HMAC) before it touches the disk, and the row is deleted (SQLite's secure_delete
overwrites it) the moment the server has accepted it. What stays is a keyed hash of the
idempotency key and the delivery time, for a day, so a repeated post is not sent twice.

A request that cannot be delivered does not wait forever: a permanent refusal from the mail
server (a 5xx for the recipient) stops the retries at once ("afvist"), and whatever is still
undelivered a week after it came is deleted unread ("udløbet"). Editors see both states, without
content, in `aktivsammen queue`, and can send a refused request again while it is still kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from .store import Database

KEEP_DELIVERED_SECONDS = 24 * 3600  # how long "already sent" is remembered (without any content)
KEEP_UNDELIVERED_SECONDS = 7 * 24 * 3600  # personal data that could not be delivered: a week at most
KEEP_OUTCOME_SECONDS = 30 * 24 * 3600  # how long editors see that a request was refused or expired
REFUSED, EXPIRED = "afvist", "udløbet"
# What an e-mail in the outbox is: a companion request, a receipt, an error report to the editors,
# a reminder to an activity's contact to confirm its facts.
COMPANION, RECEIPT, REPORT, REMINDER = "foelgeskab", "kvittering", "fejlmelding", "paamindelse"
# The table is in the service's database (store.py); a request waits until it is delivered.
_WAITING = "delivered_at IS NULL AND sealed IS NOT NULL AND outcome = ''"
_UNDELIVERED = "delivered_at IS NULL"


def reference_for(number: int) -> str:
    """The receipt's reference, read aloud on the phone: "FG-00012" (FG for følgeskab)."""
    return f"FG-{number:05d}"


def load_or_create_key(configured: str | None, beside: Path, name: str = "foelgeskab.key") -> bytes:
    """The configured key; in development one made once (a Fernet key) and kept next to the database."""
    if configured:
        return configured.encode()
    path = beside.parent / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(Fernet.generate_key())
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(draft, path)  # whole or not at all: never a half-written key
        draft.unlink()
    return path.read_bytes().strip()


@dataclass(frozen=True)
class Leased:
    """A request taken for one delivery attempt."""

    id: int
    attempts: int
    message: EmailMessage

    @property
    def reference(self) -> str:
        return reference_for(self.id)


@dataclass(frozen=True)
class Waiting:
    """What editors may see of a waiting request (`aktivsammen queue`): nothing personal."""

    reference: str
    received_at: float
    attempts: int
    last_error: str
    outcome: str = ""  # "" while it is still tried, REFUSED or EXPIRED
    kind: str = "foelgeskab"  # COMPANION, or RECEIPT (an e-mail to someone who sent an activity)

    @property
    def deleted_on(self) -> float:
        """When its content is deleted unsent, if it is still not delivered."""
        return self.received_at + KEEP_UNDELIVERED_SECONDS


class Outbox:
    def __init__(self, database: Database, key: bytes):
        self.database = database
        self.fernet = Fernet(key)
        self._hash_key = hashlib.sha256(b"idempotency:" + key).digest()

    def _hash(self, idempotency_key: str) -> str:
        return hmac.new(self._hash_key, idempotency_key.encode(), hashlib.sha256).hexdigest()

    def add(
        self, idempotency_key: str, compose: Callable[[str], EmailMessage], kind: str = COMPANION
    ) -> tuple[str, bool]:
        """Store a request's e-mail, encrypted, in one transaction; return its reference and whether
        it is new. `compose` gets the reference (the e-mail names it); the same key, the same request."""
        now = time.time()
        self.expire(now)
        with self.database.transaction() as db:
            key = self._hash(idempotency_key)
            found = db.execute(
                "SELECT id FROM companion_requests WHERE idempotency_hash = ?", (key,)
            ).fetchone()
            if found:
                return reference_for(found[0]), False
            cursor = db.execute(
                "INSERT INTO companion_requests (idempotency_hash, received_at, next_attempt_at, kind)"
                " VALUES (?, ?, ?, ?)",
                (key, now, now, kind),
            )
            number = int(cursor.lastrowid or 0)
            message = compose(reference_for(number))
            sealed = self.fernet.encrypt(message.as_bytes(policy=policy.SMTP))
            db.execute("UPDATE companion_requests SET sealed = ? WHERE id = ?", (sealed, number))
            return reference_for(number), True

    def expire(self, now: float | None = None) -> None:
        """Forget what is kept longer than it may be: delivered keys, undelivered content, old outcomes."""
        now = time.time() if now is None else now
        with self.database.transaction() as db:
            db.execute(
                "DELETE FROM companion_requests WHERE delivered_at IS NOT NULL AND delivered_at < ?",
                (now - KEEP_DELIVERED_SECONDS,),
            )
            db.execute(
                "UPDATE companion_requests SET sealed = NULL, outcome = ?"
                f" WHERE {_UNDELIVERED} AND sealed IS NOT NULL AND received_at < ?",
                (EXPIRED, now - KEEP_UNDELIVERED_SECONDS),
            )
            db.execute(
                f"DELETE FROM companion_requests WHERE {_UNDELIVERED} AND sealed IS NULL AND received_at < ?",
                (now - KEEP_OUTCOME_SECONDS,),
            )

    def lease_due(self, lease_seconds: float = 120) -> Leased | None:
        self.expire()
        found = self.database.lease("companion_requests", _WAITING, "id, attempts, sealed", lease_seconds)
        if found is None:
            return None
        number, attempts, sealed = found
        try:
            raw = self.fernet.decrypt(sealed)
        except InvalidToken:  # the key was changed: keep it (a restored key can still send it)
            self._retry_later(number, "InvalidToken", 3600)
            return None
        message = message_from_bytes(raw, _class=EmailMessage, policy=policy.SMTP)
        return Leased(number, attempts + 1, message)

    def mark_delivered(self, leased: Leased) -> None:
        """Delete the content at once; remember only that this key was delivered."""
        with self.database.transaction() as db:
            db.execute(
                "UPDATE companion_requests SET sealed = NULL, delivered_at = ?, last_error = '',"
                " lease_until = 0 WHERE id = ?",
                (time.time(), leased.id),
            )
        self.database.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no old copy in the log

    def mark_failed(self, leased: Leased, reason: str, retry_in: float) -> None:
        self._retry_later(leased.id, reason, retry_in)

    def mark_refused(self, leased: Leased, reason: str) -> None:
        """The mail server refused it for good: no more attempts; the content expires as any other."""
        with self.database.transaction() as db:
            db.execute(
                "UPDATE companion_requests SET outcome = ?, last_error = ?, lease_until = 0 WHERE id = ?",
                (REFUSED, reason[:200], leased.id),
            )

    def _retry_later(self, number: int, reason: str, retry_in: float) -> None:
        with self.database.transaction() as db:
            db.execute(
                "UPDATE companion_requests SET last_error = ?, next_attempt_at = ?, lease_until = 0"
                " WHERE id = ?",
                (reason[:200], time.time() + retry_in, number),
            )

    def next_due_in(self) -> float | None:
        return self.database.seconds_until_due("companion_requests", _WAITING)

    def waiting(self) -> list[Waiting]:
        return [item for item in undelivered(self.database) if not item.outcome]

    def given_up(self) -> list[Waiting]:
        return [item for item in undelivered(self.database) if item.outcome]


def undelivered(database: Database) -> list[Waiting]:
    """The requests not delivered, still tried or given up, without their content (which needs the key)."""
    rows = database.connection().execute(
        "SELECT id, received_at, attempts, last_error, outcome, kind FROM companion_requests"
        f" WHERE {_UNDELIVERED} ORDER BY id"
    )
    return [
        Waiting(reference_for(number), received, attempts, error, outcome, kind)
        for number, received, attempts, error, outcome, kind in rows
    ]


def send_again(database: Database, reference: str) -> Waiting | None:
    """Put a refused request back in line (after the mail set-up was fixed), if its content is kept."""
    prefix, _, digits = reference.strip().upper().partition("-")
    if prefix != "FG" or not digits.isdigit():
        return None
    with database.transaction() as db:
        db.execute(
            "UPDATE companion_requests SET outcome = '', next_attempt_at = ?, lease_until = 0"
            f" WHERE id = ? AND {_UNDELIVERED} AND sealed IS NOT NULL",
            (time.time(), int(digits)),
        )
    return next(
        (item for item in undelivered(database) if item.reference == reference_for(int(digits))), None
    )
