"""Forge backends: where an accepted submission becomes a branch and a pull request.

Every backend implements `Forge.open_change`, which must be idempotent: called again with the
same `ChangeRequest` (after a crash, a timeout or a refusal halfway) it finishes what is
missing and returns the same pull request, never a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class ChangeRequest:
    """One file to add or replace on a new branch, proposed as one pull request.

    Every value is derived by the service (never taken from the client): the branch from the
    reference, the path from the validated slug, the content from the model's canonical YAML.
    """

    reference: str  # the receipt's reference number, e.g. "AS-2026-00042"
    branch: str  # e.g. "indsendelse/as-2026-00042-gaaklub-i-jelling"
    path: str  # repository-relative, always "content/activities/<slug>.yaml"
    content: str  # the file's full text (UTF-8)
    commit_message: str
    title: str  # the pull request's title
    body: str  # the pull request's description (Markdown)
    labels: tuple[str, ...] = field(default=("indsendelse",))


@dataclass(frozen=True)
class OpenedChange:
    """The pull request (or merge request, or local record) a change ended as."""

    number: int
    url: str
    branch: str


# What the editors decided about a pull request, as the forge tells it.
OPEN, MERGED, CLOSED = "open", "merged", "closed"


class ForgeError(Exception):
    """The forge could not finish the change now; the worker retries later with back-off."""


class ForgeBusy(ForgeError):
    """The forge must not be asked now (its rate limits); the same change may go in `retry_after` s."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ForgeRejected(ForgeError):
    """The forge refused in a way a retry will not fix (bad token, unknown repository).

    The submission stays in the queue, marked for an editor, who can retry it once the
    configuration is fixed: nothing is dropped.
    """


class Forge(Protocol):
    """What the worker needs from a forge."""

    name: str

    def open_change(self, change: ChangeRequest) -> OpenedChange:
        """Create (or finish creating) the branch, the commit and the pull request."""
        ...

    def ready_in(self) -> float:
        """Seconds before the forge may be asked for the next change (0: now)."""
        ...

    def decision(self, number: int) -> str:
        """Whether pull request `number` is still OPEN, was MERGED, or CLOSED without merging."""
        ...
