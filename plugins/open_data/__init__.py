"""Pelican plugin: the guide's activities as Open Referral HSDS 3.0, laid out as the HSDS API.

Static files in the API's shape (schema/openapi.json of HSDS 3.0), under OPEN_DATA_PATH:

    index.json                     `/`: the HSDS version, the profile page, the API description
    services/index.json            `/services`: page 1 of the paged list (page-2.json, ...)
    services/<uuid>.json           `/services/{id}`: one whole service record
    organizations/, taxonomies/, taxonomy_terms/   the same, for those

A static host has no query strings or extension-less files, so `?page=2` is `page-2.json`;
docs/nginx/aktivsammen.conf also answers the API's own paths (`/services?page=2`,
`/services/{id}`). `/data/aktiviteter.json`, published before, is now every service on one page.
The records come from aktivsammen.export; this plugin decides where they go.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from aktivsammen.export import Ids, api_root, organization, pages, service, taxonomies, taxonomy_terms
from aktivsammen.model import danish_today

from ..plugin_kit import generator_plugin

DEFAULTS = {
    "OPEN_DATA_PATH": "data/hsds",
    "OPEN_DATA_ALL_SAVE_AS": "data/aktiviteter.json",  # every service on one page (the first address)
    "OPEN_DATA_PAGE_SIZE": 50,
    "OPEN_DATA_REGION": "Region Syddanmark",  # addresses' state_province, which HSDS requires
    "OPEN_DATA_PAGE_URL": "aabne-data/",  # the page that describes the data (the HSDS "profile")
    # `/services/{id}` as a file per record. A host with a limit on files (Cloudflare Pages: 20,000)
    # may turn it off for a very large guide: the paged lists hold the whole records too.
    "OPEN_DATA_FILE_PER_RECORD": True,
}
# HSDS's own API description, where consumers look for it.
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"


class OpenDataGenerator(Generator):
    def write_in_background(self):
        settings = self.settings
        address = settings["SITE_ADDRESS"].rstrip("/")
        vocabularies = self.context["vocabularies"]
        ids, today = Ids(address), danish_today()
        activity_pages = self.context["activity_pages"]
        region = settings["OPEN_DATA_REGION"]
        services = [
            service(page.slug, page.activity, f"{address}/{page.url}", vocabularies, ids, today, region)
            for page in activity_pages
        ]
        by_organizer: dict[str, list[str]] = {}
        for page in activity_pages:
            by_organizer.setdefault(page.activity.organizer.name, []).append(page.activity.title)
        organizations = {}
        for page in activity_pages:
            name = page.activity.organizer.name
            organizations.setdefault(name, organization(page.activity, ids, by_organizer[name]))
        root = Path(self.output_path) / settings["OPEN_DATA_PATH"]
        size = settings["OPEN_DATA_PAGE_SIZE"]
        lists = {
            "services": services,
            "organizations": sorted(organizations.values(), key=lambda item: item["name"]),
            "taxonomies": taxonomies(ids),
            "taxonomy_terms": taxonomy_terms(vocabularies, ids),
        }
        for name, items in lists.items():
            for page in pages(items, size):
                number = page["page_number"]
                _write(root / name / ("index.json" if number == 1 else f"page-{number}.json"), page)
            for item in items if settings["OPEN_DATA_FILE_PER_RECORD"] else ():
                _write(root / name / f"{item['id']}.json", item)
        _write(root / "index.json", api_root(f"{address}/{settings['OPEN_DATA_PAGE_URL']}", OPENAPI_URL))
        _write(
            Path(self.output_path) / settings["OPEN_DATA_ALL_SAVE_AS"],
            pages(services, max(1, len(services)))[0],
        )


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


register = generator_plugin(OpenDataGenerator, DEFAULTS)
