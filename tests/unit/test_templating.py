"""The template helpers the build and the submission service share (aktivsammen.templating)."""

from __future__ import annotations

from collections import ChainMap

import pytest
from jinja2 import DictLoader, Environment

from aktivsammen.templating import ICON_PATHS, icon, quicker_imports


def test_every_icon_is_hidden_decoration_and_an_unknown_one_fails_the_build():
    for name in ICON_PATHS:
        svg = icon(name)
        assert svg.startswith('<svg class="as-icon"') and 'aria-hidden="true"' in svg
        assert f'd="{ICON_PATHS[name]}"' in svg
    with pytest.raises(KeyError):
        icon("klokke")


def test_quicker_imports_change_nothing_templates_see():
    templates = {
        "parts.html": "{% macro greet(name) %}{{ salute }} {{ name }}{% endmacro %}",
        "page.html": '{% from "parts.html" import greet %}{{ greet(who) }}{{ extra | default("") }}',
    }
    plain, quick = (Environment(loader=DictLoader(templates)) for _ in range(2))
    quicker_imports(quick)
    for environment in (plain, quick):
        environment.globals["salute"] = "Hej"
    pages = [environment.get_template("page.html") for environment in (plain, quick)]
    assert pages[1].globals.keys() == ChainMap(*pages[0].globals.maps).keys()
    # A global added after the templates were loaded is seen, by the page and by what it imports.
    for environment in (plain, quick):
        environment.globals["extra"] = "!"
    assert [page.render(who="Grethe") for page in pages] == ["Hej Grethe!", "Hej Grethe!"]
