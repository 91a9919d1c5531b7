"""Pelican plugin: bundles the theme's stylesheets (variables, base, components, print) into one file.

One request for all CSS keeps pages fast on old phones; the parts stay separate in the theme so
each component keeps its own stylesheet. A municipality re-brands by pointing
THEME_VARIABLES_FILE at its own copy of styles/variables.css.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from ..plugin_kit import generator_plugin

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Stylesheets of the theme, in cascade order; glob patterns are expanded alphabetically.
    "THEME_STYLESHEETS": [
        "styles/variables.css",
        "styles/base.css",
        "styles/components/*.css",
        "styles/print.css",
    ],
    # A file that replaces styles/variables.css (relative to the settings file's folder), or None.
    "THEME_VARIABLES_FILE": None,
    "THEME_STYLESHEET_SAVE_AS": "theme/css/site.css",
}


class ThemeAssetsError(Exception):
    """A stylesheet named in the settings does not exist."""


def stylesheet_files(settings: dict) -> list[Path]:
    """The stylesheets to bundle, with the variables file swapped for the municipality's own."""
    theme = Path(settings["THEME"])
    files: list[Path] = []
    for pattern in settings["THEME_STYLESHEETS"]:
        matches = sorted(theme.glob(pattern))
        if not matches:
            raise ThemeAssetsError(f"theme_assets: no stylesheet matches {theme / pattern}")
        files.extend(matches)
    override = settings["THEME_VARIABLES_FILE"]
    if override:
        variables = theme / "styles" / "variables.css"
        files = [Path(override) if path == variables else path for path in files]
    return files


def bundle(settings: dict) -> str:
    parts = []
    for path in stylesheet_files(settings):
        parts.append(f"/* {path.name} */\n{path.read_text(encoding='utf-8').strip()}\n")
    return "\n".join(parts)


class ThemeAssetsGenerator(Generator):
    def generate_context(self):
        self.css = bundle(self.settings)
        self.context["THEME_STYLESHEET_URL"] = self.settings["THEME_STYLESHEET_SAVE_AS"]

    def generate_output(self, writer):
        target = Path(self.output_path) / self.settings["THEME_STYLESHEET_SAVE_AS"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.css, encoding="utf-8")
        logger.debug("theme_assets: wrote %s", target)


register = generator_plugin(ThemeAssetsGenerator, DEFAULTS)
