"""The health intake: the client's current form and history, filling in or changing it in
steps (a private draft until signed, only ever read by its client), confirming it after 12
months, the practitioner's view of one version (every read by anyone but
the client is logged), the client's access list, the pre-session check-in and clearance notes.

Intakes are loaded only through IntakeForm.objects.visible_to(user): anyone else gets 404.
"""

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from sessions import intake as intake_rules
from sessions.access import client_booking
from sessions.audit import Kind, log_health_read
from sessions.booking import (
    BookingRefused,
    Rescored,
    answer_pre_session_check,
    sign_intake_and_rescore,
)
from sessions.forms.intake import (
    ChangedStepsForm,
    CheckInForm,
    ClearanceNoteForm,
    ConsentForm,
    MayBePregnantForm,
)
from sessions.forms.intake_questions import ABOUT_YOU_STEP, CONSENT_STEP, IntakeQuestions, Step
from sessions.intake import readable_answers
from sessions.models import Booking, IntakeAccess, IntakeDraft, IntakeForm
from sessions.models.intake import ClearanceNote, PreSessionCheck
from sessions.safety import Tier, has_tier

CONFIRM_LABEL = gettext_lazy("Confirm nothing has changed")


def _safe_next(request: HttpRequest) -> str:
    """The `next` address if it is on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _latest(user: User) -> IntakeForm | None:
    return user.intake_forms.order_by("-version").first()


def _tell_about(request: HttpRequest, rescored: Rescored) -> None:
    """Tell the client which of their bookings a new talk-first flag sent back to their
    practitioner (they will be in touch), and which a new clearance flag asks them to
    confirm again on the booking page (they were emailed the link too)."""
    for booking in rescored.sent_back:
        when = timezone.localtime(booking.starts_at)
        messages.warning(
            request,
            _(
                "%(name)s will want to talk with you before your session on %(when)s and will "
                "be in touch: until then it is a request."
            )
            % {
                "name": booking.practitioner.display_name,
                "when": date_format(when, _("l j F")),
            },
        )
    for booking in rescored.confirm_again:
        when = timezone.localtime(booking.starts_at)
        messages.warning(
            request,
            format_html(
                _(
                    "Please confirm again on your booking page that you have talked to your "
                    "doctor or midwife: {link}."
                ),
                link=format_html(
                    '<a href="{}">{}</a>',
                    booking.get_absolute_url(),
                    _("your session with %(name)s on %(when)s")
                    % {
                        "name": booking.practitioner.display_name,
                        "when": date_format(when, _("l j F")),
                    },
                ),
            ),
        )


def _intake_page(
    request: HttpRequest,
    *,
    note_form: ClearanceNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    versions = list(request.user.intake_forms.order_by("-version"))
    current = versions[0] if versions else None
    now = timezone.now()
    needs_review = intake_rules.needs_review(current, now)
    context = {
        "current": current,
        "versions": versions,
        "needs_review": needs_review,
        "sections": readable_answers(current.answers) if current else [],
        "upcoming": list(
            Booking.objects.visible_to(request.user)
            .filter(client=request.user)
            .upcoming(now)
            .select_related("practitioner", "service", "pre_session_check")
        ),
        "notes": list(
            ClearanceNote.objects.filter(intake__client=request.user).select_related("intake")
        ),
        "draft": _draft(request.user),
    }
    if current and needs_review:
        context["confirm_form"] = ConsentForm(
            user=request.user, submit_label=CONFIRM_LABEL, heading_level=3
        )
    if current and has_tier(current.flags, Tier.CLEARANCE):
        note_form = note_form or ClearanceNoteForm()
        note_form.helper.form_action = reverse("sessions:intake-note")
        context["note_form"] = note_form
    return render(request, "sessions/intake/current.html", context, status=status)


@require_safe
def intake(request: HttpRequest) -> HttpResponse:
    return _intake_page(request)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _step_url(step: Step, next_url: str) -> str:
    return _with_next(reverse("sessions:intake-step", kwargs={"step": step.slug}), next_url)


def _draft(user: User) -> IntakeDraft | None:
    return IntakeDraft.objects.filter(client=user).first()


def _error_list(*forms) -> list[tuple[str, str, str]]:
    """The error summary: each error with the id of its input (or, for a group of options,
    its wrapper) and the question's label."""
    return [
        (
            form[name].id_for_label or f"div_{form[name].auto_id}",
            form.fields[name].label,
            error,
        )
        for form in forms
        for name, field_errors in form.errors.items()
        if name in form.fields
        for error in field_errors
    ]


