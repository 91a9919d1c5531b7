"""A small, stateful stand-in for the part of GitHub's REST API the GitHub forge backend uses.

No forge is reachable from the test machines (see shared/notes/forge-testing.md), so the backend
talks HTTP to this server on 127.0.0.1 instead. It keeps real state (commits, branches, files,
pull requests, labels), answers in GitHub's shapes with URLs pointing at itself, and injects
faults on demand (errors, refusals, slow answers, dropped connections, a server that is down).

It stays honest by checking every request it receives against GitHub's official description
(@octokit/openapi, api.github.com) with openapi-core; a request the description does not allow
is recorded as a violation, and the `github_standin` fixture fails the test at teardown.

Usage from any test module::

    from tests.submit.github_standin import github_standin  # noqa: F401  (the fixture)

    def test_something(github_standin):
        forge = GitHubForge(**github_standin.forge_kwargs())
        ...

or, outside pytest fixtures: ``with running_github_standin() as standin: ...``.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION = ROOT / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"

# The operations the stand-in implements; the description is cut down to exactly these, so any
# other request (even one GitHub would answer) is a violation: the stand-in cannot vouch for it.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "/repos/{owner}/{repo}": ("get",),
    "/repos/{owner}/{repo}/git/ref/{ref}": ("get",),
    "/repos/{owner}/{repo}/git/refs": ("post",),
    "/repos/{owner}/{repo}/contents/{path}": ("get", "put"),
    "/repos/{owner}/{repo}/pulls": ("get", "post"),
    "/repos/{owner}/{repo}/pulls/{pull_number}": ("get",),
    "/repos/{owner}/{repo}/issues/{issue_number}/labels": ("post",),
}
# The version the description's base text describes (later versions are listed as patches).
API_VERSION = "2022-11-28"
ACCEPTED_MEDIA_TYPES = {
    "*/*",
    "application/json",
    "application/vnd.github+json",
    "application/vnd.github.v3+json",
}
DOCS = "https://docs.github.com/rest"


# --- the description -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Description:
    """GitHub's description cut down to `OPERATIONS`, and how to match its path templates."""

    openapi: OpenAPI
    templates: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...]  # template, regex, multi-segment


