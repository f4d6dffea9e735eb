from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import throttle
from accounts.auth import landing_page, password_was_reset
from accounts.forms import (
    AccountForm,
    CountedPasswordChangeForm,
    LoginForm,
    QueuedPasswordResetForm,
    SignupForm,
)
from accounts.models import User
from accounts.signup import sign_up
from accounts.timezones import VISITOR_ZONE_SESSION_KEY
from accounts.verification import BadLink, send_verification, verify

# The address the last sign-up in this browser used, and the page it came from (such as a
# held booking time), for the "check your email" page.
SIGNUP_EMAIL_SESSION_KEY = "accounts_signup_email"
SIGNUP_NEXT_SESSION_KEY = "accounts_signup_next"


def _safe_next(request: HttpRequest, target: str) -> str:
    """`target` if it is a page on this site, else home."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _next_page(request: HttpRequest) -> str:
    """Where sign-up leads once the address is verified: back to the page that asked for an
    account (e.g. a booking), if it is on this site; else home."""
    return _safe_next(request, request.GET.get("next", ""))


def signed_up(request: HttpRequest, email: str, next_url: str = "") -> HttpResponse:
    """The one answer to every valid sign-up, new address or not: check your email (and then
    log in, back to `next_url`)."""
    request.session[SIGNUP_EMAIL_SESSION_KEY] = email
    request.session[SIGNUP_NEXT_SESSION_KEY] = next_url
    return redirect("accounts:check-email")


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_client(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    # A visitor who looked at free times starts from the zone they were shown them in.
    zone = request.session.get(VISITOR_ZONE_SESSION_KEY)
    form = SignupForm(request.POST or None, initial={"timezone": zone} if zone else None)
    if form.is_valid():
        data = form.cleaned_data
        next_url = _next_page(request)
        sign_up(
            email=data["email"],
            create=lambda: User.objects.create_user(
                email=data["email"],
                password=data["password1"],
                full_name=data["full_name"],
                timezone=data["timezone"],
            ),
            next_url=next_url,
        )
        return signed_up(request, data["email"], next_url)
    return render(request, "accounts/signup.html", {"form": form, "role": "client"})


@login_not_required
def check_email(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGNUP_EMAIL_SESSION_KEY, "")
    next_url = _safe_next(request, request.session.get(SIGNUP_NEXT_SESSION_KEY, ""))
    context = {"email": email, "next": next_url if next_url != reverse("home") else ""}
    return render(request, "accounts/check_email.html", context)


@login_not_required
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Open the emailed link: the address is verified, then on to the page sign-up came from
    (through the login page for someone not logged in: the link itself never logs anyone in)."""
    try:
        user, next_url = verify(token)
    except BadLink:
        return render(request, "accounts/verify_failed.html", status=400)
    target = _safe_next(request, next_url)
    messages.success(request, _("Thank you: %(email)s is confirmed.") % {"email": user.email})
    if request.user.is_authenticated:
        return redirect(target)
    return redirect_to_login(target)


@require_POST
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.email_verified:
        messages.info(request, _("Your email address is already confirmed."))
    elif throttle.allow(
        throttle.VERIFY_RESEND,
        str(user.pk),
        limit=throttle.VERIFY_RESENDS_PER_USER,
        window=throttle.EMAIL_WINDOW,
    ):
        send_verification(user)
        messages.success(
            request, _("We sent a new confirmation link to %(email)s.") % {"email": user.email}
        )
    else:
        messages.error(
            request,
            _(
                "We already sent you several links in the last hour. Use the newest one, "
                "or ask again later."
            ),
        )
    return redirect("accounts:account")


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your account details were saved."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's log-in with our form; with no `next` page, people land where
    accounts.auth.landing_page says (staff on their workspace)."""

    authentication_form = LoginForm

    def get_default_redirect_url(self):
        return landing_page(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per address and per network address (counted whether
    or not the address has an account, so the limit says nothing about who is registered)."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        ip = throttle.client_ip(self.request)
        if not throttle.allow(
            throttle.RESET_IP, ip, limit=throttle.RESETS_PER_IP, window=throttle.RESET_WINDOW
        ) or not throttle.allow(
            throttle.RESET_ADDRESS,
            email,
            limit=throttle.RESETS_PER_ADDRESS,
            window=throttle.RESET_WINDOW,
        ):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset link; a completed reset lifts log-in lock-outs on the address."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_was_reset(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, where a wrong old password counts toward the lock-out."""

    form_class = CountedPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}
