"""Loading a booking for the person asking: the one way views turn a booking code into a
booking (STYLE 11 and 12).

Every loader reads through Booking.objects.visible_to(user), so anyone who may not see the
booking gets 404, whoever they are. The role loaders then refuse with 403 someone who may see
the booking but may not act on it in that role: the client acts on their booking through
their pages, the practitioner through theirs, and staff read. Pages for practitioners only,
without a booking, use practitioners.access.practitioner_required.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from sessions.models import Booking, WaitlistEntry, WaitlistOffer

# What every booking page names: the client, the practitioner (and their account), the service.
RELATED = ("client", "practitioner__user", "service")


def visible_booking(request: HttpRequest, code: UUID, *, also: tuple[str, ...] = ()) -> Booking:
    """The booking if the viewer may see it (its client, its practitioner, staff), with
    RELATED and `also` joined; 404 for anyone else."""
    bookings = Booking.objects.visible_to(request.user).select_related(*RELATED, *also)
    return get_object_or_404(bookings, code=code)


def client_booking(request: HttpRequest, code: UUID, *, also: tuple[str, ...] = ()) -> Booking:
    """The booking for its client to act on: 404 if the viewer may not see it, 403 if they
    may but are not its client (its practitioner, staff)."""
    booking = visible_booking(request, code, also=also)
    if booking.client_id != request.user.pk:
        raise PermissionDenied("Only the booking's client can do this.")
    return booking


def practitioner_booking(
    request: HttpRequest, code: UUID, *, also: tuple[str, ...] = ()
) -> Booking:
    """The booking for its practitioner to act on: 404 if the viewer may not see it, 403 if
    they may but are not its practitioner (its client, staff)."""
    booking = visible_booking(request, code, also=also)
    if booking.practitioner.user_id != request.user.pk:
        raise PermissionDenied("Only the booking's practitioner can do this.")
    return booking


def client_waitlist_entry(request: HttpRequest, code: UUID) -> WaitlistEntry:
    """One of the viewer's own waitlist entries; anyone else's is not found (404)."""
    return get_object_or_404(WaitlistEntry.objects.filter(client=request.user), code=code)


def client_waitlist_offer(request: HttpRequest, code: UUID) -> WaitlistOffer:
    """An offer made to the viewer, with its entry, practitioner and length; anyone else's
    is not found (404), so an offer link is of no use to another account."""
    offers = WaitlistOffer.objects.filter(entry__client=request.user).select_related(
        "entry__practitioner__user", "entry__length__service"
    )
    return get_object_or_404(offers, code=code)
