"""Run Lighthouse (npm) on the locally built site and print the four category scores.

Usage: python scripts/lighthouse_audit.py [OUTPUT_DIR]   (make audit builds first)
Serves OUTPUT_DIR on 127.0.0.1 with gzip, as any web server would, runs Lighthouse's mobile
profile in Debian's Chromium against three page types and exits 1 if a goal is missed.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Forside": "/",
    "Aktivitet": "/aktivitet/repair-cafe-vejle/",
    "Områdeliste": "/omraade/jelling/",
}
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files with gzip and cache headers, like a production web server."""

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 9)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)
        return None


def main(output: Path) -> int:
    handler = functools.partial(GzipHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    lighthouse = ROOT / "node_modules" / ".bin" / "lighthouse"
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    missed = []
    print(f"{'side':<14}{'ydelse':>8}{'tilgængelighed':>16}{'praksis':>9}{'SEO':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for name, path in PAGES.items():
            report = Path(folder) / "report.json"
            subprocess.run(
                [str(lighthouse), base + path, "--quiet", "--output=json", f"--output-path={report}",
                 f"--chrome-flags={CHROME_FLAGS}"],
                check=True, env=env,
            )  # fmt: skip
            categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
            scores = {key: round(categories[key]["score"] * 100) for key in GOALS}
            print(
                f"{name:<14}"
                + "".join(f"{scores[k]:>{w}}" for k, w in zip(GOALS, (8, 16, 9, 6), strict=True))
            )
            missed += [
                f"{name}: {key} {scores[key]} < {goal}" for key, goal in GOALS.items() if scores[key] < goal
            ]
    server.shutdown()
    for line in missed:
        print("Mål ikke nået:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "output"))
