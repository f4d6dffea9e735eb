"""Emails people can act on: every client booking email links to the booking page and says
what to expect; the client's message reaches the practitioner only; "cancelled by <client>"
never goes to that client; a signed record tells the client once that the summary is ready."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from sessions.booking import (
    cancel_booking,
    confirm_booking,
    decline_booking,
    finish_booking,
    record_safety_decision,
    reschedule_booking,
)
from sessions.models import Booking
from sessions.records import (
    RecordRefused,
    save_record,
    send_due_checkins,
    sign_record,
    start_record,
)
from sessions.reminders import send_due_reminders
from tests.factories import IntakeFormFactory
from tests.sessions.booking_helpers import MONDAY, NOW, POSTPONE_FLAG, book, la, to
from tests.sessions.record_helpers import past_booking

pytestmark = pytest.mark.time_machine(NOW, tick=False)

EXPECT = (
    "What to expect: the session lasts 60 minutes. Please arrive a few minutes early, wear "
    "loose trousers that roll up easily above the knee, and avoid a heavy meal just before."
)
MANAGE = "Manage your booking (reschedule or cancel): "


def html_of(message) -> str:
    (alternative,) = message.alternatives
    return alternative.content


def page_of(booking) -> str:
    return settings.SITE_URL + reverse("sessions:booking-detail", kwargs={"code": booking.code})


def test_every_client_email_about_an_upcoming_booking_links_to_manage_it_and_says_what_to_expect(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)  # requested
    confirm_booking(booking=booking)
    booking = reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 14))
    with time_machine.travel(la(MONDAY, 14) - timedelta(hours=20), tick=False):
        assert send_due_reminders() == 1

    sent = to(mailoutbox, client_user)
    assert [m.subject.split()[0] for m in sent] == ["Your", "Booking", "Moved:", "Reminder:"]
    for message in sent:
        assert MANAGE + page_of(booking) in message.body, message.subject
        assert EXPECT in message.body, message.subject


def test_every_email_a_client_gets_about_a_booking_from_request_to_check_in_links_to_it(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    confirm_booking(booking=booking)
    booking = reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 14))
    with time_machine.travel(la(MONDAY, 14) - timedelta(hours=20), tick=False):
        send_due_reminders()
    with time_machine.travel(la(MONDAY, 16), tick=False):
        booking = finish_booking(booking=booking, status=Booking.Status.COMPLETED)
        record = start_record(booking)
        sign_record(record=record)
    with time_machine.travel(la(MONDAY, 16) + timedelta(hours=48), tick=False):
        assert send_due_checkins() == 1

    sent = to(mailoutbox, client_user)
    assert len(sent) == 6
    assert "summary" in sent[4].subject and "How are you feeling" in sent[5].subject
    for message in sent:
        assert page_of(booking) in message.body, message.subject
        assert page_of(booking) in html_of(message), message.subject


def test_client_emails_about_an_ended_booking_link_to_its_page_and_to_book_again(
    practitioner, client_user, other_client, intake, mailoutbox
):
    declined = book(practitioner, client_user, intake)
    decline_booking(booking=declined, reason="Fully booked that week")
    cancelled = book(practitioner, client_user, intake, starts_at=la(MONDAY, 13))
    cancel_booking(booking=cancelled, by=practitioner.user, reason="Closed that day")
    postponed = book(
        practitioner,
        other_client,
        IntakeFormFactory(client=other_client, flags=[POSTPONE_FLAG]),
        starts_at=la(MONDAY, 15),
    )
    record_safety_decision(booking=postponed, decision="postpone", note="Talk first.")

    book_again = settings.SITE_URL + reverse("sessions:book", kwargs={"slug": practitioner.slug})
    declined_mail = to(mailoutbox, client_user)[1]
    cancelled_mail = to(mailoutbox, client_user)[3]
    postponed_mail = to(mailoutbox, other_client)[-1]
    assert "declined" in declined_mail.subject and "Cancelled" in cancelled_mail.subject
    assert "talk with you first" in postponed_mail.subject
    for booking, message in [
        (declined, declined_mail),
        (cancelled, cancelled_mail),
        (postponed, postponed_mail),
    ]:
        assert "Your booking page: " + page_of(booking) in message.body
        assert MANAGE not in message.body and "What to expect" not in message.body
    assert book_again in declined_mail.body and book_again in cancelled_mail.body


def test_the_clients_message_reaches_the_practitioner_only(
    practitioner, client_user, intake, mailoutbox
):
    message = "Please use firm pressure, my left heel is sore."
    book(practitioner, client_user, intake, client_message=message)  # a request
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    book(practitioner, client_user, intake, starts_at=la(MONDAY, 13), client_message=message)

    requested, confirmed = to(mailoutbox, practitioner.user)
    assert requested.subject.startswith("New booking request")
    assert confirmed.subject.startswith("New booking:")
    for sent in (requested, confirmed):
        assert f"Their message to you:\n{message}" in sent.body
        assert message in html_of(sent)
    client_mails = to(mailoutbox, client_user)
    assert len(client_mails) == 2
    for sent in client_mails:
        assert message not in sent.body + html_of(sent)
        assert "Their message to you" not in sent.body


def test_a_booking_without_a_message_says_nothing_of_one(
    practitioner, client_user, intake, mailoutbox
):
    book(practitioner, client_user, intake)
    (sent,) = to(mailoutbox, practitioner.user)
    assert "Their message" not in sent.body


def test_a_client_who_cancels_is_told_they_cancelled_and_the_practitioner_who(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    cancel_booking(booking=booking, by=client_user, reason="")

    (to_client,) = [m for m in to(mailoutbox, client_user) if "Cancelled" in m.subject]
    (to_practitioner,) = [m for m in to(mailoutbox, practitioner.user) if "Cancelled" in m.subject]
    assert "You cancelled this session:" in to_client.body
    assert "cancelled by" not in to_client.body and "Cara Client" not in to_client.body
    assert "This session has been cancelled by Cara Client:" in to_practitioner.body


def test_a_practitioner_who_cancels_is_told_they_cancelled_and_the_client_who(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    cancel_booking(booking=booking, by=practitioner.user, reason="Closed that day")

    (to_client,) = [m for m in to(mailoutbox, client_user) if "Cancelled" in m.subject]
    (to_practitioner,) = [m for m in to(mailoutbox, practitioner.user) if "Cancelled" in m.subject]
    assert "This session has been cancelled by Pat Practitioner:" in to_client.body
    assert "You cancelled this session:" in to_practitioner.body
    assert "cancelled by Pat Practitioner" not in to_practitioner.body
    assert "The booking page: " + page_of(booking) in to_practitioner.body


# --- "your session summary is ready" -------------------------------------------------------


def signed_record(practitioner, client_user, **sign):
    booking = past_booking(practitioner, client_user)
    record = start_record(booking)
    save_record(
        record=record,
        fields={"client_summary": "We worked the solar plexus.", "aftercare": "Drink water."},
        worked=[],
    )
    return sign_record(record=record, **sign)


def test_signing_a_record_emails_the_client_once_a_link_to_the_summary(
    practitioner, client_user, mailoutbox
):
    record = signed_record(practitioner, client_user)
    with pytest.raises(RecordRefused):
        sign_record(record=record)

    (message,) = mailoutbox
    assert message.to == [client_user.email]
    assert message.subject == "Your session summary from Pat Practitioner is ready"
    summary = reverse("sessions:record-summary", kwargs={"code": record.booking.code})
    assert settings.SITE_URL + summary in message.body
    assert f'href="{settings.SITE_URL}{summary}"' in html_of(message)
    for private in ("solar plexus", "Drink water"):
        assert private not in message.body + html_of(message)


def test_the_demo_signs_records_without_emailing(practitioner, client_user, mailoutbox):
    signed_record(practitioner, client_user, email=False)
    assert mailoutbox == []


def test_signing_from_the_record_page_sends_the_summary_email(
    client, practitioner, client_user, mailoutbox
):
    booking = past_booking(practitioner, client_user)
    start_record(booking)
    client.force_login(practitioner.user)
    url = reverse("sessions:record-sign", kwargs={"code": booking.code})
    response = client.post(url, {"confirm_sign": "on"})
    assert response.status_code == 302
    assert [m.subject for m in mailoutbox] == [
        "Your session summary from Pat Practitioner is ready"
    ]
