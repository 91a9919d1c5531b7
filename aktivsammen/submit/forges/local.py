"""The embedded default forge: a branch per submission in a local Git repository.

It never touches the working tree or the index of the repository (editors may be working in
it): the commit is built with Git's plumbing commands in a private index. The "pull request"
is a JSON record in the repository's Git directory, which `aktivsammen queue` lists; an editor
reviews it with `git diff main...<branch>` and merges it like any branch (a merge, a squash or a
cherry-pick: the file on main is what counts), or deletes the branch to decline it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from . import CLOSED, MERGED, OPEN, ChangeRequest, ForgeError, ForgeRejected, OpenedChange

AUTHOR = ("AktivSammen indsendelse", "indsendelse@aktivsammen.invalid")


class LocalGitForge:
    """Branches and pull-request records in a local repository."""

    name = "local"

    def __init__(self, repository: Path | str, base_branch: str = "main"):
        self.repository = Path(repository)
        self.base_branch = base_branch

    # --- Git plumbing ---------------------------------------------------------

    def ready_in(self) -> float:
        """A local repository has no rate limits."""
        return 0.0

    def _git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        # The ceiling stops Git from looking above the folder: without it, a folder with no .git
        # of its own would have its branches written into whatever repository encloses it.
        folder = self.repository.resolve()
        ceiling = {"GIT_CEILING_DIRECTORIES": str(folder.parent)}
        result = subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **ceiling, **(env or {})},
            check=False,
        )
        if result.returncode != 0:
            raise ForgeError(f"git {args[0]} failed: {result.stderr.strip()[:300]}")
        return result.stdout.strip()

    def _resolve(self, ref: str) -> str | None:
        try:
            return self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        except ForgeError:
            return None

    def _file_at(self, commit: str, path: str) -> str | None:
        try:
            return self._git("cat-file", "blob", f"{commit}:{path}")
        except ForgeError:
            return None

    @property
    def _records(self) -> Path:
        git_dir = Path(self._git("rev-parse", "--absolute-git-dir"))
        return git_dir / "aktivsammen" / "pull-requests"

    # --- The change -----------------------------------------------------------

    def _check_repository(self) -> None:
        """The folder must be a repository itself (a work tree's top or a bare repository)."""
        folder = self.repository.resolve()
        try:
            if self._git("rev-parse", "--is-bare-repository") == "true":
                own = Path(self._git("rev-parse", "--absolute-git-dir")).resolve() == folder
            else:
                own = Path(self._git("rev-parse", "--show-toplevel")).resolve() == folder
        except ForgeError:
            own = False
        if not own:
            raise ForgeRejected(f"{self.repository} is not a Git repository of its own (LOCAL_REPOSITORY)")

    def open_change(self, change: ChangeRequest) -> OpenedChange:
        self._check_repository()
        base = self._resolve(f"refs/heads/{self.base_branch}")
        if base is None:  # also when the folder is no Git repository at all
            raise ForgeRejected(f"no branch {self.base_branch!r} in a Git repository at {self.repository}")
        head = self._resolve(f"refs/heads/{change.branch}")
        if head is None or self._file_at(head, change.path) != change.content.strip():
            self._commit(change, parent=head or base)
        return self._record(change)

    def _commit(self, change: ChangeRequest, parent: str) -> None:
        """One commit on the branch: the parent's tree with the one file added or replaced."""
        blob = self._git("hash-object", "-w", "--stdin", stdin=change.content)
        with tempfile.TemporaryDirectory() as folder:
            env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
            self._git("read-tree", parent, env=env)
            self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},{change.path}", env=env)
            tree = self._git("write-tree", env=env)
        name, email = AUTHOR
        identity = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        commit = self._git("commit-tree", tree, "-p", parent, stdin=change.commit_message, env=identity)
        # The old value makes the update atomic: a concurrent writer cannot be overwritten.
        current = self._resolve(f"refs/heads/{change.branch}") or ""
        self._git("update-ref", f"refs/heads/{change.branch}", commit, current if current == parent else "")

    def _record(self, change: ChangeRequest) -> OpenedChange:
        """The pull-request record for the branch; created once, found again on a retry."""
        records = self._records
        records.mkdir(parents=True, exist_ok=True)
        for path in sorted(records.glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            if record["head"] == change.branch:
                return OpenedChange(record["number"], record["url"], change.branch)
        number = 1 + max((int(path.stem) for path in records.glob("*.json")), default=0)
        opened = OpenedChange(number, f"git:{self.repository.resolve()}#{change.branch}", change.branch)
        record = {
            "number": number,
            "url": opened.url,
            "head": change.branch,
            "base": self.base_branch,
            "title": change.title,
            "body": change.body,
            "labels": list(change.labels),
            "reference": change.reference,
            "path": change.path,
            "blob": self._git("hash-object", "--stdin", stdin=change.content),  # the file as proposed
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        partial = records / f".{number}.json.tmp"
        partial.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        partial.replace(records / f"{number}.json")  # atomic: a record is whole or absent
        return opened

    def decision(self, number: int) -> str:
        """MERGED when main has the proposed file (or the branch's commit), CLOSED when the branch
        was deleted without that, else OPEN."""
        path = self._records / f"{int(number)}.json"
        if not path.is_file():
            raise ForgeRejected(f"no pull-request record {number}")
        record = json.loads(path.read_text(encoding="utf-8"))
        base = self._resolve(f"refs/heads/{record['base']}")
        head = self._resolve(f"refs/heads/{record['head']}")
        if base is None:
            raise ForgeError(f"no branch {record['base']!r}")
        on_base = self._blob_at(base, record["path"])
        if on_base is not None and on_base == record.get("blob"):
            return MERGED
        if head is not None and self._is_ancestor(head, base):
            return MERGED
        return OPEN if head is not None else CLOSED

    def _blob_at(self, commit: str, path: str) -> str | None:
        try:
            return self._git("rev-parse", "--verify", "--quiet", f"{commit}:{path}")
        except ForgeError:
            return None

    def _is_ancestor(self, commit: str, of: str) -> bool:
        try:
            self._git("merge-base", "--is-ancestor", commit, of)
        except ForgeError:
            return False
        return True

    def records(self) -> list[dict]:
        """Every pull-request record, oldest first (for the editors' queue command and tests)."""
        records = self._records
        if not records.exists():
            return []
        found = [json.loads(path.read_text(encoding="utf-8")) for path in records.glob("*.json")]
        return sorted(found, key=lambda record: record["number"])
