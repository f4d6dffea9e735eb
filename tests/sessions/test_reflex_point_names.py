"""The reflex point names are database rows (loaded from sessions/data/reflex_points.yaml), so
they are translated at display time through one table of marked names: the table must name
every point of the catalogue, in the catalogue's English."""

from pathlib import Path

import yaml

from sessions.reflex_point_names import NAMES, translated

CATALOGUE = Path(__file__).resolve().parents[2] / "sessions" / "data" / "reflex_points.yaml"


def _catalogue_names() -> set[str]:
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {entry["name"] for points in catalogue.values() for entry in points}


def test_every_catalogue_name_is_marked_for_translation():
    assert _catalogue_names() - NAMES.keys() == set()


def test_the_table_holds_no_name_the_catalogue_lacks():
    assert NAMES.keys() - _catalogue_names() == set()


def test_each_marked_name_is_its_own_english():
    for name, marked in NAMES.items():
        assert str(marked) == name


def test_a_name_outside_the_catalogue_shows_as_stored():
    assert translated("A new point") == "A new point"
