"""Browser fixtures: the real site built once, served on 127.0.0.1, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from plugins.publish import content_security_policy
from tests.conftest import CONTENT, ROOT, build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextlib.contextmanager
def small_site(root: Path, activities: dict[str, str], today):
    """A site of the real data with only `activities` (slug -> YAML), built as of `today` and
    served; yields its base URL. The pages are stubs: the real ones link activities it lacks."""
    import shutil

    from tests.conftest import CONTENT, FIXTURE_PAGES, build

    content = root / "content"
    shutil.copytree(CONTENT / "data", content / "data")
    (content / "pages").mkdir()
    for slug in FIXTURE_PAGES:
        (content / "pages" / f"{slug}.md").write_text(
            f"Title: {slug}\nSlug: {slug}\n\nTekst.\n", encoding="utf-8"
        )
    (content / "activities").mkdir()
    for slug, text in activities.items():
        (content / "activities" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    build(content, root / "output", ACTIVITIES_TODAY=today)
    with serve(root / "output") as url:
        yield url


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("browser") / "output"
    build(CONTENT, output)
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a built site on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def allowed_console_errors() -> tuple[str, ...]:
    """Console errors a test module expects (by their start); override it in the module."""
    return ()


@pytest.fixture
def page(browser, allowed_console_errors):
    """A page that fails the test on any JavaScript error or CSP violation (both reach the console)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith(allowed_console_errors)
            and errors.append(message.text)
        ),
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


# --- The forms' pages (submission and companion forms) ----------------------------------------

# Chromium logs every 4xx answer to fetch() on the console; a 422 with field errors is how the
# service answers a form with mistakes, so that one line is expected. Anything else fails the test.
EXPECTED_CONSOLE = "Failed to load resource: the server responded with a status of 422"


# Tests that cut the connection on purpose (they ask for `cut_connection`) also expect Chromium's
# line about each request that failed.
CUT_CONSOLE = "Failed to load resource: net::ERR_FAILED"


@pytest.fixture
def cut_connection() -> None:
    """Marks a test that makes requests fail on purpose (see allowed_console_errors)."""


@pytest.fixture(scope="module")
def strict_policy(site_dir) -> str:
    """The production Content-Security-Policy (plugins/publish), for the pages of this build."""
    return content_security_policy(site_dir)


@pytest.fixture
def strict_page(page, strict_policy):
    """The page fixture with the production CSP on every HTML answer (violations fail the test)."""

    def with_policy(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": strict_policy}
        )

    page.context.route("**/*", with_policy)
    return page


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="da-DK", java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def run_axe(page, tags=WCAG_22_AA) -> list[dict]:
    """axe-core's violations on the page, for the given WCAG tags."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


# One page of every type in the real site, by a name for test ids.
PAGE_TYPES = {
    "front": "/",
    "activity": "/aktivitet/repair-cafe-vejle/",
    "activity-paused": "/aktivitet/akvarelholdet-oestbyen/",
    "a-to-aa": "/aktiviteter/",
    "areas": "/omraade/",
    "area": "/omraade/jelling/",
    "categories": "/kategori/",
    "category": "/kategori/motion/",
    "projects": "/projekter/",
    "project": "/projekter/foelgeven-til-faellesskab/",
    "page": "/haand-i-ryggen/",
    "recommendations": "/motion-65/",
    "accessibility-statement": "/was/",
    "personal-data": "/privatliv/",
    "not-found": "/404.html",
    "search": "/soeg/?q=kor",
    "search-near": "/soeg/?naer=Jelling&km=10",
    "search-words": "/soeg/ord/",
    "search-word": "/soeg/ord/kortspil/",
    "area-day": "/omraade/vandel/torsdag/",
    "events": "/arrangementer/",
    "list": "/min-liste/",
    "area-print": "/omraade/jelling/udskrift/",
    "open-data-openactive": "/openactive/",
}
