import datetime as dt

import pytest

from sessions.safety import (
    RULES,
    RULES_BY_CODE,
    TIER_NAMES,
    TIERS,
    Tier,
    by_tier,
    flags_for,
    has_tier,
    of_tier,
)
from tests.sessions.intake_helpers import answers
from tests.sessions.test_session_rules import SESSION_TRIGGERS

TODAY = dt.date(2026, 11, 25)

PREGNANT = {"pregnancy": "pregnant", "pregnancy_weeks": 20, "midwife_aware": True}

# For every rule: answers that raise it.
TRIGGERS = {
    "current_clot": {"dvt_current": True},
    "acute_illness": {"acute_illness": True, "acute_illness_details": "Flu"},
    "pregnancy_warning_signs": {**PREGNANT, "pregnancy_complications": ["bleeding"]},
    "clot_history": {"dvt_past": True},
    "pregnancy_high_risk": {**PREGNANT, "pregnancy_complications": ["high_risk"]},
    "cancer_treatment": {"cancer": "current", "cancer_treatment": True},
    "heart": {"pacemaker": True},
    "diabetes_uncontrolled": {"diabetes": "uncontrolled"},
    "foot_ulcers": {"foot_ulcers": True},
    "pregnancy": PREGNANT,
    "diabetes_neuropathy": {"neuropathy": True},
    "epilepsy": {"epilepsy": True},
    "blood_thinners": {"blood_thinners": True},
    "overstimulation": {"overstimulation": True},
    "varicose_veins": {"varicose_veins": True},
    "swollen_ankles": {"swollen_ankles": True},
    "skin_products": {"latex_allergy": True},
    "wound": {"wound": ["right_hand"]},
    "injury": {"injury": ["left_foot"], "injury_details": "Sprained ankle in October"},
    "verruca": {"verruca": ["left_foot"]},
    "athletes_foot": {"athletes_foot": ["left_foot", "right_foot"]},
    "fungal_nails": {"fungal_nails": ["right_foot"]},
    "gout": {"gout": ["right_foot"]},
    "no_touch": {"no_touch_areas": "Left big toe"},
    "no_oils": {"oil_sensitivity": True, "oil_sensitivity_details": "Lavender: rash"},
}

# For each rule: close answers that must NOT raise it.
NON_TRIGGERS = [
    ("current_clot", {"dvt_past": True}),
    ("current_clot", {"dvt_current": False}),
    ("acute_illness", {"acute_illness": False, "acute_illness_details": "had flu last month"}),
    ("pregnancy_warning_signs", {**PREGNANT, "pregnancy_complications": ["past_miscarriage"]}),
    ("pregnancy_warning_signs", {"pregnancy": "trying", "pregnancy_complications": ["bleeding"]}),
    ("clot_history", {"blood_thinners": True}),
    ("clot_history", {"dvt_current": True}),
    ("pregnancy_high_risk", PREGNANT),
    (
        "pregnancy_high_risk",
        {"pregnancy": "not_pregnant", "pregnancy_complications": ["high_risk"]},
    ),
    ("cancer_treatment", {"cancer": "current", "cancer_treatment": False}),
    ("cancer_treatment", {"cancer": "past", "cancer_treatment": True}),
    ("heart", {"blood_pressure": "high"}),
    ("diabetes_uncontrolled", {"diabetes": "controlled"}),
    ("foot_ulcers", {"wound": ["left_foot"]}),
    ("pregnancy", {"pregnancy": "trying"}),
    ("pregnancy", {**PREGNANT, "pregnancy_complications": ["pre_eclampsia"]}),
    ("diabetes_neuropathy", {"diabetes": "no", "neuropathy": False}),
    ("epilepsy", {"epilepsy": False, "epilepsy_details": "none"}),
    ("blood_thinners", {"clotting_disorder": True}),
    ("overstimulation", {"epilepsy": True}),
    ("varicose_veins", {"swollen_ankles": True}),
    ("swollen_ankles", {"varicose_veins": True}),
    ("skin_products", {"oil_sensitivity": True, "oil_sensitivity_details": "Rose"}),
    ("wound", {"wound": []}),
    ("injury", {"injury": [], "injury_details": "Broke a toe years ago"}),
    ("verruca", {"athletes_foot": ["left_foot"]}),
    ("athletes_foot", {"fungal_nails": ["left_foot"]}),
    ("fungal_nails", {"verruca": ["left_foot"]}),
    ("gout", {"gout": []}),
    ("no_touch", {"no_touch_areas": "   "}),
    ("no_oils", {"cream_reaction": True, "cream_reaction_details": "Aloe"}),
    ("no_oils", {"latex_allergy": True}),
]


