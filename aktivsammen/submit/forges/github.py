"""The GitHub forge backend: one submission becomes one branch, one commit and one pull request.

Token: a fine-grained personal access token (or a GitHub App installation token) limited to the
content repository, with exactly two repository permissions:

- "Contents: read and write" (read the base branch, create the branch, commit the file);
- "Pull requests: read and write" (find, open and label the pull request).

Metadata (read) is implied by GitHub for every fine-grained token. Nothing else is needed: labels
are added through the pull request's issue, which "Pull requests: write" allows.

Every step first looks at what is already there, so `open_change` can be repeated after a crash,
a timeout or a refusal at any point and still ends with exactly one branch, one commit with the
file and one pull request.

Retries belong to the service's worker (it has back-off and a queue that survives restarts), so
PyGithub's own retrying is switched off (`retry=None`): PyGithub would otherwise retry 5xx answers
and sleep through rate limits inside the worker's call, for up to minutes.
"""

from __future__ import annotations

import json
import logging
import time

import requests
from github import Auth, Github, GithubException, UnknownObjectException
from github.ContentFile import ContentFile
from github.PullRequest import PullRequest
from github.Repository import Repository

from aktivsammen.submit.forges import (
    CLOSED,
    MERGED,
    OPEN,
    ChangeRequest,
    ForgeBusy,
    ForgeError,
    ForgeRejected,
    OpenedChange,
)
from aktivsammen.submit.forges.pacing import WritePacer

log = logging.getLogger(__name__)

# The REST API version whose description (@octokit/openapi, api.github.com) the tests check against.
API_VERSION = "2022-11-28"
MEDIA_TYPE = "application/vnd.github+json"
USER_AGENT = "AktivSammen-submit (PyGithub)"
# Content-creating requests one change makes at most: branch, file, pull request, labels.
WRITES_PER_CHANGE = 4


class _Token(Auth.Token):
    """A token that also sets GitHub's recommended `Accept` header on every request.

    PyGithub has no option for default headers; without this, requests sends `Accept: */*`.
    `setdefault` keeps the few media types PyGithub sets itself for special endpoints.
    """

    def authentication(self, headers: dict[str, str]) -> None:
        super().authentication(headers)
        headers.setdefault("Accept", MEDIA_TYPE)


