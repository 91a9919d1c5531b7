"""The Jinja filters the theme's templates use, shared by the Pelican build and the submission service."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import schedule, structured, text

FILTERS = {
    "describe_slot": schedule.describe_slot,
    "describe_season": schedule.describe_season,
    "describe_price": schedule.describe_price,
    "danish_date": schedule.danish_date,
    "phone_href": text.phone_href,
    "jsonld": structured.activity_jsonld,
    "format_phone": text.format_phone,
}


def theme_environment(templates: Path) -> Environment:
    """A Jinja environment over the theme's templates, set up as the build sets up Pelican's."""
    environment = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    return environment
