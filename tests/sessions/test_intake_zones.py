"""The health form asks where on a foot or hand an area to avoid is (verruca, athlete's foot,
wounds, injuries, varicose veins, recent surgery): the parts are stored in the answers and
named by the flag."""

import re

import pytest

from sessions.forms.intake_questions import IntakeQuestions
from sessions.intake import answers_from, display_value
from sessions.models import IntakeForm
from sessions.safety import flags_for
from tests.sessions.intake_helpers import fill_in_steps, form_data, post_data


def test_a_left_heel_verruca_is_stored_and_named_by_its_flag():
    form = IntakeQuestions(form_data(verruca=["left_foot"], verruca_zones=["foot:heel"]))

    assert form.is_valid(), form.errors
    answers = answers_from(form.cleaned_data)
    assert answers["verruca"] == ["left_foot"]
    assert answers["verruca_zones"] == ["foot:heel"]
    (flag,) = [f for f in flags_for(answers, signed_on=form.today) if f["code"] == "verruca"]
    assert flag["area"] == "Left heel"
    assert flag["places"] == [{"map": "foot", "side": "L", "part": "heel"}]


def test_a_foot_and_a_hand_each_get_their_own_part():
    form = IntakeQuestions(
        form_data(
            injury=["right_foot", "left_hand"],
            injury_zones=["foot:ankle", "hand:wrist"],
            injury_details="Sprains, October",
        )
    )

    assert form.is_valid(), form.errors
    (flag,) = [
        f
        for f in flags_for(answers_from(form.cleaned_data), signed_on=form.today)
        if f["code"] == "injury"
    ]
    assert flag["area"] == "Right ankle, left wrist"


@pytest.mark.parametrize(
    ("overrides", "code", "words"),
    [
        (
            {"verruca": ["left_foot"]},
            "zone_required",
            "You ticked a foot: tick where on it, or “The whole foot, or not sure”.",
        ),
        (
            {"wound": ["left_foot", "right_hand"], "wound_zones": ["foot:toes"]},
            "zone_required",
            "You ticked a hand: tick where on it",
        ),
        (
            {"athletes_foot_zones": ["foot:toes"]},
            "zone_without_place",
            "You ticked a part of a foot but no foot above",
        ),
        ({"verruca": ["left_foot"], "verruca_zones": ["foot:knee"]}, "invalid_choice", "list"),
    ],
)
def test_a_missing_or_stray_part_is_refused_with_a_specific_message(overrides, code, words):
    field = (
        next(name for name in overrides if name.endswith("_zones"))
        if any(name.endswith("_zones") for name in overrides)
        else next(iter(overrides)) + "_zones"
    )
    form = IntakeQuestions(form_data(**overrides))

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()
    assert words in " ".join(form.errors[field])
    assert list(form.errors) == [field]


def test_varicose_veins_and_recent_surgery_ask_where_and_their_flags_name_it():
    form = IntakeQuestions(
        form_data(
            varicose_veins="True",
            varicose_veins_locations=["left_foot"],
            varicose_veins_zones=["foot:ankle", "foot:top"],
            recent_surgery="True",
            surgery_details="Bunion, 3 weeks ago",
            recent_surgery_locations=["right_foot"],
            recent_surgery_zones=["foot:toes"],
        )
    )

    assert form.is_valid(), form.errors
    answers = answers_from(form.cleaned_data)
    assert answers["varicose_veins_zones"] == ["foot:ankle", "foot:top"]
    by_code = {f["code"]: f for f in flags_for(answers, signed_on=form.today)}
    assert by_code["varicose_veins_area"]["area"] == "Left ankle, top of the left foot"
    assert by_code["varicose_veins_area"]["tier"] == "avoid"
    assert by_code["recent_surgery_area"]["places"] == [
        {"map": "foot", "side": "R", "part": "toes"}
    ]
    # The clearance and caution they raised before stay.
    assert by_code["recent_surgery"]["tier"] == "clearance"
    assert by_code["varicose_veins"]["tier"] == "caution"


@pytest.mark.parametrize(
    ("overrides", "field", "code", "words"),
    [
        (
            {"varicose_veins": "True", "varicose_veins_locations": ["right_foot"]},
            "varicose_veins_zones",
            "zone_required",
            "You ticked a foot: tick where on it",
        ),
        (
            {"recent_surgery_zones": ["hand:wrist"]},
            "recent_surgery_zones",
            "zone_without_place",
            "You ticked a part of a hand but no hand above",
        ),
        (
            {
                "recent_surgery": "False",
                "recent_surgery_locations": ["left_foot"],
                "recent_surgery_zones": ["foot:heel"],
            },
            "recent_surgery_locations",
            "located_without_yes",
            "You answered no just above",
        ),
    ],
)
def test_the_surgery_and_veins_places_are_checked_like_the_others(overrides, field, code, words):
    form = IntakeQuestions(form_data(**overrides))

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()
    assert words in " ".join(form.errors[field])
    assert list(form.errors) == [field]


def test_the_circulation_step_asks_where_the_varicose_veins_are(client, client_user):
    client.force_login(client_user)
    data = post_data(
        varicose_veins="True",
        varicose_veins_locations=["left_foot"],
        varicose_veins_zones=["foot:ankle"],
    )

    response = fill_in_steps(client, data)

    assert response.status_code == 302, response.steps
    intake = IntakeForm.objects.get(client=client_user)
    assert intake.answers["varicose_veins_locations"] == ["left_foot"]
    assert [f["area"] for f in intake.flags if f["code"] == "varicose_veins_area"] == ["Left ankle"]


def test_the_whole_foot_is_a_choice_for_a_client_who_is_not_sure():
    form = IntakeQuestions(form_data(verruca=["right_foot"], verruca_zones=["foot:whole"]))

    assert form.is_valid(), form.errors
    (flag,) = [
        f
        for f in flags_for(answers_from(form.cleaned_data), signed_on=form.today)
        if f["code"] == "verruca"
    ]
    assert flag["area"] == "Right foot"


def test_parts_read_back_in_words():
    assert display_value("verruca_zones", ["foot:heel", "hand:wrist"]) == "Heel, Wrist"


def test_the_feet_step_asks_where_and_signing_keeps_the_parts(client, client_user):
    client.force_login(client_user)
    data = post_data(verruca=["left_foot"], verruca_zones=["foot:heel"])

    response = fill_in_steps(client, data)

    assert response.status_code == 302, response.steps
    assert "feet" in response.steps
    intake = IntakeForm.objects.get(client=client_user)
    assert intake.answers["verruca_zones"] == ["foot:heel"]
    assert [f["area"] for f in intake.flags if f["code"] == "verruca"] == ["Left heel"]


def test_the_feet_step_refuses_a_foot_without_a_part_and_keeps_the_answer(client, client_user):
    client.force_login(client_user)
    data = post_data(verruca=["left_foot"])

    response = fill_in_steps(client, data)

    assert response.status_code == 400
    assert response.steps[-1] == "feet"
    page = response.text
    assert "You ticked a foot: tick where on it" in page
    assert "Where is the verruca?" in page
    assert 'value="foot:heel"' in page
    assert "The whole foot, or not sure" in page
    assert re.search(r'<input[^>]*name="verruca" value="left_foot"[^>]*checked', page)
    assert not IntakeForm.objects.exists()
