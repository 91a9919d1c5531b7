"""A small internal link checker for a built site: every href/src and #anchor must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(output: Path, page_path: Path, url_path: str) -> Path:
    base = output if url_path.startswith("/") else page_path.parent
    target = (base / unquote(url_path.lstrip("/"))).resolve()
    return target / "index.html" if target.is_dir() else target


# Pages the submission service answers (not files of the build): `make serve` serves them.
SERVICE_PATHS = ("/indsend/ret", "/indsend/trin")


def broken_links(output: Path) -> list[str]:
    """Every internal link in the site that points to a missing file or anchor."""
    pages = {path.resolve(): parse(path) for path in output.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external, mailto: and tel: links are not ours to check offline
            if parts.path in SERVICE_PATHS:
                continue
            target = _target(output, path, parts.path) if parts.path else path
            if not target.exists():
                broken.append(f"{path.relative_to(output.resolve())}: {link} (findes ikke)")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append(f"{path.relative_to(output.resolve())}: {link} (anker mangler)")
    return broken
