"""The practitioner's sign-up page: an account and the empty profile they complete later."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import SignupForm
from accounts.signup import sign_up
from accounts.views import signed_up
from practitioners.services import practitioner_signup


@login_not_required
@require_http_methods(["GET", "POST"])
def signup_practitioner(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None, submit_label=_("Create practitioner account"))
    if form.is_valid():
        data = form.cleaned_data
        sign_up(
            email=data["email"],
            create=lambda: practitioner_signup(
                email=data["email"],
                password=data["password1"],
                full_name=data["full_name"],
                timezone=data["timezone"],
            ),
            # Once verified, straight to the dashboard and its "before you are listed" list.
            next_url=reverse("practitioners:dashboard"),
        )
        return signed_up(request, data["email"])
    return render(request, "accounts/signup.html", {"form": form, "role": "practitioner"})
