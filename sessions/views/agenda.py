"""The practitioner's agenda, the actions on their bookings (confirm, decline, safety decision,
finish, cancel) and their private calendar feed.

Times are shown in the practice's zone (practitioner.timezone): the agenda is about the days
the practice works, whatever zone the practitioner's own account is set to."""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from practitioners.access import practitioner_required
from practitioners.models import Practitioner, new_calendar_token
from sessions import ics
from sessions.access import practitioner_booking
from sessions.audit import Kind, log_health_reads
from sessions.availability import date_rules, weekly_ranges
from sessions.booking import (
    BookingRefused,
    cancel_booking,
    confirm_booking,
    decline_booking,
    finish_booking,
    record_safety_decision,
)
from sessions.forms.agenda import (
    AgendaDateForm,
    DeclineForm,
    FinishForm,
    PractitionerCancelForm,
    SafetyDecisionForm,
)
from sessions.models import Booking
from sessions.slots import working_ranges

Status = Booking.Status
# The feed: sessions that stand or took place, from this far back. Cancelled, declined and
# no-show bookings are left out, so a subscribed calendar drops them at its next refresh.
FEED_PAST = timedelta(days=30)
FEED_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.COMPLETED)


# --- agenda -------------------------------------------------------------------------------


@dataclass
class Entry:
    """A booking with its times in the practice's zone."""

    booking: Booking
    starts: datetime
    ends: datetime
    blocks_until: datetime

    @property
    def has_buffer(self) -> bool:
        return self.blocks_until > self.ends


@dataclass
class HourRow:
    """One hour of the day-grid: bookings starting in it, and any session or buffer that
    started earlier and runs into it."""

    starts: time
    working: bool
    entries: list[Entry] = field(default_factory=list)
    # (entry, True while the session itself runs on; False when only its buffer does)
    running: list[tuple[Entry, bool]] = field(default_factory=list)


def _entry(booking: Booking, tz: ZoneInfo) -> Entry:
    return Entry(
        booking=booking,
        starts=booking.starts_at.astimezone(tz),
        ends=booking.ends_at.astimezone(tz),
        blocks_until=booking.blocks_until.astimezone(tz),
    )


def _hour_of(moment: time, *, round_up: bool = False) -> int:
    if round_up and (moment.minute or moment.second):
        return moment.hour + 1
    return moment.hour


def _day_grid(day: date, entries: list[Entry], weekly, ranges) -> list[HourRow]:
    """Rows per hour (wall clock) from the earliest working hour of the week to the latest,
    widened to take in any booking of the day outside them."""
    starts = [_hour_of(w.starts) for w in weekly] + [_hour_of(s) for s, _ in ranges]
    ends = [_hour_of(w.ends, round_up=True) for w in weekly]
    ends += [_hour_of(e, round_up=True) for _, e in ranges]
    for entry in entries:
        starts.append(entry.starts.hour)
        # A buffer that runs past midnight ends the grid at 24:00.
        last = entry.blocks_until
        ends.append(24 if last.date() > day else _hour_of(last.time(), round_up=True))
    if not starts:
        return []

    def runs_past(moment: datetime, row_start: time) -> bool:
        # Wall clock, like the rows: on a clock-change day the grid follows the clock.
        return moment.date() > day or moment.time() > row_start

    rows = []
    for hour in range(min(starts), max(max(ends), min(starts) + 1)):
        row_start, row_end = time(hour), (time(hour + 1) if hour < 23 else time.max)
        rows.append(
            HourRow(
                starts=row_start,
                working=any(s < row_end and e > row_start for s, e in ranges),
                entries=[e for e in entries if e.starts.hour == hour],
                running=[
                    (e, runs_past(e.ends, row_start))
                    for e in entries
                    if e.starts.hour < hour and runs_past(e.blocks_until, row_start)
                ],
            )
        )
    return rows


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tz)


