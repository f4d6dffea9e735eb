from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.access import require_staff
from practitioners import review, workspace
from reflexbook import readiness
from sessions.erasure import pending_erasures


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: the process answers (no database, nothing else)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic (reflexbook.readiness): 200 with each check's word, or 503."""
    results = readiness.checks()
    ok = readiness.ready(results)
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": results}, status=200 if ok else 503
    )


@login_not_required  # anonymous visitors get the 403 page too (with a "Log in" link)
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff workspace, where staff land after signing in: one section per kind of work,
    each from its app's selector (fixed queries whatever the numbers)."""
    require_staff(request)
    now = timezone.now()
    queue = review.open_queue(limit=workspace.SECTION_ROWS)
    erasures, erasure_count = pending_erasures(limit=workspace.SECTION_ROWS)
    for item in queue.items:
        item.marked = review.marked_words(item.words)
    return render(
        request,
        "practitioners/staff/home.html",
        {
            "waiting": workspace.credentials_waiting(now=now, zone=timezone.get_current_timezone()),
            "lapsing": workspace.badges_lapsing(now=now),
            "revocations": workspace.revocations_to_confirm(),
            "safety": workspace.Section(queue.items, queue.count),
            "erasures": workspace.Section(erasures, erasure_count),
            "target_days": workspace.TARGET_WORKING_DAYS,
            "lapsing_days": workspace.LAPSING_WITHIN_DAYS,
        },
    )
