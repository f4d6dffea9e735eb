"""iCalendar files for bookings: one event per booking with a stable UID, a SEQUENCE that
rises with every change, and METHOD:CANCEL when it is called off. No health details."""

from collections.abc import Iterable
from datetime import UTC

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from reflexbook.lib.mail import calendar_builder
from sessions.models import Booking

PRODID = "-//reflexbook//bookings//EN"
# A completed session stays in the calendar as it happened; declined, cancelled and no-show
# sessions are struck out.
EVENT_STATUS = {
    Booking.Status.REQUESTED: "TENTATIVE",
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.COMPLETED: "CONFIRMED",
}


def booking_uid(booking: Booking) -> str:
    return f"{booking.code}@reflexbook"


def _event(booking: Booking, *, for_practitioner: bool) -> Event:
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    # Always UTC ("...Z"), so no VTIMEZONE is needed and no client can misread the zone.
    event.add("dtstamp", booking.updated_at.astimezone(UTC))
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    other = booking.client.full_name if for_practitioner else booking.practitioner.display_name
    # In the active language: the worker renders the email's calendar file in the recipient's.
    summary = _("Reflexology (%(minutes)s min) with %(name)s")
    event.add("summary", summary % {"minutes": booking.minutes, "name": other})
    if booking.address:  # the practice, or the client's home for a home visit
        event.add("location", booking.address)
    event.add("status", EVENT_STATUS.get(booking.status, "CANCELLED"))
    return event


@calendar_builder
def booking_calendar(booking: Booking, *, for_practitioner: bool = False) -> bytes:
    """An .ics for one booking: METHOD:REQUEST while it stands, METHOD:CANCEL once it doesn't."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST" if booking.is_active else "CANCEL")
    calendar.add_component(_event(booking, for_practitioner=for_practitioner))
    return calendar.to_ical()


def feed_calendar(bookings: Iterable[Booking], *, name: str) -> bytes:
    """A practitioner's subscription feed: their bookings, client names and times only."""
    bookings = list(bookings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if bookings:
        # The practitioner's own zone (not the server's) as the display hint; times are UTC.
        calendar.add("x-wr-timezone", bookings[0].practitioner.timezone)
    for booking in bookings:
        calendar.add_component(_event(booking, for_practitioner=True))
    return calendar.to_ical()
