"""The staff workspace: the page staff land on after signing in, one section per kind of
work (practitioners.workspace selects each section's rows)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import require_staff
from practitioners import workspace


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    now = timezone.now()
    return render(
        request,
        "practitioners/staff/home.html",
        {
            "waiting": workspace.credentials_waiting(now=now, zone=timezone.get_current_timezone()),
            "lapsing": workspace.badges_lapsing(now=now),
            "target_days": workspace.TARGET_WORKING_DAYS,
            "lapsing_days": workspace.LAPSING_WITHIN_DAYS,
        },
    )
