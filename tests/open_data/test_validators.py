"""The OpenActive feeds as OpenActive's own validators see them, served by a plain static host.

@openactive/data-model-validator checks every SessionSeries and ScheduledSession (and the Dataset
and DataCatalog): no failures. @openactive/rpde-validator walks each feed over HTTP: no failures
except the two rules that assume a server answering ?afterTimestamp=&afterId= query strings,
which files on a static host cannot do (aktivsammen.rpde); what those rules guard is checked here.
Built with OPENACTIVE_QUERY_URLS and served as docs/nginx/aktivsammen.conf serves the feeds (query
strings mapped to files), the feeds pass the rpde-validator with no failures at all.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import CONTENT, build, write_content
from tests.open_data.test_openactive import SETTINGS, SITE_FILES
from tests.open_data.validators import reserved_server, validate_feed, validate_models

FEEDS = ("session-series", "scheduled-sessions")

# What the guide does not know, so the data leaves it out: the validator recommends it.
KNOWN_GAPS = {
    ("ScheduledSession", "leader"), ("ScheduledSession", "maximumAttendeeCapacity"),
    ("ScheduledSession", "remainingAttendeeCapacity"), ("ScheduledSession", "offers"),  # on its series
    ("SessionSeries", "ageRange"),  # none means adults, as for activities open to all adults
    ("SessionSeries", "genderRestriction"), ("SessionSeries", "leader"), ("SessionSeries", "image"),
    ("Offer", "ageRestriction"), ("Schedule", "urlTemplate"), ("Schedule", "endDate"),  # no season
    ("Place", "amenityFeature"), ("Place", "description"), ("Place", "image"),
    ("Place", "openingHoursSpecification"), ("Place", "telephone"), ("Place", "url"),
    ("Organization", "sameAs"), ("Organization", "telephone"), ("Organization", "url"),
    ("DataCatalog", "datePublished"),
}  # fmt: skip
# Rules written for servers: the base path (before "?") of `next` must be the page's own, and
# the last-page check needs afterTimestamp in the URLs. Files have a path per page instead.
QUERY_STRING_RULES = {"NextUrlBasePathMatchCurrentPage", "LastPageCheckRule"}
# Warnings about serving: http.server sends no Cache-Control; pages hold one day's changes.
SERVING_WARNINGS = {"HttpCacheHeaderRule", "MinimumItemsRule", "DeletedItemsRule"}


def build_and_serve(site: str, root: Path, query: bool = False) -> Iterator[tuple[str, Path]]:
    """The real guide, or a small site with every kind of time slot, built for and served from a
    local address (the feeds' `next` URLs are absolute)."""
    with reserved_server(query) as (address, serve):
        if site == "real":
            build(CONTENT, root / "output", SITE_ADDRESS=address, OPENACTIVE_QUERY_URLS=query)
        else:
            content = write_content(
                root / "content", {f"{slug}.yaml": text for slug, text in SITE_FILES.items()}
            )
            build(content, root / "output", SITE_ADDRESS=address, OPENACTIVE_QUERY_URLS=query, **SETTINGS)
        serve(root / "output")
        yield address, root / "output"


@pytest.fixture(scope="module", params=["real", "fixture"])
def served(request, tmp_path_factory):
    """Built with a file per page, served by a static host that ignores query strings."""
    yield from build_and_serve(request.param, tmp_path_factory.mktemp(f"served-{request.param}"))


@pytest.fixture(scope="module", params=["real", "fixture"])
def served_query(request, tmp_path_factory):
    """Built with OPENACTIVE_QUERY_URLS, served with the feeds' query strings mapped to files."""
    root = tmp_path_factory.mktemp(f"served-query-{request.param}")
    yield from build_and_serve(request.param, root, query=True)


def documents(output: Path) -> list[dict]:
    """Every item's data in both feeds, the Dataset from the dataset site and the DataCatalog."""
    found = []
    for feed in FEEDS:
        for path in sorted((output / "openactive" / feed).glob("*.json")):
            found += [
                item["data"]
                for item in json.loads(path.read_text(encoding="utf-8"))["items"]
                if "data" in item
            ]
    page = (output / "openactive" / "index.html").read_text(encoding="utf-8")
    found.append(json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]))
    found.append(json.loads((output / "openactive" / "data-catalog.json").read_text(encoding="utf-8")))
    return found


