"""reflexbook.lib.mail: email leaves only after its transaction commits, with a one-line subject
rendered apart from the body."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction

from reflexbook.lib.mail import CalendarFile, send_templated
from sessions import booking as booking_service
from sessions import ics
from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    CertificationEventFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
)

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MONDAY_10 = datetime.combine(date(2026, 6, 8), time(10), LA).astimezone(UTC)


pytestmark = pytest.mark.time_machine(NOW, tick=False)


def book(client, practitioner):
    return booking_service.book_session(
        client=client,
        practitioner=practitioner,
        service=practitioner.services.get(),
        minutes=60,
        starts_at=MONDAY_10,
        intake=IntakeFormFactory(client=client),
    )


def test_a_subject_with_line_breaks_is_sent_as_one_line(db, mailoutbox):
    booking = BookingFactory(client__full_name="Eve\r\nBcc: all@example.com\n")
    recipient = booking.practitioner.user

    send_templated(
        "booking_requested",
        to=[recipient.email],
        context={"booking": booking, "recipient": recipient, "for_practitioner": True},
    )

    (message,) = mailoutbox
    assert message.subject == "New booking request from Eve Bcc: all@example.com"
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc" not in headers
    assert message.bcc == []


@pytest.mark.parametrize("address", ["cara@example.com\nBcc: x@example.com", "a@b.c\r", ""])
def test_an_address_with_a_line_break_is_refused_and_nothing_is_queued(db, address, mailoutbox):
    with pytest.raises(ValueError, match="Not a single email address"):
        send_templated("certification_lapse", to=[address], context={})
    assert mailoutbox == []


def test_an_unknown_calendar_method_is_refused(db, mailoutbox):
    booking = BookingFactory()
    with pytest.raises(ValueError, match="Calendar method"):
        send_templated(
            "booking_confirmed",
            to=["a@example.com"],
            context={"booking": booking},
            ics=CalendarFile(ics.booking_calendar, {"booking": booking}),
            ics_method="X\nY",
        )
    assert mailoutbox == []


def test_a_name_with_a_line_break_stays_in_the_subject_line_of_a_booking_email(db, mailoutbox):
    client = IntakeFormFactory(client__full_name="Eve\r\nBcc: all@example.com").client
    practitioner = ListedPractitionerFactory()

    book(client, practitioner)

    (to_practitioner,) = [m for m in mailoutbox if m.to == [practitioner.user.email]]
    assert to_practitioner.subject == "New booking request from Eve Bcc: all@example.com"
    assert to_practitioner.bcc == []
    assert to_practitioner.body.startswith("Hello ")


def test_templated_email_renders_subject_and_body_apart_without_html_escaping(db, mailoutbox):
    booking = BookingFactory(client__full_name="Ann <O'Neil> & Co")
    event = CertificationEventFactory(to_state="rejected", reason="Photo <blurry> & dark")
    send_templated(
        "certification_reject",
        to=["pat@example.com"],
        context={"certification": event.certification, "user": booking.client, "event": event},
    )

    (message,) = mailoutbox
    assert message.subject.startswith("We could not verify your ARCB ")
    assert message.body.startswith("Hello Ann,")
    assert "Photo <blurry> & dark" in message.body
    assert "We could not verify" not in message.body.splitlines()[0]


@pytest.mark.django_db(transaction=True)
def test_a_booking_that_rolls_back_after_its_email_was_queued_sends_none(monkeypatch, mailoutbox):
    """The write path queues the booking's emails, then fails: the booking rolls back, so
    no one must hear of it (the immediate backend runs here)."""
    client = IntakeFormFactory().client
    practitioner = ListedPractitionerFactory()
    real_notify = booking_service.notify

    def queue_then_fail(*args, **kwargs):
        real_notify(*args, **kwargs)
        raise RuntimeError("the write failed after queueing")

    monkeypatch.setattr(booking_service, "notify", queue_then_fail)

    with pytest.raises(RuntimeError):
        book(client, practitioner)

    assert not Booking.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_booking_email_leaves_only_once_the_booking_is_committed(monkeypatch, mailoutbox):
    client = IntakeFormFactory().client
    practitioner = ListedPractitionerFactory()
    real_notify = booking_service.notify
    outbox_inside_transaction = []

    def notify_and_look(*args, **kwargs):
        real_notify(*args, **kwargs)
        outbox_inside_transaction.append(len(mail.outbox))

    monkeypatch.setattr(booking_service, "notify", notify_and_look)

    book(client, practitioner)

    assert outbox_inside_transaction == [0]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([client.email, practitioner.user.email])


def test_an_email_queued_inside_a_block_that_rolls_back_is_never_sent(db, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_templated("certification_lapse", to=["a@example.com"], context={})
        raise RuntimeError("roll back")
    send_templated("certification_lapse", to=["b@example.com"], context={})

    assert [m.to for m in mailoutbox] == [["b@example.com"]]


def test_rendered_text_cannot_ride_in_the_queue_as_a_calendar_file(db, mailoutbox):
    with pytest.raises(TypeError, match="CalendarFile"):
        send_templated(
            "certification_lapse", to=["a@example.com"], context={}, ics="BEGIN:VCALENDAR"
        )
    assert mailoutbox == []


@pytest.mark.parametrize(
    "value", [Decimal("80.00"), {"notes": "x"}, ["x"], 1.5, datetime(2026, 6, 1, 12, 0)]
)
def test_a_context_value_the_queue_cannot_carry_is_refused(db, value, mailoutbox):
    """Only rows (as references), dates and plain scalars are queued; a naive datetime would
    be read in the worker's zone."""
    with pytest.raises(TypeError):
        send_templated("certification_lapse", to=["a@example.com"], context={"value": value})
    assert mailoutbox == []