def codes(flags):
    return [flag["code"] for flag in flags]


def test_every_rule_has_a_triggering_example():
    assert set(TRIGGERS) | set(SESSION_TRIGGERS) == set(RULES_BY_CODE)


def test_answers_with_nothing_to_flag_raise_no_flags():
    assert flags_for(answers(), signed_on=TODAY) == []


@pytest.mark.parametrize("code", list(TRIGGERS))
def test_rule_raises_its_flag_with_its_tier(code):
    flags = flags_for(answers(**TRIGGERS[code]), signed_on=TODAY)

    flag = next(flag for flag in flags if flag["code"] == code)
    rule = RULES_BY_CODE[code]
    assert flag["tier"] == rule.tier
    assert flag["label"] == rule.label
    assert flag["detail"].startswith("You told us ")
    assert flag["reason"]
    assert set(flag) == {"code", "tier", "label", "detail", "reason", "area"}


@pytest.mark.parametrize(("code", "overrides"), NON_TRIGGERS)
def test_rule_is_not_raised_by_close_answers(code, overrides):
    assert code not in codes(flags_for(answers(**overrides), signed_on=TODAY))


@pytest.mark.parametrize("tier", [tier for tier, _name in TIERS])
def test_every_tier_has_rules_and_a_text_name(tier):
    assert any(rule.tier == tier for rule in RULES)
    assert TIER_NAMES[tier]


def test_the_tiers_are_one_enum_most_serious_first():
    assert [tier for tier, _name in TIERS] == list(Tier)
    assert {rule.tier for rule in RULES} == set(Tier)
    assert all(isinstance(rule.tier, Tier) for rule in RULES)


def test_stored_flags_hold_the_tier_as_plain_text_and_still_match():
    flag = flags_for(answers(dvt_current=True), signed_on=TODAY)[0]
    assert type(flag["tier"]) is str
    assert has_tier([flag], Tier.POSTPONE)
    assert not has_tier([flag], Tier.CLEARANCE)
    assert not has_tier([], Tier.POSTPONE)


def test_of_tier_and_by_tier_keep_the_order_within_a_tier():
    flags = [
        {"code": "a", "tier": "avoid"},
        {"code": "b", "tier": "postpone"},
        {"code": "c", "tier": "avoid"},
        {"code": "d", "tier": "no_oils"},
    ]
    assert [f["code"] for f in of_tier(flags, Tier.AVOID)] == ["a", "c"]
    assert [f["code"] for f in by_tier(flags)] == ["b", "a", "c", "d"]


def test_postpone_tier_current_clot_fever_and_pregnancy_bleeding():
    flags = flags_for(
        answers(
            dvt_current=True,
            acute_illness=True,
            **PREGNANT,
            pregnancy_complications=["bleeding", "pre_eclampsia", "placenta_praevia"],
        ),
        signed_on=TODAY,
    )

    postpone = [flag for flag in flags if flag["tier"] == "postpone"]
    assert codes(postpone) == ["current_clot", "acute_illness", "pregnancy_warning_signs"]
    assert "bleeding, pre-eclampsia, placenta praevia" in postpone[2]["reason"]
    assert "will want to talk with you before your session" in postpone[0]["detail"]


@pytest.mark.parametrize(
    "complication", ["bleeding", "pre_eclampsia", "placenta_praevia", "preterm_labour"]
)
def test_each_pregnancy_warning_sign_asks_to_talk_first(complication):
    flags = flags_for(answers(**PREGNANT, pregnancy_complications=[complication]), signed_on=TODAY)

    assert "pregnancy_warning_signs" in codes(flags)


