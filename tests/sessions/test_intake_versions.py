import datetime as dt

import pytest

from sessions.forms.intake_questions import IntakeQuestions
from sessions.intake import (
    changed_answers,
    display_value,
    needs_review,
    readable_answers,
    sign_intake,
)
from tests.factories import IntakeFormFactory
from tests.sessions.intake_helpers import answers


def test_changed_answers_lists_the_questions_that_differ():
    old = answers()
    new = answers(epilepsy=True, medications="Lamotrigine", verruca=["left_foot"])

    assert changed_answers(old, new) == {"epilepsy", "medications", "verruca"}


def test_changed_answers_ignores_tick_order_and_empty_versus_missing():
    old = {"goals": ["sleep", "relaxation"], "pain_site": None}
    new = {"goals": ["relaxation", "sleep"], "pain_site": "", "goals_other": []}

    assert changed_answers(old, new) == set()


def test_changed_answers_sees_a_new_question_answered():
    assert changed_answers({}, {"no_touch_areas": "Left toe"}) == {"no_touch_areas"}


def test_changed_answers_tells_false_from_unanswered():
    assert changed_answers({"midwife_aware": None}, {"midwife_aware": False}) == {"midwife_aware"}


def test_readable_answers_mark_changes_with_the_earlier_answer():
    sections = readable_answers(answers(pressure="firm"), previous=answers())

    rows = {row.name: row for _heading, section in sections for row in section}
    assert rows["pressure"].changed
    assert rows["pressure"].value == "Firm"
    assert rows["pressure"].previous == "Medium"
    assert not rows["phone"].changed
    assert [heading for heading, _rows in sections][:3] == [
        "About you",
        "Your goals",
        "Pregnancy",
    ]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("epilepsy", True, "Yes"),
        ("epilepsy", False, "No"),
        ("verruca", ["left_foot", "right_hand"], "Left foot, Right hand"),
        ("date_of_birth", "1985-06-15", "15 June 1985"),
        ("pregnancy", "trying", "Trying to conceive"),
        ("goals", ["tension", "mood", "wellbeing"], "Easing tension, Mood, General wellbeing"),
        ("pain_rating", 7, "7"),
        ("goals_other", "", "—"),
        ("midwife_aware", None, "—"),
    ],
)
def test_answers_read_in_words(name, value, words):
    assert display_value(name, value) == words


@pytest.mark.django_db
def test_signing_numbers_versions_and_stores_the_flags(client_user):
    first = sign_intake(
        client=client_user,
        answers=answers(blood_thinners=True),
        signed_name="Cara Client",
        signed_ip="198.51.100.4",
        physician_contact_allowed=False,
    )
    second = sign_intake(
        client=client_user,
        answers=answers(),
        signed_name="Cara  Client",
        signed_ip=None,
        physician_contact_allowed=True,
    )

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert [flag["code"] for flag in first.flags] == ["blood_thinners"]
    assert second.flags == []
    assert first.answers["blood_thinners"] is True  # the old version is untouched
    assert second.signed_name == "Cara Client"
    assert second.signed_ip is None


@pytest.mark.django_db
def test_versions_are_numbered_per_client(client_user, other_client):
    IntakeFormFactory(client=other_client, version=7)

    signed = sign_intake(
        client=client_user,
        answers=answers(),
        signed_name="Cara Client",
        signed_ip=None,
        physician_contact_allowed=False,
    )

    assert signed.version == 1


@pytest.mark.django_db
def test_an_intake_needs_review_after_12_months(client_user):
    signed = dt.datetime(2025, 11, 24, 12, tzinfo=dt.UTC)
    intake = IntakeFormFactory(client=client_user, signed_at=signed)

    assert not needs_review(intake, now=signed + dt.timedelta(days=364))
    assert needs_review(intake, now=signed + dt.timedelta(days=366))
    assert not needs_review(None)


def test_readable_answers_leave_out_unanswered_questions_unless_they_changed():
    sections = readable_answers(answers(), previous=answers(goals_other="Sleep better"))

    names = {row.name for _heading, section in sections for row in section}
    assert "pain_site" not in names
    assert "guardian_consent" not in names
    assert "goals_other" in names


def test_an_earlier_versions_goals_and_pain_answers_still_read_in_words():
    # Signed before goals became relaxation and wellbeing: the old keys are kept as stored.
    old = answers(goals=["pain", "digestion", "stress", "sleep"], pain_site="Lower back")
    old["pain_rating"] = 6

    sections = dict(readable_answers(old))

    rows = {row.name: row for row in sections["Your goals"]}
    assert rows["goals"].value == "Pain, Digestion, Stress, Rest and sleep"
    assert rows["pain_site"].label == "If pain: where is it?"
    assert rows["pain_site"].value == "Lower back"
    assert rows["pain_rating"].value == "6"


def test_the_form_does_not_ask_unwell_right_now_which_each_booking_asks_fresh():
    # A form can be up to 12 months old: "unwell right now?" is asked when booking instead
    # (sessions.safety.ASKED_EACH_SESSION), so the form neither asks it nor flags it.
    assert "acute_illness" not in IntakeQuestions.base_fields
    assert "acute_illness" not in {name for _h, names in IntakeQuestions.SECTIONS for name in names}

    old = answers(acute_illness=True, acute_illness_details="Flu in March")
    rows = {row.name: row for _h, section in readable_answers(old) for row in section}
    assert rows["acute_illness"].label.startswith("Do you have a fever")
    assert rows["acute_illness"].value == "Yes"
    assert rows["acute_illness_details"].value == "Flu in March"
