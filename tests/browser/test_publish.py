"""The production build, served from a folder with its own headers, works in Chromium under its
strict CSP, and every link on every page stays inside the folder."""

from __future__ import annotations

import functools
import json
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser.conftest import _QuietHandler
from tests.conftest import CONTENT, build, nu_html_errors
from tests.site.links import SERVICE_PATHS, parse

FOLDER = "/guide"  # the guide served from a folder of the municipality's site, not from the root


def site_headers(output: Path) -> dict[str, str]:
    """The headers `_headers` sets for every path (the "/*" block), as a static host would."""
    headers, block = {}, None
    for line in (output / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            block = line.strip()
        elif block == "/*":
            name, value = line.strip().split(": ", 1)
            headers[name] = value
    return headers


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    output = root / FOLDER.strip("/")
    output.mkdir()
    headers: dict[str, str] = {}

    class WithHeaders(_QuietHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(WithHeaders, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}{FOLDER}"
    build(CONTENT, output, "publishconf.py", SITEURL=base)  # absolute URLs that point at this server
    headers.update(site_headers(output))
    yield base, output
    server.shutdown()


def test_pages_work_under_the_content_security_policy(page, published):
    base, _ = published
    response = page.goto(base + "/")
    assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert page.evaluate(
        "() => document.body.classList.contains('js-enabled')"
    )  # the hashed inline script ran
    page.goto(base + "/aktivitet/repair-cafe-vejle/")
    assert page.get_by_role("button", name="Udskriv siden").is_visible()
    page.goto(base + "/aktiviteter/")
    page.get_by_label("Lørdag").check()
    assert "af" in page.locator("[data-filter-status]").text_content()
    page.goto(base + "/soeg/?q=kor")
    page.wait_for_selector("[data-search-results] .as-card")
    assert page.locator("[data-search-status]").text_content().endswith("aktiviteter")
    # Min liste: the button, the records, and the QR library (minified and fingerprinted)
    page.locator("[data-search-results] .as-card [data-mylist-toggle]").first.click()
    page.goto(base + "/min-liste/")
    page.wait_for_selector("[data-mylist-items] .as-handout [data-qr-drawn]")
    page.goto(base + "/omraade/jelling/udskrift/")
    page.wait_for_selector("[data-qr-drawn]")
    # the page fixture fails the test on any console error, which is where CSP violations go


def test_assets_are_fingerprinted_compressed_and_reported(published):
    _, output = published
    css = list((output / "theme" / "css").glob("site.*.css"))
    assert len(css) == 1 and (output / "theme" / "css" / (css[0].name + ".br")).exists()
    assert css[0].name in (output / "index.html").read_text(encoding="utf-8")
    assert not (output / "theme" / "css" / "site.css").exists()
    assert (output / "index.html.gz").exists() and (output / "sitemap.xml.br").exists()
    report = json.loads((output / "build-report.json").read_text(encoding="utf-8"))
    assert report["pages"] >= 100 and report["brotli"] < report["gzip"] < report["raw"]
    assert report["stale_activities"] == len(stale_now()) and report["language_warnings"] == 0
    assert not (output / "komponenter").exists()
    front = (output / "index.html").read_text(encoding="utf-8")
    for path in output.rglob("*.html"):  # the sample event calendar is never published
        text = path.read_text(encoding="utf-8")
        assert "Eksempelbiografen" not in text and "(eksempel)" not in text, path
    assert 'action=""' not in (output / "indsend" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'' in front
    assert "/*" not in css[0].read_text(encoding="utf-8")  # minified: no comments
    nginx = (output / "nginx-headers.conf").read_text(encoding="utf-8")
    assert "add_header Content-Security-Policy" in nginx and "add_header Strict-Transport-Security" in nginx


def stale_now():
    from datetime import date

    from aktivsammen.freshness import stale
    from aktivsammen.loading import load_content, load_vocabularies

    entries = load_content([CONTENT / "activities"], load_vocabularies(CONTENT / "data")).activities
    return stale(entries, date.today())


def test_every_link_of_every_page_stays_in_the_folder(published):
    """Served from /guide/, no page links to the server's root, and every link inside is a file."""
    from urllib.parse import unquote, urlsplit

    base, output = published
    origin = base.removesuffix(FOLDER)
    outside, missing, pages = [], [], sorted(output.rglob("*.html"))
    for path in pages:
        for link in parse(path).links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "tel", "webcal", "data") or (
                parts.netloc and not link.startswith(origin)
            ):
                continue  # another site, or not a web address
            if not parts.netloc and not parts.path.startswith("/"):
                continue  # relative (none in the publish build, which writes absolute addresses)
            inside = link.removeprefix(origin)
            if not inside.startswith(FOLDER + "/"):
                outside.append(f"{path.relative_to(output)}: {link}")
                continue
            local = unquote(urlsplit(inside).path).removeprefix(FOLDER)
            if local.removesuffix("/") in SERVICE_PATHS:
                continue
            target = output / local.lstrip("/")
            if not (target / "index.html" if local.endswith("/") else target).exists():
                missing.append(f"{path.relative_to(output)}: {link}")
    assert len(pages) > 100
    assert outside == [] and missing == []


def test_nu_html_checker_finds_no_errors_in_the_publish_build(published):
    assert nu_html_errors(published[1]) == ""
