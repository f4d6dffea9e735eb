"""The pure safety checks of a session record against the client's intake flags."""

import datetime as dt

import pytest

from sessions.record_safety import (
    SUN_WARNING,
    area_conflicts,
    needs_nut_check,
    oil_conflicts,
    oils_checked,
    with_sun_warning,
)
from sessions.safety import flags_for, has_tier
from tests.sessions.intake_helpers import answers

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
    points = [
        ("foot", "L", "arch", "Kidney"),
        ("foot", "R", "arch", "Kidney"),
        ("hand", "L", "mid_palm", "Spine"),
    ]
    conflicts = area_conflicts(flags=avoid("left foot", "Verruca on the left foot"), points=points)
    assert conflicts == ["Left foot: Kidney (avoid: left foot (verruca on the left foot))"]


def test_an_area_without_a_side_covers_both_sides():
    points = [
        ("foot", "L", "arch", "Kidney"),
        ("foot", "R", "arch", "Liver"),
        ("hand", "R", "mid_palm", "Spine"),
    ]
    assert len(area_conflicts(flags=avoid("both feet"), points=points)) == 2


def test_an_area_on_the_hands_leaves_the_feet_alone():
    points = [("foot", "L", "arch", "Kidney"), ("hand", "R", "mid_palm", "Spine")]
    assert area_conflicts(flags=avoid("right hand"), points=points) == [
        "Right hand: Spine (avoid: right hand (avoid this area))"
    ]


def test_no_avoid_flag_means_no_area_conflict():
    assert area_conflicts(flags=NO_OILS, points=[("foot", "L", "arch", "Kidney")]) == []


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


# --- oils restricted by the client's flags (not "No oils") ---

TODAY = dt.date(2026, 11, 25)


def intake_flags(**overrides) -> list[dict]:
    return flags_for(answers(**overrides), signed_on=TODAY)


LAVENDER = intake_flags(oil_sensitivity=True, oil_sensitivity_details="Lavender: itchy rash")
PREGNANT = intake_flags(pregnancy="pregnant", pregnancy_weeks=20, midwife_aware=True)
EPILEPSY = intake_flags(epilepsy=True)
NUTS = intake_flags(nut_allergy=True, nut_allergy_details="Almonds")
# helper B's rule for clients under 18: built here as a flag dict.
UNDER_18 = [{"code": "under_18", "tier": "caution", "label": "Under 18", "area": ""}]


def test_a_lavender_sensitive_client_may_have_an_unscented_balm_but_not_lavender():
    assert not has_tier(LAVENDER, "no_oils")
    assert oil_conflicts(flags=LAVENDER, medium="balm", details="Unscented balm") == []
    assert oil_conflicts(flags=LAVENDER, medium="balm", details="Shea butter balm") == []
    assert oil_conflicts(flags=LAVENDER, medium="carrier_oil", details="Grapeseed oil") == []
    assert oil_conflicts(flags=LAVENDER, medium="balm", details="Lavender balm") == [
        "lavender (the client reacts to it)"
    ]


def test_a_named_oil_sensitivity_avoids_the_oils_of_its_family_too():
    found = oil_conflicts(
        flags=LAVENDER, medium="essential_oils", details="Peppermint and geranium"
    )
    assert found == ["peppermint (same plant family as lavender: Lamiaceae (mint family))"]


def test_a_pregnant_clients_record_refuses_clary_sage_but_not_mandarin():
    assert oil_conflicts(flags=PREGNANT, medium="essential_oils", details="Clary sage") == [
        "clary sage (restricted in pregnancy)"
    ]
    assert oil_conflicts(flags=PREGNANT, medium="essential_oils", details="Mandarin") == []


def test_every_pregnancy_rule_restricts_oils_by_its_code_prefix():
    for code in ("pregnancy_high_risk", "pregnancy_first_trimester", "pregnancy_warning_signs"):
        flags = [{"code": code, "tier": "postpone", "label": "Pregnant"}]
        assert oil_conflicts(flags=flags, medium="carrier_oil", details="Fennel in sunflower")


