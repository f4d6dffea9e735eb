"""Pages around a signed session record that are not the practitioner's record form: the
client's summary (what the client sees), the client's 48-hour check-in, and the practitioner's
history of one client.

Bookings are loaded through sessions.access (anyone else gets 404). The
client-facing pages never receive the private parts of a record: the templates get a
ClientView built from the client-safe fields only, so no template can print SOAP notes,
observations, overrides, reaction notes or point comments by mistake.
"""

from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sessions.access import client_booking, visible_booking
from sessions.audit import Kind, log_health_read
from sessions.client_history import (
    health_open,
    history_bookings,
    point_histories,
    start_from_link,
)
from sessions.client_view import ClientView
from sessions.forms.record_pages import CheckinForm, answer_words
from sessions.models import Booking, PointWorked, SessionRecord
from sessions.records import RecordRefused, answer_checkin, checkin_open, checkin_record

# --- helpers -------------------------------------------------------------------------------


def _signed_record(booking: Booking, *, with_points: bool = False) -> SessionRecord | None:
    records = SessionRecord.objects.filter(booking=booking, state=SessionRecord.State.SIGNED)
    if with_points:
        records = records.prefetch_related(
            Prefetch("points", queryset=PointWorked.objects.select_related("point"))
        )
    return records.first()


def _not_ready(request: HttpRequest, booking: Booking) -> HttpResponse:
    return render(
        request,
        "sessions/record_pages/not_ready.html",
        {
            "booking": booking,
            "is_client": booking.client_id == request.user.pk,
            "is_practitioner": booking.practitioner.user_id == request.user.pk,
            "checkin_open": checkin_open(booking),
        },
    )


# --- the client's summary ------------------------------------------------------------------


@require_safe
def record_summary(request: HttpRequest, code: UUID) -> HttpResponse:
    """The client's view of a signed record: date, length, points on the map, summary and
    aftercare. The practitioner and staff see the same page (it shows what the client
    sees); a draft or missing record shows a "not finished yet" page without record data."""
    booking = visible_booking(request, code)
    record = _signed_record(booking, with_points=True)
    if record is None:
        return _not_ready(request, booking)
    log_health_read(request.user, Kind.SUMMARY, booking=booking)
    return render(
        request,
        "sessions/record_pages/summary.html",
        {
            "booking": booking,
            "summary": ClientView.of(record),
            "checkin_answered": record.checkin_answered_at is not None,
            "is_client": booking.client_id == request.user.pk,
            "is_practitioner": booking.practitioner.user_id == request.user.pk,
        },
    )


# --- the 48-hour check-in ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, code: UUID) -> HttpResponse:
    """The client's check-in after a completed session (or one with a signed record): the
    aftercare advice once the record is signed, and three questions (sleep, energy, any
    reaction). The first answer stands; it is shown afterwards, with the warning signs to
    look out for after a strong reaction."""
    booking = client_booking(request, code, also=("record",))
    if not checkin_open(booking):
        return _not_ready(request, booking)
    record = getattr(booking, "record", None)
    answered = record is not None and record.checkin_answered_at is not None
    form = None if answered else CheckinForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if answered:
            messages.error(
                request,
                _(
                    "You have already answered this check-in. If anything has changed, "
                    "contact your practitioner."
                ),
            )
            return redirect("sessions:checkin", code=booking.code)
        if form.is_valid():
            try:
                saved = answer_checkin(record=checkin_record(booking), **form.answers())
            except RecordRefused as refused:
                messages.error(request, " ".join(refused.messages))
            else:
                name = booking.practitioner.display_name
                if saved.needs_follow_up:
                    messages.warning(
                        request,
                        _(
                            "Thank you: we have told %(name)s, who will be in touch with you. "
                            "Please read the signs to look out for below."
                        )
                        % {"name": name},
                    )
                else:
                    messages.success(
                        request, _("Thank you: %(name)s will see your answers.") % {"name": name}
                    )
            return redirect("sessions:checkin", code=booking.code)
        status = 400
    return render(
        request,
        "sessions/record_pages/checkin.html",
        {
            "booking": booking,
            # The aftercare is the practitioner's once they sign; a draft's is not final.
            "aftercare": record.aftercare if record is not None and record.is_signed else "",
            "answers": _client_answers(record) if answered else None,
            "strong": answered and record.checkin_reaction == SessionRecord.Reaction.STRONG,
            "form": form,
        },
        status=status,
    )


def _client_answers(record: SessionRecord) -> dict:
    return {
        "answered_at": record.checkin_answered_at,
        "sleep": answer_words(record.checkin_sleep),
        "energy": answer_words(record.checkin_energy),
        "reaction": record.get_checkin_reaction_display(),
        "notes": record.checkin_reaction_notes,
    }


# --- the practitioner's history of one client ----------------------------------------------


@require_safe
def client_history(request: HttpRequest, booking_code: UUID) -> HttpResponse:
    """Every session of this booking's client with its practitioner, newest first, with the
    record state and check-in answers, and a per-point tenderness summary. For the
    booking's practitioner and staff; the client gets 403. A fixed number of queries."""
    booking = visible_booking(request, booking_code)
    is_practitioner = booking.practitioner.user_id == request.user.pk
    if not (is_practitioner or request.user.is_staff):
        raise PermissionDenied("The client history is for the practitioner.")
    practitioner = booking.practitioner
    now = timezone.now()
    # Only while some booking with this client still opens their health data to the
    # practitioner (as for the intake): a stranger again after cancellations and retention.
    with_client = practitioner.bookings.filter(client_id=booking.client_id)
    if not booking.health_open_to(request.user, now) and not health_open(
        request.user, with_client, now
    ):
        raise Http404("No open booking with this client.")
    log_health_read(request.user, Kind.HISTORY, booking=booking)
    tz = ZoneInfo(practitioner.timezone)
    bookings = history_bookings(with_client, now=now, writer=is_practitioner)
    context = {
        "anchor": booking,
        "client": booking.client,
        "practitioner": practitioner,
        "zone": practitioner.timezone,
        "bookings": bookings,
        "points": point_histories(bookings, tz),
        "start_from": start_from_link(bookings, now) if is_practitioner else "",
        "is_practitioner": is_practitioner,
    }
    return render(request, "sessions/record_pages/history.html", context)
