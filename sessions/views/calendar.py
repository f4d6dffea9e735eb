"""The practitioner's day and week calendar, and moving a booking on the client's behalf
(issue 14, part A). Times are in the practice's zone, as on the agenda; the layout is
sessions.calendar's, the move goes through sessions.booking.reschedule_booking."""

from datetime import date, timedelta
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from practitioners.access import practitioner_required
from sessions.access import practitioner_booking
from sessions.booking import BookingRefused, SlotTaken, reschedule_booking
from sessions.calendar import practitioner_calendar
from sessions.forms.agenda import AgendaDateForm
from sessions.forms.calendar import MoveForm
from sessions.models import Booking


def _asked_day(request: HttpRequest, today: date) -> date:
    """The day in ?date=, or today when it is missing or not a date."""
    form = AgendaDateForm(request.GET if "date" in request.GET else None)
    return form.cleaned_data["date"] if form.is_valid() else today


def _calendar_page(request: HttpRequest, *, view: str) -> HttpResponse:
    practitioner = request.user.practitioner
    tz = ZoneInfo(practitioner.timezone)
    today = timezone.localdate(timezone=tz)
    day = _asked_day(request, today)
    full_day = request.GET.get("hours") == "all"
    if view == "week":
        first = day - timedelta(days=day.weekday())
        days = [first + timedelta(days=n) for n in range(7)]
        step = timedelta(days=7)
    else:
        days, step = [day], timedelta(days=1)
    here = reverse(f"sessions:calendar-{view}")
    context = {
        "practitioner": practitioner,
        "view": view,
        "day": day,
        "today": today,
        "calendar": practitioner_calendar(practitioner, days, full_day=full_day),
        "full_day": full_day,
        "first": days[0],
        "last": days[-1],
        "previous": day - step,
        "next": day + step,
        "here": f"{here}?date={day:%Y-%m-%d}" + ("&hours=all" if full_day else ""),
        "book_url": reverse("sessions:book-for-client"),
    }
    return render(request, f"sessions/calendar/{view}.html", context)


@require_GET
@practitioner_required
def calendar_week(request: HttpRequest) -> HttpResponse:
    """The Monday-to-Sunday week holding ?date= (today by default) as a time grid."""
    return _calendar_page(request, view="week")


@require_GET
@practitioner_required
def calendar_day(request: HttpRequest) -> HttpResponse:
    """The day ?date= (today by default) as a time grid."""
    return _calendar_page(request, view="day")


def _calendar_next(request: HttpRequest, target: str) -> str:
    """`target` if it is one of this site's calendar pages, else ""."""
    calendars = {reverse("sessions:calendar-week"), reverse("sessions:calendar-day")}
    if (
        url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not urlsplit(target).netloc
        and urlsplit(target).path in calendars
    ):
        return target
    return ""


def _back(request: HttpRequest, booking: Booking) -> str:
    """After a move: the calendar page the move came from (?next=), else the day calendar
    on the booking's new date."""
    if target := _calendar_next(request, request.POST.get("next", "")):
        return target
    local_day = booking.starts_at.astimezone(ZoneInfo(booking.practitioner.timezone)).date()
    return f"{reverse('sessions:calendar-day')}?date={local_day:%Y-%m-%d}"


@require_http_methods(["GET", "POST"])
def booking_move(request: HttpRequest, code: UUID) -> HttpResponse:
    """The practitioner moves a booking on the client's behalf: a new date and time in the
    practice's zone and a reason emailed to the client. Refusals come back in the form with
    what was typed; only the booking's practitioner gets here (others 404, its client 403)."""
    booking = practitioner_booking(request, code)
    tz = ZoneInfo(booking.practitioner.timezone)
    local = booking.starts_at.astimezone(tz)
    form = MoveForm(
        request.POST or None, zone=tz, initial={"date": local.date(), "time": local.time()}
    )
    error, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                moved = reschedule_booking(
                    booking=booking,
                    new_starts_at=form.cleaned_data["start"],
                    by_practitioner=True,
                    reason=form.cleaned_data["reason"],
                    outside_hours=form.cleaned_data["outside_hours"],
                )
            except BookingRefused as refusal:
                error = str(refusal)
                status = 409 if isinstance(refusal, SlotTaken) else 400
            else:
                new = moved.starts_at.astimezone(tz)
                messages.success(
                    request,
                    _(
                        "Moved: %(client)s’s session is now on %(when)s. The client has been "
                        "emailed the new time and your reason."
                    )
                    % {
                        "client": moved.client.full_name,
                        "when": dateformat.format(new, _("l j F \\a\\t H:i")),
                    },
                )
                return redirect(_back(request, moved))
    context = {
        "booking": booking,
        "local": local,
        "local_end": booking.ends_at.astimezone(tz),
        "form": form,
        "error": error,
        "blocked": booking.move_refusal(),
        "next": _calendar_next(request, request.POST.get("next") or request.GET.get("next", "")),
        "practitioner": booking.practitioner,
    }
    return render(request, "sessions/calendar/move.html", context, status=status)