@pytest.mark.parametrize("oil", ["rosemary", "sage", "hyssop", "fennel", "camphor", "eucalyptus"])
def test_epilepsy_refuses_oils_that_lower_the_seizure_threshold(oil):
    assert oil_conflicts(flags=EPILEPSY, medium="essential_oils", details=oil) == [
        f"{oil} (restricted with epilepsy)"
    ]


def test_epilepsy_leaves_other_oils_alone():
    assert oil_conflicts(flags=EPILEPSY, medium="essential_oils", details="Lavender") == []


def test_under_18_no_essential_oils_and_the_childrens_list_says_why():
    found = oil_conflicts(
        flags=UNDER_18, medium="carrier_oil", details="Peppermint and lavender in jojoba"
    )
    assert found == [
        "peppermint (restricted for children)",
        "lavender (no essential oils under 18)",
    ]
    assert oil_conflicts(flags=UNDER_18, medium="essential_oils", details="Relax blend") == [
        "essential oils (no essential oils under 18)"
    ]
    assert oil_conflicts(flags=UNDER_18, medium="balm", details="Unscented balm") == []


def test_oils_the_list_cannot_check_are_refused_when_oils_are_restricted():
    assert oil_conflicts(flags=PREGNANT, medium="essential_oils", details="My relax blend") == [
        "essential oils not named (name each oil so it can be checked)"
    ]
    assert oil_conflicts(flags=[], medium="essential_oils", details="My relax blend") == []


def test_a_restricted_oil_gives_every_reason():
    flags = PREGNANT + EPILEPSY
    assert oil_conflicts(flags=flags, medium="essential_oils", details="Rosemary") == [
        "rosemary (restricted in pregnancy; restricted with epilepsy)"
    ]


def test_a_nut_allergy_refuses_nut_carriers_and_asks_to_check_a_balm():
    assert oil_conflicts(flags=NUTS, medium="carrier_oil", details="Sweet almond oil") == [
        "sweet almond (nut allergy)"
    ]
    assert oil_conflicts(flags=NUTS, medium="carrier_oil", details="Grapeseed oil") == []
    assert oil_conflicts(flags=NUTS, medium="carrier_oil", details="") == [
        "carrier oil not named (name it so it can be checked for nuts)"
    ]
    assert needs_nut_check(flags=NUTS, medium="balm")
    assert not needs_nut_check(flags=NUTS, medium="carrier_oil")
    assert not needs_nut_check(flags=LAVENDER, medium="balm")


def test_oils_are_checked_only_for_clients_whose_flags_restrict_them():
    for flags in (NO_OILS, LAVENDER, NUTS, PREGNANT, EPILEPSY, UNDER_18):
        assert oils_checked(flags)
    assert not oils_checked(avoid("left foot"))
    assert not oils_checked(intake_flags(blood_thinners=True))


# --- the sun warning ---


def test_a_phototoxic_citrus_oil_adds_the_sun_warning_once():
    aftercare = "Rest this evening."
    once = with_sun_warning(aftercare, "Bergamot in grapeseed")
    assert once == f"Rest this evening.\n\n{SUN_WARNING}"
    assert with_sun_warning(once, "Bergamot in grapeseed") == once
    assert "no sun or sunbed on the treated skin for 12 hours" in SUN_WARNING


@pytest.mark.parametrize("oil", ["lime", "lemon", "grapefruit", "bitter orange", "citrus oil"])
def test_each_phototoxic_oil_brings_the_warning(oil):
    assert with_sun_warning("", oil) == SUN_WARNING


@pytest.mark.parametrize("details", ["Sweet orange", "Mandarin", "Orange blossom", "Sublime"])
def test_oils_that_are_not_phototoxic_bring_no_warning(details):
    assert with_sun_warning("Rest.", details) == "Rest."


def test_the_sun_warning_goes_when_the_citrus_oil_is_taken_out():
    with_warning = f"Rest this evening.\n\n{SUN_WARNING}"
    assert with_sun_warning(with_warning, "Lavender") == "Rest this evening."
