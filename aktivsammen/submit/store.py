"""The durable submission queue: SQLite in WAL mode, written before anything else happens.

A submission is one row. It is inserted (and committed to disk) before the receipt is sent,
then a worker leases it, asks the forge for a pull request, and records the outcome. A lease
that is never finished (the process was killed) simply expires, and the next worker resumes;
the forge backends are idempotent, so resuming never makes a second pull request.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path


class State(StrEnum):
    """Where a submission is; the values are what editors see in `aktivsammen queue`."""

    RECEIVED = "modtaget"  # stored, waiting for (another) forge attempt
    OPENED = "pr-oprettet"  # the pull request exists: the editors take it from here
    NEEDS_EDITOR = "kræver-redaktør"  # the forge refused for good (e.g. bad token); retry by hand
    HELD = "tilbageholdt"  # caught by the spam trap; an editor can release it
    MERGED = "godkendt"  # the editors merged the pull request: on the guide at the next build
    CLOSED = "ikke-taget-med"  # the editors closed the pull request without merging it

    @property
    def label(self) -> str:
        return {
            "modtaget": "Modtaget, venter på at blive sendt til redaktionen",
            "pr-oprettet": "Sendt til redaktionen",
            "kræver-redaktør": "Modtaget, en redaktør ser på den",
            "tilbageholdt": "Modtaget, en redaktør ser på den",
            "godkendt": "Godkendt, kommer på guiden ved næste opdatering",
            "ikke-taget-med": "Ikke taget med på guiden; redaktionen fortæller hvorfor",
        }[self.value]

    @property
    def public(self) -> State:
        """The state a submitter is shown: held by the spam trap looks just like received."""
        return State.RECEIVED if self is State.HELD else self


@dataclass(frozen=True)
class Submission:
    """One stored submission, as the worker and the editors' queue command see it."""

    id: int
    idempotency_key: str
    received_at: str
    kind: str  # "ny" or "rettelse"
    slug: str
    title: str
    yaml: str
    note: str
    state: State
    attempts: int
    next_attempt_at: float
    last_error: str
    pr_number: int | None
    pr_url: str
    updated_at: str
    # Who sent it (JSON: name, email, phone), for the editors and the receipts; never in Git or the PR.
    submitter: str = ""

    @property
    def reference(self) -> str:
        return reference_for(self.id)


def reference_for(number: int) -> str:
    """The receipt's reference: short enough to read aloud on the phone."""
    return f"AS-{number:05d}"


def number_of(reference: str) -> int | None:
    """The row id behind a reference such as "AS-00042" (None when it is not one)."""
    prefix, _, digits = reference.strip().upper().partition("-")
    return int(digits) if prefix == "AS" and digits.isdigit() and len(digits) <= 9 else None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- AUTOINCREMENT: a reference is never reused
    idempotency_key TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    yaml TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    lease_until REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    pr_number INTEGER,
    pr_url TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    submitter TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS submissions_due ON submissions (state, next_attempt_at);

-- Companion requests waiting to be e-mailed (outbox.py): sealed, deleted once delivered.
CREATE TABLE IF NOT EXISTS companion_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_hash TEXT NOT NULL UNIQUE,  -- keyed hash: says nothing without the key
    received_at REAL NOT NULL,
    sealed BLOB,                            -- the encrypted e-mail; NULL once delivered
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    lease_until REAL NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',    -- an error class and code, never content
    delivered_at REAL,
    outcome TEXT NOT NULL DEFAULT '',       -- '' while tried; 'afvist' or 'udløbet' when given up
    kind TEXT NOT NULL DEFAULT 'foelgeskab' -- or 'kvittering': a receipt to someone who sent an activity
);
CREATE INDEX IF NOT EXISTS companion_requests_due ON companion_requests (delivered_at, next_attempt_at);

-- "Meld en fejl" (report.py): what is wrong with an activity, until an editor marks it done.
-- The reader's contact is not here: only in the sealed e-mail to the editors.
CREATE TABLE IF NOT EXISTS error_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    problem TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    suspect INTEGER NOT NULL DEFAULT 0,     -- the trap for robots was filled in
    done_at TEXT                            -- when an editor marked it done
);

