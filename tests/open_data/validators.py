"""OpenActive's own validators from npm, run by node, and a local web server for the feeds."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.conftest import ROOT, STANDARDS

HERE = Path(__file__).resolve().parent
# shared/ lies beside the repository (CI lays a copy there); on the development machine it is /work/shared.
OPENACTIVE = next(
    (path for path in (STANDARDS / "openactive", Path("/work/shared/standards/openactive")) if path.exists()),
    STANDARDS / "openactive",
)
ACTIVITY_LIST = OPENACTIVE / "activity-list.jsonld"


@functools.cache
def activity_list() -> dict[str, str]:
    """The Activity List's concepts: @id -> prefLabel."""
    data = json.loads(ACTIVITY_LIST.read_text(encoding="utf-8"))
    return {concept["id"]: concept["prefLabel"] for concept in data["concept"]}


def _node(script: str, *args: str, stdin: str = "") -> object:
    result = subprocess.run(
        ["node", str(HERE / script), *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def validate_models(documents: list[dict], cache: Path) -> list[list[dict]]:
    """@openactive/data-model-validator's results for each document (severity, type, path, message)."""
    return _node("validate_models.js", str(ACTIVITY_LIST), str(cache), stdin=json.dumps(documents))


def validate_feed(first_page: str) -> list[dict]:
    """@openactive/rpde-validator's walk of a feed: each page it loaded, with its errors."""
    return _node("validate_rpde.js", first_page)


class _Files(http.server.SimpleHTTPRequestHandler):
    """Serves one folder as files, the way a static host does (query strings are ignored)."""

    folder = "."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=self.folder, **kwargs)

    def log_message(self, format, *args):
        pass


FEED_PATH = re.compile(r"^/openactive/(session-series|scheduled-sessions)/?$")


def after_now(timestamp: str) -> bool:
    """Is ?afterTimestamp= later than now, as the map in docs/nginx/aktivsammen.conf says."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    return len(timestamp) > 10 or (len(timestamp) == 10 and timestamp > f"{int(time.time()):010d}")


class _QueryFiles(_Files):
    """Also maps the feeds' ?afterTimestamp=&afterId= to files, as the feeds' location in
    docs/nginx/aktivsammen.conf does (rpde's query mode)."""

    def translate_path(self, path):
        url = urllib.parse.urlsplit(path)
        match = FEED_PATH.match(url.path)
        if not match:
            return super().translate_path(path)
        args = {}  # nginx's $arg_name: the first of that name, not decoded
        for pair in url.query.split("&"):
            name, _, value = pair.partition("=")
            args.setdefault(name, value)
        timestamp, item = args.get("afterTimestamp", ""), args.get("afterId", "")
        folder = f"/openactive/{match[1]}/"
        found = super().translate_path(f"{folder}after-{timestamp}-{item}.json")
        if os.path.isfile(found):
            return found
        return super().translate_path(folder + ("last.json" if after_now(timestamp) else "index.json"))


@contextlib.contextmanager
def reserved_server(query: bool = False) -> Iterator[tuple[str, Callable[[Path], None]]]:
    """A web server on 127.0.0.1 whose address is known before the site is built: yields the
    address and `serve(folder)`, which starts serving that folder. With `query`, the feeds'
    query URLs are mapped to their files, as nginx does."""
    handler = type("Files", (_QueryFiles if query else _Files,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)

    def serve(path: Path) -> None:
        handler.folder = str(path)
        thread.start()

    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", serve
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
