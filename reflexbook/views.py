from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import timezone
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from accounts.access import require_staff
from practitioners import review, workspace
from reflexbook import readiness
from reflexbook.lib.language import supported
from sessions.erasure import pending_erasures


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_not_required
@csrf_exempt  # for visitors; a signed-in person's form is checked below
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switcher: Django's set_language (the cookie, then back to the
    page), and for a signed-in person their account's preference too, which is what their
    pages and emails follow. A visitor's form carries no CSRF token, so that public pages stay
    the same for every visitor and can be cached (reflexbook.lib.page_cache): a forged one could
    only change a cookie. A signed-in person's form has a token, checked here, because it
    changes their account."""
    language = supported(request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER))
    if request.method == "POST" and request.user.is_authenticated:
        # No view passed: this one is exempt, and the check must not skip it.
        refused = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
        if language and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return i18n.set_language(request)


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
