"""Clients' reports about a practitioner (issue 15): the form, from the profile (here) or
from a booking (sessions.views.safety_queue calls report_page), and the client's own page
for a report they made."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from practitioners import review
from practitioners.forms.safety import ReportForm
from practitioners.models import ClientReport, Practitioner


def report_page(
    request: HttpRequest,
    practitioner: Practitioner,
    *,
    back_url: str,
    booking_code: UUID | None = None,
) -> HttpResponse:
    """The report form about `practitioner` for a client (403 for anyone else); while the
    client's last report on them is open, the page says so instead of taking another."""
    if not review.can_report(request.user, practitioner):
        raise PermissionDenied("Only clients can report a practitioner.")
    already = review.open_report_for(request.user, practitioner)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if already is None and form.is_valid():
        try:
            report = review.submit_report(
                client=request.user,
                practitioner=practitioner,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                booking_code=booking_code,
            )
        except review.ReviewRefused as refused:
            messages.info(request, str(refused))
            return redirect(back_url)
        messages.success(
            request,
            _(
                "Thank you: your report is with reflexbook staff. We will email you if we need "
                "to know more."
            ),
        )
        return redirect("practitioners:report-detail", code=report.code)
    context = {
        "practitioner": practitioner,
        "form": form,
        "back_url": back_url,
        "already": already,
        "already_message": review.REPORT_ALREADY_OPEN.format(name=practitioner.display_name),
    }
    return render(request, "practitioners/reports/form.html", context)


@require_http_methods(["GET", "POST"])
def report_practitioner(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a listed practitioner from their profile."""
    practitioner = get_object_or_404(Practitioner.objects.listed(), slug=slug)
    return report_page(request, practitioner, back_url=practitioner.get_absolute_url())


@require_safe
def report_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    """A report, for the client who made it only (anyone else: 404)."""
    report = get_object_or_404(
        ClientReport.objects.filter(client=request.user).select_related("practitioner", "item"),
        code=code,
    )
    return render(request, "practitioners/reports/detail.html", {"report": report})
