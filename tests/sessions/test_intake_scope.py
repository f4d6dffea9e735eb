"""Issue 10, item 1: a practitioner reads only the intake versions their bookings need (the
version pinned to an active booking, or to a completed one inside the retention period, and
the client's latest version while they have such a booking), and only those versions'
clearance notes. A cancelled or declined booking opens nothing, not even later versions."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions.models import IntakeAccess, IntakeForm
from tests.factories import (
    BookingFactory,
    ClearanceNoteFactory,
    IntakeFormFactory,
    PreSessionCheckFactory,
)
from tests.two_factor import log_in_as

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def intake_url(intake):
    return reverse("sessions:intake-detail", kwargs={"code": intake.code})


def note_url(note):
    return reverse("sessions:intake-note-file", kwargs={"code": note.code})


@pytest.fixture
def first(client_user):
    return IntakeFormFactory(client=client_user, version=1)


def booking_with(client_user, practitioner, intake, status, **kwargs):
    return BookingFactory(
        client=client_user, practitioner=practitioner, intake=intake, status=status, **kwargs
    )


@pytest.mark.parametrize("status", ["cancelled_by_client", "cancelled_by_practitioner", "declined"])
def test_a_practitioner_whose_only_booking_ended_unused_gets_404_on_every_version_and_note(
    client, client_user, practitioner, first, status
):
    booking_with(client_user, practitioner, first, status)
    first_note = ClearanceNoteFactory(intake=first)
    # Added after the booking ended: never the practitioner's to read.
    later = IntakeFormFactory(client=client_user, version=2)
    later_note = ClearanceNoteFactory(intake=later)
    client.force_login(practitioner.user)

    for url in (intake_url(first), intake_url(later), note_url(first_note), note_url(later_note)):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("status", ["requested", "confirmed"])
def test_an_active_booking_opens_its_pinned_version_and_the_latest(
    client, client_user, practitioner, first, status
):
    booking_with(client_user, practitioner, first, status)
    second = IntakeFormFactory(client=client_user, version=2)
    third = IntakeFormFactory(client=client_user, version=3)
    notes = [ClearanceNoteFactory(intake=v) for v in (first, second, third)]
    client.force_login(practitioner.user)

    assert client.get(intake_url(first)).status_code == 200  # pinned
    assert client.get(intake_url(third)).status_code == 200  # the client's latest
    assert client.get(intake_url(second)).status_code == 404  # neither
    assert client.get(note_url(notes[0])).status_code == 200
    assert client.get(note_url(notes[2])).status_code == 200
    assert client.get(note_url(notes[1])).status_code == 404


def test_a_completed_session_inside_the_retention_period_keeps_both_open(
    client, client_user, practitioner, first, settings
):
    settings.RECORD_RETENTION_YEARS = 7
    booking_with(
        client_user, practitioner, first, "completed", starts_at=NOW - dt.timedelta(days=365 * 6)
    )
    latest = IntakeFormFactory(client=client_user, version=2)
    client.force_login(practitioner.user)

    assert client.get(intake_url(first)).status_code == 200
    assert client.get(intake_url(latest)).status_code == 200


def test_after_the_retention_period_a_completed_session_opens_nothing(
    client, client_user, practitioner, first, settings
):
    settings.RECORD_RETENTION_YEARS = 2
    booking_with(
        client_user, practitioner, first, "completed", starts_at=NOW - dt.timedelta(days=365 * 3)
    )
    latest = IntakeFormFactory(client=client_user, version=2)
    client.force_login(practitioner.user)

    assert client.get(intake_url(first)).status_code == 404
    assert client.get(intake_url(latest)).status_code == 404


def test_the_pinned_version_stays_readable_from_the_booking_that_needs_it(
    client, client_user, practitioner, first
):
    """A cancelled booking and a confirmed one: the confirmed one's version opens, reached
    from its booking page, and its page links to it; the cancelled one's page does not."""
    cancelled = booking_with(client_user, practitioner, first, "cancelled_by_client")
    second = IntakeFormFactory(client=client_user, version=2)
    third = IntakeFormFactory(client=client_user, version=3)
    confirmed = booking_with(
        client_user, practitioner, second, "confirmed", starts_at=NOW + dt.timedelta(days=3)
    )
    client.force_login(practitioner.user)

    assert client.get(intake_url(second) + f"?booking={confirmed.code}").status_code == 200
    assert client.get(intake_url(third)).status_code == 200
    assert client.get(intake_url(first)).status_code == 404
    detail = lambda b: client.get(reverse("sessions:booking-detail", kwargs={"code": b.code}))  # noqa: E731
    assert intake_url(second) in detail(confirmed).text
    assert intake_url(first) not in detail(cancelled).text


