"""Two-factor sign-in pages (/accounts/two-factor/...) and the re-authentication page.

Setting up and verifying are open to a signed-in but not yet verified session (the
TwoFactorMiddleware sends staff and people with an app there); managing, new recovery
codes and turning it off need a verified session, and the last two the password again.
"""

from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import mfa
from accounts.auth import landing_page
from accounts.mfa_forms import PasswordForm, SetupCodeForm, VerifyForm
from accounts.middleware import two_factor_exempt
from accounts.reauth import mark_reauthenticated, reauthentication_required


def _next_page(request: HttpRequest, default: str = "") -> str:
    """The on-site page to return to (`next` in the query or form), else `default`, else
    where the person lands after logging in (the second factor is part of logging in)."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default) if default else landing_page(request.user)


def _throttled_message(result: mfa.CheckResult) -> str:
    wait = max(1, int((result.wait_until - timezone.now()).total_seconds()) + 1)
    return ngettext(
        "Too many wrong codes in a row. Wait %(wait)s second and try again with a new code.",
        "Too many wrong codes in a row. Wait %(wait)s seconds and try again with a new code.",
        wait,
    ) % {"wait": wait}


@never_cache
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/two_factor_manage.html",
        {
            "enabled": mfa.is_enabled(request.user),
            "codes_left": mfa.recovery_codes_left(request.user),
        },
    )


@two_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the secret), enter its first code;
    the ten recovery codes are then shown once."""
    if mfa.is_enabled(request.user):
        if not request.user.is_verified():
            return redirect(f"{reverse('accounts:two-factor-verify')}?{request.GET.urlencode()}")
        messages.info(request, _("Two-factor sign-in is already on."))
        return redirect("accounts:two-factor")
    device = mfa.pending_device(request.user)
    form = SetupCodeForm(request.POST or None)
    if form.is_valid():
        result = mfa.confirm_app(request, device, form.cleaned_data["code"])
        if result.ok:
            codes = mfa.new_recovery_codes(request.user)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "just_set_up": True, "next": _next_page(request)},
            )
        form.add_error(
            "code",
            _throttled_message(result)
            if result.wait_until
            else _(
                "That code is not right. Check that the app's clock is correct and enter "
                "the code it shows now."
            ),
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": mfa.secret_text(device),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@two_factor_exempt
@never_cache
@require_GET
def setup_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the app being set up, as an SVG image (served by us, so the page's
    Content-Security-Policy needs no exception). A confirmed app's secret is never shown."""
    if mfa.is_enabled(request.user):
        raise Http404("Two-factor sign-in is already set up.")
    device = mfa.pending_device(request.user)
    return HttpResponse(mfa.qr_svg(device), content_type="image/svg+xml")


@two_factor_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_page(request))
    if not mfa.is_enabled(user):
        if user.is_staff:
            return redirect(f"{reverse('accounts:two-factor-setup')}?{request.GET.urlencode()}")
        return redirect(_next_page(request))
    form = VerifyForm(request.POST or None)
    if form.is_valid():
        result = mfa.verify(request, user, form.cleaned_data["code"])
        if result.ok:
            left = mfa.recovery_codes_left(user)
            if left == 0:
                messages.warning(
                    request,
                    _(
                        "You have no recovery codes. Make some from your account page, so you "
                        "can still sign in if you lose your phone."
                    ),
                )
            elif left < 3:
                messages.warning(
                    request,
                    ngettext(
                        "You have %(left)s recovery code left. Make new ones from your "
                        "account page.",
                        "You have %(left)s recovery codes left. Make new ones from your "
                        "account page.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_page(request))
        form.add_error(
            "code",
            _throttled_message(result)
            if result.wait_until
            else _("That code is not right, or that recovery code was already used."),
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@reauthentication_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes with ten new ones, shown once (GET asks first)."""
    if not mfa.is_enabled(request.user):
        raise Http404("Two-factor sign-in is off.")
    if request.method != "POST":
        return render(request, "accounts/two_factor_new_codes.html")
    codes = mfa.new_recovery_codes(request.user)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "just_set_up": False, "next": reverse("accounts:two-factor")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@reauthentication_required
def turn_off(request: HttpRequest) -> HttpResponse:
    if not mfa.is_enabled(request.user):
        raise Http404("Two-factor sign-in is off.")
    if request.method == "POST":
        mfa.turn_off(request, request.user)
        if request.user.is_staff:
            messages.warning(
                request,
                _("Your authenticator app was removed. Staff must set up a new one now."),
            )
            return redirect("accounts:two-factor-setup")
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:account")
    return render(request, "accounts/two_factor_turn_off.html")


@never_cache
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Enter the password again before a drastic step. Wrong passwords count toward the
    same lock-out as failed log-ins (authenticate() goes through django-axes)."""
    form = PasswordForm(request.POST or None)
    if form.is_valid():
        user = authenticate(
            request, username=request.user.email, password=form.cleaned_data["password"]
        )
        if user is not None and user.pk == request.user.pk:
            mark_reauthenticated(request)
            return redirect(_next_page(request, default="accounts:account"))
        if getattr(request, "axes_locked_out", False):
            form.add_error("password", _("Too many wrong passwords. Wait a while, then try again."))
        else:
            form.add_error("password", _("That is not your password."))
    return render(
        request,
        "accounts/reauthenticate.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )
