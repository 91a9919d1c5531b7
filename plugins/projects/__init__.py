"""Pelican plugin: innovation-project pages from content/projects/*.md and the projects index.

Projects are read by the domain's loader, not a Pelican reader: Pelican chooses readers by
extension for every generator, and .md already belongs to its Markdown reader for pages.
The loader validates the YAML front matter against the Project model, as `aktivsammen validate` does.
The activities a project names (`activities:`) are links to the guide like {aktivitet} links in
its text, and checked with them (plugins.site_links): a name the guide does not have stops the build.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import escape
from pelican.contents import Page
from pelican.generators import Generator

from aktivsammen.links import Reference
from aktivsammen.loading import cached_vocabularies, load_project, source_name
from aktivsammen.problems import ContentError
from aktivsammen.text import PROJECT_TAGS, render_markdown

from ..plugin_kit import generator_plugin

DEFAULTS = {
    "PROJECTS_PATHS": ["projects"],
    "PROJECTS_DATA_PATH": "data",
    "PROJECTS_PAGE_URL": "projekter/{slug}/",
    "PROJECTS_PAGE_SAVE_AS": "projekter/{slug}/index.html",
    "PROJECTS_INDEX_URL": "projekter/",
    "PROJECTS_INDEX_SAVE_AS": "projekter/index.html",
}


class ProjectPage(Page):
    """A Pelican page for one project; `project` holds the validated model."""

    default_template = "project"
    references: tuple[Reference, ...] = ()  # the activities its front matter names, with their lines

    @property
    def activities(self) -> list:
        """The pages of the activities the project names (plugins.site_links checks the names)."""
        pages = self._context.get("activity_by_slug", {})
        return [pages[slug] for slug in self.project.activities if slug in pages]

    def _expand_settings(self, key: str) -> str:
        return super(Page, self)._expand_settings(key, "projects_page")


class ProjectsGenerator(Generator):
    def generate_context(self):
        vocabularies = cached_vocabularies(Path(self.settings["PATH"]) / self.settings["PROJECTS_DATA_PATH"])
        pages, problems = [], []
        for path in sorted(self.get_files(self.settings["PROJECTS_PATHS"], extensions=False)):
            full_path = Path(self.path) / path
            try:
                entry = load_project(full_path, vocabularies, source_name(full_path))
            except ContentError as error:
                problems.extend(error.problems)
                continue
            metadata = {
                "title": entry.project.title,
                "summary": str(escape(entry.project.summary)),
                "slug": entry.slug,
                "project": entry.project,
                "template": "project",
            }
            page = ProjectPage(
                render_markdown(entry.body, tags=PROJECT_TAGS),
                metadata,
                self.settings,
                str(full_path),
                self.context,
            )
            page.references = tuple(
                Reference("aktivitet", slug, entry.document.line_of(("activities", n)), f"activities[{n}]")
                for n, slug in enumerate(entry.project.activities)
            )
            self.add_source_path(page)
            pages.append(page)
        if problems:
            raise ContentError(problems)
        self.pages = sorted(pages, key=lambda page: (page.project.order, page.title))
        self.context["projects"] = self.pages

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        for page in self.pages:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                page=page,
                project=page.project,
                relative_urls=relative,
                url=page.url,
            )
        writer.write_file(
            self.settings["PROJECTS_INDEX_SAVE_AS"],
            self.get_template("projects"),
            self.context,
            relative_urls=relative,
            url=self.settings["PROJECTS_INDEX_URL"],
        )


register = generator_plugin(ProjectsGenerator, DEFAULTS)
