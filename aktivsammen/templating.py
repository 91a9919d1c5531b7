"""The Jinja filters the theme's templates use, shared by the Pelican build and the submission service."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, MutableMapping
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


# The theme's small inline icons (24×24 SVG paths). Always next to visible text, so hidden from
# screen readers. A function, not a macro: a page shows ten or more, and calling a Jinja macro
# costs ten times as much as this. An unknown name fails the build.
ICON_PATHS = {
    "clock": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 5v5.4l4 2.4-1 1.7-5-3V7h2z",
    "calendar": (
        "M7 2v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2V2h-2v2H9V2z"
        "m-2 7h14v11H5zm2 2v3h3v-3z"
    ),
    "place": (
        "M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5"
        " 0 0 1 0 5z"
    ),
    "phone": (
        "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 "
        "1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0"
        " 1-.25 1z"
    ),
    "mail": "M20 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 4-8 5-8-5V6l8 5 8-5z",
    "check": "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
    "people": (
        "M16 11a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm-8 0a3 3 0 1 0-3-3 3 3 0 0 0 3 3zm0 2c-2.3 0-7 1.2-7 "
        "3.5V19h14v-2.5C15 14.2 10.3 13 8 13zm8 0c-.3 0-.6 0-1 .05A4.2 4.2 0 0 1 17 "
        "16.5V19h6v-2.5c0-2.3-4.7-3.5-7-3.5z"
    ),
    "access": "M12 2a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm9 7h-6v13h-2v-6h-2v6H9V9H3V7h18z",
    "tag": (
        "M21.4 11.6l-9-9A2 2 0 0 0 11 2H4a2 2 0 0 0-2 2v7a2 2 0 0 0 .6 1.4l9 9a2 2 0 0 0 2.8 0l7-7a2 2 0 "
        "0 0 0-2.8zM6.5 8A1.5 1.5 0 1 1 8 6.5 1.5 1.5 0 0 1 6.5 8z"
    ),
    "hand": (
        "M21 7a1.5 1.5 0 0 0-3 0v5h-1V3.5a1.5 1.5 0 0 0-3 0V12h-1V2.5a1.5 1.5 0 0 0-3 0V12H9V5.5a1.5 1.5 "
        "0 0 0-3 0v9.3l-2.3-2.2a1.6 1.6 0 0 0-2.2 2.3l4.9 5.4A6 6 0 0 0 10.8 22H15a6 6 0 0 0 6-6z"
    ),
}
_ICONS = {
    name: Markup(
        '<svg class="as-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
        f'focusable="false"><path d="{path}"/></svg>'
    )
    for name, path in ICON_PATHS.items()
}


def icon(name: str) -> Markup:
    """`{{ icon("clock") }}`: the icon's inline SVG."""
    return _ICONS[name]


GLOBALS = {"once": once, "icon": icon}


class _TemplateGlobals(ChainMap):
    """A template's globals (its own, then the environment's), with keys() as a dict view.

    At every `{% from ... import ... %}` in a page, Jinja subtracts these keys from a set to see
    whether the imported template's cached module can be used. Over a ChainMap's keys that runs
    in Python (5 µs each time, about a tenth of rendering an activity page); over a dict view, in C.
    """

    def keys(self):
        merged: dict = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


def quicker_imports(environment: Environment) -> None:
    """Templates loaded from now on get _TemplateGlobals; what they see is unchanged."""

    def make_globals(own: MutableMapping | None = None) -> MutableMapping:
        return _TemplateGlobals(own or {}, environment.globals)

    environment.make_globals = make_globals  # type: ignore[method-assign]


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
    quicker_imports(environment)
    return environment
