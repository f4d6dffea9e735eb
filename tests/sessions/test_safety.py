import datetime as dt

import pytest

from sessions.safety import (
    RULES,
    RULES_BY_CODE,
    TIER_NAMES,
    TIERS,
    URGENT_EMERGENCY,
    URGENT_TODAY,
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
EARLY = {**PREGNANT, "pregnancy_weeks": 10}
# 17 on TODAY (18 on 2027-01-10); 75 on 2027-01-10.
MINOR = {"date_of_birth": "2009-01-10", "guardian_name": "Gail Guardian", "guardian_consent": True}
TURNS_75 = {"date_of_birth": "1952-01-10"}

# For every rule: answers that raise it.
TRIGGERS = {
    "current_clot": {"dvt_current": True},
    "chest_pain": {"chest_pain": True},
    "phlebitis": {"phlebitis": True},
    "leg_swelling": {"leg_swelling": True},
    "acute_illness": {"acute_illness": True, "acute_illness_details": "Flu"},
    "pregnancy_warning_signs": {**PREGNANT, "pregnancy_complications": ["bleeding"]},
    "pregnancy_first_trimester": EARLY,
    "ivf_cycle": {"pregnancy": "ivf_cycle"},
    "clot_history": {"dvt_past": True},
    "pregnancy_high_risk": {**PREGNANT, "pregnancy_complications": ["high_risk"]},
    "cancer_treatment": {"cancer": "current", "cancer_treatment": True},
    "heart": {"pacemaker": True},
    "diabetes_uncontrolled": {"diabetes": "uncontrolled"},
    "foot_ulcers": {"foot_ulcers": True, "foot_ulcers_where": "Left heel"},
    "recent_surgery": {"recent_surgery": True, "surgery_details": "Knee, 3 weeks ago"},
    "unexplained_pain_or_lump": {"unexplained_pain_or_lump": True},
    "pregnancy": PREGNANT,
    "diabetes_neuropathy": {"neuropathy": True},
    "epilepsy": {"epilepsy": True},
    "blood_thinners": {"blood_thinners": True},
    "overstimulation": {"overstimulation": True},
    "varicose_veins": {"varicose_veins": True},
    "swollen_ankles": {"swollen_ankles": True},
    "blood_pressure": {"blood_pressure": "high"},
    "cancer_not_in_treatment": {"cancer": "past"},
    "lymph_nodes_removed": {"lymph_nodes_removed": True},
    "osteoporosis": {"osteoporosis": True},
    "stones": {"stones": True},
    "mental_health": {"mental_health": True},
    "under_18": MINOR,
    "older_or_frail": {"frail": True},
    "skin_products": {"latex_allergy": True},
    "wound": {"wound": ["right_hand"]},
    "foot_ulcer_area": {"foot_ulcers": True, "foot_ulcers_where": "Left heel"},
    "injury": {"injury": ["left_foot"], "injury_details": "Sprained ankle in October"},
    "verruca": {"verruca": ["left_foot"]},
    "athletes_foot": {"athletes_foot": ["left_foot", "right_foot"]},
    "fungal_nails": {"fungal_nails": ["right_foot"]},
    "gout": {"gout": ["right_foot"]},
    "no_touch": {"no_touch_areas": "Left big toe"},
    "recent_surgery_area": {
        "recent_surgery": True,
        "surgery_details": "Bunion, 3 weeks ago",
        "recent_surgery_locations": ["right_foot"],
        "recent_surgery_zones": ["foot:ball"],
    },
    "varicose_veins_area": {
        "varicose_veins": True,
        "varicose_veins_locations": ["left_foot"],
        "varicose_veins_zones": ["foot:ankle"],
    },
    "avoid_oils": {"oil_sensitivity": True, "oil_sensitivity_details": "Lavender: rash"},
    "nut_allergy": {"nut_allergy": True, "nut_allergy_details": "Almonds"},
    "no_oils": {"oil_sensitivity": True, "oil_sensitivity_details": "All perfumes: rash"},
}

# For each rule: close answers that must NOT raise it.
NON_TRIGGERS = [
    ("current_clot", {"dvt_past": True}),
    ("current_clot", {"dvt_current": False}),
    ("chest_pain", {"chest_pain": False, "heart_condition": True}),
    ("phlebitis", {"varicose_veins": True}),
    ("phlebitis", {"phlebitis": False}),
    ("leg_swelling", {"swollen_ankles": True}),
    ("leg_swelling", {"leg_swelling": False}),
    ("acute_illness", {"acute_illness": False, "acute_illness_details": "had flu last month"}),
    ("pregnancy_warning_signs", {**PREGNANT, "pregnancy_complications": ["past_miscarriage"]}),
    ("pregnancy_warning_signs", {"pregnancy": "trying", "pregnancy_complications": ["bleeding"]}),
    ("pregnancy_first_trimester", {**PREGNANT, "pregnancy_weeks": 13}),
    ("pregnancy_first_trimester", {"pregnancy": "trying"}),
    ("ivf_cycle", {"pregnancy": "trying"}),
    ("ivf_cycle", PREGNANT),
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
    ("recent_surgery", {"recent_surgery": False, "injury": ["left_foot"], "injury_details": "x"}),
    ("unexplained_pain_or_lump", {"unexplained_pain_or_lump": False}),
    ("pregnancy", {"pregnancy": "trying"}),
    ("pregnancy", {**PREGNANT, "pregnancy_complications": ["pre_eclampsia"]}),
    ("diabetes_neuropathy", {"diabetes": "no", "neuropathy": False}),
    ("epilepsy", {"epilepsy": False, "epilepsy_details": "none"}),
    ("blood_thinners", {"clotting_disorder": True}),
    ("overstimulation", {"epilepsy": True}),
    ("varicose_veins", {"swollen_ankles": True}),
    ("swollen_ankles", {"varicose_veins": True}),
    ("blood_pressure", {"blood_pressure": "normal"}),
    ("blood_pressure", {"blood_pressure": "unknown"}),
    ("cancer_not_in_treatment", {"cancer": "current", "cancer_treatment": True}),
    ("cancer_not_in_treatment", {"cancer": "no"}),
    ("lymph_nodes_removed", {"cancer": "past", "lymph_nodes_removed": False}),
    ("osteoporosis", {"osteoporosis": False}),
    ("stones", {"stones": False}),
    ("mental_health", {"mental_health": False, "mental_health_details": "calm music"}),
    ("under_18", {"date_of_birth": "2008-11-25"}),  # 18 today
    ("older_or_frail", {"date_of_birth": "1952-11-26", "frail": False}),  # 74 today
    ("skin_products", {"oil_sensitivity": True, "oil_sensitivity_details": "Rose"}),
    ("wound", {"wound": []}),
    ("foot_ulcer_area", {"foot_ulcers": False, "foot_ulcers_where": ""}),
    ("injury", {"injury": [], "injury_details": "Broke a toe years ago"}),
    ("verruca", {"athletes_foot": ["left_foot"]}),
    ("athletes_foot", {"fungal_nails": ["left_foot"]}),
    ("fungal_nails", {"verruca": ["left_foot"]}),
    ("gout", {"gout": []}),
    ("no_touch", {"no_touch_areas": "   "}),
    # An answer from before the place was asked names no foot or hand: no area to avoid.
    ("recent_surgery_area", {"recent_surgery": True, "surgery_details": "Knee, 3 weeks ago"}),
    ("recent_surgery_area", {"recent_surgery": False, "recent_surgery_locations": ["left_foot"]}),
    ("varicose_veins_area", {"varicose_veins": True}),
    ("varicose_veins_area", {"varicose_veins": False, "varicose_veins_locations": ["left_foot"]}),
    ("no_oils", {"cream_reaction": True, "cream_reaction_details": "Aloe"}),
    ("no_oils", {"latex_allergy": True}),
    ("no_oils", {"oil_sensitivity": True, "oil_sensitivity_details": "Lavender: rash"}),
    ("no_oils", {"nut_allergy": True, "nut_allergy_details": "Almonds"}),
    ("no_oils", {"skin_product": "oil"}),
    ("avoid_oils", {"oil_sensitivity": True, "oil_sensitivity_details": "Perfume: headache"}),
    ("avoid_oils", {"oil_sensitivity": False, "oil_sensitivity_details": "Lavender"}),
    ("avoid_oils", {"nut_allergy": True, "nut_allergy_details": "Almond oil"}),
    ("nut_allergy", {"nut_allergy": False, "nut_allergy_details": "none"}),
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
    extra = set(rule.extra(answers(**TRIGGERS[code]))) if rule.extra else set()
    assert (
        set(flag)
        == {"code", "tier", "label", "detail", "reason", "area", "urgent", "words_from"} | extra
    )


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
            pregnancy_complications=["placenta_praevia"],
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
        {"oil_sensitivity": True, "oil_sensitivity_details": "Perfume gives me a headache"},
        {"oil_sensitivity": True, "oil_sensitivity_details": "Lavender, and any oil really"},
        {"oil_sensitivity": True, "oil_sensitivity_details": "Some oils, I don't know which"},
        {"skin_product": "none"},
    ],
    ids=["fragrance", "oils in general", "no oil named", "nothing on my skin"],
)
def test_fragrance_in_general_or_nothing_on_the_skin_means_no_oils(overrides):
    flags = flags_for(answers(**overrides), signed_on=TODAY)

    assert flags[-1]["tier"] == "no_oils"
    assert flags[-1]["label"] == "No oils / unscented"


