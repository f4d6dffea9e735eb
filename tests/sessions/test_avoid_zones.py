"""Avoid areas by zone (pure): an avoid flag names a part of a foot or hand (or the whole of
it), each catalogue point lies in one part, and only points inside the part need an
override."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from sessions.record_safety import area_conflicts, avoid_for, avoided, found_flags
from sessions.reflex_map import PARTS, SOLE_BANDS, WHOLE
from sessions.safety import flags_for, places_in

CATALOGUE = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "sessions" / "data" / "reflex_points.yaml").read_text()
)
PART_OF = {
    entry["slug"]: entry.get("part", "") for points in CATALOGUE.values() for entry in points
}
TODAY = dt.date(2026, 12, 1)


def point(slug: str, side: str) -> tuple[str, str, str, str]:
    return (slug.split("-")[0], side, PART_OF[slug], slug)


def flags(**answers) -> list[dict]:
    return flags_for({"pregnancy": "not_pregnant", **answers}, signed_on=TODAY)


LEFT_HEEL_VERRUCA = {"verruca": ["left_foot"], "verruca_zones": ["foot:heel"]}


def test_every_foot_and_hand_point_lies_in_a_part_of_its_map():
    for map_name in ("foot", "hand"):
        for entry in CATALOGUE[map_name]:
            assert entry["part"] in PARTS[map_name], entry["slug"]
            assert entry["part"] != WHOLE


def test_the_catalogue_puts_solar_plexus_in_the_ball_and_pelvis_in_the_heel():
    assert PART_OF["foot-solar-plexus"] == "ball"
    assert PART_OF["foot-pelvis"] == "heel"
    assert PART_OF["foot-sciatic"] == "heel"


def test_a_left_heel_verruca_leaves_solar_plexus_on_the_left_foot_free():
    found = area_conflicts(
        flags=flags(**LEFT_HEEL_VERRUCA), points=[point("foot-solar-plexus", "L")]
    )
    assert found == []


def test_a_left_heel_verruca_makes_a_left_heel_point_need_an_override():
    found = area_conflicts(flags=flags(**LEFT_HEEL_VERRUCA), points=[point("foot-pelvis", "L")])
    assert found == ["Left foot: foot-pelvis (avoid: left heel (verruca))"]


def test_a_left_heel_verruca_leaves_the_right_heel_free():
    points = [point("foot-pelvis", "R"), point("foot-sciatic", "R")]
    assert area_conflicts(flags=flags(**LEFT_HEEL_VERRUCA), points=points) == []


def test_the_whole_foot_blocks_every_point_of_that_foot_only():
    whole = flags(verruca=["left_foot"], verruca_zones=["foot:whole"])
    left = [point(e["slug"], "L") for e in CATALOGUE["foot"] if e["side"] in "BL"]
    right = [point(e["slug"], "R") for e in CATALOGUE["foot"] if e["side"] in "BR"]
    assert len(area_conflicts(flags=whole, points=left)) == len(left)
    assert area_conflicts(flags=whole, points=right) == []


def test_a_legacy_answer_without_parts_blocks_every_point_of_that_foot():
    legacy = flags(verruca=["left_foot"])
    left = [point(e["slug"], "L") for e in CATALOGUE["foot"] if e["side"] in "BL"]
    assert len(area_conflicts(flags=legacy, points=left)) == len(left)
    assert legacy[0]["area"] == "Left foot"


def test_a_flag_stored_before_places_covers_the_foot_its_area_names():
    stored = [{"code": "verruca", "tier": "avoid", "label": "Verruca", "area": "Left foot"}]
    assert area_conflicts(flags=stored, points=[point("foot-solar-plexus", "L")]) == [
        "Left foot: foot-solar-plexus (avoid: left foot (verruca))"
    ]
    assert area_conflicts(flags=stored, points=[point("foot-solar-plexus", "R")]) == []


LEFT_HEEL_SURGERY = {
    "recent_surgery": True,
    "surgery_details": "Heel spur, 4 weeks ago",
    "recent_surgery_locations": ["left_foot"],
    "recent_surgery_zones": ["foot:heel"],
}
RIGHT_ARCH_VEINS = {
    "varicose_veins": True,
    "varicose_veins_locations": ["right_foot"],
    "varicose_veins_zones": ["foot:arch"],
}


def test_recent_surgery_on_the_left_heel_needs_an_override_there_only():
    surgery = flags(**LEFT_HEEL_SURGERY)
    assert {f["code"] for f in surgery} == {"recent_surgery", "recent_surgery_area"}
    assert area_conflicts(flags=surgery, points=[point("foot-solar-plexus", "L")]) == []
    assert area_conflicts(flags=surgery, points=[point("foot-pelvis", "L")]) == [
        "Left foot: foot-pelvis (avoid: left heel (recent surgery))"
    ]
    assert area_conflicts(flags=surgery, points=[point("foot-pelvis", "R")]) == []


def test_varicose_veins_on_the_right_arch_shade_that_part_of_that_foot():
    (area,) = [f for f in flags(**RIGHT_ARCH_VEINS) if f["tier"] == "avoid"]
    assert area["code"] == "varicose_veins_area"
    assert area["places"] == [{"map": "foot", "side": "R", "part": "arch"}]
    assert [(a.map, a.side, a.part) for a in avoided([area])] == [("foot", "R", "arch")]
    assert avoid_for(avoided([area]), map_name="foot", side="R", part="arch")
    assert not avoid_for(avoided([area]), map_name="foot", side="R", part="heel")


def test_a_foot_ticked_for_surgery_with_no_part_named_is_the_whole_foot():
    legacy = flags(recent_surgery=True, recent_surgery_locations=["left_foot"])
    left = [point(e["slug"], "L") for e in CATALOGUE["foot"] if e["side"] in "BL"]
    assert len(area_conflicts(flags=legacy, points=left)) == len(left)


def test_surgery_or_veins_answered_before_the_place_was_asked_avoid_no_area():
    old = flags(recent_surgery=True, surgery_details="Knee", varicose_veins=True)
    assert [f["code"] for f in old if f["tier"] == "avoid"] == []
    assert area_conflicts(flags=old, points=[point("foot-pelvis", "L")]) == []


def test_the_verruca_flag_names_its_place_in_words_and_as_data():
    (flag,) = flags(**LEFT_HEEL_VERRUCA)
    assert flag["area"] == "Left heel"
    assert flag["places"] == [{"map": "foot", "side": "L", "part": "heel"}]
    assert [a.text for a in avoided([flag])] == ["left heel (verruca)"]


def test_parts_apply_to_the_map_they_name():
    answers = {
        "injury": ["right_foot", "left_hand"],
        "injury_zones": ["foot:ankle", "hand:wrist"],
        "injury_details": "sprain",
    }
    assert places_in(answers, "injury") == [
        {"map": "foot", "side": "R", "part": "ankle"},
        {"map": "hand", "side": "L", "part": "wrist"},
    ]


def test_the_whole_and_a_part_is_the_whole():
    answers = {"wound": ["left_foot"], "wound_zones": ["foot:heel", "foot:whole"]}
    assert places_in(answers, "wound") == [{"map": "foot", "side": "L", "part": WHOLE}]


def test_fungal_nails_are_always_the_toes_or_fingers():
    answers = {"fungal_nails": ["left_foot", "right_hand"]}
    assert places_in(answers, "fungal_nails") == [
        {"map": "foot", "side": "L", "part": "toes"},
        {"map": "hand", "side": "R", "part": "fingers"},
    ]


@pytest.mark.parametrize(
    ("part", "inside", "outside"),
    [("heel", "heel", "ball"), ("toes", "toes", "arch"), (WHOLE, "arch", None)],
)
def test_avoid_for_a_point_depends_on_its_part(part, inside, outside):
    areas = avoided(found_flags([{"what": "injury", "map": "foot", "side": "L", "part": part}]))
    assert avoid_for(areas, map_name="foot", side="L", part=inside)
    assert not avoid_for(areas, map_name="foot", side="R", part=inside)
    if outside:
        assert not avoid_for(areas, map_name="foot", side="L", part=outside)


def test_a_place_found_at_the_check_reads_as_seen_at_the_check():
    (flag,) = found_flags([{"what": "verruca", "map": "foot", "side": "R", "part": "toes"}])
    assert flag["tier"] == "avoid"
    assert flag["area"] == "Right toes"
    assert [a.text for a in avoided([flag])] == ["right toes (verruca, seen at the check)"]


def test_the_sole_bands_follow_the_catalogue_positions():
    for entry in CATALOGUE["foot"]:
        band = SOLE_BANDS.get(entry["part"])
        if band is None or entry.get("view") in ("medial", "lateral"):
            continue
        top, bottom = band
        assert top <= entry["pos"][1] <= bottom, entry["slug"]
