"""The practice report for a practitioner: their own numbers for a month or a range of
days, on a page with a chart and as CSV. There is no one else's report to ask for: the page
reads the signed-in practitioner's practice, and anyone without one gets 403 (clients, staff:
a practice's money is its own)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from practitioners.access import practitioner_required
from reflexbook.lib import money
from reflexbook.lib.csv_export import csv_lines
from sessions.booking import practice_billing
from sessions.forms.report import PracticeReportForm, month_range
from sessions.practice_report import (
    CHART_HEIGHT,
    CHART_WIDTH,
    PLOT_BOTTOM,
    PLOT_TOP,
    Report,
    chart_bars,
    chart_zero_line,
    csv_rows,
    hours,
    practice_report,
    rate_text,
)


def _report(request: HttpRequest) -> tuple[PracticeReportForm, Report | None]:
    """The range form and, when it is valid, the report it asks for."""
    form = PracticeReportForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    practitioner = request.user.practitioner
    billing = practice_billing(practitioner)
    report = practice_report(
        practitioner=practitioner,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        tz=timezone.get_current_timezone(),
        currency=billing.currency if billing else money.DEFAULT_CURRENCY,
    )
    return form, report


def _months(form: PracticeReportForm, report: Report) -> dict:
    """The month before and after the report's (its first day's), for the page's links."""
    first = report.start.replace(day=1)
    before = (first - timedelta(days=1)).replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return {"previous_month": before, "next_month": after, "this_month": form.today}


@practitioner_required
@require_safe
def practice_report_page(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    context = {"form": form, "report": report, "zone": timezone.get_current_timezone_name()}
    if report is not None:
        # Show the range the numbers are for, the default one included.
        initial = {"start": report.start, "end": report.end}
        if month_range(report.start) == (report.start, report.end):
            initial["month"] = report.start  # a whole month
        form = PracticeReportForm(initial=initial, today=form.today)
        bars = chart_bars(report)
        context.update(
            form=form,
            bars=bars,
            chart_width=CHART_WIDTH,
            chart_height=CHART_HEIGHT,
            label_y=PLOT_BOTTOM + 22,
            zero_y=chart_zero_line(report),
            top_y=PLOT_TOP,
            top_amount=money.format_amount(
                max(bucket.amount for bucket in report.buckets), report.money[0].currency
            ),
            highest=max(zip(report.buckets, bars, strict=True), key=lambda pair: pair[0].amount)[1],
            booked_hours=hours(report.booked_minutes),
            working_hours=hours(report.working_minutes),
            no_show_rate=rate_text(report.no_show_rate),
            late_cancellation_rate=rate_text(report.late_cancellation_rate),
            utilisation=rate_text(report.utilisation),
            **_months(form, report),
        )
    return render(request, "sessions/billing/report.html", context)


@practitioner_required
@require_safe
def practice_report_csv(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if report is None:
        return render(
            request,
            "sessions/billing/report.html",
            {"form": form, "report": None, "zone": timezone.get_current_timezone_name()},
        )
    header, *rows = csv_rows(report)
    response = HttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    name = f"practice-report-{report.start.isoformat()}-to-{report.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
