"""A strong reaction alerts (issue 11, part 4): the 48-hour check-in reporting a strong
reaction emails the practitioner once (no health detail), shows the client the warning
signs, and holds the client's next booking with that practitioner for an answer until the
practitioner records a follow-up (an addendum alone does not count)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from sessions.booking import confirm_booking
from sessions.models import Booking, SessionRecord
from sessions.records import RecordRefused, practitioner_todo, record_follow_up
from sessions.safety import URGENT_EMERGENCY, WARNING_SIGNS_AFTER_SESSION
from tests.factories import BookingFactory, SessionRecordFactory
from tests.sessions.booking_helpers import MONDAY, NOW, book, intake_with, la, to

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

STRONG = {
    "sleep": "worse",
    "energy": "less",
    "reaction": "strong",
    "notes": "Migraine and a swollen calf since the session.",
}


@pytest.fixture
def record(client_user, practitioner):
    """A signed record of a session two days ago, its check-in not answered yet."""
    return SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__status=Booking.Status.COMPLETED,
        booking__starts_at=NOW - timedelta(days=2),
    )


@pytest.fixture
def next_booking(client_user, practitioner, record):
    """The client's next session with the same practitioner, confirmed."""
    return BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=record.booking.intake,
        starts_at=la(NOW.date() + timedelta(days=7), 10),
    )


def checkin_url(record):
    return reverse("sessions:checkin", kwargs={"code": record.booking.code})


def follow_up_url(record):
    return reverse("sessions:record-follow-up", kwargs={"code": record.booking.code})


def reaction_emails(mailoutbox, practitioner):
    return [m for m in to(mailoutbox, practitioner.user) if "strong reaction" in m.subject]


def test_a_strong_reaction_alerts_once_and_holds_the_next_booking(
    client, client_user, practitioner, other_practitioner, record, next_booking, mailoutbox
):
    elsewhere = BookingFactory(
        client=client_user,
        practitioner=other_practitioner,
        intake=record.booking.intake,
        starts_at=la(NOW.date() + timedelta(days=3), 10),
    )
    later = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=record.booking.intake,
        starts_at=la(NOW.date() + timedelta(days=14), 10),
    )
    client.force_login(client_user)

    response = client.post(checkin_url(record), STRONG, follow=True)

    # The practitioner is emailed at once, without the client's words.
    (email,) = reaction_emails(mailoutbox, practitioner)
    assert email.subject == "Cara Client reported a strong reaction after a session"
    assert reverse("sessions:record", kwargs={"code": record.booking.code}) in email.body
    for word in ("migraine", "calf", "swollen", "worse"):
        assert word not in email.body.lower()
    # The client sees the warning signs, and that the practitioner will be in touch.
    page = response.text
    assert "Pat Practitioner has been told and will be in touch with you" in page
    for sign in WARNING_SIGNS_AFTER_SESSION:
        assert sign in page
    assert URGENT_EMERGENCY in page
    # The next booking with this practitioner waits for an answer; others are untouched.
    next_booking.refresh_from_db()
    assert next_booking.status == Booking.Status.REQUESTED
    assert "strong_reaction" in [flag["code"] for flag in next_booking.flags]
    assert next_booking.flags_change_cause == Booking.FlagsCause.REACTION
    for other in (elsewhere, later):
        other.refresh_from_db()
        assert other.status == Booking.Status.CONFIRMED and other.flags == []
    # One event, one email: the reaction's email already says the next booking waits.
    assert [m for m in mailoutbox if m.subject.startswith("A change to review")] == []

    # A second visit or submit sends nothing new.
    client.get(checkin_url(record))
    client.post(checkin_url(record), STRONG)
    assert len(reaction_emails(mailoutbox, practitioner)) == 1


