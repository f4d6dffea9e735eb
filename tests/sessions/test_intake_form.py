import datetime as dt
import json

import pytest

from sessions.forms.intake import ConsentForm
from sessions.forms.intake_questions import IntakeQuestions
from sessions.intake import CONSENT_TEXT_VERSION, answers_from, sign_intake
from tests.factories import IntakeFormFactory, UserFactory
from tests.sessions.intake_helpers import form_data

TODAY = dt.date(2026, 11, 25)


def errors_of(data, today=TODAY):
    form = IntakeQuestions(data, today=today)
    form.is_valid()
    return form


def test_complete_answers_are_valid_and_stored_as_json():
    form = IntakeQuestions(
        form_data(pregnancy="pregnant", due_date="2027-03-14", midwife_aware="True"),
        today=TODAY,
    )

    assert form.is_valid(), form.errors
    answers = answers_from(form.cleaned_data)
    assert answers["date_of_birth"] == "1985-06-15"
    assert answers["due_date"] == "2027-03-14"
    assert answers["midwife_aware"] is True
    assert answers["oil_sensitivity"] is False
    assert answers["goals"] == ["relaxation", "sleep"]
    assert json.loads(json.dumps(answers)) == answers


def test_every_question_is_in_exactly_one_section():
    names = [name for _heading, section in IntakeQuestions.SECTIONS for name in section]

    assert sorted(names) == sorted(IntakeQuestions.base_fields)


def test_goals_are_relaxation_and_wellbeing_not_conditions():
    offered = {key for key, _label in IntakeQuestions.base_fields["goals"].choices}

    assert offered == {"relaxation", "sleep", "tension", "mood", "wellbeing", "other"}
    assert not {"pain", "digestion", "headaches", "anxiety"} & offered
    assert "pain_rating" not in IntakeQuestions.base_fields


def test_pregnancy_details_are_dropped_when_not_pregnant():
    form = IntakeQuestions(
        form_data(pregnancy="trying", pregnancy_weeks="12", pregnancy_complications=["bleeding"]),
        today=TODAY,
    )

    assert form.is_valid(), form.errors
    answers = answers_from(form.cleaned_data)
    assert answers["pregnancy_weeks"] is None
    assert answers["pregnancy_complications"] == []


@pytest.mark.parametrize(
    ("overrides", "field", "code", "words"),
    [
        (
            {"pregnancy": "pregnant", "midwife_aware": "True", "due_date": "2026-11-01"},
            "due_date",
            "due_date_past",
            "Your due date is in the past",
        ),
        (
            {"pregnancy": "pregnant", "midwife_aware": "True", "due_date": "2028-01-10"},
            "due_date",
            "due_date_too_far",
            "more than 42 weeks away",
        ),
        (
            {"pregnancy": "pregnant", "midwife_aware": "True", "pregnancy_weeks": "43"},
            "pregnancy_weeks",
            "max_value",
            "from 1 to 42",
        ),
        (
            {"pregnancy": "pregnant", "midwife_aware": "True", "pregnancy_weeks": "0"},
            "pregnancy_weeks",
            "min_value",
            "from 1 to 42",
        ),
        (
            {"pregnancy": "pregnant", "midwife_aware": "True"},
            "pregnancy_weeks",
            "pregnancy_weeks_or_due_date_required",
            "how many weeks, or your due date",
        ),
        (
            {"pregnancy": "pregnant", "pregnancy_weeks": "20"},
            "midwife_aware",
            "midwife_aware_required",
            "midwife or doctor knows",
        ),
        (
            {"date_of_birth": "2027-01-01"},
            "date_of_birth",
            "born_in_future",
            "cannot be in the future",
        ),
        (
            {"date_of_birth": "1890-01-01"},
            "date_of_birth",
            "born_too_long_ago",
            "more than 120 years ago",
        ),
        (
            {"date_of_birth": "2012-05-01", "guardian_consent": "on"},
            "guardian_name",
            "guardian_name_required",
            "You are under 18",
        ),
        (
            {"date_of_birth": "2012-05-01", "guardian_name": "Gina Guardian"},
            "guardian_consent",
            "guardian_consent_required",
            "parent or guardian must tick",
        ),
        ({"goals": ["pain"]}, "goals", "invalid_choice", "not one of the available choices"),
        ({"goals": ["other"]}, "goals_other", "goals_other_required", "say what you would"),
        ({"goals": []}, "goals", "required", "Tick at least one"),
        (
            {"oil_sensitivity": "True"},
            "oil_sensitivity_details",
            "oil_details_required",
            "which oils",
        ),
        (
            {"cancer": "current"},
            "cancer_treatment",
            "cancer_treatment_required",
            "having cancer treatment",
        ),
        (
            {"injury": ["left_foot"], "injury_zones": ["foot:ankle"]},
            "injury_details",
            "injury_details_required",
            "what the fracture",
        ),
        ({"epilepsy": ""}, "epilepsy", "required", "Answer yes or no"),
        (
            {"foot_ulcers": "True"},
            "foot_ulcers_where",
            "foot_ulcers_where_required",
            "where the ulcers are",
        ),
        (
            {"recent_surgery": "True"},
            "surgery_details",
            "surgery_details_required",
            "what the surgery was",
        ),
        ({"phlebitis": ""}, "phlebitis", "required", "Answer yes or no"),
        ({"leg_swelling": ""}, "leg_swelling", "required", "Answer yes or no"),
        ({"chest_pain": ""}, "chest_pain", "required", "Answer yes or no"),
        ({"lymph_nodes_removed": ""}, "lymph_nodes_removed", "required", "Answer yes or no"),
        ({"unexplained_pain_or_lump": ""}, "unexplained_pain_or_lump", "required", "yes or no"),
        ({"osteoporosis": ""}, "osteoporosis", "required", "Answer yes or no"),
        ({"stones": ""}, "stones", "required", "Answer yes or no"),
        ({"mental_health": ""}, "mental_health", "required", "Answer yes or no"),
        ({"frail": ""}, "frail", "required", "Answer yes or no"),
    ],
)
def test_bad_or_missing_answers_are_refused_with_a_specific_message(overrides, field, code, words):
    form = errors_of(form_data(**overrides))

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()
    assert words in " ".join(form.errors[field])
    assert list(form.errors) == [field]