@require_http_methods(["GET", "POST"])
def intake_edit(request: HttpRequest) -> HttpResponse:
    """Start or go on with the health form in steps. A first form goes on at its first step
    not answered yet. A client with a signed form confirms nothing has changed (posted to
    intake_confirm) or ticks the parts that changed and is asked those steps only. A safe
    `next` address (such as the booking review) is kept through every step."""
    latest = _latest(request.user)
    draft = _draft(request.user)
    next_url = _safe_next(request)
    if latest is None:
        return redirect(_step_url(intake_rules.open_step(draft), next_url))
    today = timezone.localdate()
    changed = ChangedStepsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and changed.is_valid():
        draft = intake_rules.start_changes(
            client=request.user,
            latest=latest,
            slugs=changed.cleaned_data["steps"],
            today=today,
        )
        return redirect(_step_url(intake_rules.open_step(draft), next_url))
    return _returning_page(request, latest, changed_form=changed)


def _returning_page(
    request: HttpRequest,
    latest: IntakeForm,
    *,
    changed_form: ChangedStepsForm | None = None,
    confirm_form: ConsentForm | None = None,
) -> HttpResponse:
    """A client with a signed form: confirm nothing has changed, or tick what changed."""
    draft = _draft(request.user)
    changed_form = changed_form or ChangedStepsForm()
    outdated = intake_rules.pregnancy_outdated(latest.answers, timezone.localdate())
    if not outdated:
        confirm_form = confirm_form or ConsentForm(
            user=request.user, submit_label=CONFIRM_LABEL, heading_level=3
        )
    bound = changed_form.is_bound or (confirm_form is not None and confirm_form.is_bound)
    return render(
        request,
        "sessions/intake/edit.html",
        {
            "latest": latest,
            "draft": draft,
            "draft_step": intake_rules.open_step(draft) if draft else None,
            "next_url": _safe_next(request),
            "sections": readable_answers(latest.answers),
            "pregnancy_outdated": outdated,
            "confirm_form": None if outdated else confirm_form,
            "changed_form": changed_form,
            "error_list": _error_list(
                *(form for form in (confirm_form, changed_form) if form is not None)
            ),
        },
        status=400 if bound else 200,
    )


@require_http_methods(["GET", "POST"])
def intake_step(request: HttpRequest, step: str) -> HttpResponse:
    """One step of the health form: its answers are saved to the client's private draft
    (sessions.intake.save_step), and the last step signs the draft as a new version
    (sessions.booking.sign_intake_and_rescore). Steps are answered in order; a step not asked
    or not reached yet sends the client to the one to answer now."""
    latest = _latest(request.user)
    draft = _draft(request.user)
    next_url = _safe_next(request)
    if latest is not None and draft is None:
        return redirect(_with_next(reverse("sessions:intake-edit"), next_url))
    asked = intake_rules.steps_asked(draft)
    current = intake_rules.step_named(step)
    if current is None:
        raise Http404("No such step of the health form.")
    to_answer = intake_rules.open_step(draft)
    if current not in asked or asked.index(current) > asked.index(to_answer):
        return redirect(_step_url(to_answer, next_url))
    answers = draft.answers if draft is not None else {}
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    if current.slug == CONSENT_STEP:
        questions, pregnancy = None, None
        guardian = intake_rules.signing_guardian(answers, today)
        forms = [ConsentForm(data, user=request.user, guardian=guardian)]
    else:
        questions = IntakeQuestions(
            data,
            initial=intake_rules.initial_from(answers),
            today=today,
            only=intake_rules.step_questions(current, answers),
        )
        pregnancy = (
            MayBePregnantForm(data, initial={"may_be_pregnant": draft and draft.may_be_pregnant})
            if current.slug == ABOUT_YOU_STEP
            else None
        )
        forms = [form for form in (questions, pregnancy) if form is not None]
    if data is not None and all(form.is_valid() for form in forms):
        if questions is None:
            consent = forms[0]
            signed, rescored = sign_intake_and_rescore(
                client=request.user,
                answers=intake_rules.answers_from(answers),
                signed_name=consent.cleaned_data["signature"],
                signed_ip=_client_ip(request),
                physician_contact_allowed=consent.cleaned_data["physician_contact_allowed"],
            )
            messages.success(
                request,
                _("Your health form is saved and signed (version %(version)s).")
                % {"version": signed.version},
            )
            _tell_about(request, rescored)
            return redirect(next_url or reverse("sessions:intake"))
        draft = intake_rules.save_step(
            client=request.user,
            step=current,
            cleaned_data=questions.cleaned_data,
            may_be_pregnant=pregnancy.cleaned_data["may_be_pregnant"] if pregnancy else None,
        )
        return redirect(_step_url(intake_rules.open_step(draft), next_url))
    position = asked.index(current)
    return render(
        request,
        "sessions/intake/step.html",
        {
            "step": current,
            "number": position + 1,
            "total": len(asked),
            "previous": _step_url(asked[position - 1], next_url) if position else "",
            "forms": forms,
            "latest": latest,
            "draft": draft,
            "next_url": next_url,
            "sections": readable_answers(intake_rules.answers_from(answers))
            if questions is None
            else [],
            "error_list": _error_list(*forms),
        },
        status=400 if data is not None else 200,
    )