@functools.cache
def github_description() -> Description:
    """Load the description once per test session (cached for the process).

    Responses are replaced by a placeholder: only requests are checked, and dropping the response
    schemas makes loading take well under a second instead of many seconds.
    """
    if not DESCRIPTION.exists():
        raise RuntimeError(f"{DESCRIPTION} is missing: run `npm ci --ignore-scripts` in {ROOT}")
    full = json.loads(DESCRIPTION.read_text(encoding="utf-8"))
    paths: dict[str, Any] = {}
    for template, methods in OPERATIONS.items():
        item = full["paths"][template]
        kept = {"parameters": item["parameters"]} if "parameters" in item else {}
        for method in methods:
            operation = copy.deepcopy(item[method])
            operation["responses"] = {"default": {"description": "not checked by the stand-in"}}
            kept[method] = operation
        paths[template] = kept
    components: dict[str, dict[str, Any]] = {}

    def keep_references(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                _, _, kind, name = ref.split("/", 3)
                if name not in components.setdefault(kind, {}):
                    components[kind][name] = full["components"][kind][name]
                    keep_references(components[kind][name])
            for value in node.values():
                keep_references(value)
        elif isinstance(node, list):
            for value in node:
                keep_references(value)

    keep_references(paths)
    cut = {k: full[k] for k in ("openapi", "info", "servers")} | {"paths": paths, "components": components}

    def resolve(parameter: dict[str, Any]) -> dict[str, Any]:
        ref = parameter.get("$ref")
        return components["parameters"][ref.rsplit("/", 1)[1]] if ref else parameter

    templates = []
    for template, item in paths.items():
        parameters = [resolve(p) for m in OPERATIONS[template] for p in item[m].get("parameters", [])]
        multi = frozenset(p["name"] for p in parameters if p.get("x-multi-segment"))
        pattern = re.sub(
            r"\{(\w+)\}",
            lambda m, multi=multi: f"(?P<{m[1]}>.+)" if m[1] in multi else f"(?P<{m[1]}>[^/]+)",
            re.escape(template).replace(r"\{", "{").replace(r"\}", "}"),
        )
        templates.append((template, re.compile(pattern + "$"), multi))
    return Description(OpenAPI.from_dict(cut), tuple(templates))


def match_template(raw_path: str) -> tuple[str, dict[str, str], str] | None:
    """(template, decoded path parameters, path for openapi-core) for a raw request path.

    openapi-core matches a parameter to one segment only, so slashes inside multi-segment
    parameters (`ref`, `path`) are percent-encoded in the copy of the path it sees.
    """
    for template, pattern, multi in github_description().templates:
        found = pattern.match(raw_path)
        if found is None:
            continue
        matching_path = raw_path
        for name in sorted(multi, key=lambda n: -found.start(n)):  # right to left keeps offsets
            start, end = found.span(name)
            matching_path = matching_path[:start] + found[name].replace("/", "%2F") + matching_path[end:]
        return template, {k: unquote(v) for k, v in found.groupdict().items()}, matching_path
    return None


# --- state ---------------------------------------------------------------------------------------


def _git_sha(kind: str, data: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(data)}\0".encode() + data).hexdigest()


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    tree: dict[str, bytes]  # path -> content
    message: str


@dataclass
class Pull:
    """A pull request as the stand-in keeps it (and hands out copies of for inspection)."""

    number: int
    title: str
    body: str | None
    head: str
    base: str
    state: str = "open"
    merged: bool = False
    draft: bool = False
    labels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    status: int | None  # None: the connection was dropped on purpose without an answer
    at: float = 0.0  # the stand-in's clock when it arrived

    @property
    def creates_content(self) -> bool:
        """What GitHub's secondary limits for content creation count."""
        return self.method in CONTENT_CREATING


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    times: int
    status: int | None = None  # None with delay only: answer normally, just late
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    after: bool = False  # apply the request's effect first, then fail (a lost answer)

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.method in ("*", method) and bool(self.pattern.search(path))


CONTENT_CREATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


class _Answer(Exception):
    """Raised by handlers to answer with an error."""

    def __init__(self, status: int, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "documentation_url": DOCS, "status": str(status)}
        if errors:
            self.body["errors"] = errors


# --- the server ----------------------------------------------------------------------------------


class GitHubStandIn:
    """One repository on a local GitHub look-alike; see the module docstring."""

    def __init__(
        self,
        repository: str = "aktivsammen/aktivsammen",
        token: str = "github_pat_standin",
        default_branch: str = "main",
    ) -> None:
        self.owner, self.name = repository.split("/")
        self.token = token
        self.default_branch = default_branch
        self.violations: list[str] = []
        self.requests: list[RecordedRequest] = []
        self.clock: Callable[[], float] = time.time  # tests with a simulated hour set their own
        # (window seconds, limit) for content-creating requests; over it, 403 as GitHub answers
        self.write_limits: tuple[tuple[float, int], ...] = ()
        self.limited = 0  # content-creating requests refused for the write limits
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._stopping = threading.Event()
        self._faults: list[_Fault] = []
        self._commits: dict[str, Commit] = {}
        self._branches: dict[str, str] = {}
        self._pulls: dict[int, Pull] = {}
        self._issue_numbers = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        root = self._commit((), {"README.md": b"# AktivSammen\n"}, "Initial commit")
        self._branches[default_branch] = root.sha

    # -- lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def repository(self) -> str:
        return f"{self.owner}/{self.name}"

    def forge_kwargs(self, **overrides: Any) -> dict[str, Any]:
        """Arguments for `GitHubForge` pointing at this stand-in (no write throttling, short timeout)."""
        kwargs = {
            "repository": self.repository,
            "token": self.token,
            "base_branch": self.default_branch,
            "api_url": self.url,
            "timeout": 1,
            "seconds_between_writes": 0,
        }
        return kwargs | overrides

    def start(self) -> None:
        github_description()  # fail early, and outside any test's timing, if it is missing
        self._stopping.clear()
        self.up()

    def stop(self) -> None:
        self._stopping.set()  # wakes delayed requests
        self.down()

    def up(self) -> None:
        """(Re)start listening, on the same port as before if it ran already."""
        if self._server is not None:
            return
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _make_handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="github-standin", daemon=True
        )  # a short poll interval keeps `down()` (and every test's teardown) quick
        self._thread.start()

    def down(self) -> None:
        """Stop listening: new connections are refused until `up()`. State is kept."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        assert self._thread is not None
        self._thread.join(5)
        self._server = self._thread = None

    @contextmanager
    def offline(self) -> Iterator[None]:
        """`with standin.offline(): ...` - connection refused inside the block."""
        self.down()
        try:
            yield
        finally:
            self.up()

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until no request is being handled (e.g. one delayed past the client's timeout)."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._in_flight == 0, timeout):
                raise TimeoutError("the GitHub stand-in is still handling a request")

    # -- faults (each matches `method` ("*" for any) and a regex searched in the path, no query)

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int = 500,
        *,
        times: int = 1,
        message: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        after: bool = False,
    ) -> None:
        """Answer the next `times` matching requests with `status` (GitHub's error shape by default).

        `after=True` performs the request first and then fails: the work is done, the answer lost.
        `body` replaces the whole answer (any status, e.g. 200 with an empty list); `bytes` are
        sent as they are, as text/html (GitHub's proxies answer some 5xx with an HTML page).
        """
        if body is None:
            body = {"message": message or _default_message(status), "documentation_url": DOCS}
        self._add_fault(
            _Fault(method, re.compile(path_regex), times, status, body, headers or {}, after=after)
        )

    def refuse(self, method: str, path_regex: str, message: str = "Validation Failed", **kwargs: Any) -> None:
        """Answer 422 with GitHub's validation-failure shape."""
        self.fail(method, path_regex, 422, message=message, **kwargs)

    def rate_limit(self, method: str = "*", path_regex: str = "", *, times: int = 1) -> None:
        """Answer 403 as GitHub does when the primary rate limit is used up."""
        headers = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"}
        self.fail(method, path_regex, 403, times=times, headers=headers, message="API rate limit exceeded.")

    def delay(self, method: str, path_regex: str, seconds: float, *, times: int = 1) -> None:
        """Answer late; the request still takes effect, like GitHub finishing after a client timeout."""
        self._add_fault(_Fault(method, re.compile(path_regex), times, delay=seconds))

    def drop(self, method: str, path_regex: str, *, times: int = 1, after: bool = False) -> None:
        """Close the connection without answering (`after=True`: once the request took effect)."""
        self._add_fault(_Fault(method, re.compile(path_regex), times, drop=True, after=after))

    def _add_fault(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    return fault
        return None

    # -- setting up state directly (not through the API)

    def put_file(self, branch: str, path: str, content: str, message: str = "Seed") -> str:
        """Commit `content` at `path` on `branch` (created from the default branch if new)."""
        with self._lock:
            head = self._commits[self._branches.get(branch, self._branches[self.default_branch])]
            commit = self._commit((head.sha,), head.tree | {path: content.encode()}, message)
            self._branches[branch] = commit.sha
            return commit.sha

    def merge_pull(self, number: int, delete_branch: bool = True) -> None:
        """Merge like GitHub's merge button (a merge commit on the base), then maybe delete the head."""
        with self._lock:
            pull = self._pulls[number]
            base, head = self._commits[self._branches[pull.base]], self._commits[self._branches[pull.head]]
            merged = self._commit(
                (base.sha, head.sha), base.tree | head.tree, f"Merge pull request #{number}"
            )
            self._branches[pull.base] = merged.sha
            pull.state, pull.merged = "closed", True
            if delete_branch:
                del self._branches[pull.head]

    def close_pull(self, number: int) -> None:
        with self._lock:
            self._pulls[number].state = "closed"

    # -- inspection

    def branches(self) -> dict[str, str]:
        """Branch name -> head commit sha."""
        with self._lock:
            return dict(self._branches)

    def file(self, branch: str, path: str) -> str | None:
        with self._lock:
            content = self._commits[self._branches[branch]].tree.get(path)
            return None if content is None else content.decode()

    def pulls(self) -> list[Pull]:
        """Copies of all pull requests, by number."""
        with self._lock:
            return [copy.deepcopy(self._pulls[n]) for n in sorted(self._pulls)]

    def commits_ahead(self, branch: str, base: str | None = None) -> int:
        """How many commits `branch` has that `base` (default branch) does not."""
        with self._lock:
            return len(self._ancestors(branch) - self._ancestors(base or self.default_branch))

    def changed_files(self, branch: str, base: str | None = None) -> set[str]:
        """Paths `branch` changes compared with where it forked from `base`: what its PR shows."""
        with self._lock:
            base_ancestors = self._ancestors(base or self.default_branch)
            sha = self._branches[branch]
            while sha not in base_ancestors:  # first-parent walk back to the fork point
                sha = self._commits[sha].parents[0]
            fork, head = self._commits[sha].tree, self._commits[self._branches[branch]].tree
            return {p for p in fork.keys() | head.keys() if fork.get(p) != head.get(p)}

    def enforce_write_limits(self, limits: tuple[tuple[float, int], ...]) -> None:
        """Refuse content-creating requests over `limits` with GitHub's secondary-limit 403."""
        self.write_limits = limits

    def _over_write_limits(self, now: float) -> bool:
        with self._lock:
            for span, limit in self.write_limits:
                recent = sum(
                    1 for r in self.requests if r.creates_content and r.status != 403 and r.at > now - span
                )
                if recent >= limit:
                    return True
            return False

    def count(self, method: str, path_regex: str = "") -> int:
        """How many requests matching `method` ("*" for any) and the path regex were received."""
        with self._lock:
            return sum(
                1 for r in self.requests if method in ("*", r.method) and re.search(path_regex, r.path)
            )

    def take_violations(self) -> list[str]:
        """Return and forget the recorded violations (for tests that provoke them on purpose)."""
        with self._lock:
            taken, self.violations = self.violations, []
            return taken

    def assert_no_violations(self) -> None:
        if self.violations:
            listing = "\n  ".join(self.violations)
            pytest.fail(f"requests GitHub's description does not allow:\n  {listing}", pytrace=False)

    # -- request handling (called from the server's threads)

    def _check(self, method: str, raw_path: str, query: list[tuple[str, str]], headers, body: bytes) -> None:
        """Record every way the request departs from GitHub's description (and GitHub's headers)."""
        problems = []
        matched = match_template(raw_path)
        if matched is None:
            problems.append("no such path in the (cut-down) description")
        else:
            request = MockRequest(
                "https://api.github.com",
                method,
                matched[2],
                args=query,
                headers=dict(headers.items()),
                data=body or None,
                content_type=(headers.get("Content-Type") or "").lower(),
            )
            try:
                github_description().openapi.validate_request(request)
            except Exception as exc:  # openapi-core raises one of many validation error types
                cause = f": {exc.__cause__}" if exc.__cause__ and str(exc.__cause__) not in str(exc) else ""
                problems.append(f"{type(exc).__name__}: {exc}{cause}")
        accept = [part.split(";")[0].strip().lower() for part in (headers.get("Accept") or "*/*").split(",")]
        if not ACCEPTED_MEDIA_TYPES.intersection(accept):
            problems.append(f"Accept {headers.get('Accept')!r} is not a JSON media type GitHub serves")
        version = headers.get("X-GitHub-Api-Version")
        if version not in (None, API_VERSION):
            problems.append(f"X-GitHub-Api-Version {version!r}, but the description is for {API_VERSION}")
        if not headers.get("User-Agent"):
            problems.append("no User-Agent (GitHub refuses such requests)")
        if problems:
            with self._lock:
                self.violations.extend(f"{method} {raw_path}: {problem}" for problem in problems)

    def _handle(self, method: str, raw_path: str, query: dict[str, str], headers, body: Any):
        """Run one request against the state: (status, JSON body)."""
        if headers.get("Authorization", "") not in (f"token {self.token}", f"Bearer {self.token}"):
            raise _Answer(401, "Bad credentials")
        matched = match_template(raw_path)
        if matched is None:
            raise _Answer(404, "Not Found")
        template, params, _ = matched
        if (params["owner"].lower(), params["repo"].lower()) != (self.owner.lower(), self.name.lower()):
            raise _Answer(404, "Not Found")
        handler = _HANDLERS.get((method, template))
        if handler is None:
            raise _Answer(404, "Not Found")
        with self._lock:
            return handler(self, params, query, body)

    def _commit(self, parents: tuple[str, ...], tree: dict[str, bytes], message: str) -> Commit:
        listing = "".join(f"{path} {_git_sha('blob', data)}\n" for path, data in sorted(tree.items()))
        sha = _git_sha("commit", f"{listing}{parents}{message}{len(self._commits)}".encode())
        commit = Commit(sha, parents, dict(tree), message)
        self._commits[sha] = commit
        return commit

    def _ancestors(self, branch: str) -> set[str]:
        seen, todo = set(), [self._branches[branch]]
        while todo:
            sha = todo.pop()
            if sha not in seen:
                seen.add(sha)
                todo.extend(self._commits[sha].parents)
        return seen

    # -- JSON shapes (the fields PyGithub and the backend read, plus identifying ones)

    def _api(self, suffix: str = "") -> str:
        return f"{self.url}/repos/{self.owner}/{self.name}{suffix}"

    def _repo_json(self) -> dict[str, Any]:
        owner = {
            "login": self.owner,
            "id": 1,
            "type": "Organization",
            "url": f"{self.url}/users/{self.owner}",
        }
        return {
            "id": 1,
            "node_id": "R_standin",
            "name": self.name,
            "full_name": self.repository,
            "owner": owner,
            "private": False,
            "html_url": f"{self.url}/{self.repository}",
            "url": self._api(),
            "default_branch": self.default_branch,
            "permissions": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
        }

    def _ref_json(self, branch: str) -> dict[str, Any]:
        sha = self._branches[branch]
        return {
            "ref": f"refs/heads/{branch}",
            "node_id": f"REF_{branch}",
            "url": self._api(f"/git/refs/heads/{branch}"),
            "object": {"type": "commit", "sha": sha, "url": self._api(f"/git/commits/{sha}")},
        }

    def _content_json(self, path: str, data: bytes, ref: str, with_content: bool = True) -> dict[str, Any]:
        sha = _git_sha("blob", data)
        result = {
            "type": "file",
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(data),
            "url": self._api(f"/contents/{path}?ref={ref}"),
            "git_url": self._api(f"/git/blobs/{sha}"),
            "html_url": f"{self.url}/{self.repository}/blob/{ref}/{path}",
            "download_url": f"{self.url}/raw/{self.repository}/{ref}/{path}",
        }
        if with_content:
            encoded = base64.b64encode(data).decode()
            # GitHub wraps the Base64 text at 60 characters.
            result |= {"encoding": "base64", "content": "\n".join(re.findall(".{1,60}", encoded)) + "\n"}
        return result

    def _pull_json(self, pull: Pull) -> dict[str, Any]:
        def end(branch: str) -> dict[str, Any]:
            return {
                "label": f"{self.owner}:{branch}",
                "ref": branch,
                "sha": self._branches.get(branch, ""),
                "repo": self._repo_json(),
            }

        return {
            "id": 1000 + pull.number,
            "node_id": f"PR_{pull.number}",
            "number": pull.number,
            "url": self._api(f"/pulls/{pull.number}"),
            "html_url": f"{self.url}/{self.repository}/pull/{pull.number}",
            "issue_url": self._api(f"/issues/{pull.number}"),
            "state": pull.state,
            "title": pull.title,
            "body": pull.body,
            "draft": pull.draft,
            "merged": pull.merged,
            "labels": [self._label_json(name) for name in pull.labels],
            "head": end(pull.head),
            "base": end(pull.base),
        }

    def _label_json(self, name: str) -> dict[str, Any]:
        return {"name": name, "color": "ededed", "url": self._api(f"/labels/{name}"), "default": False}


# --- the operations ------------------------------------------------------------------------------


def _get_repo(s: GitHubStandIn, params, query, body):
    return 200, s._repo_json()


def _get_ref(s: GitHubStandIn, params, query, body):
    ref = params["ref"]
    if not ref.startswith("heads/") or ref.removeprefix("heads/") not in s._branches:
        raise _Answer(404, "Not Found")
    return 200, s._ref_json(ref.removeprefix("heads/"))


def _create_ref(s: GitHubStandIn, params, query, body):
    ref, sha = body.get("ref", ""), body.get("sha", "")
    if not ref.startswith("refs/heads/") or ref.count("/") < 2:
        raise _Answer(422, f"{ref} is not a valid ref name.")
    branch = ref.removeprefix("refs/heads/")
    if branch in s._branches:
        raise _Answer(422, "Reference already exists")
    if sha not in s._commits:
        raise _Answer(422, "Object does not exist")
    s._branches[branch] = sha
    return 201, s._ref_json(branch)


def _get_contents(s: GitHubStandIn, params, query, body):
    ref = query.get("ref") or s.default_branch
    sha = s._branches.get(ref, ref if ref in s._commits else None)
    if sha is None:
        raise _Answer(404, f"No commit found for the ref {ref}")
    data = s._commits[sha].tree.get(params["path"])
    if data is None:
        raise _Answer(404, "Not Found")
    return 200, s._content_json(params["path"], data, ref)


def _put_contents(s: GitHubStandIn, params, query, body):
    path, branch = params["path"], body.get("branch") or s.default_branch
    if branch not in s._branches:
        raise _Answer(404, f"Branch {branch} not found")
    try:
        data = base64.b64decode(body["content"], validate=True)
    except ValueError:
        raise _Answer(422, "content is not valid Base64") from None
    head = s._commits[s._branches[branch]]
    existing = head.tree.get(path)
    if existing is not None and "sha" not in body:
        raise _Answer(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if existing is not None and body["sha"] != _git_sha("blob", existing):
        raise _Answer(409, f"{path} does not match {body['sha']}")
    commit = s._commit((head.sha,), head.tree | {path: data}, body["message"])
    s._branches[branch] = commit.sha
    answer = {
        "content": s._content_json(path, data, branch, with_content=False),
        "commit": {
            "sha": commit.sha,
            "url": s._api(f"/git/commits/{commit.sha}"),
            "html_url": f"{s.url}/{s.repository}/commit/{commit.sha}",
            "message": commit.message,
            "parents": [{"sha": p, "url": s._api(f"/git/commits/{p}")} for p in commit.parents],
        },
    }
    return (200 if existing is not None else 201), answer


def _list_pulls(s: GitHubStandIn, params, query, body):
    state = query.get("state", "open")
    found = [p for p in s._pulls.values() if state == "all" or p.state == state]
    head = query.get("head")
    if head and ":" in head:  # GitHub ignores a head filter without the "owner:" prefix
        owner, branch = head.split(":", 1)
        found = [p for p in found if owner.lower() == s.owner.lower() and p.head == branch]
    if query.get("base"):
        found = [p for p in found if p.base == query["base"]]
    found.sort(key=lambda p: -p.number)  # sort=created, direction=desc (GitHub's default)
    per_page, page = int(query.get("per_page", 30)), int(query.get("page", 1))
    return 200, [s._pull_json(p) for p in found[(page - 1) * per_page : page * per_page]]


def _create_pull(s: GitHubStandIn, params, query, body):
    head, base = body.get("head", ""), body.get("base", "")
    if ":" in head:
        owner, head = head.split(":", 1)
        if owner.lower() != s.owner.lower():
            raise _pull_refused(field="head", code="invalid")
    for name, branch in (("base", base), ("head", head)):
        if branch not in s._branches:
            raise _pull_refused(field=name, code="invalid")
    if any(p.head == head and p.base == base and p.state == "open" for p in s._pulls.values()):
        raise _pull_refused(code="custom", message=f"A pull request already exists for {s.owner}:{head}.")
    if not s._ancestors(head) - s._ancestors(base):
        raise _pull_refused(code="custom", message=f"No commits between {base} and {head}")
    number = next(s._issue_numbers)
    s._pulls[number] = Pull(
        number, body.get("title", ""), body.get("body"), head, base, draft=bool(body.get("draft"))
    )
    return 201, s._pull_json(s._pulls[number])


def _get_pull(s: GitHubStandIn, params, query, body):
    pull = s._pulls.get(int(params["pull_number"]))
    if pull is None:
        raise _Answer(404, "Not Found")
    return 200, s._pull_json(pull)


def _pull_refused(**error: str) -> _Answer:
    """GitHub's 422 for a pull request it will not open, with the reason in `errors`."""
    return _Answer(422, "Validation Failed", [{"resource": "PullRequest", **error}])


def _add_labels(s: GitHubStandIn, params, query, body):
    pull = s._pulls.get(int(params["issue_number"]))
    if pull is None:
        raise _Answer(404, "Not Found")
    # GitHub also takes a bare array or {"labels": [{"name": ...}]}; the check above flags the
    # forms its description does not allow, the state follows what GitHub would do.
    names = body.get("labels", []) if isinstance(body, dict) else body or []
    for label in names:
        name = label["name"] if isinstance(label, dict) else label
        if name not in pull.labels:
            pull.labels.append(name)
    return 200, [s._label_json(name) for name in pull.labels]


_HANDLERS = {
    ("GET", "/repos/{owner}/{repo}"): _get_repo,
    ("GET", "/repos/{owner}/{repo}/git/ref/{ref}"): _get_ref,
    ("POST", "/repos/{owner}/{repo}/git/refs"): _create_ref,
    ("GET", "/repos/{owner}/{repo}/contents/{path}"): _get_contents,
    ("PUT", "/repos/{owner}/{repo}/contents/{path}"): _put_contents,
    ("GET", "/repos/{owner}/{repo}/pulls"): _list_pulls,
    ("POST", "/repos/{owner}/{repo}/pulls"): _create_pull,
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"): _get_pull,
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels"): _add_labels,
}
assert {(m, t) for m, t in _HANDLERS} == {(m.upper(), t) for t, ms in OPERATIONS.items() for m in ms}


def _default_message(status: int) -> str:
    return {
        401: "Bad credentials",
        403: "Resource not accessible by personal access token",
        404: "Not Found",
        422: "Validation Failed",
        429: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        502: "Server Error",
        503: "Service Unavailable",
    }.get(status, "Internal Server Error")


def _make_handler(standin: GitHubStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one connection per request, so `down()` leaves no kept-alive connection behind.
        protocol_version = "HTTP/1.0"
        server_version = "GitHub.com"

        def do_GET(self) -> None:
            self._serve()

        do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the requests are in `standin.requests`

        def _serve(self) -> None:
            with standin._lock:
                standin._in_flight += 1
            try:
                self._serve_counted()
            except Exception as exc:  # a stand-in bug must fail the test, not pass as a "network error"
                with standin._lock:
                    standin.violations.append(f"{self.command} {self.path}: stand-in crashed: {exc!r}")
                raise
            finally:
                with standin._idle:
                    standin._in_flight -= 1
                    standin._idle.notify_all()

        def _serve_counted(self) -> None:
            method, split = self.command, urlsplit(self.path)
            query = parse_qsl(split.query, keep_blank_values=True)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            standin._check(method, split.path, query, self.headers, raw)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            fault = standin._take_fault(method, split.path)
            if fault and fault.delay and standin._stopping.wait(fault.delay):
                return
            status, answer, headers = None, None, {}
            now = standin.clock()
            if fault is None and method in CONTENT_CREATING and standin._over_write_limits(now):
                with standin._lock:
                    standin.limited += 1
                fault = _Fault(
                    method,
                    re.compile(""),
                    0,
                    403,
                    {"message": SECONDARY_LIMIT_MESSAGE, "documentation_url": DOCS},
                )
            if fault is None or fault.after or (fault.status is None and not fault.drop):
                try:
                    status, answer = standin._handle(
                        method, split.path, dict(query), self.headers, body or {}
                    )
                except _Answer as refusal:
                    status, answer = refusal.status, refusal.body
                except Exception as exc:  # a stand-in bug must fail the test, not hang the client
                    with standin._lock:
                        standin.violations.append(f"{method} {split.path}: stand-in crashed: {exc!r}")
                    status, answer = 500, {"message": "Internal Server Error (stand-in)"}
            if fault and fault.status is not None:
                status, answer, headers = fault.status, fault.body, fault.headers
            if fault and fault.drop:
                status = None
            record = RecordedRequest(
                method, split.path, dict(query), dict(self.headers.items()), body, status, now
            )
            with standin._lock:
                standin.requests.append(record)
            if fault and fault.drop:
                self.close_connection = True
                return
            self._send(status, answer, headers)

        def _send(self, status: int | None, answer: Any, headers: dict[str, str]) -> None:
            raw = isinstance(answer, bytes)
            data = answer if raw else json.dumps(answer).encode()
            try:
                self.send_response(status or 500)
                self.send_header("Content-Type", "text/html" if raw else "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-GitHub-Api-Version-Selected", API_VERSION)
                for name, value in (
                    {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999"} | headers
                ).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (a timeout test): GitHub would not notice either

    return Handler


# --- fixtures ------------------------------------------------------------------------------------


@contextmanager
def running_github_standin(**kwargs: Any) -> Iterator[GitHubStandIn]:
    """A started stand-in, stopped on exit (does not check violations: see the fixture)."""
    standin = GitHubStandIn(**kwargs)
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()


@pytest.fixture
def github_standin() -> Iterator[GitHubStandIn]:
    """A fresh stand-in per test; fails the test at teardown if any request broke the description."""
    with running_github_standin() as standin:
        yield standin
        standin.wait_idle()
        standin.assert_no_violations()
