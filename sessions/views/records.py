"""The practitioner's session record: the form while it is a draft (with the interactive
reflex map), the read-only record once signed (and for staff), signing, addenda, and the
practitioner's to-do list.

Bookings load only through sessions.access (the booking scope): a stranger gets 404. Only the
booking's practitioner writes; staff read (403 on writes); the client reads the summary page
(record-summary) instead and gets 403 here, because the record holds private notes.
"""

from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from practitioners.access import practitioner_required
from practitioners.review import flag_guarded_form, summary_subject
from sessions import reflex_map
from sessions.access import visible_booking
from sessions.audit import Kind, log_health_read, log_health_reads
from sessions.forms.records import (
    AddendumForm,
    FollowUpForm,
    PointsForm,
    ProceedWithoutIntakeForm,
    RecordForm,
    SignForm,
)
from sessions.models import Booking, PointWorked, RecordAddendum, ReflexPoint, SessionRecord
from sessions.record_safety import Avoided, avoided
from sessions.records import (
    OBSERVATION_ITEMS,
    SESSION_REACTIONS,
    RecordRefused,
    add_addendum,
    area_flags,
    can_write_record,
    practitioner_todo,
    proceed_without_intake,
    save_record,
    sign_record,
    start_record,
    unwritten_sessions,
)
from sessions.records import (
    record_follow_up as follow_up_record,
)


def _role(booking: Booking, user) -> str:
    """The viewer's role: "practitioner" (the booking's), "staff", or "client" (the only
    other person the booking scope lets through)."""
    if booking.practitioner.user_id == user.pk:
        return "practitioner"
    if user.is_staff:
        return "staff"
    return "client"


def _record(booking: Booking) -> SessionRecord | None:
    return (
        SessionRecord.objects.filter(booking=booking)
        .prefetch_related(
            Prefetch("points", PointWorked.objects.select_related("point")),
            Prefetch("addenda", RecordAddendum.objects.select_related("author")),
        )
        .first()
    )


def _refused(request: HttpRequest, booking: Booking, title: str, reason: str) -> HttpResponse:
    """403 with an explanation and the way on."""
    return render(
        request,
        "sessions/records/refused.html",
        {
            "booking": booking,
            "title": title,
            "reason": reason,
            "role": _role(booking, request.user),
        },
        status=403,
    )


def _client_refused(request: HttpRequest, booking: Booking) -> HttpResponse:
    return _refused(
        request,
        booking,
        _("The session record is your practitioner's"),
        _(
            "Your practitioner's working notes are private to them. Once they sign the record, "
            "your session summary and aftercare advice are on your summary page."
        ),
    )


def _staff_refused(request: HttpRequest, booking: Booking) -> HttpResponse:
    return _refused(
        request,
        booking,
        _("Staff read records; they do not change them"),
        _("Only the booking's practitioner writes, signs or adds to a session record."),
    )


def _not_the_writer(request: HttpRequest, booking: Booking) -> HttpResponse | None:
    """403 with the way on for anyone but the booking's practitioner (its client, staff),
    who may read about the booking but not write its record."""
    role = _role(booking, request.user)
    if role == "client":
        return _client_refused(request, booking)
    if role == "staff":
        return _staff_refused(request, booking)
    return None


def _not_writable(request: HttpRequest, booking: Booking) -> HttpResponse:
    if booking.status not in Booking.RECORDABLE:
        reason = _("This booking is %(status)s: there is no session to record.") % {
            "status": booking.get_status_display().lower()
        }
    else:
        starts = timezone.localtime(booking.starts_at, ZoneInfo(booking.practitioner.timezone))
        reason = _(
            "You can write the record once the session has started (%(when)s, %(zone)s)."
        ) % {
            # Translators: a date format (Django's "date" filter): Monday 5 January 2026 at 14:00
            "when": dateformat.format(starts, _("l j F Y \\a\\t H:i")),
            "zone": booking.practitioner.timezone,
        }
    return _refused(request, booking, _("Not yet: the session has not started"), reason)


def _needs_intake(
    request: HttpRequest, booking: Booking, form: ProceedWithoutIntakeForm | None = None
) -> HttpResponse:
    """The record cannot start yet: the client has not signed a health form. Says so, and
    offers the practitioner to record why they proceed without it."""
    context = {
        "booking": booking,
        "zone": booking.practitioner.timezone,
        "form": form or ProceedWithoutIntakeForm(),
    }
    return render(
        request, "sessions/records/needs_intake.html", context, status=400 if form else 200
    )