def test_clearance_tier_past_clot_clotting_disorder_high_risk_pregnancy_cancer_heart_diabetes_ulcers():
    flags = flags_for(
        answers(
            dvt_past=True,
            clotting_disorder=True,
            **PREGNANT,
            pregnancy_complications=["past_miscarriage"],
            cancer="current",
            cancer_treatment=True,
            heart_condition=True,
            diabetes="uncontrolled",
            foot_ulcers=True,
        ),
        signed_on=TODAY,
    )

    clearance = [flag for flag in flags if flag["tier"] == "clearance"]
    assert codes(clearance) == [
        "clot_history",
        "pregnancy_high_risk",
        "cancer_treatment",
        "heart",
        "diabetes_uncontrolled",
        "foot_ulcers",
    ]
    assert "a past DVT or embolism and a clotting disorder" in clearance[0]["reason"]
    assert clearance[1]["label"] == "Pregnant"
    assert "talk to your doctor or midwife" in clearance[0]["detail"]


def test_caution_tier_pregnancy_diabetes_epilepsy_blood_thinners_overstimulation():
    flags = flags_for(
        answers(
            **PREGNANT,
            diabetes="controlled",
            epilepsy=True,
            blood_thinners=True,
            overstimulation=True,
        ),
        signed_on=TODAY,
    )

    assert codes(flags) == [
        "pregnancy",
        "diabetes_neuropathy",
        "epilepsy",
        "blood_thinners",
        "overstimulation",
    ]
    assert all(flag["tier"] == "caution" for flag in flags)
    assert "30-minute session" in flags[-1]["reason"]


def test_pregnancy_in_the_first_12_weeks_says_so():
    early = flags_for(answers(**{**PREGNANT, "pregnancy_weeks": 9}), signed_on=TODAY)
    later = flags_for(answers(**PREGNANT), signed_on=TODAY)

    assert "First 12 weeks" in early[0]["reason"]
    assert "About 9 weeks pregnant" in early[0]["reason"]
    assert "First 12 weeks" not in later[0]["reason"]


def test_pregnancy_weeks_are_estimated_from_the_due_date():
    due = (TODAY + dt.timedelta(weeks=30)).isoformat()
    flags = flags_for(
        answers(pregnancy="pregnant", due_date=due, midwife_aware=False), signed_on=TODAY
    )

    assert "About 10 weeks pregnant" in flags[0]["reason"]
    assert "First 12 weeks" in flags[0]["reason"]
    assert "midwife or doctor does not know" in flags[0]["reason"]


def test_avoid_area_flags_name_the_foot_or_hand():
    flags = flags_for(
        answers(
            verruca=["left_foot"],
            injury=["right_foot", "right_hand"],
            injury_details="Broken toe, October",
            no_touch_areas="Ticklish soles",
        ),
        signed_on=TODAY,
    )

    by_code = {flag["code"]: flag for flag in flags}
    assert by_code["verruca"]["area"] == "Left foot"
    assert by_code["injury"]["area"] == "Right foot, right hand"
    assert "Broken toe, October" in by_code["injury"]["reason"]
    assert by_code["no_touch"]["area"] == "Ticklish soles"
    assert all(flag["tier"] == "avoid" for flag in flags)


@pytest.mark.parametrize(
    "overrides",
    [
        {"oil_sensitivity": True, "oil_sensitivity_details": "Lavender"},
        {"nut_allergy": True, "nut_allergy_details": "Almonds"},
    ],
    ids=["essential oil or fragrance", "nut oil"],
)
def test_any_oil_fragrance_or_nut_sensitivity_means_no_oils(overrides):
    flags = flags_for(answers(**overrides), signed_on=TODAY)

    assert len(flags) == 1
    assert flags[0]["tier"] == "no_oils"
    assert flags[0]["label"] == "No oils / unscented"


def test_flags_come_most_serious_tier_first():
    flags = flags_for(
        answers(
            oil_sensitivity=True,
            oil_sensitivity_details="Lavender",
            verruca=["left_foot"],
            epilepsy=True,
            heart_condition=True,
            acute_illness=True,
        ),
        signed_on=TODAY,
    )

    assert [flag["tier"] for flag in flags] == [
        "postpone",
        "clearance",
        "caution",
        "avoid",
        "no_oils",
    ]


@pytest.mark.parametrize("code", list(TRIGGERS))
def test_client_words_are_not_a_diagnosis(code):
    flag = next(
        flag
        for flag in flags_for(answers(**TRIGGERS[code]), signed_on=TODAY)
        if flag["code"] == code
    )

    lowered = flag["detail"].lower()
    for word in ("diagnos", "you cannot", "refused", "contraindicat"):
        assert word not in lowered
