"""Links from content to pages the guide builds that are no content files.

Pelican resolves `{filename}` (pages, projects) and `{index}` itself, so a link keeps working when
the guide is served from a folder (https://kommune.dk/guide/). The activity, category, search-word
and form pages are written by this project's generators, and Pelican has no hook for link kinds
of its own, so this plugin adds four kinds to Pelican's link replacement; the rest is Pelican's
own code:

- `{aktivitet}stolegymnastik-egtved`: an activity, by its file name (aktivsammen.links);
- `{kategori}motion` and `{soegeord}svoemning`: a category's page and a page of search words;
- `{site}indsend/`: any other page the guide makes, by its path.

The first three name things the guide has, so they are checked: before anything is written, every
page, project and activity is searched for them (and a project's `activities:` list), and one that
names something missing (renamed, deleted, misspelt) stops the build with its file and line.
Links written `/…` in content are refused by `aktivsammen validate` (see aktivsammen.loading.root_links).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse, urlunparse

from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from aktivsammen.links import KINDS, Reference, line_of, unknown_reference
from aktivsammen.loading import source_name
from aktivsammen.problems import ContentError, Problem

from ..activities.settings import vocabularies_for


class LinkSetupError(Exception):
    """The plugins are listed in an order in which the links cannot be checked."""


def link_targets(context: dict, settings: dict) -> dict[str, dict[str, str]]:
    """For each kind of reference, every name the guide has and its page's URL."""
    if "activity_by_slug" not in context:
        raise LinkSetupError("site_links: plugins.activities skal stå før plugins.site_links i PLUGINS")
    vocabularies = vocabularies_for(settings)
    targets = {
        "aktivitet": {slug: page.url for slug, page in context["activity_by_slug"].items()},
        "kategori": {
            term.id: settings["ACTIVITIES_CATEGORY_URL"].format(id=term.id)
            for term in vocabularies.categories
        },
        "soegeord": {},
    }
    if "SEARCH_WORD_URL" in settings:  # written by plugins.search_index
        targets["soegeord"] = {
            group.id: settings["SEARCH_WORD_URL"].format(id=group.id)
            for group in vocabularies.search_words
            if not group.one_word
        }
    return targets


def _unknown(content: Content, kind: str, name: str, targets: dict[str, dict[str, str]]) -> Problem:
    """The problem for a link in the content's text, on the line of its file that has it."""
    path = Path(content.source_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    written = next((w for w in (f"{{{kind}}}{name}", f"|{kind}|{name}") if w in text), "")
    reference = Reference(kind, name, line_of(text, written) if written else 1)
    return unknown_reference(reference, source_name(path), targets.get(kind, {}))


def _texts(content: Content) -> list[str]:
    """The HTML Pelican replaces links in: the content and its formatted metadata (the summary)."""
    texts = [content._content or ""]
    for field in content.settings.get("FORMATTED_FIELDS", []):
        value = content.metadata.get(field)
        if isinstance(value, str):
            texts.append(value)
    return texts


def content_problems(content: Content, targets: dict[str, dict[str, str]]) -> list[Problem]:
    """A problem for each reference in the content to an activity, category or search word that
    the guide does not have: links in its text, found as Pelican finds them (in href and src),
    and names outside its text, which content lists in `references` (a project's `activities:`)."""
    problems = []
    for text in _texts(content):
        if not any(kind in text for kind in KINDS):
            continue
        for match in content._get_intrasite_link_regex().finditer(text):
            kind, name = match.group("what"), urlparse(match.group("value")).path
            if kind in KINDS and name not in targets.get(kind, {}):
                problems.append(_unknown(content, kind, name, targets))
    for reference in getattr(content, "references", ()):
        known = targets.get(reference.kind, {})
        if reference.name not in known:
            problems.append(unknown_reference(reference, source_name(Path(content.source_path)), known))
    return problems


class ContentLinksGenerator(Generator):
    """Works out where each reference goes, and checks them all before anything is written.

    It runs after the generators that read content (activities, projects: PLUGINS order)."""

    def generate_context(self):
        targets = link_targets(self.context, self.settings)
        self.context["link_targets"] = targets
        problems = []
        for content in self.context["generated_content"].values():
            problems.extend(content_problems(content, targets))
        if problems:
            raise ContentError(problems)


_pelicans_replacer = Content._link_replacer


def _join(settings: dict, siteurl: str, path: str) -> str:
    """A path from the site's root as Pelican writes links: relative to the page, or under SITEURL."""
    path = path.lstrip("/")
    if settings["RELATIVE_URLS"]:
        return os.path.join(siteurl, path) if siteurl else path
    return urljoin(siteurl if siteurl.endswith("/") else siteurl + "/", path)


def _link_replacer(self: Content, siteurl: str, match: re.Match) -> str:
    kind = match.group("what")
    if kind != "site" and kind not in KINDS:
        return _pelicans_replacer(self, siteurl, match)
    value = urlparse(match.group("value"))
    path = value.path
    if kind in KINDS:
        targets = self._context.get("link_targets") or link_targets(self._context, self.settings)
        if path not in targets[kind]:  # checked before writing; here for links made since
            raise ContentError([_unknown(self, kind, path, targets)])
        path = targets[kind][path]
    parts = list(value)
    parts[2] = _join(self.settings, siteurl, path)
    return "".join((match.group("markup"), match.group("quote"), urlunparse(parts), match.group("quote")))


def _get_generators(pelican):
    return ContentLinksGenerator


def register() -> None:
    Content._link_replacer = _link_replacer
    signals.get_generators.connect(_get_generators)
