"""The client's booking flow and booking pages (the detail page serves every role).

Times are shown in the viewer's own zone (UserTimezoneMiddleware activates it; a visitor
without an account gets the zone their browser sent or they chose, else the practitioner's);
the week of free times is the viewer's week, Monday to Sunday where they are. The first three
steps work without an account; choosing a time holds it (sessions.holds), and logging in or
signing up happens at the review step, which they come back to. Every write goes through
sessions.booking, whose refusals are shown on the page, never as a 500.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.timezones import VISITOR_ZONE_SESSION_KEY, is_choosable, timezone_options
from practitioners.models import Practitioner, ServiceLength
from reflexbook.lib.page_cache import cached_page, served_until
from reflexbook.lib.prepared import PreparedQuery
from sessions import holds, ics, package_credits
from sessions.access import client_booking, visible_booking
from sessions.audit import Kind, log_health_read
from sessions.availability import Week, slots_by_day, week_of_slots
from sessions.billing import fee_to_decide
from sessions.booking import (
    HOLD_RAN_OUT_TAKEN,
    BookingRefused,
    SlotTaken,
    book_session,
    booking_refusal,
    cancel_booking,
    cancellation_policy,
    confirm_clearance,
    hold_slot,
    new_talk_first,
    reschedule_booking,
)
from sessions.forms.booking import (
    CancelForm,
    LengthChoiceForm,
    RescheduleForm,
    ReviewForm,
    format_start,
)
from sessions.intake import current_intake
from sessions.models import Booking, SlotHold, WaitlistEntry, WaitlistOffer
from sessions.package_credits import PACKAGE_CREDIT
from sessions.safety import Tier, age_at, is_minor, of_tier
from sessions.session_flags import clearance_flags, flags_in_force
from sessions.views.series import book_again_links
from sessions.waitlist import book_offer

Status = Booking.Status


# --- helpers -------------------------------------------------------------------------------


def _zone_name(request: HttpRequest, practitioner: Practitioner) -> str:
    """The viewer's zone: their own once logged in; for a visitor, the zone sent in ?tz=
    (their browser's, or the one they chose), remembered for their next pages; else the
    practitioner's."""
    if request.user.is_authenticated:
        return request.user.timezone
    asked = request.GET.get("tz", "")
    if is_choosable(asked):
        request.session[VISITOR_ZONE_SESSION_KEY] = asked
        return asked
    return request.session.get(VISITOR_ZONE_SESSION_KEY) or practitioner.timezone


def _zone(request: HttpRequest, practitioner: Practitioner) -> ZoneInfo:
    """The viewer's zone (_zone_name), made current for the page for a visitor (the
    middleware does it for the logged-in)."""
    tz = ZoneInfo(_zone_name(request, practitioner))
    if not request.user.is_authenticated:
        timezone.activate(tz)
    return tz


# The practitioner and length every booking page starts from, their SQL built once per
# process (reflexbook.lib.prepared): building the listing's existence checks cost more than
# running the query (issue 13).
LISTED = PreparedQuery(
    lambda *, slug: (
        Practitioner.objects.listed().select_related("user", "billing").filter(slug=slug)
    )
)


def _listed_practitioner(slug: str) -> Practitioner:
    try:
        return LISTED.get(slug=slug)
    except Practitioner.DoesNotExist:
        raise Http404("No such practitioner.") from None


def _closed(request: HttpRequest, practitioner: Practitioner) -> HttpResponse | None:
    """The page saying why this person cannot book this practitioner, if they cannot."""
    refusal = booking_refusal(practitioner, request.user)
    if not refusal:
        return None
    context = {"practitioner": practitioner, "refusal": refusal}
    return render(request, "sessions/booking/closed.html", context)


def _lengths(*, practitioner_id, length_id):
    return ServiceLength.objects.select_related("service").filter(
        service__practitioner_id=practitioner_id, pk=length_id
    )


LENGTHS = {
    False: PreparedQuery(_lengths),
    True: PreparedQuery(lambda **ids: _lengths(**ids).filter(service__is_active=True)),
}


def _length(practitioner: Practitioner, length_id: int, *, active_only: bool) -> ServiceLength:
    """A length of one of this practitioner's services; someone else's is not found."""
    try:
        return LENGTHS[active_only].get(practitioner_id=practitioner.pk, length_id=length_id)
    except ServiceLength.DoesNotExist:
        raise Http404("No such length.") from None


# Any valid start: reversed once, then replaced by each time's own (see _review_url).
_START_MARKER = "20000101T0000Z"


def _review_url(practitioner: Practitioner, length: ServiceLength) -> Callable[[datetime], str]:
    """The link from a free start time to its review page (step 3). The page is reversed
    once and each start written into it, not a reverse() per time: a week has ~200."""
    kwargs = {"slug": practitioner.slug, "length_id": length.pk, "start": _START_MARKER}
    before, _marker, after = reverse("sessions:review", kwargs=kwargs).rpartition(_START_MARKER)

    def review_url(instant: datetime) -> str:
        return f"{before}{format_start(instant)}{after}"

    return review_url


def _week(request: HttpRequest, **options) -> Week:
    """The week of free times asked for in ?week=YYYY-MM-DD (any day of it), in the viewer's
    zone; `options` as for availability.week_of_slots."""
    try:
        asked = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        asked = None
    tz = _zone(request, options["practitioner"])
    # As of the end of this minute: the page may be served from the cache until then.
    return week_of_slots(asked=asked, tz=tz, now=served_until(), **options)


def _mark_current(week: Week, current: datetime) -> None:
    """Mark the booking's own start in a week of times to move to: the page shows it as the
    current time, not as a new time to choose."""
    for day in week.days:
        for slot in day["times"]:
            slot["current"] = slot["local"] == current


def _zones(request: HttpRequest, practitioner: Practitioner) -> dict:
    """The viewer's zone, and the practitioner's when it differs (not told to themselves);
    for a visitor without an account, the zone selector (which a script sets to the
    browser's zone until they choose one)."""
    viewer_zone = _zone_name(request, practitioner)
    context = {
        "viewer_zone": viewer_zone,
        "practitioner_zone": practitioner.timezone,
        "zones_differ": viewer_zone != practitioner.timezone
        and request.user.pk != practitioner.user_id,
    }
    if not request.user.is_authenticated:
        context["zone_options"] = timezone_options(viewer_zone)
        context["zone_detect"] = VISITOR_ZONE_SESSION_KEY not in request.session
    return context


def _fresh_times(
    request: HttpRequest, practitioner: Practitioner, length: ServiceLength, starts_at: datetime
) -> dict:
    """The free times on the day of `starts_at` (viewer's zone), offered after a refusal."""
    tz = _zone(request, practitioner)
    day = starts_at.astimezone(tz).date()
    return slots_by_day(
        practitioner=practitioner,
        service=length.service,
        minutes=length.minutes,
        first=day,
        last=day,
        tz=tz,
        now=timezone.now(),
        url_for=_review_url(practitioner, length),
        mine=holds.own_hold(request, practitioner=practitioner),
    )[0]


def _hold(
    request: HttpRequest, practitioner: Practitioner, length: ServiceLength, starts_at: datetime
) -> tuple[SlotHold | None, str, str, bool]:
    """The visitor's hold on this time: theirs already, or taken now (choosing a time holds
    it). Returns (hold, refusal, note, taken): a refused hold says why, and whether someone
    else has the time; a hold taken again after the last one ran out notes it."""
    mine = holds.own_hold(request, practitioner=practitioner, starts_at=starts_at, length=length)
    if mine is not None:
        return mine, "", "", False
    lapsed = holds.held_before(request, practitioner.pk, starts_at)
    try:
        hold = hold_slot(
            practitioner=practitioner,
            service=length.service,
            minutes=length.minutes,
            starts_at=starts_at,
            holder_key=holds.holder_key(request),
            user=request.user,
        )
    except SlotTaken as refused:
        return None, _(HOLD_RAN_OUT_TAKEN) if lapsed else str(refused), "", True
    except BookingRefused as refused:
        return None, str(refused), "", False
    holds.remember(request, hold)
    note = ""
    if lapsed:
        # sessions.booking.HOLD_RAN_OUT_FREE, then the new hold: one sentence to translate.
        note = _(
            "Your hold on this time ran out, but the time is still free: we hold it for you "
            "again for %(minutes)s minutes."
        ) % {"minutes": hold.minutes_left()}
    return hold, "", note, False


def _status_words(booking: Booking, *, viewer: str) -> str:
    """The status in words for `viewer`: "client", "practitioner" (the booking's own) or
    "staff"."""
    if booking.status == Status.REQUESTED:
        if viewer == "client":
            return _("Requested: waiting for %(name)s to confirm") % {
                "name": booking.practitioner.display_name
            }
        if viewer == "practitioner":
            return _("Requested: waiting for your answer")
        return _("Requested: waiting for the practitioner to confirm")
    if booking.cancelled_for_illness:
        return _("Cancelled: unwell")
    if booking.status in (Status.CANCELLED_BY_CLIENT, Status.CANCELLED_BY_PRACTITIONER):
        late = booking.is_late_cancellation
        if booking.status == Status.CANCELLED_BY_CLIENT and viewer == "client":
            return _("Cancelled (late) by you") if late else _("Cancelled by you")
        if booking.status == Status.CANCELLED_BY_CLIENT:
            return _("Cancelled (late) by the client") if late else _("Cancelled by the client")
        if viewer == "practitioner":
            return _("Cancelled (late) by you") if late else _("Cancelled by you")
        return (
            _("Cancelled (late) by the practitioner")
            if late
            else _("Cancelled by the practitioner")
        )
    if booking.status == Status.CANCELLED_BY_STAFF:
        return _("Cancelled by reflexbook staff")
    if booking.status == Status.NO_SHOW:
        return _("No-show: the session was missed")
    return booking.get_status_display()


# --- booking flow --------------------------------------------------------------------------


@login_not_required
@require_GET
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: choose a service and length (no account needed). A client under 18 (by their
    health form) has the shortest length chosen for them to start with. Served from the page
    cache to visitors who share it (keyed on the practitioner's page_version)."""
    return cached_page(
        request, lambda: Practitioner.objects.page_version(slug), lambda: _book(request, slug)
    )


def _book(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = _listed_practitioner(slug)
    if closed := _closed(request, practitioner):
        return closed
    zones = _zones(request, practitioner)  # remembers a visitor's ?tz= for the next pages
    form = LengthChoiceForm(request.GET or None, practitioner=practitioner)
    if form.is_valid():
        length = form.cleaned_data["length"]
        return redirect("sessions:slots", slug=practitioner.slug, length_id=length.pk)
    intake = current_intake(request.user) if request.user.is_authenticated else None
    minor = intake is not None and is_minor(age_at(intake.answers, timezone.localdate()))
    if minor and not form.is_bound:
        form.initial["length"] = form.fields["length"].queryset.order_by("minutes").first()
    context = {"practitioner": practitioner, "form": form, "minor": minor, **zones}
    return render(request, "sessions/booking/choose.html", context)


@login_not_required
@require_GET
def slots(request: HttpRequest, slug: str, length_id: int) -> HttpResponse:
    """Step 2: a week of free start times in the viewer's zone (no account needed); each
    links to the review, which holds it. Times others hold are not shown; the viewer's own
    held time is. Served from the page cache to visitors who share it (keyed on the
    practitioner's page_version, which every booking, hold and calendar change moves)."""
    return cached_page(
        request,
        lambda: Practitioner.objects.page_version(slug),
        lambda: _slots(request, slug, length_id),
    )


def _slots(request: HttpRequest, slug: str, length_id: int) -> HttpResponse:
    practitioner = _listed_practitioner(slug)
    length = _length(practitioner, length_id, active_only=True)
    if closed := _closed(request, practitioner):
        return closed
    week = _week(
        request,
        practitioner=practitioner,
        service=length.service,
        minutes=length.minutes,
        url_for=_review_url(practitioner, length),
        mine=holds.own_hold(request, practitioner=practitioner),
    )
    context = {
        "practitioner": practitioner,
        "length": length,
        "week": week,
        "week_url": request.path,
        "hold_minutes": settings.SLOT_HOLD_MINUTES,
        **_zones(request, practitioner),
    }
    # htmx week navigation swaps in just the week.
    template = "sessions/booking/_week.html" if request.htmx else "sessions/booking/slots.html"
    return render(request, template, context)


@login_not_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str, length_id: int, start: datetime) -> HttpResponse:
    """Step 3: opening it holds the time for this visitor (settings.SLOT_HOLD_MINUTES). A
    visitor without an account logs in or signs up here and comes back; without a current
    intake the client fills it in first and comes back. Then they check the details, accept
    the policy and confirm (POST books through book_session, turning the hold into the
    booking)."""
    practitioner = _listed_practitioner(slug)
    # Not only active services: one switched off since the week was shown is refused in words.
    length = _length(practitioner, length_id, active_only=False)
    starts_at = start  # the <start:…> converter gave an aware UTC instant, or 404
    if closed := _closed(request, practitioner):
        return closed
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "practitioner": practitioner,
        "length": length,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=length.minutes),
        "policy": cancellation_policy(practitioner),
        "slots_url": reverse(
            "sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk}
        ),
        **_zones(request, practitioner),
    }
    _zone(request, practitioner)  # the page's times in a visitor's zone
    hold, error, note, taken, fresh, status = None, "", "", False, None, 200
    if request.method == "GET":
        hold, error, note, taken = _hold(request, practitioner, length, starts_at)
        if taken:
            fresh, status = _fresh_times(request, practitioner, length, starts_at), 409
    else:
        hold = holds.own_hold(
            request, practitioner=practitioner, starts_at=starts_at, length=length
        )
    context |= {"hold": hold, "hold_note": note, "taken": taken, "hold_on_page": True}
    if not request.user.is_authenticated:
        back = urlencode({"next": request.get_full_path()})
        context |= {
            "error": error,
            "fresh": fresh,
            "login_url": f"{reverse('login')}?{back}",
            "signup_url": f"{reverse('accounts:signup')}?{back}",
        }
        return render(request, "sessions/booking/review.html", context, status=status)

    intake = current_intake(request.user)
    if intake is None and not error:
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('sessions:intake-edit')}?{query}")

    # What book_session checks the clearance against (with no query: only the page shows
    # the other flags, read when it is rendered; a booking reads them under its lock).
    clearance = (
        clearance_flags(
            client=request.user, intake=intake, practitioner=practitioner, starts_at=starts_at
        )
        if intake is not None
        else []
    )
    clearance_topics = [flag["label"] for flag in clearance]
    home_visit = length.service if length.service.is_home_visit else None
    form = ReviewForm(
        request.POST or None,
        clearance_topics=clearance_topics,
        home_visit=home_visit,
        initial={"price_seen": length.price},
    )
    if not length.service.is_active:
        error = _("That service or length is not offered. Choose one from the list.")
    if request.method == "POST" and form.is_valid():
        lapsed = hold is None and holds.held_before(request, practitioner.pk, starts_at)
        # Claiming a waitlist offer (?offer= from its page) books the same way, and marks it.
        offer = _offer_for(request, practitioner, length, starts_at)
        book = partial(book_offer, offer=offer) if offer else book_session
        try:
            booking = book(
                client=request.user,
                practitioner=practitioner,
                service=length.service,
                minutes=length.minutes,
                starts_at=starts_at,
                intake=intake,
                price_seen=form.cleaned_data["price_seen"],
                client_message=form.cleaned_data["message"],
                clearance_confirmed=form.cleaned_data.get("clearance_confirmed", False),
                session_answers=form.session_answers(),
                home_address=form.cleaned_data.get("home_address", ""),
                home_postcode=form.cleaned_data.get("home_postcode", ""),
                hold=hold,
            )
        except SlotTaken as refused:
            error, status = _(HOLD_RAN_OUT_TAKEN) if lapsed else str(refused), 409
            fresh = _fresh_times(request, practitioner, length, starts_at)
        except BookingRefused as refused:
            error = str(refused)
        else:
            holds.forget(request)
            if note := getattr(booking, "package_note", ""):  # a package credit used, or none
                messages.info(request, note)
            if booking.status == Status.CONFIRMED:
                messages.success(
                    request,
                    _(
                        "Booked and confirmed: your session is in %(name)s's diary. We have "
                        "emailed you the details."
                    )
                    % {"name": practitioner.display_name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Requested: %(name)s will confirm your session (it is not confirmed "
                        "yet). We will email you when they do."
                    )
                    % {"name": practitioner.display_name},
                )
            return redirect(booking)
        # Show the price the page states now, so a second try books at that price.
        data = request.POST.copy()
        data["price_seen"] = str(length.price)
        form = ReviewForm(data, clearance_topics=clearance_topics, home_visit=home_visit)
        form.is_valid()
    # The flags in force for this date, before the "unwell right now?" answer.
    flags = (
        flags_in_force(
            client=request.user,
            intake=intake,
            practitioner=practitioner,
            starts_at=starts_at,
            session_answers={},
        )
        if intake is not None
        else []
    )
    context |= {"flags": flags, "form": form, "error": error, "fresh": fresh}
    context["package_note"] = package_credits.review_note(
        client=request.user, practitioner=practitioner, minutes=length.minutes, starts_at=starts_at
    )
    return render(request, "sessions/booking/review.html", context, status=status)


def _offer_for(
    request: HttpRequest, practitioner: Practitioner, length: ServiceLength, starts_at: datetime
) -> WaitlistOffer | None:
    """The viewer's own waitlist offer named in ?offer=, if it is for this very time."""
    try:
        code = UUID(request.GET.get("offer", ""))
    except ValueError:
        return None
    return WaitlistOffer.objects.filter(
        code=code,
        entry__client=request.user,
        entry__practitioner=practitioner,
        entry__length=length,
        starts_at=starts_at,
    ).first()


# --- client area ---------------------------------------------------------------------------


def _length_offered(booking: Booking) -> int | None:
    """The id of the length the booking had, if its service still offers it (for "book
    again"; reads the prefetched or loaded `service.lengths`)."""
    if not booking.service.is_active:
        return None
    lengths = booking.service.lengths.all()
    return next((length.pk for length in lengths if length.minutes == booking.minutes), None)


@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    """The client's upcoming bookings (active, not yet started) and everything else, in one
    query whatever their number."""
    now = timezone.now()
    bookings = list(
        Booking.objects.visible_to(request.user)
        .filter(client=request.user)
        .select_related("practitioner", "service")
    )
    upcoming = [b for b in bookings if b.is_upcoming(now)]
    past = [b for b in reversed(bookings) if not b.is_upcoming(now)]
    for booking in bookings:
        booking.status_words = _status_words(booking, viewer="client")
    # "Book again" reads the lengths still offered: one more query, only when it is offered.
    completed = [b for b in past if b.status == Status.COMPLETED]
    prefetch_related_objects(completed, "service__lengths")
    for booking in completed:
        booking.book_again = book_again_links(
            booking, for_practitioner=False, length_id=_length_offered(booking)
        )
    # The client's waitlist entries still waiting, each with the offer open to them if any:
    # one query (the offer's fields as subqueries).
    waiting = list(
        WaitlistEntry.objects.active()
        .filter(client=request.user)
        .select_related("practitioner", "length__service")
        .with_open_offer(now)
    )
    return render(
        request,
        "sessions/booking/my_bookings.html",
        {
            "upcoming": upcoming,
            "past": past,
            "waiting": waiting,
            "viewer_zone": request.user.timezone,
            # The year-end statements' links (sessions.views.billing.statement), no query.
            "statement_years": [now.year, now.year - 1],
            "packages": package_credits.balances(request.user, timezone.localdate()),
        },
    )


@require_GET
def booking_detail(request: HttpRequest, code) -> HttpResponse:
    """One booking for its client, its practitioner or staff; anyone else gets 404. When it
    shows the client's health details (safety flags, the client's notes, the pre-session
    answers) to anyone but the client, the read is logged for the client to see."""
    booking = visible_booking(
        request,
        code,
        also=("intake", "pre_session_check", "record", "series", "fees", PACKAGE_CREDIT),
    )
    now = timezone.now()
    is_client = booking.client_id == request.user.pk
    is_practitioner = booking.practitioner.user_id == request.user.pk
    health_open = booking.health_open_to(request.user, now)
    check = getattr(booking, "pre_session_check", None)
    if health_open and check is not None:
        log_health_read(request.user, Kind.PRE_SESSION, booking=booking)
    elif health_open and booking.has_health_notes:
        log_health_read(request.user, Kind.BOOKING, booking=booking)
    viewer = "client" if is_client else "practitioner" if is_practitioner else "staff"
    can_cancel = is_client and not booking.cancel_refusal(request.user, now)
    context = {
        "booking": booking,
        "is_client": is_client,
        "is_practitioner": is_practitioner,
        "status_words": _status_words(booking, viewer=viewer),
        "can_cancel": can_cancel,
        # Said where the Reschedule button would be: why it is not there.
        "reschedule_refusal": booking.reschedule_refusal(now) if can_cancel else "",
        "has_started": booking.has_started(now),
        "can_have_record": booking.can_have_record(now),
        "audience": "client" if is_client else "practitioner",
        "health_open": health_open,
        # The version pinned to the booking, where the viewer may still open it.
        "intake_link": booking.intake_id is not None and health_open,
        "confirm_clearance": is_client
        and booking.is_upcoming(now)
        and booking.needs_clearance_confirmation,
        "clearance_topics": [flag["label"] for flag in of_tier(booking.flags, Tier.CLEARANCE)],
        # With no check-in answered: "not answered yet", or for a first session, no "last time".
        "first_session": health_open
        and not is_client
        and check is None
        and booking.is_first_session(),
        # Never the client's: a decision's note may name a condition. Its read is logged
        # above with the booking's other health notes (its note is the booking's safety_note).
        "safety_decisions": booking.recorded_decisions() if health_open and not is_client else [],
        "book_again": book_again_links(
            booking,
            for_practitioner=is_practitioner and not is_client,
            length_id=_length_offered(booking)
            if is_client and booking.status == Status.COMPLETED
            else None,
        )
        if is_client or is_practitioner
        else [],
        # The money: its invoices (a session's, or a fee's) for the client and the
        # practitioner, and a fee still to charge or waive for the practitioner.
        "invoices": list(booking.invoices.all()) if is_client or is_practitioner else [],
        "fee_to_decide": fee_to_decide(booking) if is_practitioner else None,
        **_zones(request, booking.practitioner),
    }
    return render(request, "sessions/booking/detail.html", context)


@require_POST
def booking_clearance(request: HttpRequest, code) -> HttpResponse:
    """The client confirms again that they have talked to their doctor or midwife, after a
    new point needing medical clearance arrived on an upcoming booking."""
    booking = client_booking(request, code)
    if request.POST.get("clearance_confirmed") != "on":
        messages.error(
            request,
            _(
                "Tick the box once you have talked to your doctor or midwife. If you have not "
                "yet, please do before your session."
            ),
        )
        return redirect(booking)
    try:
        confirm_clearance(booking=booking)
    except BookingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you: your practitioner can see you have confirmed."))
    return redirect(booking)


@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, code) -> HttpResponse:
    """The client cancels, with an optional reason, or because they are unwell (never late);
    inside the late window they are warned first that it will otherwise be recorded as
    late."""
    booking = client_booking(request, code)
    now = timezone.now()
    form = CancelForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            booking = cancel_booking(
                booking=booking,
                by=request.user,
                reason=form.cleaned_data["reason"],
                for_illness=form.cleaned_data["unwell"],
            )
        except BookingRefused as refused:
            error = str(refused)
        else:
            if booking.is_late_cancellation:
                messages.warning(
                    request,
                    _(
                        "Cancelled (late): this was less than %(hours)s hours before the "
                        "session, so it is recorded as a late cancellation. %(name)s has been "
                        "told."
                    )
                    % {
                        "hours": booking.practitioner.late_cancel_hours,
                        "name": booking.practitioner.display_name,
                    },
                )
            else:
                messages.success(
                    request,
                    _("Cancelled. %(name)s has been told.")
                    % {"name": booking.practitioner.display_name},
                )
            return redirect(booking)
    refusal = booking.cancel_refusal(request.user, now)
    context = {
        "booking": booking,
        "form": form,
        "error": error,
        "refusal": refusal,
        "is_late": not refusal and booking.is_late_cancellation_at(now),
        **_zones(request, booking.practitioner),
    }
    return render(request, "sessions/booking/cancel.html", context)


