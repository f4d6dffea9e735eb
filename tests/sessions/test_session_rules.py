"""The rules over what a client reports for one session (sessions.safety.SESSION_RULES) and
how one session's answers are put together (safety.for_session): each rule both ways."""

import datetime as dt

import pytest

from sessions.safety import (
    RULES_BY_CODE,
    SESSION_CHANGE_DETAILS,
    SESSION_CHANGES,
    SESSION_RULES,
    STRONG_REACTION,
    Tier,
    flags_for,
    for_session,
)
from tests.sessions.intake_helpers import answers

TODAY = dt.date(2026, 11, 25)

# For every session rule: the session answers that raise it, and its tier.
SESSION_TRIGGERS = {
    "reported_illness": ({SESSION_CHANGES: ["new_illness"]}, Tier.POSTPONE),
    "reported_injury": ({SESSION_CHANGES: ["new_injury"]}, Tier.POSTPONE),
    "reported_pregnancy_change": ({SESSION_CHANGES: ["pregnancy_change"]}, Tier.POSTPONE),
    "reported_pregnancy_bleeding_or_pain": (
        {SESSION_CHANGES: ["pregnancy_bleeding_or_pain"]},
        Tier.POSTPONE,
    ),
    "reported_chest_or_leg": ({SESSION_CHANGES: ["chest_or_leg"]}, Tier.POSTPONE),
    "alcohol_or_drugs_today": ({SESSION_CHANGES: ["alcohol_or_drugs"]}, Tier.POSTPONE),
    "strong_reaction": ({STRONG_REACTION: True}, Tier.POSTPONE),
    "reported_medication": ({SESSION_CHANGES: ["new_medication"]}, Tier.CAUTION),
    "reported_other_change": ({SESSION_CHANGES: ["other"]}, Tier.CAUTION),
}


def codes(flags):
    return {flag["code"] for flag in flags}


def test_every_session_rule_has_a_triggering_example():
    assert set(SESSION_TRIGGERS) == {rule.code for rule in SESSION_RULES}


@pytest.mark.parametrize("code", list(SESSION_TRIGGERS))
def test_session_rule_raises_its_flag_with_its_tier(code):
    session, tier = SESSION_TRIGGERS[code]
    flags = flags_for(answers(**session), signed_on=TODAY)
    flag = next(flag for flag in flags if flag["code"] == code)
    assert flag["tier"] == tier == RULES_BY_CODE[code].tier
    assert flag["detail"].startswith("You told us ")
    assert flag["reason"]


@pytest.mark.parametrize("code", list(SESSION_TRIGGERS))
def test_session_rule_is_not_raised_by_other_choices_or_nothing(code):
    others = [
        choice
        for choice in ("new_illness", "new_injury", "new_medication", "other")
        if choice not in SESSION_TRIGGERS[code][0].get(SESSION_CHANGES, [])
    ]
    assert code not in codes(flags_for(answers(), signed_on=TODAY))
    assert code not in codes(flags_for(answers(**{SESSION_CHANGES: []}), signed_on=TODAY))
    if code != "strong_reaction":
        assert code not in codes(
            flags_for(answers(**{SESSION_CHANGES: others[:1]}), signed_on=TODAY)
        )
    else:
        assert code not in codes(flags_for(answers(**{STRONG_REACTION: False}), signed_on=TODAY))


def test_details_alone_raise_nothing_but_show_in_the_reason():
    alone = answers(**{SESSION_CHANGE_DETAILS: "Started warfarin; fever; broke a toe"})
    assert flags_for(alone, signed_on=TODAY) == []
    with_choice = answers(
        **{SESSION_CHANGES: ["new_medication"], SESSION_CHANGE_DETAILS: "Started warfarin"}
    )
    (flag,) = flags_for(with_choice, signed_on=TODAY)
    assert "Started warfarin" in flag["reason"]
    assert "ask about it before you start" in flag["reason"]


def test_a_session_is_scored_without_the_forms_illness_answer_and_with_its_own():
    form = answers(acute_illness=True, acute_illness_details="Flu in March")

    session = for_session(form, {}, strong_reaction=False)
    assert "acute_illness" not in codes(flags_for(session, signed_on=TODAY))

    unwell = for_session(
        form, {"acute_illness": True, "acute_illness_details": "Cold"}, strong_reaction=False
    )
    (flag,) = flags_for(unwell, signed_on=TODAY)
    assert (flag["code"], flag["tier"]) == ("acute_illness", Tier.POSTPONE)
    assert "Cold" in flag["reason"] and "March" not in flag["reason"]


def test_a_session_keeps_the_forms_other_answers_and_adds_a_waiting_reaction():
    form = answers(dvt_current=True)
    flags = flags_for(for_session(form, {}, strong_reaction=True), signed_on=TODAY)
    assert codes(flags) == {"current_clot", "strong_reaction"}