@require_GET
@practitioner_required
def agenda(request: HttpRequest) -> HttpResponse:
    """Requests waiting for an answer, the chosen day as a grid and its week as a list, in a
    fixed number of queries whatever the number of bookings."""
    practitioner = request.user.practitioner
    tz = ZoneInfo(practitioner.timezone)
    today = timezone.localdate(timezone=tz)
    date_form = AgendaDateForm(request.GET if "date" in request.GET else None)
    day = date_form.cleaned_data["date"] if date_form.is_valid() else today
    if not date_form.is_bound:
        date_form = AgendaDateForm(initial={"date": today})
    monday = day - timedelta(days=day.weekday())
    week_days = [monday + timedelta(days=n) for n in range(7)]

    bookings = practitioner.bookings.select_related("client", "service").with_clearance_note()
    waiting = [
        _entry(b, tz) for b in bookings.filter(status=Status.REQUESTED).order_by("starts_at")
    ]
    week = [
        _entry(b, tz)
        for b in bookings.filter(
            starts_at__gte=_local_midnight(monday, tz),
            starts_at__lt=_local_midnight(monday + timedelta(days=7), tz),
        ).order_by("starts_at")
    ]
    # "Needs your answer" prints the client's message (which may carry health words): a read
    # of it for each request that has one. Flag names alone are not logged.
    log_health_reads(
        request.user, Kind.BOOKING, [e.booking for e in waiting if e.booking.client_message]
    )
    weekly = weekly_ranges(practitioner)
    rules = date_rules(practitioner, day, day)
    ranges = working_ranges(day, weekly, rules)
    day_entries = [
        e for e in week if e.starts.date() == day and e.booking.status in Booking.HOLDS_TIME
    ]
    # Who is waiting for a time in this week, shown per day: one query.
    waitlist = list(
        practitioner.waitlist_entries.active()
        .filter(first_day__lte=monday + timedelta(days=6), last_day__gte=monday)
        .select_related("client", "length__service")
    )
    context = {
        "practitioner": practitioner,
        "date_form": date_form,
        "day": day,
        "today": today,
        "waiting": waiting,
        "ranges": ranges,
        "closed": any(rule.closed for rule in rules),
        "rows": _day_grid(day, day_entries, weekly, ranges),
        # Each day of the week: its bookings, and how many wait for a time that day.
        "week": [
            (
                d,
                [e for e in week if e.starts.date() == d],
                sum(entry.waits_on(d) for entry in waitlist),
            )
            for d in week_days
        ],
        "day_waitlist": [entry for entry in waitlist if entry.waits_on(day)],
        "monday": monday,
        "links": {
            "previous_week": day - timedelta(days=7),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "next_week": day + timedelta(days=7),
        },
    }
    return render(request, "sessions/agenda/agenda.html", context)


# --- actions on one booking -----------------------------------------------------------------


def _back(request: HttpRequest, booking: Booking) -> str:
    """Where to go after an action: the page the form was on, if it is the agenda or this
    booking's page (and on this site); else the agenda on the booking's day."""
    agenda_url = reverse("sessions:agenda")
    allowed = {agenda_url}
    with suppress(NoReverseMatch):  # the booking page may not be wired up
        allowed.add(booking.get_absolute_url())
    target = request.POST.get("next", "")
    if (
        url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not urlsplit(target).netloc
        and urlsplit(target).path in allowed
    ):
        return target
    local_day = booking.starts_at.astimezone(ZoneInfo(booking.practitioner.timezone)).date()
    return f"{agenda_url}?date={local_day:%Y-%m-%d}"


def _when(booking: Booking) -> str:
    local = booking.starts_at.astimezone(ZoneInfo(booking.practitioner.timezone))
    return _("%(client)s, %(when)s") % {
        "client": booking.client.full_name,
        # Translators: a date format (Django's "date" filter): Monday 5 January at 14:00
        "when": dateformat.format(local, _("l j F \\a\\t H:i")),
    }


def _carry_out(
    request: HttpRequest, booking: Booking, change: Callable[[], object], success: str
) -> HttpResponse:
    """Run one write-path call; a refusal becomes an error message, never a 500."""
    try:
        change()
    except BookingRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)
    return redirect(_back(request, booking))


def _form_again(request: HttpRequest, booking: Booking, form: Form, title: str) -> HttpResponse:
    """A submitted action form with errors, shown on its own page with what was typed."""
    context = {"booking": booking, "form": form, "title": title, "next": _back(request, booking)}
    return render(request, "sessions/agenda/action.html", context, status=400)


