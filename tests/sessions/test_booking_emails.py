"""The emails the write path sends: the right people, their own zone, calendar files,
no health details."""

from datetime import timedelta

import pytest
import time_machine

from sessions.booking import (
    cancel_booking,
    confirm_booking,
    record_safety_decision,
    reschedule_booking,
)
from sessions.reminders import send_due_reminders
from tests.factories import BookingFactory, IntakeFormFactory
from tests.sessions.booking_helpers import (
    CAUTION_FLAG,
    CLEARANCE_FLAG,
    MONDAY,
    NOW,
    POSTPONE_FLAG,
    book,
    calendar_of,
    event_of,
    la,
    to,
)

pytestmark = pytest.mark.time_machine(NOW, tick=False)


def test_emails_show_times_in_each_recipients_zone_and_name_it(
    practitioner, client_user, intake, mailoutbox
):
    client_user.timezone = "Europe/London"
    client_user.save()
    practitioner.user.timezone = "America/Los_Angeles"
    practitioner.user.save()

    booking = book(practitioner, client_user, intake)  # 10:00 Los Angeles = 18:00 London

    (to_client,) = to(mailoutbox, client_user)
    (to_practitioner,) = to(mailoutbox, practitioner.user)
    assert "Monday 8 June 2026, 18:00–19:00 (Europe/London)" in to_client.body
    assert "Monday 8 June 2026, 10:00–11:00 (America/Los_Angeles)" in to_practitioner.body
    for message in (to_client, to_practitioner):
        event = event_of(message)
        assert event["DTSTART"].to_ical() == b"20260608T170000Z"
        assert event["DTEND"].to_ical() == b"20260608T180000Z"
        assert str(event["UID"]) == f"{booking.code}@reflexbook"
        assert calendar_of(message)["METHOD"] == "REQUEST"
    assert "with Pat Practitioner" in str(event_of(to_client)["SUMMARY"])
    assert "with Cara Client" in str(event_of(to_practitioner)["SUMMARY"])


def test_a_cancellation_email_carries_a_cancel_calendar_with_the_same_uid(
    practitioner, client_user, intake, mailoutbox
):
    booking = book(practitioner, client_user, intake)
    cancel_booking(booking=booking, by=client_user, reason="")
    created, cancelled = to(mailoutbox, practitioner.user)
    assert event_of(created)["UID"] == event_of(cancelled)["UID"]
    assert calendar_of(cancelled)["METHOD"] == "CANCEL"
    assert event_of(cancelled)["STATUS"] == "CANCELLED"
    assert event_of(cancelled)["SEQUENCE"] > event_of(created)["SEQUENCE"]


def test_no_email_or_calendar_file_carries_health_details(
    practitioner, client_user, other_client, mailoutbox
):
    answers = {"conditions": "Diabetes, blood clot in 2019", "medications": "Warfarin"}
    flagged = IntakeFormFactory(
        client=client_user, answers=answers, flags=[CLEARANCE_FLAG, CAUTION_FLAG]
    )
    booking = book(
        practitioner,
        client_user,
        flagged,
        clearance_confirmed=True,
        client_message="Looking forward to it",
    )
    confirm_booking(booking=booking)
    booking = reschedule_booking(booking=booking, new_starts_at=la(MONDAY, 14))
    with time_machine.travel(la(MONDAY, 14) - timedelta(hours=20), tick=False):
        assert send_due_reminders() == 1
    cancel_booking(booking=booking, by=practitioner.user, reason="Emergency closure")

    postponer = IntakeFormFactory(client=other_client, flags=[POSTPONE_FLAG])
    request = book(practitioner, other_client, postponer, starts_at=la(MONDAY, 10))
    record_safety_decision(booking=request, decision="postpone", note="Pregnant, 9 weeks.")

    events = {m.subject.split(" ")[0] for m in mailoutbox}
    assert {"Your", "New", "Booking", "Moved:", "Reminder:", "Cancelled:"} <= events
    health_words = ["Warfarin", "Diabetes", "blood clot", "Blood clot", "Pregnant", "trimester"]
    for flag in (CLEARANCE_FLAG, CAUTION_FLAG, POSTPONE_FLAG):
        health_words += [flag["label"], flag["detail"], flag["reason"], flag["area"]]
    for message in mailoutbox:
        text = message.subject + message.body + "".join(a.content for a in message.attachments)
        for word in filter(None, health_words):
            assert word not in text, (message.subject, word)


def test_booking_emails_are_plain_text_without_html_entities(client_user, practitioner, mailoutbox):
    practitioner.display_name = "Grace O'Neill & Co"
    practitioner.save()
    booking = BookingFactory(client=client_user, practitioner=practitioner, status="requested")
    confirm_booking(booking=booking)
    (message,) = mailoutbox
    assert "Grace O'Neill & Co" in message.subject + message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