def test_the_comparison_never_shows_a_version_the_practitioner_may_not_read(
    client, client_user, practitioner, first
):
    first.answers = {"medications": "Warfarin"}
    first.save()
    second = IntakeFormFactory(client=client_user, version=2, answers={"medications": "None now"})
    booking_with(client_user, practitioner, second, "confirmed")
    client.force_login(practitioner.user)

    response = client.get(intake_url(second))

    assert response.status_code == 200
    assert "Warfarin" not in response.text


def test_only_the_notes_of_readable_versions_are_listed(client, client_user, practitioner, first):
    old_note = ClearanceNoteFactory(intake=first, original_name="old-letter.pdf")
    second = IntakeFormFactory(client=client_user, version=2)
    ClearanceNoteFactory(intake=second, original_name="new-letter.pdf")
    booking_with(client_user, practitioner, second, "confirmed")
    client.force_login(practitioner.user)

    response = client.get(intake_url(second))

    assert "new-letter.pdf" in response.text
    assert "old-letter.pdf" not in response.text
    assert client.get(note_url(old_note)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client", 200),
        ("other client", 404),
        ("practitioner", 200),
        ("other practitioner", 404),
        ("staff", 200),
    ],
    indirect=["who"],
)
def test_others_are_refused_the_intake_and_note(
    client, client_user, practitioner, first, who, status
):
    booking_with(client_user, practitioner, first, "confirmed")
    note = ClearanceNoteFactory(intake=first)

    assert client.get(intake_url(first)).status_code == status
    assert client.get(note_url(note)).status_code == status


def test_another_clients_intake_stays_closed_to_the_practitioner(
    client, client_user, other_client, practitioner, first
):
    booking_with(client_user, practitioner, first, "confirmed")
    theirs = IntakeFormFactory(client=other_client, version=1)
    client.force_login(practitioner.user)

    assert client.get(intake_url(theirs)).status_code == 404
    assert set(IntakeForm.objects.visible_to(practitioner.user)) == {first}


FLAG = {
    "code": "dvt_history",
    "tier": "clearance",
    "label": "Blood clot history",
    "detail": "Please ask your doctor whether reflexology is right for you.",
    "reason": "History of deep vein thrombosis in the left leg.",
    "area": "left leg",
}


@pytest.mark.parametrize("status", ["cancelled_by_client", "declined"])
def test_a_booking_that_ended_unused_shows_its_practitioner_no_health_details(
    client, client_user, practitioner, first, status
):
    booking = booking_with(
        client_user, practitioner, first, status, flags=[FLAG], client_message="Sore knee"
    )
    PreSessionCheckFactory(booking=booking, changed=True, details="Started beta blockers")
    client.force_login(practitioner.user)

    page = client.get(reverse("sessions:booking-detail", kwargs={"code": booking.code}))

    assert page.status_code == 200
    for health in ("Blood clot history", "Sore knee", "Started beta blockers"):
        assert health not in page.text
    assert "no longer shown for it" in page.text
    assert not IntakeAccess.objects.exists()


def test_the_same_booking_still_shows_the_client_and_staff_its_health_details(
    client, client_user, staff, practitioner, first
):
    booking = booking_with(
        client_user, practitioner, first, "declined", flags=[FLAG], client_message="Sore knee"
    )
    for person in (client_user, staff):
        log_in_as(client, person)
        page = client.get(reverse("sessions:booking-detail", kwargs={"code": booking.code}))
        assert "Blood clot history" in page.text and "Sore knee" in page.text


def test_the_client_history_closes_with_the_last_booking_that_needed_it(
    client, client_user, practitioner, first
):
    ended = booking_with(client_user, practitioner, first, "cancelled_by_client")
    history = reverse("sessions:client-history", kwargs={"booking_code": ended.code})
    client.force_login(practitioner.user)

    assert client.get(history).status_code == 404

    booking_with(
        client_user, practitioner, first, "confirmed", starts_at=NOW + dt.timedelta(days=9)
    )
    assert client.get(history).status_code == 200


def test_a_cancelled_booking_offers_its_practitioner_neither_history_nor_a_record_to_write(
    client, client_user, practitioner, first
):
    ended = booking_with(
        client_user,
        practitioner,
        first,
        "cancelled_by_client",
        starts_at=NOW - dt.timedelta(days=1),
    )
    client.force_login(practitioner.user)

    page = client.get(reverse("sessions:booking-detail", kwargs={"code": ended.code}))

    assert reverse("sessions:client-history", kwargs={"booking_code": ended.code}) not in page.text
    assert reverse("sessions:record", kwargs={"code": ended.code}) not in page.text


def test_a_completed_booking_offers_its_practitioner_the_history_and_the_record(
    client, client_user, practitioner, first
):
    done = booking_with(
        client_user, practitioner, first, "completed", starts_at=NOW - dt.timedelta(days=1)
    )
    client.force_login(practitioner.user)

    page = client.get(reverse("sessions:booking-detail", kwargs={"code": done.code}))

    assert reverse("sessions:client-history", kwargs={"booking_code": done.code}) in page.text
    assert reverse("sessions:record", kwargs={"code": done.code}) in page.text
