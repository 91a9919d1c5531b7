"""The background workers: stored submissions become pull requests, companion requests e-mails.

Each runs in a thread of the service and retries with back-off. Everything a worker needs is in
its queue, so a restart loses nothing: a lease that was never finished expires and the item is
simply tried again. Logs carry references and states only, never what anyone wrote.
"""

from __future__ import annotations

import logging
import random
import smtplib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable

import yaml

from .forges import CLOSED, MERGED, Forge, ForgeBusy, ForgeError, ForgeRejected
from .mail import Mailer
from .outbox import Outbox
from .settings import Settings
from .store import Submission, SubmissionStore
from .submission import change_request

log = logging.getLogger("aktivsammen.submit")


class BackgroundWorker(ABC):
    """A thread that handles due items one at a time and sleeps until the next is due (or woken)."""

    name = "worker"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def retry_delay(self, attempts: int) -> float:
        """Exponential back-off with jitter, capped: 5 s, 10 s, 20 s ... half an hour."""
        base = self.settings.retry_base_seconds * 2 ** max(0, attempts - 1)
        return min(base, self.settings.retry_max_seconds) * random.uniform(0.8, 1.2)

    @abstractmethod
    def run_once(self) -> bool:
        """Handle one due item; False when none was due."""

    @abstractmethod
    def next_due_in(self) -> float | None:
        """Seconds until the next item is due (None when nothing waits)."""

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.run_once():
                    continue
                due_in = self.next_due_in()
            except Exception:  # e.g. the database locked for too long: never let the thread die
                log.exception("%s: unexpected error, trying again shortly", self.name)
                due_in = self.settings.retry_base_seconds
            self.wake.wait(timeout=min(due_in if due_in is not None else 60.0, 60.0))
            self.wake.clear()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


class PullRequestWorker(BackgroundWorker):
    name = "submission-worker"

    def __init__(self, store: SubmissionStore, forge: Forge, settings: Settings):
        super().__init__(settings)
        self.store = store
        self.forge = forge

    def process(self, submission: Submission) -> None:
        fields = yaml.safe_load(submission.yaml)
        change = change_request(submission, fields, self.settings.content_path)
        try:
            opened = self.forge.open_change(change)
        except ForgeBusy as error:
            # GitHub's rate limits, not this submission's fault: it waits its turn, no back-off
            log.warning(
                "%s: the forge is busy, trying again in %.0f s", submission.reference, error.retry_after
            )
            self.store.mark_failed(submission, str(error), error.retry_after)
        except ForgeRejected as error:
            log.error("%s: the forge refused for good, an editor must look: %s", submission.reference, error)
            self.store.mark_needs_editor(submission, str(error))
        except ForgeError as error:
            delay = self.retry_delay(submission.attempts)
            log.warning(
                "%s: forge attempt failed, retrying in %.0f s: %s", submission.reference, delay, error
            )
            self.store.mark_failed(submission, str(error), delay)
        except Exception as error:  # a bug must not stop the queue; the submission stays queued
            delay = self.retry_delay(submission.attempts)
            log.exception("%s: unexpected error, retrying in %.0f s", submission.reference, delay)
            self.store.mark_failed(submission, f"{type(error).__name__}: {error}", delay)
        else:
            log.info("%s: pull request #%s opened", submission.reference, opened.number)
            self.store.mark_opened(
                submission, opened.number, opened.url, self.settings.decision_check_seconds
            )

    def run_once(self) -> bool:
        if self.forge.ready_in() > 0:  # within the forge's rate limits: the queue waits
            return False
        submission = self.store.lease_due()
        if submission is None:
            return False
        self.process(submission)
        return True

    def next_due_in(self) -> float | None:
        due_in = self.store.next_due_in()
        if due_in is None:
            return None
        return max(due_in, self.forge.ready_in())


class DecisionWorker(BackgroundWorker):
    """Looks at open pull requests now and then; when the editors have merged or closed one, the
    submission says so and `decided` is told (which e-mails the sender)."""

    name = "decision-worker"

    def __init__(
        self, store: SubmissionStore, forge: Forge, settings: Settings,
        decided: Callable[[Submission, bool], None],
    ):  # fmt: skip
        super().__init__(settings)
        self.store = store
        self.forge = forge
        self.decided = decided

    def run_once(self) -> bool:
        submission = self.store.lease_undecided()
        if submission is None or submission.pr_number is None:
            return False
        every = self.settings.decision_check_seconds
        try:
            decision = self.forge.decision(submission.pr_number)
        except ForgeError as error:  # down, busy or refused: ask again later, never give up
            delay = min(max(self.retry_delay(submission.attempts), getattr(error, "retry_after", 0)), every)
            log.warning(
                "%s: could not read the pull request (%s), again in %.0f s",
                submission.reference,
                error,
                delay,
            )
            self.store.check_again(submission, delay, str(error))
            return True
        if decision not in (MERGED, CLOSED):
            self.store.check_again(submission, every)
            return True
        log.info("%s: pull request #%s %s", submission.reference, submission.pr_number, decision)
        self.store.mark_decided(submission, merged=decision == MERGED)
        self.decided(submission, decision == MERGED)
        return True

    def next_due_in(self) -> float | None:
        return self.store.next_decision_due_in()


class MailWorker(BackgroundWorker):
    """Delivers companion requests to the coordinators; a delivered request is deleted at once."""

    name = "companion-mail-worker"

    def __init__(self, outbox: Outbox, mailer: Mailer, settings: Settings):
        super().__init__(settings)
        self.outbox = outbox
        self.mailer = mailer

    def run_once(self) -> bool:
        leased = self.outbox.lease_due()
        if leased is None:
            return False
        try:
            self.mailer.send(leased.message)
        except Exception as error:  # down, refused or a bug: tried again later unless refused for good
            reason = error.__class__.__name__ + (f" {error.smtp_code}" if hasattr(error, "smtp_code") else "")
            if refused_for_good(error):
                log.error("%s: the mail server refused it for good (%s)", leased.reference, reason)
                self.outbox.mark_refused(leased, reason)
                return True
            delay = self.retry_delay(leased.attempts)
            log.warning("%s: e-mail not delivered (%s), retrying in %.0f s", leased.reference, reason, delay)
            self.outbox.mark_failed(leased, reason, delay)
        else:
            self.outbox.mark_delivered(leased)
            log.info("%s: delivered to the coordinators and deleted here", leased.reference)
        return True

    def next_due_in(self) -> float | None:
        return self.outbox.next_due_in()


def refused_for_good(error: Exception) -> bool:
    """A 5xx answer about the message or its recipients: sending it again will not help.

    Log-in and sender refusals are the service's own set-up (a wrong password, a relay not yet
    opened): those are retried, so the requests go once the set-up is fixed.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused):
        return False
    code = getattr(error, "smtp_code", None)
    return isinstance(error, smtplib.SMTPResponseException) and isinstance(code, int) and 500 <= code < 600