def test_a_client_who_turns_18_today_needs_no_guardian():
    form = errors_of(form_data(date_of_birth="2008-11-25"))

    assert form.is_valid(), form.errors


def test_a_minor_with_guardian_name_and_consent_is_valid():
    form = errors_of(
        form_data(date_of_birth="2012-05-01", guardian_name="Gina Guardian", guardian_consent="on")
    )

    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Cara Client", "  cara   CLIENT ", "CARA client"])
def test_signature_matches_the_account_name_ignoring_case_and_spaces(typed):
    user = UserFactory(full_name="Cara  Client")
    form = ConsentForm(
        {
            "consent_complementary": "on",
            "consent_after_effects": "on",
            "consent_truthful": "on",
            "consent_cancellation": "on",
            "signature": typed,
        },
        user=user,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["physician_contact_allowed"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("", "required", "Sign by typing your full name"),
        ("   ", "required", "Sign by typing your full name"),
        ("Carla Client", "signature_mismatch", "must be your full name as on your account"),
    ],
)
def test_empty_or_wrong_signature_is_refused(typed, code, words):
    user = UserFactory(full_name="Cara Client")
    form = ConsentForm(
        {
            "consent_complementary": "on",
            "consent_after_effects": "on",
            "consent_truthful": "on",
            "consent_cancellation": "on",
            "signature": typed,
        },
        user=user,
    )

    assert not form.is_valid()
    assert form.has_error("signature", code)
    assert words in form.errors["signature"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing",
    [
        "consent_complementary",
        "consent_after_effects",
        "consent_truthful",
        "consent_cancellation",
    ],
)
def test_each_consent_statement_must_be_ticked(missing):
    user = UserFactory(full_name="Cara Client")
    data = {
        "consent_complementary": "on",
        "consent_after_effects": "on",
        "consent_truthful": "on",
        "consent_cancellation": "on",
        "signature": "Cara Client",
    }
    del data[missing]

    form = ConsentForm(data, user=user)

    assert not form.is_valid()
    assert list(form.errors) == [missing]
    assert "Tick this box" in form.errors[missing][0]


@pytest.mark.django_db
def test_consent_names_the_after_effects_and_what_may_be_used_on_the_skin():
    form = ConsentForm(user=UserFactory(full_name="Cara Client"))
    html = form.fields["consent_after_effects"].label

    assert CONSENT_TEXT_VERSION == "2026-12"
    for words in ("tired", "emotional release", "pass urine more often", "up to 48 hours"):
        assert words in html
    for product in ("oils", "balms or creams", "powder", "I can ask for none"):
        assert product in html
    assert "unwell is never counted as late" in form.fields["consent_cancellation"].label


@pytest.mark.django_db
def test_an_intake_signed_on_the_earlier_consent_keeps_its_version(client_user):
    old = IntakeFormFactory(client=client_user, version=1, consent_text_version="2026-11")

    new = sign_intake(
        client=client_user,
        answers=old.answers,
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )

    old.refresh_from_db()
    assert (old.consent_text_version, new.consent_text_version) == ("2026-11", "2026-12")


def test_the_new_questions_store_their_answers():
    form = errors_of(
        form_data(
            pregnancy="ivf_cycle",
            foot_ulcers="True",
            foot_ulcers_where="Left heel",
            recent_surgery="True",
            surgery_details="Knee, 2 weeks ago",
            mental_health="True",
            frail="True",
        )
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["pregnancy"] == "ivf_cycle"
    assert form.cleaned_data["foot_ulcers_where"] == "Left heel"
    assert form.cleaned_data["frail"] is True