def test_a_named_oil_avoids_that_oil_and_its_family_not_every_product():
    flags = flags_for(
        answers(oil_sensitivity=True, oil_sensitivity_details="Lavender: itchy rash"),
        signed_on=TODAY,
    )

    assert [(f["code"], f["tier"]) for f in flags] == [("avoid_oils", "avoid_oils")]
    assert flags[0]["oils"] == ["lavender"]
    assert flags[0]["families"] == ["lamiaceae"]
    assert "Sensitive to lavender." in flags[0]["reason"]
    assert "Lamiaceae (mint family): spike lavender, peppermint" in flags[0]["reason"]
    assert "Unscented products are fine" in flags[0]["reason"]


def test_several_named_oils_keep_each_family_once():
    flags = flags_for(
        answers(
            oil_sensitivity=True,
            oil_sensitivity_details="Bergamot and lime make me itch; also peppermint",
        ),
        signed_on=TODAY,
    )

    assert flags[0]["oils"] == ["bergamot", "lime", "peppermint"]
    assert flags[0]["families"] == ["rutaceae", "lamiaceae"]


def test_a_nut_allergy_avoids_nut_carriers_and_asks_to_check_balms_not_no_oils():
    flags = flags_for(
        answers(nut_allergy=True, nut_allergy_details="Almonds: hives"), signed_on=TODAY
    )

    assert [(f["code"], f["tier"]) for f in flags] == [("nut_allergy", "avoid_oils")]
    assert "sweet almond, macadamia" in flags[0]["reason"]
    assert "check the ingredients of any balm or cream" in flags[0]["reason"]
    assert "will check the ingredients of any balm or cream" in flags[0]["detail"]


