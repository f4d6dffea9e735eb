"""The verification report for staff: a date range's numbers on a page and as CSV."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import activity
from accounts.access import require_staff
from practitioners.forms.report import ReportRangeForm
from practitioners.verification_report import csv_rows, verification_report, wait_in_words
from reflexbook.lib.csv_export import csv_lines


def _range_form(request: HttpRequest) -> ReportRangeForm:
    form = ReportRangeForm(request.GET, today=timezone.localdate())
    form.is_valid()
    return form


def _page(request: HttpRequest, form: ReportRangeForm, report=None) -> HttpResponse:
    if report is not None:
        # Show the range the numbers are for, the default one included.
        form = ReportRangeForm(initial={"start": report.start, "end": report.end}, today=form.today)
    return render(
        request,
        "practitioners/staff/report.html",
        {
            "form": form,
            "report": report,
            "median_words": wait_in_words(report.median_wait) if report else "",
            "zone": timezone.get_current_timezone_name(),
        },
    )


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def verification_report_page(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = _range_form(request)
    if form.errors:
        return _page(request, form)
    data = form.cleaned_data
    report = verification_report(
        start=data["start"], end=data["end"], tz=timezone.get_current_timezone()
    )
    return _page(request, form, report)


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def verification_report_csv(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = _range_form(request)
    if form.errors:
        return _page(request, form)
    data = form.cleaned_data
    report = verification_report(
        start=data["start"], end=data["end"], tz=timezone.get_current_timezone()
    )
    activity.record(
        request.user,
        "report_exported",
        activity.Subject("verification_report", label="Verification report"),
        start=report.start.isoformat(),
        end=report.end.isoformat(),
    )
    header, *rows = csv_rows(report)
    response = HttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    name = f"verification-report-{report.start.isoformat()}-to-{report.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
