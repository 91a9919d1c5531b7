"""Distances for "Tæt på", from the areas' centres and places' own coordinates."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from aktivsammen.geo import (
    activity_point,
    distance_km,
    distance_text,
    named_places,
    nearby_areas,
    place_names,
)
from aktivsammen.model import Activity, Area
from tests.conftest import VALID_ACTIVITY


def test_distances_as_the_crow_flies():
    vejle, jelling = (55.709, 9.535), (55.756, 9.420)
    assert distance_km(vejle, vejle) == 0
    assert 8.5 < distance_km(vejle, jelling) < 9.0  # measured on a map: about 8.7 km
    assert distance_km(vejle, jelling) == pytest.approx(distance_km(jelling, vejle))
    copenhagen_aarhus = distance_km((55.676, 12.568), (56.157, 10.211))
    assert 155 < copenhagen_aarhus < 160  # the known 157 km


ROUGHLY = [(0.0, "under 1 km"), (0.99, "under 1 km"), (1.4, "ca. 1 km"), (4.5, "ca. 5 km"),
           (4.49, "ca. 4 km"), (4.51, "ca. 5 km"), (12.2, "ca. 12 km")]  # fmt: skip


@pytest.mark.parametrize(("km", "text"), ROUGHLY)
def test_distances_are_written_roughly(km, text):
    assert distance_text(km) == text


def test_nearby_areas_nearest_first_without_the_area_itself(vocabularies):
    near = nearby_areas(vocabularies, "vandel")
    assert [n.area.id for n in near] == ["randboel", "bredsten", "gadbjerg"]
    assert [n.km for n in near] == sorted(n.km for n in near)
    assert all(n.area.id != "vandel" for n in nearby_areas(vocabularies, "vandel", count=20))
    assert len(nearby_areas(vocabularies, "vandel", count=20)) == len(vocabularies.areas) - 1


def test_names_places_and_postcodes_a_reader_may_type(vocabularies):
    places = named_places(vocabularies)
    areas = vocabularies.terms("areas")
    assert places["thyregod"] == places["give og thyregod"] == areas["give"].centre
    assert places["7300"] == areas["jelling"].centre
    # 7100 is three areas of Vejle town: its middle
    vejle = [areas[a].centre for a in ("vejle-midtby", "vejle-nord", "vejle-syd")]
    assert places["7100"] == pytest.approx(
        (sum(p[0] for p in vejle) / 3, sum(p[1] for p in vejle) / 3), abs=1e-4
    )
    names = place_names(vocabularies)
    assert "Thyregod" in names and "7300" in names and len(names) == len(set(names))


def test_an_activity_is_at_its_place_else_at_its_area_centre(vocabularies):
    data = yaml.safe_load(VALID_ACTIVITY)
    activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
    assert activity_point(activity, vocabularies) == vocabularies.terms("areas")[activity.area].centre
    data["location"] |= {"latitude": 55.7101, "longitude": 9.5412}
    placed = Activity.model_validate(data, context={"vocabularies": vocabularies})
    assert activity_point(placed, vocabularies) == (55.7101, 9.5412)


def test_half_a_place_is_an_error(vocabularies):
    data = yaml.safe_load(VALID_ACTIVITY)
    data["location"] |= {"latitude": 55.7101}
    with pytest.raises(ValidationError, match="har kun den ene koordinat"):
        Activity.model_validate(data, context={"vocabularies": vocabularies})


@pytest.mark.parametrize("centre", [[9.535, 55.709], [55.7], "55.7, 9.5", [55.7, True], None])
def test_an_area_centre_must_be_a_place_in_denmark(centre):
    with pytest.raises(ValidationError) as caught:
        Area.model_validate({"id": "x", "label": "X", "postcodes": ["7100"], "centre": centre})
    assert "er ikke et sted i Danmark" in str(caught.value) or "Field required" in str(caught.value)
