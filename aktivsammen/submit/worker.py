"""The background worker: turns stored submissions into pull requests, retrying with back-off.

It runs in a thread of the service. Everything it needs is in the queue, so a restart loses
nothing: a lease that was never finished expires and the submission is simply tried again.
Logs carry references and states only, never what a submission says.
"""

from __future__ import annotations

import logging
import random
import threading

import yaml

from .forges import Forge, ForgeError, ForgeRejected
from .settings import Settings
from .store import Submission, SubmissionStore
from .submission import change_request

log = logging.getLogger("aktivsammen.submit")


class Worker:
    def __init__(self, store: SubmissionStore, forge: Forge, settings: Settings):
        self.store = store
        self.forge = forge
        self.settings = settings
        self.wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def retry_delay(self, attempts: int) -> float:
        """Exponential back-off with jitter, capped: 5 s, 10 s, 20 s ... half an hour."""
        base = self.settings.retry_base_seconds * 2 ** max(0, attempts - 1)
        return min(base, self.settings.retry_max_seconds) * random.uniform(0.8, 1.2)

    def process(self, submission: Submission) -> None:
        fields = yaml.safe_load(submission.yaml)
        change = change_request(submission, fields, self.settings.content_path)
        try:
            opened = self.forge.open_change(change)
        except ForgeRejected as error:
            log.error("%s: the forge refused for good, an editor must look: %s", submission.reference, error)
            self.store.mark_needs_editor(submission, str(error))
        except ForgeError as error:
            delay = self.retry_delay(submission.attempts + 1)
            log.warning(
                "%s: forge attempt failed, retrying in %.0f s: %s", submission.reference, delay, error
            )
            self.store.mark_failed(submission, str(error), delay)
        except Exception as error:  # a bug must not stop the queue; the submission stays queued
            delay = self.retry_delay(submission.attempts + 1)
            log.exception("%s: unexpected error, retrying in %.0f s", submission.reference, delay)
            self.store.mark_failed(submission, f"{type(error).__name__}: {error}", delay)
        else:
            log.info("%s: pull request #%s opened", submission.reference, opened.number)
            self.store.mark_opened(submission, opened.number, opened.url)

    def run_once(self) -> bool:
        """Process one due submission; False when none was due."""
        submission = self.store.lease_due()
        if submission is None:
            return False
        self.process(submission)
        return True

    def run(self) -> None:
        while not self._stop.is_set():
            if self.run_once():
                continue
            due_in = self.store.next_due_in()
            self.wake.wait(timeout=min(due_in if due_in is not None else 60.0, 60.0))
            self.wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="submission-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
