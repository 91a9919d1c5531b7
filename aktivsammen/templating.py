"""The Jinja filters the theme's templates use, shared by the Pelican build and the submission service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_environment, select_autoescape
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


@pass_environment
def once(environment: Environment, owner: object, key: str, caller: Callable[[], Markup]) -> Markup:
    """`{% call once(page, "name") %}...{% endcall %}`: the block's HTML, made once per owner and key.

    For parts that depend only on the owner: an activity's card is on its area's, its
    categories' and the A–Å listing; the help box is the same on every page at the same depth
    (so its link goes in the key). Nothing else that changes from page to page (SITEURL, a
    heading level) may be inside. The HTML is kept on the Jinja environment, which Pelican makes
    anew for every generator and build, so an edited template or text is never served from it.
    """
    kept = environment.__dict__.setdefault("_made_once", {})
    found = kept.get((id(owner), key))
    if found is None:  # the owner is kept too, so its id is not reused while this lives
        found = kept[(id(owner), key)] = (owner, caller())
    return found[1]


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
