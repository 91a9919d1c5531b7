"""Distances for "Tæt på": from a town, a postcode or a reader's position to the activities.

No map service: the areas' centres and the places' own coordinates are content
(content/data/areas.yaml, an activity's location), and distances are as the crow flies,
written roughly ("ca. 4 km"), since a centre is not a doorstep. The browser does the same
sums for the search page (search.js), from the same centres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Activity, Area, Vocabularies
from .text import danish_sort_key

Point = tuple[float, float]  # latitude, longitude
EARTH_RADIUS_KM = 6371.0
NEARBY_AREAS = 3  # how many other areas an area page offers as "Områder tæt på"
FEW_ACTIVITIES = 5  # an area with fewer than this offers the nearby areas above its list
NEAR_DISTANCES = (2, 5, 10, 20)  # the search page's "Højst så langt væk" choices, in km


def distance_km(a: Point, b: Point) -> float:
    """The great-circle distance (haversine): within a municipality, off by metres at most."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_text(km: float) -> str:
    """ "ca. 4 km" (whole kilometres, halves up as in the browser; "under 1 km" close by): as
    precise as a centre allows."""
    if km < 1:
        return "under 1 km"
    return f"ca. {math.floor(km + 0.5)} km"


def activity_point(activity: Activity, vocabularies: Vocabularies) -> Point:
    """Where an activity is: its own place's coordinates, else its area's centre."""
    return activity.location.point or vocabularies.terms("areas")[activity.area].centre


@dataclass(frozen=True)
class Nearby:
    area: Area
    km: float

    @property
    def text(self) -> str:
        return distance_text(self.km)


def nearby_areas(vocabularies: Vocabularies, area_id: str, count: int = NEARBY_AREAS) -> list[Nearby]:
    """The other areas nearest to one, nearest first (centre to centre; ties by name)."""
    here = vocabularies.terms("areas")[area_id].centre
    others = [
        Nearby(area, distance_km(here, area.centre)) for area in vocabularies.areas if area.id != area_id
    ]
    others.sort(key=lambda n: (round(n.km, 1), danish_sort_key(n.area.label)))
    return others[:count]


def place_names(vocabularies: Vocabularies) -> list[str]:
    """The names and postcodes named_places knows, as written, for the reader to pick from."""
    names = {name for area in vocabularies.areas for name in (area.label, *area.places)}
    codes = {code for area in vocabularies.areas for code in area.postcodes}
    return sorted(names, key=danish_sort_key) + sorted(codes)


def named_places(vocabularies: Vocabularies) -> dict[str, Point]:
    """What a reader may type as where they are, lower case -> a point: each area's name and
    places (at the area's centre), and each postcode (the middle of the areas that share it)."""
    found: dict[str, Point] = {}
    by_postcode: dict[str, list[Point]] = {}
    for area in vocabularies.areas:
        for name in (area.label, *area.places):
            found.setdefault(name.lower(), area.centre)
        for postcode in area.postcodes:
            by_postcode.setdefault(postcode, []).append(area.centre)
    for postcode, points in by_postcode.items():
        found[postcode] = (
            round(sum(p[0] for p in points) / len(points), 4),
            round(sum(p[1] for p in points) / len(points), 4),
        )
    return found
