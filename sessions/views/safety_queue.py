"""The trust-and-safety queue for staff (issue 15, point 4), and a client's report from a
booking. Here rather than in practitioners because a session summary and a practitioner's
bookings are sessions' (practitioners never imports sessions); the queue itself and every
decision are practitioners.review's, the cancellations sessions.booking's."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import require_staff
from practitioners import review
from practitioners.forms.safety import (
    CancelBookingsForm,
    CloseReportForm,
    HideForm,
    ReviewDecisionForm,
)
from practitioners.models import Practitioner, ReviewItem
from practitioners.views.reports import report_page
from sessions.access import client_booking
from sessions.audit import Kind, log_health_read
from sessions.booking import BookingRefused, cancel_upcoming_by_staff
from sessions.models import Booking, SessionRecord

ItemKind = ReviewItem.Kind


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Items waiting for staff, oldest first."""
    require_staff(request)
    waiting = review.open_queue()
    for item in waiting.items:
        item.marked = review.marked_words(item.words)
    return render(request, "sessions/safety/queue.html", {"queue": waiting})


def _texts(request: HttpRequest, item: ReviewItem) -> list[tuple[str, str]]:
    """The flagged subject's texts as they are now, (label, text); a summary's read is
    logged (it is the client's health data)."""
    if item.kind == ItemKind.PROFILE:
        return [
            (_("Display name"), item.practitioner.display_name),
            (_("About"), item.practitioner.bio),
        ]
    if item.kind == ItemKind.SERVICE and item.service is not None:
        return [
            (_("Service name"), item.service.name),
            (_("Description"), item.service.description),
        ]
    if item.kind == ItemKind.SUMMARY:
        record = (
            SessionRecord.objects.select_related("booking").filter(code=item.record_code).first()
        )
        if record is None:
            return []
        log_health_read(request.user, Kind.SUMMARY, booking=record.booking)
        return [
            (_("Summary for the client"), record.client_summary),
            (_("Aftercare"), record.aftercare),
        ]
    return []


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    """One item: the text with the flagged words marked (or the client's report), and the
    decision."""
    require_staff(request)
    item = get_object_or_404(
        ReviewItem.objects.select_related(
            "practitioner__user", "service", "report__client", "decided_by"
        ),
        code=code,
    )
    is_report = item.kind == ItemKind.REPORT
    data = request.POST if request.method == "POST" else None
    form = CloseReportForm(data) if is_report else ReviewDecisionForm(data)
    if data is not None and form.is_valid():
        try:
            if is_report:
                review.close_report(item=item, by=request.user, note=form.cleaned_data["note"])
                done = _("The report is closed.")
            elif form.cleaned_data["decision"] == ReviewDecisionForm.FINE:
                review.decide_fine(item=item, by=request.user, note="")
                done = _("Marked fine as it is.")
            else:
                review.ask_change(item=item, by=request.user, message=form.cleaned_data["message"])
                done = _("%(name)s was emailed your message and sees it in their area.") % {
                    "name": item.practitioner.display_name
                }
        except review.ReviewRefused as refused:
            messages.error(request, str(refused))
            return redirect("sessions:safety-item", code=item.code)
        messages.success(request, done)
        return redirect("sessions:safety-queue")
    texts = [
        (label, review.highlight(text, item.words)) for label, text in _texts(request, item) if text
    ]
    context = {
        "item": item,
        "texts": texts,
        "marked": review.marked_words(item.words),
        "form": form,
        "own": item.practitioner.user_id == request.user.pk,
        "booking": Booking.objects.filter(code=item.report.booking_code).first()
        if is_report and item.report.booking_code
        else None,
    }
    return render(request, "sessions/safety/item.html", context)


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_http_methods(["GET", "POST"])
def practitioner_visibility(request: HttpRequest, slug: str) -> HttpResponse:
    """Hide a practitioner from the directory with a reason, show them again, and cancel a
    hidden practitioner's upcoming bookings with a message to each client."""
    require_staff(request)
    practitioner = get_object_or_404(Practitioner.objects.select_related("user"), slug=slug)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    hide_form = HideForm(request.POST if action == "hide" else None)
    cancel_form = CancelBookingsForm(request.POST if action == "cancel" else None)
    try:
        if action == "hide" and hide_form.is_valid():
            review.hide_profile(
                practitioner=practitioner, by=request.user, reason=hide_form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _(
                    "%(name)s’s profile is hidden from the directory. They were emailed the "
                    "reason; their existing bookings stand."
                )
                % {"name": practitioner.display_name},
            )
            return redirect("sessions:safety-practitioner", slug=slug)
        if action == "show":
            review.show_profile(practitioner=practitioner, by=request.user)
            messages.success(
                request,
                _("%(name)s’s profile is shown again. They were emailed.")
                % {"name": practitioner.display_name},
            )
            return redirect("sessions:safety-practitioner", slug=slug)
        if action == "cancel" and cancel_form.is_valid():
            cancelled = cancel_upcoming_by_staff(
                practitioner=practitioner,
                by=request.user,
                message=cancel_form.cleaned_data["message"],
            )
            messages.success(
                request,
                ngettext(
                    "Cancelled %(count)s upcoming booking; each client was emailed your message.",
                    "Cancelled %(count)s upcoming bookings; each client was emailed your message.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
            )
            return redirect("sessions:safety-practitioner", slug=slug)
    except (review.ReviewRefused, BookingRefused) as refused:
        messages.error(request, str(refused))
        return redirect("sessions:safety-practitioner", slug=slug)
    now = timezone.now()
    context = {
        "practitioner": practitioner,
        "hide": practitioner.staff_hide,
        "hide_form": hide_form,
        "cancel_form": cancel_form,
        "upcoming_count": Booking.objects.filter(practitioner=practitioner).upcoming(now).count(),
        "items": practitioner.review_items.select_related("report").order_by("-created_at")[:20],
    }
    return render(request, "sessions/safety/practitioner.html", context)


@require_http_methods(["GET", "POST"])
def booking_report(request: HttpRequest, code: UUID) -> HttpResponse:
    """The client reports the practitioner of one of their bookings (it need not be listed)."""
    booking = client_booking(request, code)
    return report_page(
        request,
        booking.practitioner,
        back_url=booking.get_absolute_url(),
        booking_code=booking.code,
    )