def test_flags_come_most_serious_tier_first():
    flags = flags_for(
        answers(
            oil_sensitivity=True,
            oil_sensitivity_details="Lavender",
            skin_product="none",
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
        "avoid_oils",
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


def flag_of(code, flags):
    return next(flag for flag in flags if flag["code"] == code)


# --- pregnancy at the session date -----------------------------------------------------------


@pytest.mark.parametrize(
    ("weeks_signed", "weeks_later", "expected"),
    [
        (10, 4, "pregnancy"),  # booked at 10 weeks for a session at 14: caution
        (11, 1, "pregnancy_first_trimester"),  # booked at 11 for a session at 12: talk first
        (12, 0, "pregnancy_first_trimester"),
        (13, 0, "pregnancy"),
    ],
)
def test_the_first_trimester_is_worked_out_for_the_session_date(
    weeks_signed, weeks_later, expected
):
    flags = flags_for(
        answers(**{**PREGNANT, "pregnancy_weeks": weeks_signed}),
        signed_on=TODAY,
        on=TODAY + dt.timedelta(weeks=weeks_later),
    )

    pregnancy_codes = [code for code in codes(flags) if code.startswith("pregnancy")]
    assert pregnancy_codes == [expected]
    if expected == "pregnancy_first_trimester":
        assert flags[0]["tier"] == Tier.POSTPONE
        assert "never confirmed automatically" in flags[0]["reason"]
        assert f"About {weeks_signed + weeks_later} weeks pregnant" in flags[0]["reason"]


def test_the_first_trimester_from_a_due_date_is_talk_first():
    due = (TODAY + dt.timedelta(weeks=29)).isoformat()  # 11 weeks today

    flags = flags_for(
        answers(pregnancy="pregnant", due_date=due, midwife_aware=True), signed_on=TODAY
    )

    assert codes(flags) == ["pregnancy_first_trimester"]
    assert "You told us you will be less than 13 weeks pregnant" in flags[0]["detail"]


def test_a_past_miscarriage_under_13_weeks_is_talk_first():
    flags = flags_for(
        answers(**EARLY, pregnancy_complications=["past_miscarriage"]), signed_on=TODAY
    )

    assert codes(flags) == ["pregnancy_first_trimester"]
    assert "With a past miscarriage" in flags[0]["reason"]
    assert "high-risk" not in flags[0]["detail"].lower()


def test_a_past_miscarriage_later_is_caution_and_never_called_high_risk():
    flags = flags_for(
        answers(**PREGNANT, pregnancy_complications=["past_miscarriage"]), signed_on=TODAY
    )

    assert codes(flags) == ["pregnancy"]
    assert flags[0]["tier"] == Tier.CAUTION
    assert "miscarriage in the past" in flags[0]["reason"]
    assert "high-risk" not in (flags[0]["detail"] + flags[0]["reason"]).lower()


def test_from_37_weeks_the_practitioner_reads_there_is_no_evidence_for_inducing_labour():
    term = flags_for(answers(**PREGNANT), signed_on=TODAY, on=TODAY + dt.timedelta(weeks=17))
    before = flags_for(answers(**PREGNANT), signed_on=TODAY, on=TODAY + dt.timedelta(weeks=16))

    assert "no evidence for inducing labour" in flag_of("pregnancy", term)["reason"]
    assert "inducing labour" not in flag_of("pregnancy", before)["reason"]


def test_pain_in_pregnancy_is_a_warning_sign():
    flags = flags_for(answers(**PREGNANT, pregnancy_complications=["pain"]), signed_on=TODAY)

    assert "pain in this pregnancy" in flag_of("pregnancy_warning_signs", flags)["reason"]


# --- urgent-care words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code", "today", "emergency"),
    [
        ({"dvt_current": True}, "current_clot", True, True),
        ({"chest_pain": True}, "chest_pain", True, True),
        ({"leg_swelling": True}, "leg_swelling", True, False),
        (
            {**PREGNANT, "pregnancy_complications": ["bleeding"]},
            "pregnancy_warning_signs",
            True,
            False,
        ),
        ({**PREGNANT, "pregnancy_complications": ["pain"]}, "pregnancy_warning_signs", True, False),
        (
            {**PREGNANT, "pregnancy_complications": ["pre_eclampsia"]},
            "pregnancy_warning_signs",
            False,
            False,
        ),
        ({"dvt_past": True}, "clot_history", False, False),
    ],
)
def test_urgent_care_words_go_with_the_flags_that_need_them(overrides, code, today, emergency):
    flag = flag_of(code, flags_for(answers(**overrides), signed_on=TODAY))

    assert (URGENT_TODAY in flag["urgent"]) is today
    assert (URGENT_EMERGENCY in flag["urgent"]) is emergency


def test_other_flags_carry_no_urgent_words():
    triggered = [
        flag_of(code, flags_for(answers(**overrides), signed_on=TODAY))
        for code, overrides in TRIGGERS.items()
    ]
    urgent = {flag["code"] for flag in triggered if flag["urgent"]}
    assert urgent == {"current_clot", "chest_pain", "leg_swelling", "pregnancy_warning_signs"}


# --- the new rules' words --------------------------------------------------------------------


@pytest.mark.parametrize(("level", "word"), [("high", "high"), ("low", "low")])
def test_blood_pressure_says_lighter_slower_and_rise_slowly(level, word):
    flag = flag_of("blood_pressure", flags_for(answers(blood_pressure=level), signed_on=TODAY))

    assert flag["tier"] == Tier.CAUTION
    assert f"Blood pressure {word}" in flag["reason"]
    assert "lighter and slower" in flag["reason"]
    assert "stand slowly" in flag["reason"]


def test_a_foot_ulcer_asks_for_clearance_and_avoids_that_spot():
    flags = flags_for(answers(foot_ulcers=True, foot_ulcers_where="Left heel"), signed_on=TODAY)

    assert codes(flags) == ["foot_ulcers", "foot_ulcer_area"]
    assert flags[1]["tier"] == Tier.AVOID
    assert flags[1]["area"] == "Left heel"


def test_phlebitis_is_talk_first_and_varicose_veins_caution():
    flags = flags_for(answers(phlebitis=True, varicose_veins=True), signed_on=TODAY)

    assert [(f["code"], f["tier"]) for f in flags] == [
        ("phlebitis", "postpone"),
        ("varicose_veins", "caution"),
    ]
    assert "phlebitis" not in flags[1]["detail"]


def test_cancer_not_in_treatment_and_lymph_nodes_removed_mean_light_pressure():
    flags = flags_for(
        answers(cancer="current", cancer_treatment=False, lymph_nodes_removed=True),
        signed_on=TODAY,
    )

    assert codes(flags) == ["cancer_not_in_treatment", "lymph_nodes_removed"]
    assert "light pressure" in flags[0]["reason"]
    assert "no pressure on the affected arm or leg" in flags[1]["reason"]


def test_mental_health_wording_is_kind():
    flag = flag_of(
        "mental_health",
        flags_for(
            answers(mental_health=True, mental_health_details="Quiet music"), signed_on=TODAY
        ),
    )

    assert "Quiet music" in flag["reason"]
    text = (flag["detail"] + flag["reason"]).lower()
    for word in ("suffer", "disorder", "illness", "unstable", "risk"):
        assert word not in text


# --- age at the session date -----------------------------------------------------------------


def test_under_18_at_the_session_date():
    minor = flags_for(answers(**MINOR), signed_on=TODAY)
    grown_up = flags_for(answers(**MINOR), signed_on=TODAY, on=dt.date(2027, 1, 10))

    flag = flag_of("under_18", minor)
    assert flag["tier"] == Tier.CAUTION
    assert "age 17" in flag["reason"]
    assert "(Gail Guardian)" in flag["reason"]
    assert "must be present" in flag["reason"]
    assert "shortest session" in flag["reason"]
    assert "no essential oils" in flag["reason"]
    assert "a parent or guardian must come with you" in flag["detail"]
    assert "under_18" not in codes(grown_up)


def test_75_and_over_at_the_session_date_or_frail():
    before = flags_for(answers(**TURNS_75), signed_on=TODAY)
    at_75 = flags_for(answers(**TURNS_75), signed_on=TODAY, on=dt.date(2027, 1, 10))
    frail = flags_for(answers(frail=True), signed_on=TODAY)

    assert "older_or_frail" not in codes(before)
    assert flag_of("older_or_frail", at_75)["reason"] == (
        "75 years old on the day: use lighter pressure and offer a shorter session."
    )
    assert flag_of("older_or_frail", frail)["reason"] == (
        "Describes themselves as frail: use lighter pressure and offer a shorter session."
    )
