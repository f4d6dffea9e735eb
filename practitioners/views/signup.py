"""The practitioner's sign-up page: an account and the empty profile they complete later."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.auth import log_in
from accounts.forms import SignupForm
from practitioners.services import practitioner_signup


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_practitioner(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None, submit_label="Create practitioner account")
    if form.is_valid():
        data = form.cleaned_data
        user = practitioner_signup(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            timezone=data["timezone"],
        )
        log_in(request, user)
        messages.success(
            request,
            "Your practitioner account is ready. Complete your profile so clients can find you.",
        )
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form, "role": "practitioner"})
