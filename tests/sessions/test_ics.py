"""sessions.ics: the .ics attached to booking emails and the practitioner's subscription feed.
Both must parse with icalendar, carry UTC start and end, a stable UID and a rising SEQUENCE,
say METHOD:CANCEL once a booking is off, and carry no health details."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from sessions.ics import booking_calendar, feed_calendar
from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory, ListedPractitionerFactory

Status = Booking.Status
START = datetime(2026, 6, 8, 17, 0, tzinfo=UTC)  # 10:00 in Los Angeles
HEALTH = {
    "label": "Recent ankle fracture",
    "detail": "Avoid the left ankle until your doctor says it has healed.",
    "reason": "Fracture of the left lateral malleolus, six weeks ago.",
    "area": "left ankle",
}


def parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def only_event(data: bytes):
    (event,) = parse(data).walk("VEVENT")
    return event


@pytest.fixture
def booking(practitioner, client_user):
    practitioner.city, practitioner.region = "Portland", "Oregon"
    practitioner.save()
    return BookingFactory(practitioner=practitioner, client=client_user, starts_at=START)


def test_a_booking_calendar_parses_and_carries_the_utc_start_and_end(booking):
    calendar = parse(booking_calendar(booking))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//reflexbook//bookings//EN"
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].to_ical() == b"20260608T170000Z"
    assert event["DTEND"].to_ical() == b"20260608T180000Z"
    assert event.decoded("DTSTART") == booking.starts_at
    assert event.decoded("DTEND") == booking.ends_at
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "Portland, Oregon, United States"  # the practice address


def test_times_stay_utc_whatever_zone_is_active_or_the_instant_was_given_in(booking):
    booking.starts_at = START.astimezone(ZoneInfo("Australia/Sydney"))
    booking.ends_at = booking.starts_at + timedelta(minutes=60)
    with timezone.override(ZoneInfo("Asia/Kolkata")):
        event = only_event(booking_calendar(booking))
    assert event["DTSTART"].to_ical() == b"20260608T170000Z"
    assert event["DTEND"].to_ical() == b"20260608T180000Z"
    assert b"TZID" not in booking_calendar(booking)


def test_a_session_on_a_clock_change_day_keeps_its_instant(db):
    london = ZoneInfo("Europe/London")
    # 10:00 BST on the day the clocks went forward is 09:00 UTC.
    starts_at = datetime(2026, 3, 29, 10, 0, tzinfo=london)
    booking = BookingFactory(starts_at=starts_at)
    event = only_event(booking_calendar(booking))
    assert event["DTSTART"].to_ical() == b"20260329T090000Z"
    assert event["DTEND"].to_ical() == b"20260329T100000Z"


def test_the_uid_is_stable_and_the_sequence_follows_the_booking(booking):
    first = only_event(booking_calendar(booking))
    booking.starts_at += timedelta(days=1)
    booking.ends_at += timedelta(days=1)
    booking.blocks_until += timedelta(days=1)
    booking.sequence = 3
    booking.save()
    moved = only_event(booking_calendar(booking))
    assert str(first["UID"]) == str(moved["UID"]) == f"{booking.code}@reflexbook"
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 3)
    assert moved["DTSTART"].to_ical() == b"20260609T170000Z"


def test_a_request_is_tentative(booking):
    booking.status = Status.REQUESTED
    assert only_event(booking_calendar(booking))["STATUS"] == "TENTATIVE"


@pytest.mark.parametrize(
    "status", [Status.CANCELLED_BY_CLIENT, Status.CANCELLED_BY_PRACTITIONER, Status.DECLINED]
)
def test_a_booking_that_is_off_gives_method_cancel(booking, status):
    booking.status = status
    booking.sequence = 1
    calendar = parse(booking_calendar(booking))
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == f"{booking.code}@reflexbook"
    assert event["SEQUENCE"] == 1


def test_each_side_sees_the_other_persons_name(booking):
    assert str(only_event(booking_calendar(booking))["SUMMARY"]) == (
        "Reflexology (60 min) with Pat Practitioner"
    )
    assert str(only_event(booking_calendar(booking, for_practitioner=True))["SUMMARY"]) == (
        "Reflexology (60 min) with Cara Client"
    )


def flagged_booking(**kwargs) -> Booking:
    flag = {"code": "fracture", "tier": "avoid", **HEALTH}
    booking = BookingFactory(
        flags=[flag],
        client_message="My left ankle is still sore from the fracture.",
        safety_note="Avoid the malleolus entirely.",
        **kwargs,
    )
    IntakeFormFactory(client=booking.client, answers={"injuries": "ankle fracture"}, flags=[flag])
    return booking


def assert_no_health_details(data: bytes):
    text = data.decode()
    for word in [*HEALTH.values(), "fracture", "ankle", "malleolus", "sore"]:
        assert word.lower() not in text.lower(), word


def test_a_booking_calendar_carries_no_health_details(db):
    booking = flagged_booking()
    assert_no_health_details(booking_calendar(booking))
    assert_no_health_details(booking_calendar(booking, for_practitioner=True))


def test_the_feed_parses_with_every_booking_in_utc_and_no_health_details(practitioner):
    bookings = [
        flagged_booking(practitioner=practitioner, starts_at=START),
        BookingFactory(practitioner=practitioner, starts_at=START + timedelta(days=1)),
        BookingFactory(
            practitioner=practitioner,
            starts_at=START + timedelta(days=2),
            status=Status.CANCELLED_BY_CLIENT,
        ),
    ]

    data = feed_calendar(bookings, name="Pat Practitioner: reflexbook")

    calendar = parse(data)
    assert calendar["X-WR-CALNAME"] == "Pat Practitioner: reflexbook"
    assert calendar["X-WR-TIMEZONE"] == "America/Los_Angeles"  # the practitioner's zone
    assert "METHOD" not in calendar  # a subscription, not an invitation
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{b.code}@reflexbook" for b in bookings}
    for booking in bookings:
        event = events[f"{booking.code}@reflexbook"]
        assert event.decoded("DTSTART") == booking.starts_at
        assert event.decoded("DTEND") == booking.ends_at
        assert event["DTSTART"].to_ical().endswith(b"Z")
        assert f"with {booking.client.full_name}" in str(event["SUMMARY"])
    assert events[f"{bookings[2].code}@reflexbook"]["STATUS"] == "CANCELLED"
    assert_no_health_details(data)


def test_an_empty_feed_still_parses(db):
    calendar = parse(feed_calendar(Booking.objects.none(), name="Nothing yet"))
    assert calendar.walk("VEVENT") == []
    assert calendar["X-WR-CALNAME"] == "Nothing yet"


@pytest.mark.parametrize("count", [10, 100])
def test_the_feed_adds_no_queries_per_booking(db, count, django_assert_max_num_queries):
    practitioner = ListedPractitionerFactory()
    for n in range(count):
        BookingFactory(practitioner=practitioner, starts_at=START + timedelta(hours=2 * n))
    bookings = Booking.objects.filter(practitioner=practitioner).select_related(
        "client", "practitioner"
    )
    with django_assert_max_num_queries(1):
        data = feed_calendar(bookings, name="Feed")
    assert len(parse(data).walk("VEVENT")) == count