-- "aktivsammen stale --send" (reminders.py): who was asked to confirm an activity, and when.
CREATE TABLE IF NOT EXISTS reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL,
    email TEXT NOT NULL,                    -- the activity's public contact address
    sent_at TEXT NOT NULL,                  -- the day (ISO), Danish time
    reference TEXT NOT NULL                 -- the outbox e-mail's FG- number
);
CREATE INDEX IF NOT EXISTS reminders_slug ON reminders (slug, sent_at);
"""

# Columns added after the first release: (table, column, definition), added to older databases.
_ADDED_COLUMNS = (
    ("companion_requests", "outcome", "TEXT NOT NULL DEFAULT ''"),
    ("submissions", "submitter", "TEXT NOT NULL DEFAULT ''"),
    ("companion_requests", "kind", "TEXT NOT NULL DEFAULT 'foelgeskab'"),
)

_COLUMNS = (
    "id, idempotency_key, received_at, kind, slug, title, yaml, note, state, attempts, "
    "next_attempt_at, last_error, pr_number, pr_url, updated_at, submitter"
)


_QUEUED = f"state = '{State.RECEIVED.value}'"
_AWAITING_DECISION = f"state = '{State.OPENED.value}'"  # next_attempt_at: when to ask the forge again


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(row: tuple) -> Submission:
    values = list(row)
    values[8] = State(values[8])
    return Submission(*values)


class Database:
    """One SQLite file shared by the service's queues: WAL, durable at commit, one connection per thread.

    A queue is a table with next_attempt_at, lease_until and attempts; lease() and
    seconds_until_due() are the same for every queue, the table's own condition for "waiting" aside.
    """

    def __init__(self, path: Path | str, schema: str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        db = self.connection()
        db.executescript(schema)  # idempotent; executescript commits by itself
        for table, column, definition in _ADDED_COLUMNS:
            present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            if present and column not in present:
                with contextlib.suppress(sqlite3.OperationalError):  # another process added it first
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    def connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # durable at commit: the receipt is a promise
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def lease(self, table: str, waiting: str, columns: str, lease_seconds: float) -> tuple | None:
        """Take the oldest due row of `table` that is `waiting`, for one worker, for a limited time.

        Returns the row's `columns` (the first is its id) with attempts already counting this one.
        """
        now = time.time()
        with self.transaction() as db:
            found = db.execute(
                f"SELECT {columns} FROM {table} WHERE {waiting} AND next_attempt_at <= ?"
                " AND lease_until <= ? ORDER BY next_attempt_at, id LIMIT 1",
                (now, now),
            ).fetchone()
            if found:
                db.execute(
                    f"UPDATE {table} SET lease_until = ?, attempts = attempts + 1 WHERE id = ?",
                    (now + lease_seconds, found[0]),
                )
        return found

    def seconds_until_due(self, table: str, waiting: str) -> float | None:
        """Seconds until the next waiting row of `table` is due (None when nothing waits)."""
        row = (
            self.connection()
            .execute(f"SELECT min(max(next_attempt_at, lease_until)) FROM {table} WHERE {waiting}")
            .fetchone()
        )
        return None if row[0] is None else max(0.0, row[0] - time.time())


class SubmissionStore(Database):
    """All access to the queue database. Safe to share between threads and processes."""

    def __init__(self, path: Path | str):
        super().__init__(path, _SCHEMA)

    def add(
        self,
        *,
        idempotency_key: str,
        kind: str,
        slug: str | Callable[[set[str]], str],
        title: str,
        yaml: str,
        note: str,
        held: bool,
        submitter: str = "",
    ) -> tuple[Submission, bool]:
        """Store a submission durably; return it and whether it is new.

        The same idempotency key returns the stored submission: a retried post gets the same
        receipt and never a second pull request. For a new activity `slug` may be a function that
        picks one given the slugs of the other new activities in the queue (called inside the
        transaction, so two submissions at once never get the same file).
        """
        with self.transaction() as db:
            found = db.execute(
                f"SELECT {_COLUMNS} FROM submissions WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
            if found:
                return _row(found), False
            if callable(slug):
                queued = db.execute("SELECT slug FROM submissions WHERE kind = ?", (kind,))
                slug = slug({row[0] for row in queued})
            now = _now_text()
            state = State.HELD if held else State.RECEIVED
            cursor = db.execute(
                "INSERT INTO submissions (idempotency_key, received_at, kind, slug, title, yaml, note,"
                " state, next_attempt_at, updated_at, submitter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    idempotency_key,
                    now,
                    kind,
                    slug,
                    title,
                    yaml,
                    note,
                    state.value,
                    time.time(),
                    now,
                    submitter,
                ),
            )
            row = db.execute(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (cursor.lastrowid,))
            return _row(row.fetchone()), True

    def get(self, reference: str) -> Submission | None:
        number = number_of(reference)
        if number is None:
            return None
        row = self.connection().execute(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (number,))
        found = row.fetchone()
        return _row(found) if found else None

    def all(self, states: tuple[State, ...] | None = None) -> list[Submission]:
        query = f"SELECT {_COLUMNS} FROM submissions"
        params: tuple = ()
        if states:
            query += f" WHERE state IN ({', '.join('?' * len(states))})"
            params = tuple(state.value for state in states)
        return [_row(row) for row in self.connection().execute(query + " ORDER BY id", params)]

    def counts(self) -> dict[State, int]:
        rows = self.connection().execute("SELECT state, count(*) FROM submissions GROUP BY state")
        return {State(state): count for state, count in rows}

    def lease_due(self, lease_seconds: float = 120) -> Submission | None:
        """Take the oldest submission that is due, for one worker, for a limited time."""
        found = self.lease("submissions", _QUEUED, _COLUMNS, lease_seconds)
        if found is None:
            return None
        leased = _row(found)
        return replace(leased, attempts=leased.attempts + 1)  # this attempt counts

    def next_due_in(self) -> float | None:
        """Seconds until the next submission is due (None when nothing waits)."""
        return self.seconds_until_due("submissions", _QUEUED)

    def mark_opened(self, submission: Submission, number: int, url: str, check_in: float = 0.0) -> None:
        """The pull request exists; the editors' decision is asked of the forge in `check_in` s."""
        self._update(
            submission.id, state=State.OPENED, pr_number=number, pr_url=url, last_error="",
            next_attempt_at=time.time() + check_in, lease_until=0,
        )  # fmt: skip

    def lease_undecided(self, lease_seconds: float = 120) -> Submission | None:
        """Take the submission whose pull request is longest due to be looked at again."""
        found = self.lease("submissions", _AWAITING_DECISION, _COLUMNS, lease_seconds)
        return _row(found) if found else None

    def next_decision_due_in(self) -> float | None:
        return self.seconds_until_due("submissions", _AWAITING_DECISION)

    def check_again(self, submission: Submission, check_in: float, error: str = "") -> None:
        """Still open (or the forge did not answer): ask again in `check_in` seconds."""
        self._update(submission.id, next_attempt_at=time.time() + check_in, lease_until=0, last_error=error)

    def mark_decided(self, submission: Submission, merged: bool) -> None:
        self._update(
            submission.id, state=State.MERGED if merged else State.CLOSED, lease_until=0, last_error=""
        )

    def mark_failed(self, submission: Submission, error: str, retry_in: float) -> None:
        """Keep it queued and try again later (the forge was down, slow or refused for now)."""
        self._update(submission.id, last_error=error, next_attempt_at=time.time() + retry_in, lease_until=0)

    def mark_needs_editor(self, submission: Submission, error: str) -> None:
        self._update(submission.id, state=State.NEEDS_EDITOR, last_error=error, lease_until=0)

    def release(self, reference: str) -> Submission | None:
        """Put a submission back in line (after an editor fixed the cause, or released it from the trap)."""
        found = self.get(reference)
        if found is None or found.state is State.OPENED:
            return found
        self._update(found.id, state=State.RECEIVED, next_attempt_at=time.time(), lease_until=0)
        return self.get(reference)

    def _update(self, number: int, **values: object) -> None:
        values = {key: (value.value if isinstance(value, State) else value) for key, value in values.items()}
        values["updated_at"] = _now_text()
        assignments = ", ".join(f"{key} = ?" for key in values)
        with self.transaction() as db:
            db.execute(f"UPDATE submissions SET {assignments} WHERE id = ?", (*values.values(), number))
