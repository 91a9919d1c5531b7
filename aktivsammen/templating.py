"""The Jinja filters the theme's templates use, shared by the Pelican build and the submission service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

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


def once(owner: object, key: str, caller: Callable[[], Markup]) -> Markup:
    """`{% call once(page, "name") %}...{% endcall %}`: the block's HTML, made once per owner.

    For parts of a template that depend only on the owner (an activity's card appears on its
    area's, its categories' and the A–Å listing): the first rendering is kept on the owner and
    reused. Nothing that changes with the page it is on (SITEURL, heading levels) may be inside.
    """
    store = getattr(owner, "__dict__", None)
    if store is None:  # a mapping or other object without attributes: nothing to keep it on
        return caller()
    kept = store.setdefault("_once", {})
    if key not in kept:
        kept[key] = caller()
    return kept[key]


GLOBALS = {"once": once}


def theme_environment(templates: Path) -> Environment:
    """A Jinja environment over the theme's templates, set up as the build sets up Pelican's."""
    environment = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    environment.globals.update(GLOBALS)
    return environment
