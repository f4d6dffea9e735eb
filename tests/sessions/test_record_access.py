"""Who may open the session record, sign it, add to it and see the to-do list."""

import pytest
from django.urls import reverse

from sessions.models import SessionRecord
from tests.factories import BookingFactory, SessionRecordFactory
from tests.sessions.record_helpers import NO_OILS, form_data, past_booking
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(practitioner, client_user):
    return past_booking(practitioner, client_user)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("other client", 404),
        ("other practitioner", 404),
        ("client", 403),
        ("staff", 200),
        ("practitioner", 200),
    ],
    indirect=["who"],
)
def test_record_page_access(client, booking, who, status):
    url = reverse("sessions:record", kwargs={"code": booking.code})
    response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["sessions:record-sign", "sessions:record-addendum"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("other client", 404),
        ("other practitioner", 404),
        ("client", 403),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_only_the_practitioner_signs_or_adds_to_a_record(client, booking, name, who, status):
    record = SessionRecordFactory(booking=booking)
    if name == "sessions:record-addendum":
        record = SessionRecordFactory(
            booking=past_booking(booking.practitioner, booking.client, hours_ago=30), signed=True
        )
    response = client.post(
        reverse(name, kwargs={"code": record.booking.code}), {"confirm_sign": "on", "text": "x"}
    )
    assert response.status_code == status
    record.refresh_from_db()
    assert not record.addenda.exists()
    assert record.is_signed == (name == "sessions:record-addendum")


@pytest.mark.parametrize(
    "name", ["sessions:record", "sessions:record-sign", "sessions:record-addendum"]
)
def test_the_record_urls_of_someone_elses_booking_are_not_found(client, other_practitioner, name):
    record = SessionRecordFactory(signed=True)
    client.force_login(other_practitioner.user)
    url = reverse(name, kwargs={"code": record.booking.code})
    response = client.get(url) if name == "sessions:record" else client.post(url, {"text": "x"})
    assert response.status_code == 404


def test_the_client_is_sent_to_their_summary_instead(client, booking, client_user):
    SessionRecordFactory(booking=booking, signed=True, subjective="Private S note")
    client.force_login(client_user)
    response = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Private S note" not in html
    assert reverse("sessions:record-summary", kwargs={"code": booking.code}) in html


def test_the_practitioner_cannot_start_the_record_before_the_session(
    client, practitioner, client_user
):
    booking = BookingFactory(practitioner=practitioner, client=client_user)  # next week
    client.force_login(practitioner.user)
    response = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert response.status_code == 403
    assert "once the session has started" in response.content.decode()
    assert not SessionRecord.objects.exists()


def test_no_record_for_a_cancelled_booking(client, practitioner, client_user):
    booking = past_booking(practitioner, client_user, status="cancelled_by_client")
    client.force_login(practitioner.user)
    response = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert response.status_code == 403
    assert "there is no session to record" in response.content.decode()


def test_staff_read_a_draft_with_its_private_notes_and_overrides(client, staff, practitioner):
    record = SessionRecordFactory(
        booking__practitioner=practitioner,
        booking__flags=[NO_OILS],
        subjective="Sleeping badly",
        medium_details="Lavender",
        oil_override_reason="Client's own unscented-base blend",
    )
    log_in_verified(client, staff)
    response = client.get(reverse("sessions:record", kwargs={"code": record.booking.code}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft, not signed" in html
    assert "Sleeping badly" in html
    assert "Override: oil check</strong> — reason: Client&#x27;s own unscented-base blend" in html
    assert "read-only" in html
    assert 'name="client_summary"' not in html


def test_staff_opening_a_session_without_a_record_does_not_start_one(client, staff, booking):
    log_in_verified(client, staff)
    response = client.get(reverse("sessions:record", kwargs={"code": booking.code}))
    assert response.status_code == 200
    assert "No record has been written" in response.content.decode()
    assert not SessionRecord.objects.exists()


def test_staff_cannot_change_a_record(client, staff, practitioner):
    record = SessionRecordFactory(booking__practitioner=practitioner, client_summary="Original")
    log_in_verified(client, staff)
    url = reverse("sessions:record", kwargs={"code": record.booking.code})
    response = client.post(url, form_data(client_summary="Changed by staff"))
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.client_summary == "Original"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("staff", 403),
        ("practitioner", 200),
    ],
    indirect=["who"],
)
def test_the_to_do_list_is_for_practitioners(client, who, status):
    response = client.get(reverse("sessions:todo"))
    assert response.status_code == status