@require_POST
def intake_confirm(request: HttpRequest) -> HttpResponse:
    """After 12 months: sign the same answers again as a new version."""
    latest = _latest(request.user)
    if latest is None:
        return redirect("sessions:intake-edit")
    form = ConsentForm(
        request.POST,
        user=request.user,
        guardian=intake_rules.signing_guardian(latest.answers, timezone.localdate()),
        submit_label=CONFIRM_LABEL,
        heading_level=3,
    )
    if not form.is_valid():
        return _returning_page(request, latest, confirm_form=form)
    if intake_rules.pregnancy_outdated(latest.answers, timezone.localdate()):
        messages.error(
            request,
            _(
                "Your form says you are pregnant, and that was more than a few months ago. "
                "Please update your answers instead."
            ),
        )
        return redirect("sessions:intake-edit")
    signed, rescored = sign_intake_and_rescore(
        client=request.user,
        answers=latest.answers,
        signed_name=form.cleaned_data["signature"],
        signed_ip=_client_ip(request),
        physician_contact_allowed=form.cleaned_data["physician_contact_allowed"],
    )
    messages.success(
        request,
        _("Thank you: your health form is confirmed (version %(version)s).")
        % {"version": signed.version},
    )
    _tell_about(request, rescored)
    return redirect(_safe_next(request) or reverse("sessions:intake"))


def _booking_from_query(request: HttpRequest, intake: IntakeForm) -> Booking | None:
    """The booking named by ?booking=<code>, if the viewer may see it and it is this client's."""
    try:
        code = UUID(request.GET.get("booking", ""))
    except ValueError:
        return None
    return (
        Booking.objects.visible_to(request.user)
        .filter(code=code, client_id=intake.client_id)
        .select_related("practitioner", "pre_session_check")
        .first()
    )


def _baseline(
    intake: IntakeForm, booking: Booking | None, visible: QuerySet[IntakeForm]
) -> tuple[IntakeForm | None, str]:
    """What to compare `intake` with, among the versions the viewer may read (`visible`): the
    intake of the client's previous session with the same practitioner, when reached from a
    booking and there was one; else the previous readable version."""
    if booking is not None:
        previous_session = (
            Booking.objects.filter(
                client_id=intake.client_id,
                practitioner_id=booking.practitioner_id,
                starts_at__lt=booking.starts_at,
                status__in=Booking.RECORDABLE,
                intake__in=visible,
            )
            .select_related("intake")
            .order_by("-starts_at")
            .first()
        )
        if previous_session is not None:
            return previous_session.intake, "session"
    previous = (
        visible.filter(client_id=intake.client_id, version__lt=intake.version)
        .order_by("-version")
        .first()
    )
    return previous, "version"