@require_http_methods(["GET", "POST"])
def booking_reschedule(request: HttpRequest, code) -> HttpResponse:
    """The client moves their booking to another free time of the same length: pick a time in
    the week (?start= shows the confirmation), then POST; the old time is released only
    once the new one is secured."""
    booking = client_booking(request, code)
    now = timezone.now()
    form = RescheduleForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        old_flags = booking.flags
        try:
            booking = reschedule_booking(booking=booking, new_starts_at=form.cleaned_data["start"])
        except SlotTaken as refused:
            error, status = str(refused), 409
        except BookingRefused as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                _("Moved. %(name)s has been told, and we have emailed you the new time.")
                % {"name": booking.practitioner.display_name},
            )
            if new_talk_first(old_flags, booking.flags):
                messages.warning(
                    request,
                    _(
                        "%(name)s will want to talk with you before this session and will be in "
                        "touch: until then it is a request."
                    )
                    % {"name": booking.practitioner.display_name},
                )
            return redirect(booking)
    elif request.method == "POST":
        error = " ".join(form.errors.get("start", []))

    practitioner = booking.practitioner
    blocked = booking.reschedule_refusal(now)
    if error == blocked:
        error = ""  # a refused POST: the page says it once, as why the booking cannot move
    week, chosen = None, None
    if not blocked:
        base = reverse("sessions:booking-reschedule", kwargs={"code": booking.code})

        def choose_url(instant: datetime) -> str:
            query = {"start": format_start(instant)}
            if request.GET.get("week"):
                query["week"] = request.GET["week"]
            return f"{base}?{urlencode(query)}"

        week = _week(
            request,
            practitioner=practitioner,
            service=booking.service,
            minutes=booking.minutes,
            url_for=choose_url,
            ignore=booking,
        )
        _mark_current(week, booking.starts_at)
        # GET ?start= shows the confirmation; a POST shows again the time it tried.
        shown = RescheduleForm(request.GET) if request.method == "GET" else form
        chosen = shown.cleaned_data["start"] if shown.is_valid() else None
        if chosen == booking.starts_at:
            chosen = None  # the current time is not a new one to move to
    context = {
        "booking": booking,
        "blocked": blocked,
        "error": error,
        "week": week,
        "week_url": request.path,
        "chosen": chosen,
        "chosen_stamp": format_start(chosen) if chosen else "",
        "chosen_end": chosen + timedelta(minutes=booking.minutes) if chosen else None,
        "practitioner": practitioner,
        **_zones(request, practitioner),
    }
    if request.htmx and week is not None and request.method == "GET":
        return render(request, "sessions/booking/_week.html", context)
    return render(request, "sessions/booking/reschedule.html", context, status=status)


@require_GET
def booking_ics(request: HttpRequest, code) -> HttpResponse:
    """The booking as an .ics file, for whoever may see the booking."""
    booking = visible_booking(request, code)
    for_practitioner = booking.practitioner.user_id == request.user.pk
    content = ics.booking_calendar(booking, for_practitioner=for_practitioner)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    day = timezone.localtime(booking.starts_at).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="reflexology-{day}.ics"'
    return response
