"""The practitioner's own area: profile, services, hours, exceptions, time off and the busy
times imported from their own calendars."""

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from practitioners.access import practitioner_required
from practitioners.busy_import import MAX_CALENDARS, add_busy_calendar, remove_busy_calendar
from practitioners.forms.busy import BusyCalendarForm
from practitioners.forms.calendar import (
    DateExceptionForm,
    TimeOffForm,
    WeekHoursForm,
    long_date,
)
from practitioners.forms.profile import ProfileForm
from practitioners.forms.services import ServiceForm, ServiceLengthFormSet
from practitioners.freed_time import record_freed_time, record_hours_extended
from practitioners.hours import hours_gained, whole_days, whole_days_span
from practitioners.models import (
    DateException,
    FreedTime,
    Practitioner,
    Service,
    TimeOff,
    WeeklyHours,
)
from practitioners.review import (
    change_requests_for,
    flag_guarded_form,
    profile_subject,
    service_subject,
)
from practitioners.services import announce_calendar_change


def _today(practitioner: Practitioner):
    return timezone.localdate(timezone=ZoneInfo(practitioner.timezone))


@require_http_methods(["GET"])
@practitioner_required
def dashboard(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    counts = Practitioner.objects.filter(pk=practitioner.pk).aggregate(
        service_count=Count("services", distinct=True),
        offered_count=Count("services", filter=Q(services__is_active=True), distinct=True),
        range_count=Count("weekly_hours", distinct=True),
    )
    context = {
        "practitioner": practitioner,
        "missing": practitioner.missing_for_listing(),
        "counts": counts,
        "change_requests": change_requests_for(practitioner),
        "staff_hide": practitioner.staff_hide,
    }
    return render(request, "practitioners/area/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@practitioner_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    form = ProfileForm(request.POST or None, request.FILES or None, instance=practitioner)
    if form.is_valid():
        form.save()
        flag_guarded_form(practitioner=practitioner, subject=profile_subject(), form=form)
        announce_calendar_change(practitioner)
        messages.success(request, _("Your profile was saved."))
        return redirect("practitioners:dashboard")
    return render(request, "practitioners/area/profile.html", {"form": form})


@require_http_methods(["GET"])
@practitioner_required
def services(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    service_list = practitioner.services.prefetch_related("lengths")
    return render(request, "practitioners/area/services.html", {"services": service_list})


def _service_form(request: HttpRequest, service: Service) -> HttpResponse:
    """Create or edit `service` and its lengths, saved together or not at all."""
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, instance=service)
    lengths = ServiceLengthFormSet(data, instance=service, prefix="lengths")
    if data is not None and form.is_valid() and lengths.is_valid():
        created = service.pk is None
        with transaction.atomic():
            form.save()
            lengths.save()
            flag_guarded_form(
                practitioner=service.practitioner, subject=service_subject(service), form=form
            )
        announce_calendar_change(service.practitioner)
        done = _("“%(name)s” was added.") if created else _("“%(name)s” was saved.")
        messages.success(request, done % {"name": service.name})
        return redirect("practitioners:services")
    context = {"form": form, "lengths": lengths, "service": service}
    return render(request, "practitioners/area/service_form.html", context)


@require_http_methods(["GET", "POST"])
@practitioner_required
def service_create(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    return _service_form(request, Service(practitioner=practitioner))


@require_http_methods(["GET", "POST"])
@practitioner_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner = request.user.practitioner
    service = get_object_or_404(practitioner.services, pk=pk)
    return _service_form(request, service)


@require_http_methods(["GET", "POST"])
@practitioner_required
def hours(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    template = "practitioners/area/hours.html"
    if request.method == "GET":
        week = WeekHoursForm.from_ranges(
            (r.weekday, r.starts, r.ends) for r in practitioner.weekly_hours.all()
        )
    else:
        week = WeekHoursForm(request.POST)
        if "summary" in request.POST:
            # The summary of what is typed so far, asked for by htmx as the form changes.
            if request.htmx:
                template += "#summary"
        elif rearranged := week.rearranged(request.POST):
            week = rearranged
        elif week.is_valid():
            with transaction.atomic():
                old = [(r.weekday, r.starts, r.ends) for r in practitioner.weekly_hours.all()]
                # Replace the whole week at once: the form shows every range.
                practitioner.weekly_hours.all().delete()
                WeeklyHours.objects.bulk_create(
                    WeeklyHours(practitioner=practitioner, weekday=w, starts=s, ends=e)
                    for w, s, e in sorted(week.ranges())
                )
                if hours_gained(old, week.ranges()):
                    record_hours_extended(practitioner)  # the waitlist's outbox, same commit
                announce_calendar_change(practitioner)
            messages.success(request, _("Your weekly hours were saved."))
            return redirect("practitioners:hours")
    return render(request, template, {"week": week, "practitioner": practitioner})


def _record_freed_day(practitioner: Practitioner, exception: DateException, cause: str) -> None:
    """The waitlist's outbox row for a date whose hours opened up (a closed day removed,
    extra hours added): the extra hours themselves, or the whole local day."""
    zone = ZoneInfo(practitioner.timezone)
    starts_at, ends_at = whole_days_span(exception.date, exception.date, zone)
    if exception.starts is not None:
        starts_at = datetime.combine(exception.date, exception.starts, zone)
        ends_at = datetime.combine(exception.date, exception.ends, zone)
    record_freed_time(practitioner, starts_at, ends_at, cause)


@require_http_methods(["GET", "POST"])
@practitioner_required
def exceptions(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    form = DateExceptionForm(request.POST or None, practitioner=practitioner)
    if form.is_valid():
        with transaction.atomic():
            exception = form.save()
            if exception.kind == DateException.Kind.EXTRA:
                _record_freed_day(practitioner, exception, FreedTime.Cause.EXTRA_HOURS)
        announce_calendar_change(practitioner)
        messages.success(request, _("%(date)s was added.") % {"date": long_date(exception.date)})
        return redirect("practitioners:exceptions")
    upcoming = practitioner.date_exceptions.filter(date__gte=_today(practitioner))
    context = {"form": form, "upcoming": upcoming, "practitioner": practitioner}
    return render(request, "practitioners/area/exceptions.html", context)


@require_POST
@practitioner_required
def exception_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner = request.user.practitioner
    exception = get_object_or_404(practitioner.date_exceptions, pk=pk)
    with transaction.atomic():
        exception.delete()
        if exception.kind == DateException.Kind.CLOSED:
            _record_freed_day(practitioner, exception, FreedTime.Cause.CLOSED_DAY_REMOVED)
    announce_calendar_change(practitioner)
    messages.success(request, _("%(date)s was removed.") % {"date": long_date(exception.date)})
    return redirect("practitioners:exceptions")


@require_http_methods(["GET", "POST"])
@practitioner_required
def time_off(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    form = TimeOffForm(request.POST or None, practitioner=practitioner)
    if form.is_valid():
        stretch = TimeOff.objects.create(
            practitioner=practitioner,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            reason=form.cleaned_data["reason"],
        )
        announce_calendar_change(practitioner)
        clashes = len(_booked_during(practitioner, [stretch]))
        added = _("Your time off was added.")
        if clashes:
            added += " " + ngettext(
                "%(count)d booked session falls in it: they are listed under it below, to move "
                "or cancel.",
                "%(count)d booked sessions fall in it: they are listed under it below, to move "
                "or cancel.",
                clashes,
            ) % {"count": clashes}
        messages.success(request, added)
        return redirect("practitioners:time-off")
    zone = ZoneInfo(practitioner.timezone)
    stretches = list(practitioner.time_off.filter(ends_at__gt=timezone.now()))
    booked = _booked_during(practitioner, stretches)
    upcoming = [
        (
            stretch,
            whole_days(stretch.starts_at, stretch.ends_at, zone),
            [
                b
                for b in booked
                if b.blocks_from < stretch.ends_at and stretch.starts_at < b.blocks_until
            ],
        )
        for stretch in stretches
    ]
    context = {"form": form, "upcoming": upcoming, "practitioner": practitioner}
    return render(request, "practitioners/area/time_off.html", context)


def _booked_during(practitioner: Practitioner, stretches: list[TimeOff]) -> list:
    """The practitioner's active bookings (the bookings queryset's own rule, reached through
    the relation) whose blocked time meets any of `stretches`, in one query."""
    if not stretches:
        return []
    meets = Q()
    for stretch in stretches:
        meets |= Q(blocks_from__lt=stretch.ends_at, blocks_until__gt=stretch.starts_at)
    return list(practitioner.bookings.active().filter(meets).select_related("client"))


@require_POST
@practitioner_required
def time_off_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner = request.user.practitioner
    stretch = get_object_or_404(practitioner.time_off, pk=pk)
    with transaction.atomic():
        stretch.delete()
        record_freed_time(
            practitioner, stretch.starts_at, stretch.ends_at, FreedTime.Cause.TIME_OFF_REMOVED
        )
    announce_calendar_change(practitioner)
    messages.success(request, _("The time off was removed."))
    return redirect("practitioners:time-off")


@require_http_methods(["GET", "POST"])
@practitioner_required
def busy_calendars(request: HttpRequest) -> HttpResponse:
    """The practitioner's own calendars whose busy times block bookings: each one's status
    (last read, last error), and a form to add one. Addresses are shown masked."""
    practitioner = request.user.practitioner
    form = BusyCalendarForm(request.POST or None, practitioner=practitioner)
    if form.is_valid():
        calendar = add_busy_calendar(
            practitioner=practitioner,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
        )
        messages.success(
            request,
            _("“%(name)s” was added. Its busy times are read now and then every 15 minutes.")
            % {"name": calendar.name},
        )
        return redirect("practitioners:busy-calendars")
    calendars = practitioner.busy_calendars.annotate(busy_count=Count("intervals"))
    context = {
        "form": form,
        "calendars": calendars,
        "practitioner": practitioner,
        "max_calendars": MAX_CALENDARS,
    }
    return render(request, "practitioners/area/busy_calendars.html", context)


@require_POST
@practitioner_required
def busy_calendar_delete(request: HttpRequest, code: UUID) -> HttpResponse:
    practitioner = request.user.practitioner
    calendar = get_object_or_404(practitioner.busy_calendars, code=code)
    remove_busy_calendar(calendar)
    messages.success(
        request,
        _("“%(name)s” was removed; its busy times no longer block bookings.")
        % {"name": calendar.name},
    )
    return redirect("practitioners:busy-calendars")