@require_safe
def intake_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    """One intake version, with what changed since the client's previous one highlighted. Every
    read by someone other than the client is recorded for the client to see. A practitioner
    reaches only the versions their bookings need (IntakeForm.objects.visible_to), and
    compares with, and sees the clearance notes of, only those."""
    visible = IntakeForm.objects.visible_to(request.user)
    intake = get_object_or_404(visible.select_related("client"), code=code)
    booking = _booking_from_query(request, intake)
    log_health_read(request.user, Kind.INTAKE, intake=intake, booking=booking)
    baseline, baseline_kind = _baseline(intake, booking, visible)
    is_client = request.user.pk == intake.client_id
    try:
        check = booking.pre_session_check if booking else None
    except PreSessionCheck.DoesNotExist:
        check = None
    sections = readable_answers(intake.answers, baseline.answers if baseline is not None else None)
    # For the booking this version is in force for, the flags in force for that session
    # (booking.flags: worked out for its date, with what the client reported for it).
    for_session = booking is not None and booking.intake_id == intake.pk
    return render(
        request,
        "sessions/intake/detail.html",
        {
            "intake": intake,
            "booking": booking,
            "check": check,
            "flags": booking.flags if for_session else intake.flags,
            "for_session": for_session,
            "audience": "client" if is_client else "practitioner",
            "is_client": is_client,
            "baseline": baseline,
            "baseline_kind": baseline_kind,
            "sections": sections,
            "changed_rows": [row for _heading, rows in sections for row in rows if row.changed],
            "notes": list(
                ClearanceNote.objects.visible_to(request.user)
                .filter(intake__client_id=intake.client_id)
                .select_related("intake")
            ),
        },
    )


@require_safe
def intake_access(request: HttpRequest) -> HttpResponse:
    """Who has read the client's health data: who, as what, when, and what they read."""
    accesses = (
        IntakeAccess.objects.filter(client=request.user)
        .select_related("viewer", "intake", "note", "booking__practitioner")
        .order_by("-at")
    )
    return render(
        request,
        "sessions/intake/access.html",
        {"accesses": accesses},
    )


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, code: UUID) -> HttpResponse:
    """Before a session, the client says whether anything has changed since last time, and
    what (structured choices, re-scored by sessions.booking.answer_pre_session_check)."""
    booking = client_booking(request, code)
    try:
        existing = booking.pre_session_check
    except PreSessionCheck.DoesNotExist:
        existing = None
    open_for_answers = booking.is_upcoming()
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if not open_for_answers:
            messages.error(
                request,
                _("This session is not upcoming any more, so the check-in is closed."),
            )
            return redirect("sessions:check-in", code=booking.code)
        if form.is_valid():
            try:
                _check, rescored = answer_pre_session_check(
                    booking=booking,
                    changed=form.cleaned_data["changed"],
                    changes=form.cleaned_data["changes"],
                    details=form.cleaned_data["details"],
                )
            except BookingRefused as refused:
                messages.error(request, str(refused))
                return redirect("sessions:check-in", code=booking.code)
            messages.success(
                request,
                _("Thank you: your practitioner will see your answer before the session."),
            )
            _tell_about(request, rescored)
            return redirect(booking)  # its page shows the flags, with any urgent-care words
    elif existing is not None:
        form = CheckInForm(
            initial={
                "changed": existing.changed,
                "changes": existing.changes,
                "details": existing.details,
            }
        )
    else:
        form = CheckInForm()
    return render(
        request,
        "sessions/intake/check_in.html",
        {
            "booking": booking,
            "form": form,
            "existing": existing,
            "open_for_answers": open_for_answers,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def clearance_note_upload(request: HttpRequest) -> HttpResponse:
    """Attach a note from the client's doctor or midwife to their current intake version."""
    latest = _latest(request.user)
    if latest is None:
        return redirect("sessions:intake-edit")
    form = ClearanceNoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _intake_page(request, note_form=form, status=400)
    upload = form.cleaned_data["note"]
    ClearanceNote.objects.create(
        intake=latest,
        file=upload,
        original_name=upload.name[:200],
        content_type=form.content_type,
        size=upload.size,
    )
    messages.success(request, _("Your note is uploaded. Your practitioner can see it."))
    return redirect("sessions:intake")


@require_safe
def clearance_note_file(request: HttpRequest, code: UUID) -> FileResponse:
    """A clearance note, for those who may read the intake it belongs to (reads are logged)."""
    note = get_object_or_404(
        ClearanceNote.objects.visible_to(request.user).select_related("intake"), code=code
    )
    try:
        handle = note.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    log_health_read(request.user, Kind.CLEARANCE_NOTE, note=note)
    response = FileResponse(
        handle,
        content_type=note.content_type,
        as_attachment=not (note.is_image or note.content_type == "application/pdf"),
        filename=note.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
