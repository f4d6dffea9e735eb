from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.auth import log_in
from accounts.forms import AccountForm, SignupForm
from accounts.models import User


def _next_page(request: HttpRequest) -> str:
    """Where sign-up leads: back to the page that asked for an account (e.g. a booking),
    if it is on this site; else home."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_client(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        user = User.objects.create_user(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            timezone=data["timezone"],
        )
        log_in(request, user)
        messages.success(request, "Welcome to reflexbook. Your client account is ready.")
        return redirect(_next_page(request))
    return render(request, "accounts/signup.html", {"form": form, "role": "client"})


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your account details were saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})
