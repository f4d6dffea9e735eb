from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from reflexbook import readiness


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
