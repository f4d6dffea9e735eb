"""Shared steps for the write-path tests (sessions.booking): a practitioner in Los Angeles
working 09:00-17:00, a client with a current intake, frozen at NOW."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar

from sessions.booking import book_session
from sessions.models import Booking, IntakeForm
from sessions.safety import flags_for
from tests.factories import BookingFactory, IntakeFormFactory

LA = ZoneInfo("America/Los_Angeles")  # the practitioner's zone (ListedPractitionerFactory)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # Monday 05:00 in Los Angeles
MONDAY = date(2026, 6, 8)  # next Monday: working hours 09:00-17:00 Los Angeles time
Status = Booking.Status

# Safety flags in the shape sessions.safety writes them (issue 4).
POSTPONE_FLAG = {
    "code": "pregnancy_first_trimester",
    "tier": "postpone",
    "label": "Pregnant (first trimester)",
    "detail": "Your practitioner will talk to you before your first session.",
    "reason": "First-trimester pregnancy: postpone until the second trimester.",
    "area": "",
}
CLEARANCE_FLAG = {
    "code": "dvt_history",
    "tier": "clearance",
    "label": "Blood clot history",
    "detail": "Please ask your doctor whether reflexology is right for you.",
    "reason": "History of deep vein thrombosis in the left leg.",
    "area": "left leg",
}
CAUTION_FLAG = {
    "code": "diabetes",
    "tier": "caution",
    "label": "Diabetes",
    "detail": "Tell your practitioner about any numbness in your feet.",
    "reason": "Diabetes with reduced sensation: light pressure only.",
    "area": "both feet",
}


# Answers that raise one flag of a tier through the real rules (sessions.safety).
POSTPONE_ANSWERS = {"dvt_current": True}  # "current_clot"
CLEARANCE_ANSWERS = {"dvt_past": True}  # "clot_history"


def intake_with(client, **answers) -> IntakeForm:
    """A signed intake whose `answers` raise their flags, as sign_intake stores them."""
    stored = {"pregnancy": "not_pregnant", "medications": "none", **answers}
    return IntakeFormFactory(
        client=client, answers=stored, flags=flags_for(stored, signed_on=timezone.localdate())
    )


def la(day: date, hour: int, minute: int = 0) -> datetime:
    """A Los Angeles wall time as the UTC instant the write path takes."""
    return datetime.combine(day, time(hour, minute), LA).astimezone(UTC)


def book(practitioner, client, intake, **kwargs) -> Booking:
    options = {
        "service": practitioner.services.get(),
        "minutes": 60,
        "starts_at": la(MONDAY, 10),
    } | kwargs
    return book_session(client=client, practitioner=practitioner, intake=intake, **options)


def existing(practitioner, client, intake, starts_at, **kwargs) -> Booking:
    """A booking already on the calendar, written directly (60 minutes + 15 buffer)."""
    return BookingFactory(
        practitioner=practitioner,
        client=client,
        intake=intake,
        starts_at=starts_at,
        **kwargs,
    )


def to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]


def calendar_of(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == "booking.ics"
    assert attachment.mimetype.startswith("text/calendar")
    return Calendar.from_ical(attachment.content)


def event_of(message):
    (event,) = calendar_of(message).walk("VEVENT")
    return event
