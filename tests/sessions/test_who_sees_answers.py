"""The health form, the pre-session check and the 48-hour check-in say the same about what
reaches the practitioner: one sentence, from one include."""

import pytest
from django.urls import reverse

from sessions.models import Booking
from tests.factories import BookingFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

WHO_SEES = (
    "The practitioners you book see your answers and notes while a booking with them needs "
    "them, and so can reflexbook staff who check the platform. Every time someone other than "
    "you reads them, it is recorded and shown to you."
)


@pytest.fixture
def pages(client_user, practitioner, intake):
    upcoming = BookingFactory(client=client_user, practitioner=practitioner)
    record = SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__status=Booking.Status.COMPLETED,
    )
    return {
        "health form": reverse("sessions:intake-edit"),
        "your health form": reverse("sessions:intake"),
        "pre-session check": reverse("sessions:check-in", kwargs={"code": upcoming.code}),
        "48-hour check-in": reverse("sessions:checkin", kwargs={"code": record.booking.code}),
    }


@pytest.mark.parametrize(
    "page", ["health form", "your health form", "pre-session check", "48-hour check-in"]
)
def test_each_page_says_the_same_about_who_sees_the_answers(client, client_user, pages, page):
    client.force_login(client_user)
    response = client.get(pages[page])
    assert response.status_code == 200
    assert WHO_SEES in response.text
    assert "sessions/includes/who_sees_answers.html" in [t.name for t in response.templates]
    assert reverse("sessions:intake-access") in response.text


def test_the_check_in_says_it_again_once_answered(client, client_user, pages):
    client.force_login(client_user)
    answers = {"sleep": "better", "energy": "same", "reaction": "none", "notes": ""}
    client.post(pages["48-hour check-in"], answers)
    response = client.get(pages["48-hour check-in"])
    assert "Your answers" in response.text
    assert WHO_SEES in response.text
