"""The health form in steps: about you, pregnancy (only for those who may be pregnant, its
follow-ups only once "pregnant" is answered), oils and skin, conditions and medication,
consent; each step saved to a private draft, answers kept on error, `next` kept throughout;
returning clients confirm nothing changed or are asked only the parts that changed."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from sessions.forms.intake_questions import STEPS, IntakeQuestions
from sessions.models import IntakeDraft, IntakeForm
from tests.factories import IntakeFormFactory
from tests.sessions.intake_helpers import CONSENT, answers, fill_in_steps, post_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False),
]

EDIT = reverse("sessions:intake-edit")
REVIEW = "/book/pat/1/20261130T1800Z/"


def step_url(slug: str, next_url: str = "") -> str:
    url = reverse("sessions:intake-step", kwargs={"step": slug})
    return f"{url}?next={next_url.replace('/', '%2F')}" if next_url else url


@pytest.fixture
def logged_in(client, client_user):
    client.force_login(client_user)
    return client


def test_every_section_of_the_form_is_asked_on_exactly_one_step():
    asked = [name for step in STEPS for name in step.fields]

    assert sorted(asked) == sorted(IntakeQuestions.base_fields)
    assert len(asked) == len(set(asked))
    assert [step.stage for step in STEPS] == [
        "About you",
        "Pregnancy",
        "Skin, oils and allergies",
        "Skin, oils and allergies",
        "Conditions and medication",
        "Conditions and medication",
        "Conditions and medication",
        "Consent and signature",
    ]


def test_a_pregnant_client_fills_in_the_steps_in_order_and_signs_version_1(logged_in, client_user):
    data = post_data(
        pregnancy="pregnant",
        pregnancy_weeks="20",
        midwife_aware="True",
        oil_sensitivity="True",
        oil_sensitivity_details="Lavender: rash",
    )

    start = logged_in.get(f"{EDIT}?next={REVIEW}")
    assert start.status_code == 302
    assert start["Location"] == step_url("about-you", REVIEW)
    first = logged_in.get(start["Location"])
    assert first.status_code == 200
    assert "Step 1 of 8" in first.text
    assert f'name="next" value="{REVIEW}"' in first.text
    assert "Could you be pregnant, or are you trying for a baby?" in first.text
    assert "Are you pregnant?" not in first.text  # the pregnancy step asks that

    response = logged_in.post(step_url("about-you", REVIEW), data)
    assert response["Location"] == step_url("pregnancy", REVIEW)
    page = logged_in.get(response["Location"])
    assert "Step 2 of 8" in page.text
    assert "Are you pregnant?" in page.text
    assert "If pregnant: how many weeks?" not in page.text  # only once "pregnant" is answered

    response = logged_in.post(step_url("pregnancy", REVIEW), {"pregnancy": "pregnant"})
    assert response["Location"] == step_url("pregnancy", REVIEW)  # the follow-ups, same step
    page = logged_in.get(response["Location"])
    assert "If pregnant: how many weeks?" in page.text
    assert re.search(r'name="pregnancy" value="pregnant"[^>]*checked', page.text)

    response = fill_in_steps(logged_in, data, next_url=REVIEW)

    assert response.steps == [
        "pregnancy",
        "oils",
        "feet",
        "circulation",
        "conditions",
        "medication",
        "consent",
    ]
    assert response.status_code == 302
    assert response["Location"] == REVIEW
    intake = IntakeForm.objects.get(client=client_user)
    assert intake.version == 1
    assert intake.answers == answers(
        pregnancy="pregnant",
        pregnancy_weeks=20,
        midwife_aware=True,
        oil_sensitivity=True,
        oil_sensitivity_details="Lavender: rash",
    )
    assert {flag["code"] for flag in intake.flags} >= {"avoid_oils"}
    assert not IntakeDraft.objects.exists()  # signing ends the draft


def test_a_client_who_cannot_be_pregnant_is_not_asked_about_pregnancy(logged_in, client_user):
    response = logged_in.post(
        step_url("about-you"), post_data(may_be_pregnant="False", pregnancy="")
    )

    assert response["Location"] == step_url("oils")
    assert "Step 2 of 7" in logged_in.get(step_url("oils")).text
    assert logged_in.get(step_url("pregnancy"))["Location"] == step_url("oils")
    signed = fill_in_steps(logged_in, post_data(may_be_pregnant="False", pregnancy=""))
    assert "pregnancy" not in signed.steps
    assert IntakeForm.objects.get().answers["pregnancy"] == "not_pregnant"


def test_steps_are_answered_in_order(logged_in):
    assert logged_in.get(step_url("consent"))["Location"] == step_url("about-you")
    logged_in.post(step_url("about-you"), post_data())

    assert logged_in.get(step_url("feet", REVIEW))["Location"] == step_url("pregnancy", REVIEW)
    assert logged_in.post(step_url("consent"), post_data()).status_code == 302
    assert not IntakeForm.objects.exists()
    assert logged_in.get(step_url("about-you")).status_code == 200  # going back is fine
    assert logged_in.get(step_url("no-such-step")).status_code == 404


def test_changing_could_be_pregnant_asks_the_pregnancy_step_again(logged_in):
    logged_in.post(step_url("about-you"), post_data(may_be_pregnant="False"))
    logged_in.post(step_url("oils"), post_data())

    response = logged_in.post(step_url("about-you"), post_data(may_be_pregnant="True"))

    assert response["Location"] == step_url("pregnancy")
    draft = IntakeDraft.objects.get()
    assert draft.done == ["about-you", "oils"]
    assert "Step 2 of 8" in logged_in.get(step_url("pregnancy")).text


def test_choosing_not_pregnant_after_the_follow_ups_drops_them(logged_in):
    logged_in.post(step_url("about-you"), post_data())
    logged_in.post(step_url("pregnancy"), {"pregnancy": "pregnant"})
    logged_in.post(
        step_url("pregnancy"),
        {"pregnancy": "pregnant", "pregnancy_weeks": "12", "midwife_aware": "True"},
    )
    assert IntakeDraft.objects.get().answers["pregnancy_weeks"] == 12

    response = logged_in.post(step_url("pregnancy"), {"pregnancy": "trying"})

    assert response["Location"] == step_url("oils")
    draft = IntakeDraft.objects.get()
    assert (draft.answers["pregnancy"], draft.answers["pregnancy_weeks"]) == ("trying", None)


def test_a_returning_client_is_asked_only_the_parts_that_changed(logged_in, client_user):
    first = IntakeFormFactory(client=client_user, version=1, answers=answers())

    page = logged_in.get(f"{EDIT}?next={REVIEW}")
    assert page.status_code == 200
    assert "Has anything changed?" in page.text
    assert "Confirm nothing has changed" in page.text
    assert reverse("sessions:intake-confirm") in page.text

    response = fill_in_steps(
        logged_in, post_data(dvt_past="True"), changed=["circulation"], next_url=REVIEW
    )

    assert response.steps == ["circulation", "consent"]
    assert response["Location"] == REVIEW
    second = client_user.intake_forms.get(version=2)
    assert second.answers == {**first.answers, "dvt_past": True}
    assert [flag["code"] for flag in second.flags] == ["clot_history"]


def test_the_changed_step_shows_its_progress_among_the_steps_asked(logged_in, client_user):
    IntakeFormFactory(client=client_user, answers=answers())

    response = logged_in.post(EDIT, {"steps": ["feet"]}, follow=True)

    assert "Step 1 of 2" in response.text
    assert "Feet and hands" in response.text
    assert logged_in.post(EDIT, {}).status_code == 400  # nothing ticked


def test_an_out_of_date_pregnancy_cannot_be_confirmed_and_is_asked_again(logged_in, client_user):
    IntakeFormFactory(
        client=client_user,
        version=1,
        answers=answers(pregnancy="pregnant", pregnancy_weeks=10, midwife_aware=True),
        signed_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
    )

    page = logged_in.get(EDIT)
    assert "Confirm nothing has changed" not in page.text
    assert "please update the pregnancy part" in page.text

    response = fill_in_steps(
        logged_in, post_data(pregnancy="not_pregnant"), changed=["circulation"]
    )

    assert response.steps == ["pregnancy", "circulation", "consent"]
    assert client_user.intake_forms.get(version=2).answers["pregnancy_weeks"] is None


def test_a_returning_client_may_go_on_with_a_saved_draft(logged_in, client_user):
    IntakeFormFactory(client=client_user, answers=answers())
    logged_in.post(EDIT, {"steps": ["feet", "medication"]})
    logged_in.post(step_url("feet"), post_data())

    page = logged_in.get(EDIT)

    assert "go on where you left off" in page.text
    assert step_url("medication") in page.text


def test_a_step_without_a_draft_sends_a_returning_client_to_choose(logged_in, client_user):
    IntakeFormFactory(client=client_user, answers=answers())

    response = logged_in.get(step_url("oils", REVIEW))

    assert response["Location"] == f"{EDIT}?next={REVIEW.replace('/', '%2F')}"


def test_confirming_nothing_changed_ends_a_draft(logged_in, client_user):
    IntakeFormFactory(
        client=client_user, answers=answers(), signed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    logged_in.post(EDIT, {"steps": ["feet"]})

    response = logged_in.post(
        reverse("sessions:intake-confirm"), {**CONSENT, "signature": "Cara Client"}
    )

    assert response.status_code == 302
    assert client_user.intake_forms.count() == 2
    assert not IntakeDraft.objects.exists()
