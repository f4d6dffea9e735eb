"""Logging reads of health data: the one helper every page that shows a client's health data
to someone else calls (STYLE 13).

Health data is the intake and its clearance notes, a booking's safety flags and the
client's notes on it, the pre-session answers, session records, summaries and the
after-session check-in, and the client history. Each page view that shows any of it to
anyone but the client (the booking's practitioner, staff) writes one IntakeAccess row,
which the client sees on their "who has read your health form" page. The client's own reads
are not logged. A staff member's read is also one row of the staff activity log
(accounts.activity). Lists that show only flag names (the agenda) log nothing; a list that prints
a client's own words logs one row per client booking it shows, in one insert.
"""

from collections.abc import Iterable

from accounts import activity
from accounts.activity import Subject
from accounts.models import User
from sessions.models import Booking, IntakeAccess, IntakeForm
from sessions.models.intake import ClearanceNote

Kind = IntakeAccess.Kind


def log_health_read(
    viewer: User,
    kind: IntakeAccess.Kind,
    *,
    booking: Booking | None = None,
    intake: IntakeForm | None = None,
    note: ClearanceNote | None = None,
) -> IntakeAccess | None:
    """Record that `viewer` read `kind` of a client's health data (an intake version or
    clearance note, or a booking's details, answers or record); None when the viewer is
    the client. Reads of an intake or note name it; every other read names its booking."""
    if note is not None:
        intake = note.intake
    client_id = intake.client_id if intake is not None else booking.client_id
    if viewer.pk == client_id:
        return None
    if viewer.is_staff:
        subject = (
            Subject("health form", str(intake.code), kind.label)
            if intake is not None
            else Subject("booking", str(booking.code), kind.label)
        )
        activity.record(viewer, "health_read", subject)
    return IntakeAccess.objects.create(
        client_id=client_id,
        kind=kind,
        intake=intake,
        note=note,
        booking=booking,
        viewer=viewer,
        role=viewer.role,
    )


def log_health_reads(viewer: User, kind: IntakeAccess.Kind, bookings: Iterable[Booking]) -> int:
    """Record a read of `kind` for each booking a list page showed to `viewer` (one insert,
    whatever their number); the viewer's own bookings as a client are left out."""
    rows = [
        IntakeAccess(
            client_id=booking.client_id,
            kind=kind,
            booking=booking,
            viewer=viewer,
            role=viewer.role,
        )
        for booking in bookings
        if booking.client_id != viewer.pk
    ]
    if rows:
        IntakeAccess.objects.bulk_create(rows)
        if viewer.is_staff:
            subjects = (Subject("booking", str(row.booking.code), kind.label) for row in rows)
            activity.record_many(viewer, "health_read", subjects)
    return len(rows)


def log_intake_reads(viewer: User, intakes: Iterable[IntakeForm]) -> int:
    """Record a read of each of `intakes` (health form versions a page showed to `viewer`) in
    one insert; the viewer's own versions as a client are left out."""
    rows = [
        IntakeAccess(
            client_id=intake.client_id,
            kind=Kind.INTAKE,
            intake=intake,
            viewer=viewer,
            role=viewer.role,
        )
        for intake in intakes
        if intake.client_id != viewer.pk
    ]
    if rows:
        IntakeAccess.objects.bulk_create(rows)
        if viewer.is_staff:
            subjects = (
                Subject("health form", str(row.intake.code), Kind.INTAKE.label) for row in rows
            )
            activity.record_many(viewer, "health_read", subjects)
    return len(rows)
