"""The editors' guide's pictures, made from the real thing: an association sends an activity through
the flow, the local forge turns it into a pull request, and the editor sees its description, its
one changed file and the queue. `make guide-images` writes them to docs/billeder/ (the guide shows
them); in `make test` they go to a temporary folder, so the journey the guide describes is tried
on every run."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import time
from pathlib import Path

import markdown
from playwright.sync_api import expect

from aktivsammen.submit.forges.local import LocalGitForge
from tests.browser.test_submit_flow import fill_everything, git, service

__all__ = ["service"]  # the fixture: the service with a real Git repository, shared with the flow's tests
DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE_IMAGES = ("indsend-tjek.png", "indsend-kvittering.png", "pull-request.png", "koe.png")

# GitHub-like: the title, the label, the description as Markdown, then "Files changed".
PULL_REQUEST_PAGE = """<!doctype html><html lang="da"><head><meta charset="utf-8"><style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 24px; color: #1f2328; max-width: 900px; }}
h1 {{ font-weight: 400; font-size: 28px; margin: 0 0 8px; }} .number {{ color: #59636e; }}
.state {{ display: inline-block; background: #1f883d; color: #fff; border-radius: 2em; padding: 4px 12px; }}
.label {{ display: inline-block; background: #ddf4ff; border-radius: 2em; padding: 0 8px; font-size: 13px; }}
.box {{ border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px 0; }}
.box > header {{ background: #f6f8fa; padding: 8px 16px; border-bottom: 1px solid #d1d9e0; }}
.box > div {{ padding: 0 16px; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #d1d9e0; padding: 4px 10px; }} code {{ font-size: 14px; }}
pre {{ background: #f6f8fa; padding: 12px; overflow: auto; font-size: 13px; }}
.add {{ color: #116329; }}</style></head><body>
<h1>{title} <span class="number">#{number}</span></h1>
<p><span class="state">Open</span> AktivSammen-indsendelse vil flette 1 commit ind i <code>{base}</code>
fra <code>{head}</code> · <span class="label">{labels}</span></p>
<section class="box"><header>Beskrivelse</header><div>{body}</div></section>
<section class="box"><header>Files changed: {path}</header><div><pre>{diff}</pre></div></section>
</body></html>"""

TERMINAL_PAGE = """<!doctype html><html lang="da"><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #1e1e1e; }} pre {{ color: #e8e8e8; font: 15px/1.45 monospace;
padding: 16px; margin: 0; white-space: pre-wrap; }} b {{ color: #8fd18f; font-weight: 400; }}
</style></head><body><pre><b>$ {command}</b>
{output}</pre></body></html>"""


def image_folder(tmp_path: Path) -> Path:
    folder = DOCS / "billeder" if os.environ.get("AKTIVSAMMEN_GUIDE_IMAGES") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_what_an_editor_sees_of_a_submission(browser, service, tmp_path):
    url, app, repository = service
    folder = image_folder(tmp_path)
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.goto(url + "/indsend/trin")
    fill_everything(page, True, "Stolegymnastik i Vonge")
    page.screenshot(path=str(folder / "indsend-tjek.png"))
    page.get_by_text("Oplysningerne er rigtige, og de må vises på guiden.").click()
    time.sleep(0.5)  # the service's fill time
    page.get_by_role("button", name="Send til redaktionen").click()
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_be_focused()
    reference = receipt.locator("[data-reference]").inner_text()
    page.screenshot(path=str(folder / "indsend-kvittering.png"))
    while app.state.service.worker.run_once():
        pass

    record = next(r for r in LocalGitForge(repository).records() if r["reference"] == reference)
    assert record["title"].endswith(f"({reference})") and record["labels"] == ["indsendelse"]
    diff = git(repository, "diff", f"{record['base']}...{record['head']}", "--", record["path"])
    lines = [
        f'<span class="add">{html.escape(line)}</span>' if line.startswith("+") else html.escape(line)
        for line in diff.splitlines()
    ]
    pull_request = PULL_REQUEST_PAGE.format(
        title=html.escape(record["title"]), number=record["number"], base=record["base"],
        head=html.escape(record["head"]), labels=", ".join(record["labels"]), path=record["path"],
        body=markdown.markdown(record["body"], extensions=["tables"]), diff="\n".join(lines),
    )  # fmt: skip
    page = context.new_page()  # a blank page: the service's answers carry a CSP without inline styles
    page.set_content(pull_request)
    assert "Stolegymnastik i Vonge" in page.locator("table").inner_text()  # the fields as a table
    page.screenshot(path=str(folder / "pull-request.png"), full_page=True)

    database = str(app.state.service.settings.database)
    queue = subprocess.run(
        [sys.executable, "-m", "aktivsammen.cli", "queue", "--database", database, "--all"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert reference in queue and "pr-oprettet" in queue and "sendt af Bente Eksempel" in queue
    page.set_content(TERMINAL_PAGE.format(command="aktivsammen queue --all", output=html.escape(queue)))
    page.set_viewport_size({"width": 1000, "height": 400})
    page.screenshot(path=str(folder / "koe.png"), full_page=True)
    context.close()
    assert set(GUIDE_IMAGES) <= {path.name for path in folder.glob("*.png")}


def test_the_guide_shows_the_pictures_it_has():
    guide = (DOCS / "redaktoer.md").read_text(encoding="utf-8")
    for name in GUIDE_IMAGES:
        assert f"(billeder/{name})" in guide, name
        assert (DOCS / "billeder" / name).is_file(), f"docs/billeder/{name}: run make guide-images"
