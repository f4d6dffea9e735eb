"""The practitioner's clients list and client page (issue 14, part B).

The list is the practitioner's own: everyone who has booked them, nobody else's clients. The
client page shows one client's bookings with the viewing practitioner; their health form,
records and tenderness history only while a booking with them still opens their health data
(sessions.client_history.health_open), every such read logged (sessions.audit). Staff read
any client's page, logged; clients are refused.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import User
from practitioners.access import practitioner_required
from sessions.audit import Kind, log_health_read
from sessions.client_history import health_open, history_bookings, point_histories, series_of
from sessions.clients import attach_flags, clients_found, with_figures
from sessions.forms.clients import ClientSearchForm
from sessions.intake import readable_answers
from sessions.models import Booking, BookingQuerySet, IntakeForm

PAGE_SIZE = 25


@require_safe
@practitioner_required
def client_list(request: HttpRequest) -> HttpResponse:
    """Everyone who has booked the practitioner, by name, searchable by name, email and
    phone, 25 to a page, in a fixed number of queries whatever their number."""
    practitioner = request.user.practitioner
    form = ClientSearchForm(request.GET)
    now = timezone.now()
    found = (
        clients_found(practitioner, now=now, query=form.query)
        if form.is_valid()
        else User.objects.none()
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = User.objects.filter(pk__in=[person.pk for person in page])
    clients = list(with_figures(shown, practitioner, now=now))
    attach_flags(clients)
    context = {
        "practitioner": practitioner,
        "form": form,
        "page": page,
        "clients": clients,
        "query": form.query,
    }
    return render(request, "sessions/clients/list.html", context)


def _client_for(
    request: HttpRequest, client_id: int, now: datetime
) -> tuple[User, BookingQuerySet]:
    """The client and the bookings of theirs this page shows the viewer: a practitioner's
    bookings with them (404 if the client never booked this practitioner, so another
    practitioner's clients do not exist here), for staff all of the client's bookings;
    403 for anyone else. A practitioner's client carries with_figures' figures and flags."""
    practitioner = getattr(request.user, "practitioner", None)
    if practitioner is not None:
        clients = with_figures(clients_found(practitioner, now=now), practitioner, now=now)
        client = get_object_or_404(clients, pk=client_id)
        attach_flags([client])
        return client, practitioner.bookings.filter(client=client)
    if not request.user.is_staff:
        raise PermissionDenied("The client pages are for practitioners.")
    bookings = Booking.objects.filter(client_id=client_id).select_related("practitioner")
    return get_object_or_404(User.objects.filter(Exists(bookings)), pk=client_id), bookings


def _anchor(bookings: list[Booking], now: datetime) -> Booking:
    """The booking a read of the client's history is logged against: the newest one that
    opens their health data, else (staff) the newest."""
    return next((b for b in bookings if b.opens_intake(now)), bookings[0])


@require_safe
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    """One client: their bookings with the practitioner and, while a booking opens their
    health data, their latest health form, session records and tenderness history (each
    read logged). Staff see all of the client's bookings; a fixed number of queries."""
    now = timezone.now()
    client, with_client = _client_for(request, client_id, now)
    is_practitioner = hasattr(request.user, "practitioner")
    zone = request.user.practitioner.timezone if is_practitioner else request.user.timezone
    # The series come with the bookings (no query of their own): the page's budget is fixed.
    bookings = history_bookings(
        with_client.select_related("series"), now=now, writer=is_practitioner
    )
    is_open = health_open(request.user, with_client, now)
    intake = None
    if is_open:
        intake = (
            IntakeForm.objects.visible_to(request.user, now)
            .filter(client=client)
            .order_by("-version")
            .first()
        )
        if intake is not None:
            log_health_read(request.user, Kind.INTAKE, intake=intake)
        log_health_read(request.user, Kind.HISTORY, booking=_anchor(bookings, now))
    context = {
        "client": client,
        "is_practitioner": is_practitioner,
        "zone": zone,
        "bookings": bookings,
        "series": series_of(bookings) if is_practitioner else [],
        "is_open": is_open,
        "intake": intake,
        "sections": readable_answers(intake.answers) if intake is not None else [],
        "points": point_histories(bookings, ZoneInfo(zone)) if is_open else [],
        "history_from": _anchor(bookings, now) if is_open else None,
    }
    return render(request, "sessions/clients/detail.html", context)
