"""The staff activity log page (/accounts/staff/activity/) and its CSV export: who did what,
filtered by staff member, action, subject and days; staff only."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts import activity
from accounts.access import require_staff
from accounts.forms import StaffActivityFilterForm
from reflexbook.lib.csv_export import csv_lines

PER_PAGE = 50
CSV_HEADER = [
    _("When"),
    _("Staff member"),
    _("Staff email"),
    _("Action"),
    _("Action key"),
    _("Subject type"),
    _("Subject id"),
    _("Subject"),
    _("Detail"),
]


def _filters(request: HttpRequest) -> StaffActivityFilterForm:
    return StaffActivityFilterForm(
        request.GET,
        actors=activity.actors(),
        actions=activity.ACTIONS,
        subject_types=activity.subject_types(),
    )


def _matching(form: StaffActivityFilterForm):
    """The rows the valid form's filters select (an invalid form selects none)."""
    if not form.is_valid():
        return None
    return activity.actions_matching(zone=timezone.get_current_timezone(), **form.cleaned_data)


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def staff_activity(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = _filters(request)
    rows = _matching(form)
    page = None
    if rows is not None:
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.words = activity.words_for(row.action)
            row.subject_words = activity.subject_words(row.subject_type)
            row.detail_words = activity.detail_words(row.detail)
    filtered = any(value for key, value in request.GET.items() if key != "page")
    return render(
        request,
        "accounts/staff_activity.html",
        {"form": form, "page": page, "filtered": filtered},
    )


@login_not_required
@require_safe
def staff_activity_export(request: HttpRequest) -> HttpResponse:
    """The filtered rows as CSV (all pages), newest first; the export is itself logged."""
    require_staff(request)
    form = _filters(request)
    rows = _matching(form)
    if rows is None:
        # Back to the page, which shows what to fix; nothing was exported, so nothing logged.
        return render(
            request,
            "accounts/staff_activity.html",
            {"form": form, "page": None, "filtered": True},
            status=400,
        )
    exported = activity.record(
        request.user,
        "activity_exported",
        activity.Subject("activity_log", "", "Staff activity log"),
        filters="; ".join(
            f"{key}: {value}" for key, value in request.GET.items() if key != "page" and value
        )
        or "none",
    )
    # The export's own row is in the log from now on, but not in this file.
    rows = rows.exclude(pk=exported.pk)
    zone = timezone.get_current_timezone()
    lines = csv_lines(
        CSV_HEADER,
        (
            [
                row.at.astimezone(zone).isoformat(timespec="seconds"),
                row.actor.full_name,
                row.actor.email,
                activity.words_for(row.action),
                row.action,
                row.subject_type,
                row.subject_id,
                row.subject_label,
                "; ".join(activity.detail_words(row.detail)),
            ]
            for row in rows.iterator(chunk_size=2000)
        ),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="staff-activity-{stamp}.csv"'
    return response
