"""The pure map helpers: where foot points go on the two-sole chart, and how points group."""

from pathlib import Path

import pytest
import yaml

from sessions import reflex_map
from sessions.models import PointWorked, ReflexPoint

CATALOGUE = Path(__file__).resolve().parents[2] / "sessions" / "data" / "reflex_points.yaml"


def _catalogue() -> list[ReflexPoint]:
    """The shipped catalogue as unsaved rows (no database needed)."""
    points = []
    for map_name, entries in yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")).items():
        for order, entry in enumerate(entries):
            x, y = entry.get("pos", (None, None))
            points.append(
                ReflexPoint(
                    slug=entry["slug"],
                    name=entry["name"],
                    map=map_name,
                    side=entry.get("side", "B"),
                    surface=entry.get("view", "plantar" if map_name == "foot" else ""),
                    pos_x=x,
                    pos_y=y,
                    order=order,
                )
            )
    return points


@pytest.fixture(scope="module")
def catalogue():
    return _catalogue()


def _point(catalogue, slug):
    return next(p for p in catalogue if p.slug == slug)


def test_the_right_sole_is_mirrored_and_the_left_is_not():
    assert reflex_map.sole_x(0.2, "R") == pytest.approx(0.8)
    assert reflex_map.sole_x(0.2, "L") == pytest.approx(0.2)
    assert reflex_map.sole_x(0.0, "R") == 1.0


def test_a_side_other_than_left_or_right_is_refused():
    with pytest.raises(ValueError):
        reflex_map.sole_x(0.5, "B")


def test_the_right_sole_is_on_the_left_with_both_big_toes_towards_the_middle():
    right_big_toe, _ = reflex_map.to_svg(0.0, 0.1, "R")
    right_little_toe, _ = reflex_map.to_svg(1.0, 0.1, "R")
    left_big_toe, _ = reflex_map.to_svg(0.0, 0.1, "L")
    left_little_toe, _ = reflex_map.to_svg(1.0, 0.1, "L")
    middle = reflex_map.VIEW_W / 2
    assert right_little_toe < right_big_toe < middle < left_big_toe < left_little_toe


def test_the_same_point_is_placed_as_mirror_images_on_the_two_soles(catalogue):
    kidney = _point(catalogue, "foot-kidney")
    right = reflex_map.spot(kidney, "R")
    left = reflex_map.spot(kidney, "L")
    assert right.y == left.y
    right_in_box = right.x - reflex_map.FOOT_LEFT["R"]
    left_in_box = left.x - reflex_map.FOOT_LEFT["L"]
    assert right_in_box == pytest.approx(reflex_map.FOOT_W - left_in_box, abs=0.11)


def test_every_foot_point_is_inside_the_view_box_with_room_for_its_mark(catalogue):
    spots = reflex_map.foot_spots(catalogue)
    margin = 12  # the mark's radius
    for spot in spots:
        assert margin <= spot.x <= reflex_map.VIEW_W - margin, spot
        assert reflex_map.FOOT_TOP <= spot.y <= reflex_map.VIEW_H - margin, spot


def test_one_sided_points_are_placed_only_on_their_side(catalogue):
    spots = reflex_map.foot_spots(catalogue)
    sides_of = {}
    for spot in spots:
        sides_of.setdefault(spot.slug, []).append(spot.side)
    assert sides_of["foot-liver"] == ["R"]
    assert sides_of["foot-heart"] == ["L"]
    assert sides_of["foot-kidney"] == ["R", "L"]
    feet = [p for p in catalogue if p.map == "foot"]
    assert len(spots) == sum(len(p.sides()) for p in feet)


def test_a_point_cannot_be_placed_on_a_side_it_does_not_exist_on(catalogue):
    with pytest.raises(ValueError):
        reflex_map.spot(_point(catalogue, "foot-liver"), "L")