@require_POST
def confirm(request: HttpRequest, code: UUID) -> HttpResponse:
    booking = practitioner_booking(request, code)
    return _carry_out(
        request,
        booking,
        lambda: confirm_booking(booking=booking),
        _("Confirmed: %(booking)s. The client has been emailed.") % {"booking": _when(booking)},
    )


@require_POST
def decline(request: HttpRequest, code: UUID) -> HttpResponse:
    booking = practitioner_booking(request, code)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _form_again(request, booking, form, _("Decline this request"))
    return _carry_out(
        request,
        booking,
        lambda: decline_booking(booking=booking, reason=form.cleaned_data["reason"]),
        _("Declined: %(booking)s. The client has been emailed your reason.")
        % {"booking": _when(booking)},
    )


@require_POST
def safety(request: HttpRequest, code: UUID) -> HttpResponse:
    """Proceed (the decision is recorded, then the booking confirmed) or postpone (the write
    path declines it; the note stays on record and the client is told to expect contact)."""
    booking = practitioner_booking(request, code)
    form = SafetyDecisionForm(request.POST)
    if not form.is_valid():
        return _form_again(request, booking, form, _("Your decision on the safety flags"))
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]

    def change() -> None:
        record_safety_decision(booking=booking, decision=decision, note=note)
        if decision == Booking.SafetyDecision.PROCEED:
            confirm_booking(booking=booking)

    if decision == Booking.SafetyDecision.PROCEED:
        success = _(
            "Decision recorded and booking confirmed: %(booking)s. The client has been emailed."
        ) % {"booking": _when(booking)}
    else:
        success = _(
            "Postponed: %(booking)s was declined. The client has been told you will be in "
            "touch to talk it through."
        ) % {"booking": _when(booking)}
    return _carry_out(request, booking, change, success)


@require_POST
def finish(request: HttpRequest, code: UUID) -> HttpResponse:
    booking = practitioner_booking(request, code)
    form = FinishForm(request.POST)
    if not form.is_valid():
        return _form_again(request, booking, form, _("Mark this session"))
    status = form.cleaned_data["status"]
    return _carry_out(
        request,
        booking,
        lambda: finish_booking(booking=booking, status=status),
        _("Marked as %(status)s: %(booking)s.")
        % {"status": str(Status(status).label).lower(), "booking": _when(booking)},
    )


@require_POST
def practitioner_cancel(request: HttpRequest, code: UUID) -> HttpResponse:
    booking = practitioner_booking(request, code)
    form = PractitionerCancelForm(request.POST)
    if not form.is_valid():
        return _form_again(request, booking, form, _("Cancel this session"))
    return _carry_out(
        request,
        booking,
        lambda: cancel_booking(
            booking=booking, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Cancelled: %(booking)s. The client has been emailed your reason.")
        % {"booking": _when(booking)},
    )


# --- private calendar feed ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@practitioner_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The practitioner's private feed address; POST gives a new one (the old one stops
    working at once)."""
    practitioner = request.user.practitioner
    if request.method == "POST":
        practitioner.calendar_token = new_calendar_token()
        practitioner.save(update_fields=["calendar_token", "updated_at"])
        messages.success(
            request,
            _(
                "You have a new calendar address. The old one no longer works: subscribe again "
                "with the address below."
            ),
        )
        return redirect("sessions:calendar-settings")
    feed_url = request.build_absolute_uri(
        reverse("sessions:calendar-feed", kwargs={"token": practitioner.calendar_token})
    )
    context = {
        "practitioner": practitioner,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "feed_days": FEED_PAST.days,
    }
    return render(request, "sessions/agenda/calendar_settings.html", context)


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed behind the secret address: the practitioner's requested,
    confirmed and completed sessions from 30 days ago on; times, client names and places
    only, never health details (sessions.ics). Two queries."""
    practitioner = get_object_or_404(Practitioner, calendar_token=token)
    bookings = practitioner.bookings.filter(
        status__in=FEED_STATUSES, starts_at__gte=timezone.now() - FEED_PAST
    ).select_related("client", "service")
    body = ics.feed_calendar(bookings, name=f"reflexbook: {practitioner.display_name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reflexbook.ics"'
    # Client names are personal data: no shared caches, no search engines.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