class GitHubForge:
    """Opens pull requests on one GitHub repository with PyGithub (pinned in requirements.lock).

    Pacing follows GitHub's advice against secondary rate limits: at least one second between
    writes (`seconds_between_writes`), and no more than 80 a minute and 500 an hour (`pacer`,
    asked before each change through `ready_in`). A submission makes at most four writes.
    """

    name = "github"

    def __init__(
        self,
        repository: str,
        token: str,
        base_branch: str = "main",
        api_url: str = "https://api.github.com",
        timeout: int = 30,
        seconds_between_writes: float = 1.0,
        pacer: WritePacer | None = None,
    ) -> None:
        if repository.count("/") != 1:
            raise ValueError("repository must be 'owner/name'")
        self.repository = repository
        self.base_branch = base_branch
        self.pacer = pacer or WritePacer()
        self._github = Github(
            auth=_Token(token),
            base_url=api_url.rstrip("/"),
            timeout=timeout,  # seconds, per connect and per read; PyGithub insists on an int
            user_agent=USER_AGENT,
            retry=None,  # the worker retries, see the module docstring
            seconds_between_requests=None,
            seconds_between_writes=seconds_between_writes or None,
            api_version=API_VERSION,
            lazy=False,
        )

    def ready_in(self) -> float:
        """Seconds until a whole change fits within GitHub's limits (0: now)."""
        return self.pacer.ready_in(WRITES_PER_CHANGE)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._github.close()

    def open_change(self, change: ChangeRequest) -> OpenedChange:
        """Create (or finish creating) the branch, the commit and the pull request.

        Raises `ForgeError` when a later retry may succeed, `ForgeRejected` when it will not
        without an editor (bad token, missing repository or base branch, refused content).
        """
        wait = self.ready_in()
        if wait > 0:
            raise ForgeBusy(f"GitHub: pacing within the rate limits, next change in {wait:.0f} s", wait)
        step = "start"
        try:
            step = "read repository"
            repo = self._github.get_repo(self.repository)  # not lazy: a missing repository shows here
            step = "look for an existing pull request"
            pull = self._find_pull(repo, change.branch)
            if pull is None:
                step = "create branch"
                self._ensure_branch(repo, change.branch)
                step = "commit file"
                self._ensure_file(repo, change)
                step = "open pull request"
                pull = self._create_pull(repo, change)
            elif pull.state == "open":
                # Same change, already proposed: only make sure the branch holds the file.
                step = "commit file"
                self._ensure_file(repo, change)
            step = "add labels"
            self._ensure_labels(pull, change.labels)
        except GithubException as exc:
            error = _classify(exc, step)
            if isinstance(error, ForgeBusy):
                error.retry_after = self.pacer.hold(error.retry_after or None)
            raise error from exc
        except requests.RequestException as exc:
            # Connection refused or reset, DNS, timeouts: no answer from GitHub at all.
            raise ForgeError(f"GitHub unreachable during '{step}': {type(exc).__name__}") from exc
        except json.JSONDecodeError as exc:
            # PyGithub lets a truncated JSON answer through as a decoding error.
            raise ForgeError(f"GitHub sent an unreadable answer during '{step}'") from exc
        self.pacer.settled()
        log.info("GitHub pull request #%s ready for %s", pull.number, change.reference)
        return OpenedChange(number=pull.number, url=pull.html_url, branch=change.branch)

    def decision(self, number: int) -> str:
        """Read pull request `number`: MERGED, CLOSED (without merging) or still OPEN."""
        try:
            # lazy: one request, for the pull request only (made when its fields are read)
            pull = self._github.withLazy(True).get_repo(self.repository).get_pull(int(number))
            merged, state = pull.merged, pull.state
        except GithubException as exc:
            raise _classify(exc, "read pull request") from exc
        except requests.RequestException as exc:
            raise ForgeError(f"GitHub unreachable during 'read pull request': {type(exc).__name__}") from exc
        except json.JSONDecodeError as exc:
            raise ForgeError("GitHub sent an unreadable answer during 'read pull request'") from exc
        if merged:
            return MERGED
        return CLOSED if state == "closed" else OPEN

    def _find_pull(self, repo: Repository, branch: str) -> PullRequest | None:
        """The pull request from `branch`, in any state; an open one wins over closed ones.

        GitHub ignores a `head` filter without the "owner:" prefix and returns every pull request,
        so the prefix is required and the head is checked again here.
        """
        found = None
        for pull in repo.get_pulls(state="all", head=f"{repo.owner.login}:{branch}"):
            if pull.head.ref != branch:
                continue
            if pull.state == "open":
                return pull
            found = found or pull  # newest first: GitHub sorts by creation, descending
        return found

    def _ensure_branch(self, repo: Repository, branch: str) -> None:
        """Create `branch` at the base branch's head, unless it exists already."""
        base_sha = repo.get_git_ref(f"heads/{self.base_branch}").object.sha
        try:
            self.pacer.spend()
            repo.create_git_ref(ref=f"refs/heads/{branch}", sha=base_sha)
        except GithubException as exc:
            if exc.status == 422 and "already exists" in _message(exc).lower():
                return  # made by an earlier attempt: continue from there
            raise

    def _ensure_file(self, repo: Repository, change: ChangeRequest) -> None:
        """Commit the file on the branch unless it is there with exactly this content."""
        current = _get_file(repo, change.path, change.branch)
        if current is not None and current.decoded_content == change.content.encode("utf-8"):
            return
        try:
            self.pacer.spend()
            if current is None:
                repo.create_file(change.path, change.commit_message, change.content, branch=change.branch)
            else:
                repo.update_file(
                    change.path, change.commit_message, change.content, current.sha, branch=change.branch
                )
        except GithubException as exc:
            # 409 (sha no longer matches) and 422 ("sha" missing) both mean someone else wrote the
            # file since it was read; the next attempt reads it again.
            if exc.status in (409, 422):
                raise ForgeError(f"GitHub: the file changed while committing ({exc.status})") from exc
            raise

    def _create_pull(self, repo: Repository, change: ChangeRequest) -> PullRequest:
        """Open the pull request; if GitHub says one exists (a lost answer), return that one."""
        try:
            self.pacer.spend()
            return repo.create_pull(
                base=self.base_branch, head=change.branch, title=change.title, body=change.body
            )
        except GithubException as exc:
            if exc.status == 422 and "already exists" in _message(exc).lower():
                pull = self._find_pull(repo, change.branch)
                if pull is not None:
                    return pull
            raise

    def _ensure_labels(self, pull: PullRequest, labels: tuple[str, ...]) -> None:
        """Add the labels the pull request lacks (GitHub creates unknown labels on the fly).

        PyGithub's `add_to_labels` sends a bare JSON array, a form GitHub tolerates but its
        description does not allow, so the documented `{"labels": [...]}` body is sent instead.
        """
        present = {label.name for label in pull.labels}
        missing = [label for label in labels if label not in present]
        if missing:
            self.pacer.spend()
            self._github.requester.requestJsonAndCheck(
                "POST", f"{pull.issue_url}/labels", input={"labels": missing}
            )