def test_every_item_passes_the_data_model_validator(served, tmp_path):
    _, output = served
    docs = documents(output)
    kinds = Counter(doc["@type"] for doc in docs)
    assert kinds["SessionSeries"] >= 6 and kinds["ScheduledSession"] >= 20 and kinds["Dataset"] == 1
    results = validate_models(docs, tmp_path / "cache")
    failures = [(doc["@id"], error) for doc, errors in zip(docs, results, strict=True) for error in errors
                if error["severity"] == "failure"]  # fmt: skip
    assert failures == []
    warnings = Counter(
        (re.search(r"from `(\w+)`", error["message"])[1], error["path"].rsplit(".", 1)[-1])
        for errors in results for error in errors
        if error["severity"] == "warning" and error["type"] == "missing_recommended_field"
    )  # fmt: skip
    others = [e for errors in results for e in errors if e["severity"] == "warning"
              and e["type"] != "missing_recommended_field"]  # fmt: skip
    assert others == []
    assert set(warnings) <= KNOWN_GAPS, set(warnings) - KNOWN_GAPS


def chain(output: Path, address: str, feed: str) -> list[str]:
    """The pages from the first to the last, following `next`."""
    base = f"{address}/openactive/{feed}/"
    names = ["index.json"]
    while True:
        page = json.loads((output / "openactive" / feed / names[-1]).read_text(encoding="utf-8"))
        following = page["next"].removeprefix(base)
        if following == names[-1]:
            return [base + name for name in names]
        names.append(following)


@pytest.mark.parametrize("feed", FEEDS)
def test_every_page_passes_the_rpde_validator_but_its_query_string_rules(served, feed):
    address, output = served
    pages = chain(output, address, feed)
    log = validate_feed(pages[0])
    assert [page["url"] for page in log] == pages  # it walked the whole feed, to the last page
    found = Counter((error["severity"], error["rule"]) for page in log for error in page["errors"])
    failures = {rule: count for (severity, rule), count in found.items() if severity == "failure"}
    assert set(failures) <= QUERY_STRING_RULES
    # the base path differs on every page but the last (which points to itself); no query to check
    assert failures.get("NextUrlBasePathMatchCurrentPage", 0) == len(pages) - 1
    assert failures["LastPageCheckRule"] == 1
    warnings = {rule for (severity, rule) in found if severity == "warning"}
    assert warnings <= SERVING_WARNINGS

    # What those two rules guard, for files: every page is in the feed's own folder, and the page
    # after everything (the validator would ask ?afterTimestamp=<in a year>) is the empty last page.
    # (The order of the items, which it checks from the same parameters: test_openactive.walk.)
    assert all(url.rsplit("/", 1)[0] == f"{address}/openactive/{feed}" for url in pages)
    after_today = json.loads(
        (output / "openactive" / feed / f"after-{latest(output, feed)}.json").read_text()
    )
    assert after_today["items"] == [] and after_today["next"] == pages[-1]


def latest(output: Path, feed: str) -> str:
    """The latest day with a page of its own: the build's day, or a later day an item changed."""
    days = [path.stem.removeprefix("after-") for path in (output / "openactive" / feed).glob("after-*.json")]
    return max(day for day in days if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day))


def query_chain(output: Path, address: str, feed: str) -> list[str]:
    """Query mode: the URLs from the feed's folder to its last page, following `next` in the files."""
    urls, name = [f"{address}/openactive/{feed}/"], "index.json"
    while True:
        page = json.loads((output / "openactive" / feed / name).read_text(encoding="utf-8"))
        if page["next"] == urls[-1]:
            assert page["items"] == []
            return urls
        urls.append(page["next"])
        args = parse_qs(urlsplit(page["next"]).query)
        name = f"after-{args['afterTimestamp'][0]}-{args['afterId'][0]}.json"


@pytest.mark.parametrize("feed", FEEDS)
def test_with_query_urls_every_page_passes_the_rpde_validator(served_query, feed):
    address, output = served_query
    pages = query_chain(output, address, feed)
    assert len(pages) >= 2 and all(url.startswith(f"{address}/openactive/{feed}/?afterTimestamp=")
                                   for url in pages[1:])  # fmt: skip
    log = validate_feed(pages[0])
    found = Counter((error["severity"], error["rule"]) for page in log for error in page["errors"])
    assert {rule: count for (severity, rule), count in found.items() if severity == "failure"} == {}
    assert {rule for (severity, rule) in found if severity == "warning"} <= SERVING_WARNINGS
    # It walked every page to the last, which points to itself, then asked for a position a year
    # ahead (its last-page check): the empty last page again.
    *walked, ahead = [page["url"] for page in log]
    assert walked == pages
    query = parse_qs(urlsplit(ahead).query)
    assert ahead.startswith(pages[0] + "?") and int(query["afterTimestamp"][0]) > time.time()
    dataset = (output / "openactive" / "index.html").read_text(encoding="utf-8")
    assert f'"{pages[0]}"' in dataset  # the Dataset names the folder as the feed
