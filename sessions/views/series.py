"""A series of sessions for a client (issue 14, part D), and the "book again" links.

Practitioners only (anyone else 403); a client who has never booked this practitioner, or
another practitioner's series, is not found (404). Step 1 (GET) chooses the session, first
date and time, how often and how many; the preview lists each date as free or clashing, with
the nearest free times that day for a clash; the confirmation (POST) books the chosen dates
all at once or none (sessions.booking.book_series), and says which date was taken meanwhile.
"""

from datetime import datetime
from functools import wraps
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from practitioners.access import practitioner_required
from practitioners.models import Practitioner, ServiceLength
from sessions.booking import (
    BookingRefused,
    SeriesRefused,
    book_series,
    cancel_series_from,
    clients_of,
)
from sessions.forms.booking import format_start
from sessions.forms.series import (
    NOT_OFFERED,
    NOT_OFFERED_HERE,
    CancelOnwardForm,
    SeriesForm,
    chosen_starts,
)
from sessions.intake import current_intake
from sessions.models import Booking, BookingSeries
from sessions.series import again_starts, preview_series


def _series_of(practitioner: Practitioner, code: UUID) -> BookingSeries:
    """The practitioner's own series; another practitioner's is not found (404)."""
    series = BookingSeries.objects.filter(practitioner=practitioner).select_related(
        "client", "service", "practitioner__user"
    )
    return get_object_or_404(series, code=code)