def _get_file(repo: Repository, path: str, branch: str) -> ContentFile | None:
    try:
        found = repo.get_contents(path, ref=branch)
    except UnknownObjectException:
        return None
    if isinstance(found, list):
        raise ForgeRejected(f"GitHub: {path} is a directory on the branch")
    return found


def _message(exc: GithubException) -> str:
    """GitHub's own message, plus the messages of its validation errors (no request data)."""
    data = exc.data if isinstance(exc.data, dict) else {}
    parts = [str(data.get("message") or "")]
    for error in data.get("errors") or []:
        if isinstance(error, dict) and error.get("message"):
            parts.append(str(error["message"]))
    return "; ".join(part for part in parts if part)[:300]


def _classify(exc: GithubException, step: str) -> ForgeError:
    """Retryable `ForgeError` or permanent `ForgeRejected`, by GitHub's status code.

    A 422 that reaches this point (e.g. "No commits between main and the branch": the file already
    has this content on main) is a refusal the same request will meet again, hence permanent.
    """
    status = exc.status
    detail = f"GitHub answered {status} during '{step}': {_message(exc) or 'no message'}"
    headers = {key.lower(): value for key, value in (exc.headers or {}).items()}
    rate_limited = status == 429 or (
        status == 403
        and (
            "rate limit" in _message(exc).lower()
            or headers.get("x-ratelimit-remaining") == "0"
            or "retry-after" in headers
        )
    )
    if rate_limited:
        return ForgeBusy(detail, retry_after=_retry_after(headers))
    if status >= 500 or status == 409:
        return ForgeError(detail)
    if status == 401:
        return ForgeRejected(f"{detail} (check the token)")
    if status == 403:
        return ForgeRejected(f"{detail} (the token needs contents and pull requests write access)")
    if status == 404:
        return ForgeRejected(f"{detail} (repository or base branch missing, or no access)")
    return ForgeRejected(detail)


def _retry_after(headers: dict[str, str]) -> float:
    """GitHub's own wait: `Retry-After` seconds, else until `x-ratelimit-reset` when none remain.

    0 when GitHub named none: the pacer then waits a minute, longer each time.
    """
    try:
        if "retry-after" in headers:
            return max(0.0, float(headers["retry-after"]))
        if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
            return max(1.0, float(headers["x-ratelimit-reset"]) - time.time())
    except ValueError:
        pass
    return 0.0