def test_hand_and_ear_points_are_not_placed_on_the_foot_chart(catalogue):
    with pytest.raises(ValueError):
        reflex_map.spot(_point(catalogue, "hand-spine"), "L")
    assert all(s.slug.startswith("foot-") for s in reflex_map.foot_spots(catalogue))


def test_points_have_accessible_names_and_field_keys(catalogue):
    spot = reflex_map.spot(_point(catalogue, "foot-adrenal"), "L")
    assert spot.label == "Left foot: Adrenal gland"
    assert spot.key == "foot-adrenal-L"
    assert reflex_map.point_label("ear", "R", "Shen Men") == "Right ear: Shen Men"


def test_dorsal_points_are_drawn_differently(catalogue):
    assert reflex_map.spot(_point(catalogue, "foot-upper-lymphatics"), "R").on_top
    assert not reflex_map.spot(_point(catalogue, "foot-kidney"), "R").on_top


def test_the_sole_outlines_are_mirror_images():
    def numbers(path):
        return [
            float(n)
            for n in path.replace("M", " ")
            .replace("C", " ")
            .replace(",", " ")
            .replace("Z", " ")
            .split()
        ]

    right = numbers(reflex_map.outline_path("R"))
    left = numbers(reflex_map.outline_path("L"))
    assert len(right) == len(left)
    for i in range(0, len(right), 2):
        assert right[i + 1] == left[i + 1]
        right_in_box = right[i] - reflex_map.FOOT_LEFT["R"]
        left_in_box = left[i] - reflex_map.FOOT_LEFT["L"]
        assert right_in_box == pytest.approx(reflex_map.FOOT_W - left_in_box, abs=0.11)


def test_both_soles_have_a_caption_an_outline_and_five_toes():
    soles = reflex_map.soles()
    assert [s.caption for s in soles] == ["Right foot", "Left foot"]
    assert soles[0].caption_x < soles[1].caption_x
    assert all(len(s.toes) == 5 and s.path.startswith("M ") for s in soles)


def test_catalogue_groups_come_right_then_left_for_feet_hands_and_ears(catalogue):
    groups = reflex_map.catalogue_groups(catalogue)
    assert [g.title for g in groups] == [
        "Right foot",
        "Left foot",
        "Right hand",
        "Left hand",
        "Right ear",
        "Left ear",
    ]
    by_title = {g.title: [p.slug for p, _side in g.entries] for g in groups}
    assert "hand-liver-gallbladder" in by_title["Right hand"]
    assert "hand-liver-gallbladder" not in by_title["Left hand"]
    assert "hand-heart" in by_title["Left hand"]
    assert "hand-heart" not in by_title["Right hand"]
    assert len(by_title["Right ear"]) == len(by_title["Left ear"]) == 11


def test_the_worked_chart_places_foot_points_and_lists_every_point(catalogue):
    worked = [
        PointWorked(point=_point(catalogue, "foot-liver"), side="R", tenderness=3),
        PointWorked(
            point=_point(catalogue, "foot-adrenal"), side="L", tenderness=1, texture="grainy"
        ),
        PointWorked(point=_point(catalogue, "hand-spine"), side="L", tenderness=0, comment="ok"),
    ]
    chart = reflex_map.worked_chart(worked)
    assert [m.label for m in chart.marks] == ["Left foot: Adrenal gland", "Right foot: Liver"]
    assert chart.marks[-1].tenderness_word == "marked"
    assert chart.count == 3
    assert [g.title for g in chart.groups] == ["Right foot", "Left foot", "Left hand"]
    adrenal = chart.groups[1].entries[0]
    assert adrenal.texture == "Grainy"
    assert (adrenal.x, adrenal.y) == reflex_map.to_svg(0.37, 0.45, "L")


def test_the_worked_chart_of_no_points_is_empty():
    chart = reflex_map.worked_chart([])
    assert chart.marks == [] and chart.groups == [] and chart.count == 0
