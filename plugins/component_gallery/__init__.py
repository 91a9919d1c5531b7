"""Pelican plugin: the theme's component gallery (/komponenter/), one page per named example.

Each component in themes/<theme>/templates/components/ has a file of named examples in
themes/<theme>/examples/<component>.yaml. The gallery renders every example on its own page,
so maintainers can look at them and the browser tests can check each one with axe.
Arguments may refer to example activities ({"$page": slug}, {"$activity": slug}), to a
coordinator ({"$coordinator": id}), to an activity's next dates ({"$upcoming": slug}) or to a
vocabulary ({"$vocabulary": "areas"}).
Enabled by COMPONENT_GALLERY (local builds); production builds leave it off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pelican.generators import Generator

from aktivsammen.dates import Upcoming, upcoming
from aktivsammen.freshness import last_day
from aktivsammen.loading import load_activity
from aktivsammen.model import Activity
from aktivsammen.schedule import times_of_day, weekdays_of

from ..activities.settings import today_for, vocabularies_for
from ..plugin_kit import generator_plugin

DEFAULTS = {
    "COMPONENT_GALLERY": False,
    "COMPONENT_GALLERY_URL": "komponenter/",
    "COMPONENT_GALLERY_SAVE_AS": "komponenter/index.html",
}


class GalleryError(Exception):
    """An example file refers to something that does not exist."""


@dataclass(frozen=True)
class ExamplePage:
    """Stands in for an activity page in examples; links go back to the gallery."""

    activity: Activity
    url: str
    slug: str = ""
    upcoming: Upcoming | None = None  # its next dates, as of the build's day

    @property
    def title(self) -> str:
        return self.activity.title

    @property
    def weekdays(self) -> list[str]:
        return [day.value for day in weekdays_of(self.activity)]

    @property
    def times_of_day(self) -> list[str]:
        return times_of_day(self.activity)

    @property
    def ends(self) -> str:
        end = last_day(self.activity)
        return end.isoformat() if end else ""


@dataclass
class Example:
    component: str
    name: str
    title: str
    source: str  # the Jinja snippet that renders the example
    args: dict[str, Any]

    @property
    def url(self) -> str:
        return f"komponenter/{self.component}/{self.name}/"


class ComponentGalleryGenerator(Generator):
    def generate_context(self):
        self.examples: list[Example] = []
        if not self.settings["COMPONENT_GALLERY"]:
            return
        folder = Path(self.theme) / "examples"
        vocabularies = vocabularies_for(self.settings)
        activities = {
            path.stem: load_activity(path, vocabularies).activity
            for path in sorted((folder / "activities").glob("*.yaml"))
        }
        today = today_for(self.settings)

        def upcoming_of(activity: Activity) -> Upcoming:
            return upcoming(activity, vocabularies, today)

        refs = {
            "$activity": lambda slug: activities[slug],
            "$page": lambda slug: ExamplePage(
                activities[slug], self.settings["COMPONENT_GALLERY_URL"], slug, upcoming_of(activities[slug])
            ),
            "$upcoming": lambda slug: upcoming_of(activities[slug]),
            "$coordinator": lambda key: vocabularies.terms("coordinators")[key],
            "$vocabulary": lambda kind: getattr(vocabularies, kind),
        }
        for path in sorted(folder.glob("*.yaml")):
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
            for item in spec["examples"]:
                call = f"{{{{ {spec.get('macro')}(**args) }}}}"
                source = item.get("template", call)
                names = ", ".join(spec["imports"])
                imports = f'{{% from "components/{spec["file"]}" import {names} with context %}}'
                self.examples.append(
                    Example(
                        component=path.stem,
                        name=item["name"],
                        title=item.get("title", item["name"]),
                        source=imports + source,
                        args=self._resolve(item.get("args", {}), refs, path),
                    )
                )

    def _resolve(self, value: Any, refs: dict, path: Path) -> Any:
        if isinstance(value, dict):
            if len(value) == 1 and next(iter(value)) in refs:
                key, name = next(iter(value.items()))
                try:
                    return [refs[key](n) for n in name] if isinstance(name, list) else refs[key](name)
                except (KeyError, AttributeError) as error:
                    raise GalleryError(f"component_gallery: {path.name}: unknown {key} {name!r}") from error
            return {k: self._resolve(v, refs, path) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v, refs, path) for v in value]
        return value

    def generate_output(self, writer):
        if not self.examples:
            return
        relative = self.settings["RELATIVE_URLS"]
        for example in self.examples:
            template = self.env.from_string(example.source)

            def render(siteurl: str, template=template, example=example) -> str:
                # Rendered at write time, with the page's own (relative) SITEURL.
                return template.render({**self.context, "SITEURL": siteurl, "args": example.args})

            writer.write_file(
                example.url + "index.html",
                self.get_template("component_example"),
                self.context,
                example=example,
                render_example=render,
                relative_urls=relative,
                url=example.url,
            )
        writer.write_file(
            self.settings["COMPONENT_GALLERY_SAVE_AS"],
            self.get_template("component_gallery"),
            self.context,
            examples=self.examples,
            relative_urls=relative,
            url=self.settings["COMPONENT_GALLERY_URL"],
        )


register = generator_plugin(ComponentGalleryGenerator, DEFAULTS)
