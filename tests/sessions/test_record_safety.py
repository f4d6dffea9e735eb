"""The pure safety checks of a session record against the client's intake flags."""

import pytest

from sessions.record_safety import area_conflicts, oil_conflicts
from sessions.safety import has_tier

NO_OILS = [{"code": "oil_sensitivity", "tier": "no_oils", "label": "Sensitive to oils"}]


def avoid(area: str, label: str = "Avoid this area") -> list[dict]:
    return [{"code": "avoid", "tier": "avoid", "label": label, "area": area}]


def test_without_the_no_oils_flag_any_oil_is_fine():
    assert oil_conflicts(flags=[], medium="essential_oils", details="lavender") == []
    assert oil_conflicts(flags=avoid("left foot"), medium="carrier_oil", details="almond") == []


def test_lavender_is_an_oil_conflict_for_a_no_oils_client():
    assert oil_conflicts(flags=NO_OILS, medium="none", details="2 drops of Lavender") == [
        "lavender"
    ]


def test_choosing_essential_oils_is_a_conflict_even_without_names():
    assert oil_conflicts(flags=NO_OILS, medium="essential_oils", details="") == ["essential oils"]


def test_nut_based_carriers_and_fragrance_are_conflicts():
    found = oil_conflicts(
        flags=NO_OILS, medium="carrier_oil", details="Sweet almond oil with a perfumed cream"
    )
    assert found == ["carrier oil", "sweet almond", "perfumed"]


def test_unscented_and_fragrance_free_products_are_not_conflicts():
    details = "Unscented balm, fragrance-free cream, no fragrance added"
    assert oil_conflicts(flags=NO_OILS, medium="balm", details=details) == []
    assert oil_conflicts(flags=NO_OILS, medium="none", details="") == []


def test_each_oil_is_named_once_and_by_its_full_name():
    found = oil_conflicts(
        flags=NO_OILS, medium="essential_oils", details="lemongrass, lemon and more lemon"
    )
    assert found == ["essential oils", "lemongrass", "lemon"]


def test_a_point_in_the_avoided_foot_conflicts_and_the_other_foot_does_not():
    points = [("foot", "L", "Kidney"), ("foot", "R", "Kidney"), ("hand", "L", "Spine")]
    conflicts = area_conflicts(flags=avoid("left foot", "Verruca on the left foot"), points=points)
    assert conflicts == ["Left foot: Kidney (avoid: Verruca on the left foot)"]


def test_an_area_without_a_side_covers_both_sides():
    points = [("foot", "L", "Kidney"), ("foot", "R", "Liver"), ("hand", "R", "Spine")]
    assert len(area_conflicts(flags=avoid("both feet"), points=points)) == 2


def test_an_area_on_the_hands_leaves_the_feet_alone():
    points = [("foot", "L", "Kidney"), ("hand", "R", "Spine")]
    assert area_conflicts(flags=avoid("right hand"), points=points) == [
        "Right hand: Spine (avoid: Avoid this area)"
    ]


def test_no_avoid_flag_means_no_area_conflict():
    assert area_conflicts(flags=NO_OILS, points=[("foot", "L", "Kidney")]) == []


def test_has_tier_looks_at_the_tier():
    assert has_tier(NO_OILS, "no_oils")
    assert not has_tier(NO_OILS, "avoid")


@pytest.mark.parametrize(
    ("medium", "details", "expected"),
    [
        ("carrier_oil", "grapeseed oil", "carrier oil"),
        ("balm", "shea-free balm", "balm or cream not named as unscented"),
        ("none", "Lavandula angustifolia", "lavender"),
        ("none", "lavendar balm", "lavender"),
        ("none", "an essential oil blend", "essential oil"),
    ],
)
def test_no_oils_catches_carriers_creams_and_botanical_names(medium, details, expected):
    assert expected in oil_conflicts(flags=NO_OILS, medium=medium, details=details)


def test_an_unscented_balm_is_fine_for_a_no_oils_client():
    assert oil_conflicts(flags=NO_OILS, medium="balm", details="Unscented balm") == []