def test_an_addendum_does_not_clear_it_a_follow_up_does(
    client, client_user, practitioner, record, next_booking, mailoutbox
):
    client.force_login(client_user)
    client.post(checkin_url(record), STRONG)
    client.force_login(practitioner.user)

    client.post(
        reverse("sessions:record-addendum", kwargs={"code": record.booking.code}),
        {"text": "Phoned the client."},
    )
    next_booking.refresh_from_db()
    assert "strong_reaction" in [flag["code"] for flag in next_booking.flags]
    assert list(practitioner_todo(practitioner)) == [SessionRecord.objects.get(pk=record.pk)]
    page = client.get(reverse("sessions:record", kwargs={"code": record.booking.code})).text
    assert "Follow-up of the strong reaction" in page
    assert "An addendum alone does not count as a follow-up" in page
    detail = client.get(next_booking.get_absolute_url()).text
    assert "Strong reaction after the last session" in detail
    assert "Talk to the client first, then decide" in detail

    refused = client.post(follow_up_url(record), {"note": " "})
    assert "Write a short note about your follow-up." in refused.text
    response = client.post(follow_up_url(record), {"note": "Phoned: settled after a day."})
    assert response.status_code == 302

    record.refresh_from_db()
    assert (record.followed_up_at, record.follow_up_note) == (NOW, "Phoned: settled after a day.")
    next_booking.refresh_from_db()
    assert "strong_reaction" not in [flag["code"] for flag in next_booking.flags]
    assert next_booking.flags_change_cause == Booking.FlagsCause.FOLLOW_UP
    assert list(practitioner_todo(practitioner)) == []
    # Nothing else waits: the practitioner can confirm again.
    assert confirm_booking(booking=next_booking).status == Booking.Status.CONFIRMED
    page = client.get(reverse("sessions:record", kwargs={"code": record.booking.code})).text
    assert "Followed up on" in page and "Phoned: settled after a day." in page
    assert "it is still a request: confirm it (or record your decision)" in page
    with pytest.raises(RecordRefused, match="no strong reaction waiting"):
        record_follow_up(record=record, note="Again")


def test_a_booking_made_while_a_reaction_waits_asks_for_an_answer(
    client_user, practitioner, record
):
    SessionRecord.objects.filter(pk=record.pk).update(
        checkin_reaction="strong", checkin_answered_at=NOW, checkin_reaction_notes="Dizzy"
    )
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    booking = book(practitioner, client_user, intake_with(client_user), starts_at=la(MONDAY, 10))
    assert booking.status == Booking.Status.REQUESTED
    assert "strong_reaction" in [flag["code"] for flag in booking.flags]


def test_the_check_in_is_offered_for_any_completed_session(client, client_user, practitioner):
    old = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        status=Booking.Status.COMPLETED,
        starts_at=NOW - timedelta(days=30),
    )
    client.force_login(client_user)
    summary = client.get(reverse("sessions:record-summary", kwargs={"code": old.code})).text
    assert reverse("sessions:checkin", kwargs={"code": old.code}) in summary
    response = client.post(reverse("sessions:checkin", kwargs={"code": old.code}), STRONG)
    assert response.status_code == 302
    assert SessionRecord.objects.get(booking=old).needs_follow_up


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 404),
        ("practitioner", 302),
        ("other practitioner", 404),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_only_the_practitioner_records_a_follow_up(client, who, status, record):
    SessionRecord.objects.filter(pk=record.pk).update(
        checkin_reaction="strong", checkin_answered_at=NOW, checkin_reaction_notes="Dizzy"
    )
    response = client.post(follow_up_url(record), {"note": "Phoned."})
    assert response.status_code == status
    if who is None:
        assert response.url.startswith(reverse("login"))
    record.refresh_from_db()
    assert (record.followed_up_at is not None) == (status == 302 and who is not None)


def test_a_draft_record_shows_what_the_client_reported_at_the_check_in(
    client, client_user, practitioner
):
    booking = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        status=Booking.Status.COMPLETED,
        starts_at=NOW - timedelta(days=2),
    )
    client.force_login(client_user)
    client.post(reverse("sessions:checkin", kwargs={"code": booking.code}), STRONG)
    booking.refresh_from_db()
    assert booking.record.state == SessionRecord.State.DRAFT

    client.force_login(practitioner.user)
    html = client.get(reverse("sessions:record", kwargs={"code": booking.code})).text

    checkin = html[html.index('id="checkin-heading"') :]
    assert "The client answered on Monday 1 June 2026" in checkin
    record = booking.record
    assert f"<dt>Sleep</dt><dd>{record.checkin_sleep}</dd>" in checkin
    assert f"<dt>Energy</dt><dd>{record.checkin_energy}</dd>" in checkin
    assert "<dt>Energy</dt><dd>Less energy than usual</dd>" in checkin
    assert "Strong: Migraine and a swollen calf since the session." in checkin
    assert "Follow-up of the strong reaction" in html