def _changes_from_check(booking: Booking) -> str:
    """The client's pre-session answer ("anything changed?"), to start the draft with."""
    check = getattr(booking, "pre_session_check", None)
    if check is None:
        return ""
    if check.changed:
        return _("Client reported before the session: %(details)s") % {"details": check.details}
    return _("Client reported no changes before the session.")


@dataclass(frozen=True)
class MapSpot:
    """A point on the interactive map with the state of its checkbox."""

    spot: reflex_map.Spot
    checked: bool
    tenderness: str
    avoid: str = ""


def _map_spots(groups) -> list[MapSpot]:
    """Every foot row of the list as a point on the map, in the list's order (right sole
    first), with its checkbox's state and the area to avoid it is in."""
    return [
        MapSpot(
            reflex_map.spot(row.point, row.side),
            row.checked,
            row.tenderness if row.checked else "0",
            row.avoid,
        )
        for group in groups
        if group.is_foot
        for row in group.rows
    ]


def _bands(areas: list[Avoided]) -> list[reflex_map.Band]:
    """The shaded bands of the soles for the feet's areas to avoid."""
    bands = [
        reflex_map.sole_band(area.side, area.part, area.text)
        for area in areas
        if area.map == "foot"
    ]
    return [band for band in bands if band is not None]


