"""RPDE 1.0 feeds as static files: pages any web host serves, with no query strings, or with them.

RPDE lists every item once, ordered by `modified` and then `id`, and a page's `next` names the
position after its last item. A server answers `?afterTimestamp=…&afterId=…`; a static host
ignores query strings, so here each position is a file of its own:

    index.json                      the first page
    after-2026-10-01.json           what changed after 1 October 2026 (the next day's first page)
    after-2026-10-01-gaaklub.json   the rest of 1 October after `gaaklub`, when a day fills a page
    after-2026-12-04.json           the last page on a build of 4 December: empty, `next` itself

`modified` is a day (Unix time of its midnight in Denmark): what the guide knows is the day its
facts were confirmed. Pages never span two days, and the last page is named after the build's
day, the position after everything the build has (nothing changes between a static build's
pages, so that is where the last item's position is). Consumers keep polling that file; every
later build writes `after-<day>.json` for each day since the feeds were first published (an
empty page pointing on where that day has no page of its own), so the file they poll lists
what changed since.

Query mode (`pages(..., query=True)`), for a host that maps query strings to files (nginx with
docs/nginx/aktivsammen.conf): the feed's URL is its folder, and `next` uses RPDE's own parameters,
`<folder>?afterTimestamp=<modified>&afterId=<id>` of the page's last item. Each page is the file
of that position, pages of `page_size` items from the first:

    index.json                            the first page (the folder, with no parameters)
    after-1796079600-gaaklub.json         the page after `gaaklub`, modified 1 December 2026
    after-1796166000-stolegymnastik.json  the last page, after the last item: empty, `next` itself
    last.json                             a copy of the last page

The host answers a position it has no file for with the first page, or with last.json when the
position is later than now (there is nothing after it: RPDE's answer, and the validator asks one
a year ahead). No daily pages here: a consumer polls the last page's query URL. After a rebuild the
position file of an item that changed (or of one no longer at the end of a page, when items came
before it) no longer exists, and the host answers the first page: RPDE consumers upsert by id, so
reading again from the start is safe, only longer.

Limits of a static feed: an item changed twice on one day moves only once, and an activity whose
file is deleted disappears without a "deleted" item (no build remembers the previous one).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from .model import COPENHAGEN

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
FIRST_PAGE = "index.json"
LAST_PAGE = "last.json"  # query mode: the last page again, for positions later than now
_FILE_SAFE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Item:
    """One RPDE item: `data` is None for a deleted one."""

    id: str
    kind: str
    day: date  # when it last changed
    data: dict[str, Any] | None = None

    @property
    def modified(self) -> int:
        return day_stamp(self.day)

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "state": "deleted" if self.data is None else "updated",
            "kind": self.kind,
            "id": self.id,
            "modified": self.modified,
        }
        if self.data is not None:
            found["data"] = self.data
        return found


def day_stamp(day: date) -> int:
    """Unix time of the day's first second in Denmark."""
    return int(datetime.combine(day, time(), COPENHAGEN).timestamp())


def after_day(day: date) -> str:
    return f"after-{day.isoformat()}.json"


def after_item(item: Item) -> str:
    return f"after-{item.day.isoformat()}-{item.id}.json"


def after_position(item: Item) -> str:
    """Query mode: the file of the position after `item`."""
    return f"after-{item.modified}-{item.id}.json"


def position_query(item: Item) -> str:
    """Query mode: the position after `item`, as RPDE's query string (ids need no escaping)."""
    return f"?afterTimestamp={item.modified}&afterId={item.id}"


def pages(
    items: Iterable[Item],
    base_url: str,
    page_size: int,
    until: date,
    since: date | None = None,
    query: bool = False,
) -> dict[str, dict[str, Any]]:
    """Every page of a feed, by file name; `base_url` is the feed's folder, ending in "/".

    `until` is the build's day; `since` the first day a consumer may have polled (the day the
    feed was first published; default: the first day an item changed). Every day from `since`
    to `until` gets an `after-<day>.json`. With `query`, the pages of query mode instead (see the
    module), and `until` and `since` are not used.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    ordered = sorted(items, key=lambda item: (item.modified, item.id))
    ids = [item.id for item in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("rpde: two items have the same id")
    unsafe = [item_id for item_id in ids if not _FILE_SAFE.match(item_id)]
    if unsafe:
        raise ValueError(f"rpde: ids must be a-z, 0-9 and -, for file names: {unsafe[:3]}")
    if query:
        return _query_pages(ordered, base_url, page_size)

    chunks: list[tuple[str, list[Item]]] = []  # (file name, items), in feed order
    previous_day: date | None = None
    for day, group in groupby(ordered, key=lambda item: item.day):
        group = list(group)
        for start in range(0, len(group), page_size):
            if start:
                name = after_item(group[start - 1])
            elif previous_day is None:
                name = FIRST_PAGE
            else:
                name = after_day(previous_day)
            chunks.append((name, group[start : start + page_size]))
        previous_day = day

    def page(name: str, page_items: list[Item], next_name: str) -> dict[str, Any]:
        return _page(page_items, base_url + next_name)

    if not ordered:  # the first page is the last
        return {FIRST_PAGE: page(FIRST_PAGE, [], FIRST_PAGE)}
    data_days = sorted({item.day for item in ordered})
    end = max(until, data_days[-1])
    last = after_day(end)
    found = {}
    for number, (name, chunk) in enumerate(chunks):
        next_name = chunks[number + 1][0] if number + 1 < len(chunks) else last
        found[name] = page(name, chunk, next_name)
    found[last] = page(last, [], last)

    # Every other day a consumer may have stopped on: an empty page that points on to the first
    # page after that day (RPDE's "in-stream filtering": no items, and a `next` of its own).
    day = since or data_days[0]
    while day < end:
        name = after_day(day)
        if name not in found:
            earlier = bisect.bisect_right(data_days, day)  # data days up to this one
            if day >= data_days[-1]:
                target = last
            else:
                target = after_day(data_days[earlier - 1]) if earlier else FIRST_PAGE
            found[name] = page(name, [], target)
        day += timedelta(days=1)
    return found


def _page(page_items: list[Item], next_url: str) -> dict[str, Any]:
    return {"next": next_url, "items": [item.as_json() for item in page_items], "license": LICENSE}


def _query_pages(ordered: list[Item], base_url: str, page_size: int) -> dict[str, dict[str, Any]]:
    """Query mode's pages: `ordered` by modified and id, ids checked."""
    if not ordered:  # the first page is the last: the folder, pointing to itself
        empty = _page([], base_url)
        return {FIRST_PAGE: empty, LAST_PAGE: empty}
    found = {}
    name = FIRST_PAGE
    for start in range(0, len(ordered), page_size):
        chunk = ordered[start : start + page_size]
        found[name] = _page(chunk, base_url + position_query(chunk[-1]))
        name = after_position(chunk[-1])
    found[name] = found[LAST_PAGE] = _page([], base_url + position_query(ordered[-1]))
    return found
