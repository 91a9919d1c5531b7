"""The plugin's settings (ACTIVITIES_*) with their defaults, and the template filters it provides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from aktivsammen.loading import cached_vocabularies
from aktivsammen.model import Vocabularies, danish_today
from aktivsammen.templating import FILTERS, GLOBALS, quicker_imports

DEFAULTS = {
    "ACTIVITIES_PATHS": ["activities"],
    "ACTIVITIES_DATA_PATH": "data",
    "ACTIVITIES_PAGE_URL": "aktivitet/{slug}/",
    "ACTIVITIES_PAGE_SAVE_AS": "aktivitet/{slug}/index.html",
    "ACTIVITIES_INDEX_URL": "aktiviteter/",
    "ACTIVITIES_INDEX_SAVE_AS": "aktiviteter/index.html",
    "ACTIVITIES_AREAS_URL": "omraade/",
    "ACTIVITIES_AREAS_SAVE_AS": "omraade/index.html",
    "ACTIVITIES_AREA_URL": "omraade/{id}/",
    "ACTIVITIES_AREA_SAVE_AS": "omraade/{id}/index.html",
    # An area's activities on one weekday: the day filter for readers without JavaScript.
    "ACTIVITIES_AREA_DAY_URL": "omraade/{id}/{day}/",
    "ACTIVITIES_AREA_DAY_SAVE_AS": "omraade/{id}/{day}/index.html",
    "ACTIVITIES_CATEGORIES_URL": "kategori/",
    "ACTIVITIES_CATEGORIES_SAVE_AS": "kategori/index.html",
    "ACTIVITIES_CATEGORY_URL": "kategori/{id}/",
    "ACTIVITIES_CATEGORY_SAVE_AS": "kategori/{id}/index.html",
    # Area and category listings are split into pages of this many activities.
    "ACTIVITIES_PER_PAGE": 50,
    # The date finished seasons and past one-off dates are judged by; None means the build's day.
    "ACTIVITIES_TODAY": None,
    # Activities whose facts are older than this many days are reported after each build.
    "ACTIVITIES_STALE_AFTER_DAYS": 365,
    # True in a municipality's production settings: the build fails on the demo's example
    # contacts (aktivsammen.sample_data) instead of publishing them. Every build counts them.
    "PUBLISH_REFUSE_EXAMPLE_DATA": False,
    # Processes reading activity files: 0 means one per core for large sites (see parallel.py).
    "ACTIVITIES_READ_PROCESSES": 0,
}


def apply_defaults(pelican) -> None:
    """Fill in missing ACTIVITIES_* settings and check the ones given; add the template helpers."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
        if value is not None and not isinstance(settings[key], type(value)):
            raise TypeError(f"activities: {key} must be a {type(value).__name__}")
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}
    settings["JINJA_GLOBALS"] = {**GLOBALS, **settings.get("JINJA_GLOBALS", {})}
    # Every generator has a Jinja environment of its own, made anew for each build (also each
    # rebuild of `make serve`), so templates never change under one: checking the template
    # files' times at every page and compiling base.html once per generator is wasted work.
    settings["JINJA_ENVIRONMENT"] = {
        "auto_reload": False,
        "bytecode_cache": COMPILED_TEMPLATES,
        **settings.get("JINJA_ENVIRONMENT", {}),
    }


def quicker_template_imports(generator) -> None:
    """generator_init (each generator, each build): see aktivsammen.templating.quicker_imports."""
    quicker_imports(generator.env)


class _CompiledTemplates(BytecodeCache):
    """Compiled templates shared by the environments of a process; a changed file is compiled again.

    An entry is found by the template's name and file and what the compiled code depends on in
    the environment (syntax options, extensions, filters and tests), and Jinja checks it against a
    checksum of the source, so an edited template is never served from here.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        depends_on = [getattr(environment, option) for option in _SYNTAX_OPTIONS]
        depends_on.append(sorted(environment.extensions))
        # The compiled code passes a context or environment to the filters and tests asking for one.
        for functions in (environment.filters, environment.tests):
            depends_on.append(
                sorted((key, str(getattr(f, "jinja_pass_arg", ""))) for key, f in functions.items())
            )
        key = self.get_cache_key(name, filename) + repr(depends_on)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_SYNTAX_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
    "optimized", "is_async",
)  # fmt: skip
COMPILED_TEMPLATES = _CompiledTemplates()


def today_for(settings: dict) -> date:
    """The day the build judges dates by: ACTIVITIES_TODAY, or today in Denmark."""
    return settings.get("ACTIVITIES_TODAY") or danish_today()


def vocabularies_for(settings: dict) -> Vocabularies:
    """The vocabularies under PATH/ACTIVITIES_DATA_PATH."""
    return cached_vocabularies(Path(settings["PATH"]) / settings["ACTIVITIES_DATA_PATH"])
