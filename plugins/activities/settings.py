"""The plugin's settings (ACTIVITIES_*) with their defaults, and the template filters it provides."""

from __future__ import annotations

from pathlib import Path

from aktivsammen.loading import cached_vocabularies
from aktivsammen.model import Vocabularies
from aktivsammen.templating import FILTERS

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
    # Processes reading activity files: 0 means one per core for large sites (see parallel.py).
    "ACTIVITIES_READ_PROCESSES": 0,
}


def apply_defaults(pelican) -> None:
    """Fill in missing ACTIVITIES_* settings and check the ones given; add the template filters."""
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
        if value is not None and not isinstance(settings[key], type(value)):
            raise TypeError(f"activities: {key} must be a {type(value).__name__}")
    settings["JINJA_FILTERS"] = {**FILTERS, **settings.get("JINJA_FILTERS", {})}


def vocabularies_for(settings: dict) -> Vocabularies:
    """The vocabularies under PATH/ACTIVITIES_DATA_PATH."""
    return cached_vocabularies(Path(settings["PATH"]) / settings["ACTIVITIES_DATA_PATH"])
