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
from tests.sessions.intake_helpers import answers, fill_in_steps, post_data

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