def _form_page(
    request: HttpRequest,
    booking: Booking,
    record: SessionRecord,
    *,
    record_form: RecordForm | None = None,
    points_form: PointsForm | None = None,
    sign_form: SignForm | None = None,
    catalogue: list[ReflexPoint] | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    if catalogue is None:
        catalogue = list(ReflexPoint.objects.all())
    if record_form is None:
        record_form = RecordForm(initial=RecordForm.initial_for(record), flags=booking.flags)
    if points_form is None:
        points_form = PointsForm(
            initial=PointsForm.initial_for(list(record.points.all())), catalogue=catalogue
        )
    areas = avoided(area_flags(booking, record_form.avoid_found()))
    groups = points_form.groups(areas)
    log_health_read(request.user, Kind.RECORD, booking=booking)
    context = {
        "booking": booking,
        "record": record,
        "form": record_form,
        "points_form": points_form,
        "sign_form": sign_form or SignForm(),
        "foot_groups": [g for g in groups if g.is_foot],
        "other_groups": [g for g in groups if not g.is_foot],
        "spots": _map_spots(groups),
        "avoid_areas": areas,
        "avoid_bands": _bands(areas),
        "soles": reflex_map.soles(),
        "view_w": reflex_map.VIEW_W,
        "view_h": reflex_map.VIEW_H,
        "zone": booking.practitioner.timezone,
        "errors": [*record_form.non_field_errors(), *points_form.non_field_errors()],
        "has_errors": record_form.is_bound
        and (bool(record_form.errors) or bool(points_form.errors)),
        "follow_up_form": follow_up_form or FollowUpForm(),
        "safety_decisions": booking.recorded_decisions(),
    }
    return render(request, "sessions/records/form.html", context)


def _read_only(
    request: HttpRequest,
    booking: Booking,
    record: SessionRecord | None,
    *,
    addendum_form: AddendumForm | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    role = _role(booking, request.user)
    if record is not None:
        log_health_read(request.user, Kind.RECORD, booking=booking)
    context = {
        "booking": booking,
        "record": record,
        "role": role,
        "zone": booking.practitioner.timezone,
    }
    if record is not None:
        reactions = dict(SESSION_REACTIONS)
        context |= {
            "points": list(record.points.all()),
            "addenda": list(record.addenda.all()),
            "observations": [
                (label, record.observations[key])
                for key, label in OBSERVATION_ITEMS
                if key in (record.observations or {})
            ],
            "reactions": [reactions.get(r, r) for r in record.reactions],
            "safety_decisions": booking.recorded_decisions(),
        }
        if role == "practitioner" and record.is_signed:
            context["addendum_form"] = addendum_form or AddendumForm()
        if role == "practitioner":
            context["follow_up_form"] = follow_up_form or FollowUpForm()
    return render(request, "sessions/records/view.html", context)


def _save(
    request: HttpRequest, booking: Booking, record: SessionRecord
) -> tuple[RecordForm, PointsForm, list[ReflexPoint], bool]:
    """Validate the posted record and points and save them; False keeps everything typed in
    the bound forms, with the reasons as errors."""
    catalogue = list(ReflexPoint.objects.all())
    # The saved record as initial: health wording already confirmed does not warn again.
    record_form = RecordForm(
        request.POST, initial=RecordForm.initial_for(record), flags=booking.flags
    )
    points_form = PointsForm(request.POST, catalogue=catalogue)
    if not (record_form.is_valid() and points_form.is_valid()):
        return record_form, points_form, catalogue, False
    oil_reason, area_reason = record_form.override_reasons()
    try:
        save_record(
            record=record,
            fields=record_form.record_fields(),
            worked=points_form.worked(),
            oil_override_reason=oil_reason,
            area_override_reason=area_reason,
        )
    except RecordRefused as refused:
        for message in refused.messages:
            record_form.add_error(None, ValidationError(message, code="refused"))
        return record_form, points_form, catalogue, False
    flag_guarded_form(
        practitioner=booking.practitioner, subject=summary_subject(record.code), form=record_form
    )
    return record_form, points_form, catalogue, True


@require_http_methods(["GET", "HEAD", "POST"])
def record(request: HttpRequest, code: UUID) -> HttpResponse:
    """The session record: the practitioner's form while a draft (GET starts the draft), the
    read-only record once signed; staff read it; the client is sent to their summary."""
    booking = visible_booking(request, code)
    if _role(booking, request.user) == "staff" and request.method != "POST":
        return _read_only(request, booking, _record(booking))
    if refused := _not_the_writer(request, booking):
        return refused
    current = _record(booking)
    if current is not None and current.is_signed:
        if request.method == "POST":
            messages.error(
                request,
                _(
                    "This record is signed and locked, so nothing was changed. Add an addendum "
                    "below instead."
                ),
            )
            return redirect("sessions:record", code=booking.code)
        return _read_only(request, booking, current)
    if not can_write_record(booking, request.user):
        return _not_writable(request, booking)
    if booking.record_waits_for_intake:  # even when the client's check-in began a draft
        return _needs_intake(request, booking)
    if current is None:
        current = start_record(booking, changes_since_last=_changes_from_check(booking))
        current = _record(booking)
    if request.method == "POST":
        record_form, points_form, catalogue, saved = _save(request, booking, current)
        if saved:
            messages.success(request, _("Draft saved. Sign it when it is complete."))
            return redirect("sessions:record", code=booking.code)
        return _form_page(
            request,
            booking,
            current,
            record_form=record_form,
            points_form=points_form,
            # Unbound: saving a draft does not ask for the signing confirmation.
            sign_form=SignForm(initial={"confirm_sign": bool(request.POST.get("confirm_sign"))}),
            catalogue=catalogue,
        )
    return _form_page(request, booking, current)


@require_POST
def record_proceed(request: HttpRequest, code: UUID) -> HttpResponse:
    """The practitioner records why they start the session record before the client has
    signed a health form; then the record opens."""
    booking = visible_booking(request, code)
    if refused := _not_the_writer(request, booking):
        return refused
    if not can_write_record(booking, request.user):
        return _not_writable(request, booking)
    form = ProceedWithoutIntakeForm(request.POST)
    if not form.is_valid():
        return _needs_intake(request, booking, form)
    try:
        proceed_without_intake(booking=booking, reason=form.cleaned_data["reason"])
    except RecordRefused as refused:
        messages.info(request, str(refused))
    return redirect("sessions:record", code=booking.code)


@require_POST
def record_sign(request: HttpRequest, code: UUID) -> HttpResponse:
    """Sign and lock the draft. Posted from the record form ("Save and sign"), it saves the
    form first; a post without the form's fields signs the draft as last saved."""
    booking = visible_booking(request, code)
    if refused := _not_the_writer(request, booking):
        return refused
    current = _record(booking)
    if current is not None and current.is_signed:
        messages.error(request, _("This record is already signed. Add an addendum instead."))
        return redirect("sessions:record", code=booking.code)
    if not can_write_record(booking, request.user):
        return _not_writable(request, booking)
    if booking.record_waits_for_intake:  # even when the client's check-in began a draft
        return _needs_intake(request, booking)
    if current is None:
        start_record(booking, changes_since_last=_changes_from_check(booking))
        current = _record(booking)
    sign_form = SignForm(request.POST)
    if "record_form" in request.POST:
        record_form, points_form, catalogue, saved = _save(request, booking, current)
        if not saved:
            sign_form.is_valid()  # show its error too, if any
            return _form_page(
                request,
                booking,
                current,
                record_form=record_form,
                points_form=points_form,
                sign_form=sign_form,
                catalogue=catalogue,
            )
    if not sign_form.is_valid():
        messages.error(
            request,
            _(
                "The record is not signed yet: tick “Signing locks this record” to sign it. "
                "Your changes are saved as a draft."
            ),
        )
        return _form_page(request, booking, _record(booking), sign_form=sign_form)
    try:
        sign_record(record=current)
    except RecordRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("sessions:record", code=booking.code)
    messages.success(
        request,
        _("Record signed and locked. The client can now read the summary and aftercare advice."),
    )
    return redirect("sessions:record", code=booking.code)


@require_POST
def record_addendum(request: HttpRequest, code: UUID) -> HttpResponse:
    """Add an addendum (text, author, time) under a signed record."""
    booking = visible_booking(request, code)
    if refused := _not_the_writer(request, booking):
        return refused
    current = _record(booking)
    if current is None or not current.is_signed:
        messages.error(
            request, _("Addenda are for signed records: change the draft itself, then sign it.")
        )
        return redirect("sessions:record", code=booking.code)
    form = AddendumForm(request.POST)
    if not form.is_valid():
        return _read_only(request, booking, current, addendum_form=form)
    try:
        add_addendum(record=current, author=request.user, text=form.cleaned_data["text"])
    except RecordRefused as refused:
        for message in refused.messages:
            form.add_error("text", ValidationError(message, code="refused"))
        return _read_only(request, booking, current, addendum_form=form)
    messages.success(request, _("Addendum added under the record."))
    return redirect(reverse("sessions:record", kwargs={"code": booking.code}) + "#addenda")


@require_POST
def record_follow_up(request: HttpRequest, code: UUID) -> HttpResponse:
    """The practitioner records how they followed up a strong reaction reported at the
    check-in; the client's next booking with them no longer waits for it."""
    booking = visible_booking(request, code)
    if refused := _not_the_writer(request, booking):
        return refused
    current = _record(booking)
    if current is None or not current.needs_follow_up:
        messages.error(request, _("There is no strong reaction waiting for a follow-up here."))
        return redirect("sessions:record", code=booking.code)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            follow_up_record(record=current, note=form.cleaned_data["note"])
        except RecordRefused as refused:
            for message in refused.messages:
                form.add_error("note", ValidationError(message, code="refused"))
        else:
            messages.success(
                request,
                _(
                    "Follow-up recorded. The client's next booking with you no longer waits for "
                    "it, but it is still a request: confirm it (or record your decision) from "
                    "your agenda."
                ),
            )
            return redirect(
                reverse("sessions:record", kwargs={"code": booking.code}) + "#follow-up"
            )
    if current.is_signed:
        return _read_only(request, booking, current, follow_up_form=form)
    return _form_page(request, booking, current, follow_up_form=form)


@require_safe
@practitioner_required
def todo(request: HttpRequest) -> HttpResponse:
    """The practitioner's record to-do list: sessions without a record (or only the draft
    the client's check-in started), drafts older than 24 hours, and check-ins that report a
    strong reaction."""
    practitioner = request.user.practitioner
    now = timezone.now()
    records = list(practitioner_todo(practitioner, now).select_related("booking__service"))
    unwritten = list(
        unwritten_sessions(practitioner, now)
        .select_related("client", "service")
        .order_by("starts_at")
    )
    reactions = [r for r in records if r.needs_follow_up]
    # The list prints the client's own words about their reaction: a read of their answers.
    log_health_reads(
        request.user, Kind.AFTER_SESSION, [r.booking for r in reactions if r.checkin_reaction_notes]
    )
    context = {
        "practitioner": practitioner,
        "zone": practitioner.timezone,
        "unwritten": unwritten,
        # A draft with a strong reaction waiting (answered before the record was signed) is
        # listed once, with the reactions.
        "drafts": [r for r in records if not r.is_signed and not r.needs_follow_up],
        "reactions": reactions,
    }
    return render(request, "sessions/records/todo.html", context)
