"""`{site}kategori/motion/`: a link from content to a page the guide builds that is no content file.

Pelican resolves `{filename}` (pages, projects) and `{index}` itself, so a link keeps working when
the guide is served from a folder (https://kommune.dk/guide/). The category, area and form pages
are written by this project's generators, and Pelican has no hook for link kinds of its own, so
this plugin adds one kind, `site`, to Pelican's link replacement; the rest is Pelican's own code.
Links written `/…` in content are refused by `aktivsammen validate` (see aktivsammen.projects).
"""

from __future__ import annotations

import os
import re
from urllib.parse import urljoin, urlparse, urlunparse

from pelican.contents import Content

_pelicans_replacer = Content._link_replacer


def _link_replacer(self: Content, siteurl: str, match: re.Match) -> str:
    if match.group("what") != "site":
        return _pelicans_replacer(self, siteurl, match)
    value = urlparse(match.group("value"))
    path = value.path.lstrip("/")
    if self.settings["RELATIVE_URLS"]:
        origin = os.path.join(siteurl, path) if siteurl else path
    else:
        origin = urljoin(siteurl if siteurl.endswith("/") else siteurl + "/", path)
    parts = list(value)
    parts[2] = origin
    return "".join((match.group("markup"), match.group("quote"), urlunparse(parts), match.group("quote")))


def register() -> None:
    Content._link_replacer = _link_replacer