def _in_practice_zone(view):
    """Show the page in the practice's zone, the one a series' wall-clock times follow (as the
    agenda does); for practitioners only, after practitioner_required."""

    @wraps(view)
    def in_zone(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with timezone.override(ZoneInfo(request.user.practitioner.timezone)):
            return view(request, *args, **kwargs)

    return in_zone


def _local(instant: datetime) -> str:
    return date_format(timezone.localtime(instant), _("D j M Y, H:i"))


def _rows(dates, posted: dict[int, str] | None) -> list[dict]:
    """The preview's dates for the template, each with its choice: as posted, else the
    wanted time for a free date and "do not book" for a clash."""
    rows = []
    for item in dates:
        wanted = format_start(item.wanted) if item.wanted else ""
        default = wanted if item.free else ""
        rows.append(
            {
                "date": item,
                "value": wanted,
                "chosen": posted.get(item.number, "") if posted is not None else default,
                "options": [
                    {"value": format_start(t), "local": timezone.localtime(t)} for t in item.nearest
                ],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@practitioner_required
@_in_practice_zone
def series_new(request: HttpRequest, client_id: int) -> HttpResponse:
    practitioner = request.user.practitioner
    # Someone the practitioner may book for (sessions.booking.clients_of); 404 otherwise.
    client = get_object_or_404(clients_of(practitioner), pk=client_id)
    now = timezone.now()
    today = now.astimezone(ZoneInfo(practitioner.timezone)).date()
    data = request.POST if request.method == "POST" else request.GET
    bound = "length" in data or request.method == "POST"
    form = SeriesForm(data if bound else None, practitioner=practitioner, today=today)
    context = {"client": client, "form": form, "practitioner": practitioner}
    if current_intake(client, now) is None:
        context["no_intake"] = True
        return render(request, "sessions/series/new.html", context)
    if not bound or not form.is_valid():
        return render(request, "sessions/series/new.html", context, status=400 if bound else 200)
    length: ServiceLength = form.cleaned_data["length"]
    options = {
        "service": length.service,
        "minutes": length.minutes,
        "every_weeks": form.cleaned_data["every_weeks"],
        "count": form.cleaned_data["count"],
    }
    posted, error, refusals, stray = None, "", {}, set()
    dates = preview_series(practitioner=practitioner, first=form.first_start(), now=now, **options)
    if request.method == "POST":
        posted, starts, stray = chosen_starts(request.POST, dates)
    if stray:
        error = _(NOT_OFFERED)
    elif request.method == "POST":
        try:
            series = book_series(
                practitioner=practitioner,
                client=client,
                starts=starts,
                created_by=request.user,
                now=now,
                **options,
            )
        except SeriesRefused as refused:
            error = str(refused)
            refusals = {format_start(start): reason for start, reason in refused.refusals.items()}
        except BookingRefused as refused:
            error = str(refused)
        else:
            booked = series.bookings.count()
            messages.success(
                request,
                ngettext(
                    "%(count)s session booked for %(client)s. They have been sent one email "
                    "listing the dates.",
                    "%(count)s sessions booked for %(client)s. They have been sent one email "
                    "listing the dates.",
                    booked,
                )
                % {"count": booked, "client": client.full_name},
            )
            return redirect(series)
        # Refused: the dates as they are now.
        dates = preview_series(
            practitioner=practitioner, first=form.first_start(), now=now, **options
        )
    rows = _rows(dates, posted)
    for row in rows:
        stray_here = _(NOT_OFFERED_HERE) if row["date"].number in stray else ""
        row["refusal"] = stray_here or refusals.get(row["chosen"], "")
    context |= {
        "rows": rows,
        "length": length,
        "error": error,
        "clashes": sum(not d.free for d in dates),
    }
    return render(request, "sessions/series/new.html", context, status=409 if error else 200)


def _cancel_form(series: BookingSeries, bookings: list[Booking], now, data=None):
    dates = [
        (format_start(b.starts_at), _local(b.starts_at)) for b in bookings if b.is_upcoming(now)
    ]
    return CancelOnwardForm(data, dates=dates)


def _series_page(request, series: BookingSeries, form=None, status: int = 200) -> HttpResponse:
    now = timezone.now()
    bookings = list(series.bookings.all())
    form = form or _cancel_form(series, bookings, now)
    context = {
        "series": series,
        "bookings": bookings,
        "form": form,
        "can_cancel": bool(form.fields["starting"].choices),
    }
    return render(request, "sessions/series/detail.html", context, status=status)


@require_http_methods(["GET"])
@practitioner_required
@_in_practice_zone
def series_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    """The series' dates with their statuses, and "cancel from this date onward"."""
    return _series_page(request, _series_of(request.user.practitioner, code))


@require_POST
@practitioner_required
@_in_practice_zone
def series_cancel(request: HttpRequest, code: UUID) -> HttpResponse:
    series = _series_of(request.user.practitioner, code)
    now = timezone.now()
    form = _cancel_form(series, list(series.bookings.all()), now, request.POST)
    if not form.is_valid():
        return _series_page(request, series, form, status=400)
    try:
        cancelled = cancel_series_from(
            series=series,
            from_starts_at=form.starts_at(),
            reason=form.cleaned_data["reason"],
            now=now,
        )
    except BookingRefused as refused:
        form.add_error(None, str(refused))
        return _series_page(request, series, form, status=409)
    messages.success(
        request,
        ngettext(
            "Cancelled %(count)s session from %(start)s. %(client)s has been sent one email "
            "with your reason.",
            "Cancelled %(count)s sessions from %(start)s. %(client)s has been sent one email "
            "with your reason.",
            len(cancelled),
        )
        % {
            "count": len(cancelled),
            "start": _local(cancelled[0].starts_at),
            "client": series.client.full_name,
        },
    )
    return redirect(series)


def book_again_links(booking: Booking, *, for_practitioner: bool, length_id: int | None):
    """ "Book again in N weeks" after a completed session: for its client, the week of free
    times holding the date N weeks later (same service and length); for its practitioner,
    booking the client at the same local time N weeks later. [] if the session is not
    completed (or, for the client, its length is no longer offered). Only dates still ahead:
    an old session offers none of its weeks that have passed."""
    if booking.status != Booking.Status.COMPLETED:
        return []
    now = timezone.now()
    again = [
        (weeks, start)
        for weeks, start in again_starts(booking.starts_at, ZoneInfo(booking.practitioner.timezone))
        if start > now
    ]
    if for_practitioner:
        base = reverse("sessions:book-for-client")
        return [
            {
                "weeks": weeks,
                "when": start,
                "url": f"{base}?{urlencode({'client': booking.client_id, 'start': format_start(start)})}",
            }
            for weeks, start in again
        ]
    if length_id is None:
        return []
    base = reverse(
        "sessions:slots", kwargs={"slug": booking.practitioner.slug, "length_id": length_id}
    )
    return [
        {
            "weeks": weeks,
            "when": start,
            "url": f"{base}?week={timezone.localtime(start).date().isoformat()}",
        }
        for weeks, start in again
    ]
