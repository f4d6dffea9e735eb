"""A health form in steps is a private draft until the client signs it: a two-week-old
draft never reaches a practitioner or staff, not through IntakeForm.objects.visible_to, the
booking page, the intake page, the client history or the admin. Only signing turns it into
a version."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking, IntakeDraft, IntakeForm
from tests.factories import BookingFactory, IntakeFormFactory, SessionRecordFactory, StaffFactory
from tests.sessions.intake_helpers import answers, fill_in_steps, post_data
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
SECRET = "Draftoxin 5 mg"  # an answer only the draft holds


@pytest.fixture
def draft(client, client_user, practitioner):
    """Cara signed version 1 a month ago and booked Pat; two weeks ago she started
    changing her medication and circulation answers, and never signed."""
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        signed = IntakeFormFactory(client=client_user, version=1, answers=answers())
    with time_machine.travel(NOW - dt.timedelta(days=14), tick=False):
        client.force_login(client_user)
        stopped = fill_in_steps(
            client,
            post_data(signature="", medications=SECRET, heart_condition="True"),
            changed=["circulation", "medication"],
        )
        client.logout()
    assert stopped.steps[-1] == "consent" and stopped.status_code == 400
    draft = IntakeDraft.objects.get(client=client_user)
    assert draft.answers["medications"] == SECRET
    return signed


@pytest.fixture
def booking(client_user, practitioner, draft):
    return BookingFactory(client=client_user, practitioner=practitioner, intake=draft)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_practitioner_reads_only_the_signed_version(practitioner, client_user, booking):
    visible = IntakeForm.objects.visible_to(practitioner.user).filter(client=client_user)

    assert [intake.version for intake in visible] == [1]
    assert all(SECRET not in str(intake.answers) for intake in visible)
    assert visible.get().answers["heart_condition"] is False


def test_a_draft_alone_gives_a_practitioner_nothing(practitioner, other_client, client):
    client.force_login(other_client)
    fill_in_steps(client, post_data(signature="", medications=SECRET))
    BookingFactory(client=other_client, practitioner=practitioner, intake=None)

    assert IntakeDraft.objects.filter(client=other_client).exists()
    assert not IntakeForm.objects.visible_to(practitioner.user).filter(client=other_client)


@pytest.mark.parametrize("viewer", ["practitioner", "staff"])
def test_no_page_a_practitioner_or_staff_opens_shows_the_draft(
    client, practitioner, booking, viewer
):
    SessionRecordFactory(
        signed=True,
        booking__client=booking.client,
        booking__practitioner=practitioner,
        booking__intake=booking.intake,
        booking__starts_at=NOW - dt.timedelta(days=7),
        booking__status=Booking.Status.COMPLETED,
    )
    if viewer == "staff":
        log_in_verified(client, StaffFactory())
    else:
        client.force_login(practitioner.user)
    pages = [
        booking.get_absolute_url(),
        reverse("sessions:intake-detail", kwargs={"code": booking.intake.code})
        + f"?booking={booking.code}",
        reverse("sessions:client-history", kwargs={"booking_code": booking.code}),
    ]
    if viewer == "practitioner":
        pages.append(reverse("sessions:agenda"))

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.text, url
        assert "Heart condition" not in response.text, url  # the draft's unsigned flag


def test_the_draft_is_not_in_the_admin(client, draft):
    log_in_verified(client, StaffFactory(is_superuser=True))

    assert client.get("/admin/reflex_sessions/intakedraft/").status_code == 404
    assert "draft" not in client.get(reverse("admin:index")).text.lower()


def test_the_client_sees_their_own_draft_and_signing_makes_it_a_version(
    client, client_user, practitioner, booking
):
    client.force_login(client_user)
    step = client.get(reverse("sessions:intake-step", kwargs={"step": "medication"}))
    assert SECRET in step.text
    assert "private draft" in client.get(reverse("sessions:intake")).text

    signed = client.post(
        reverse("sessions:intake-step", kwargs={"step": "consent"}),
        post_data(signature="Cara Client"),
    )

    assert signed.status_code == 302
    assert not IntakeDraft.objects.exists()
    latest = client_user.intake_forms.order_by("-version").first()
    assert (latest.version, latest.answers["medications"]) == (2, SECRET)
    assert latest in IntakeForm.objects.visible_to(practitioner.user)
