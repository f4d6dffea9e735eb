"""A practitioner books on a client's behalf (issue 14, part C): one of their clients or a new
client they invite, a session, a date and time in the practice's zone; a preview, then the
write path (sessions.booking.book_for_client). And the invited client's link to set a
password, which leads on to their health form."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.auth import USER_BACKEND
from accounts.views import PasswordResetConfirmView
from practitioners.access import practitioner_required
from sessions.access import practitioner_booking
from sessions.booking import (
    BookingRefused,
    NewClient,
    OutsideWorkingHours,
    clients_of,
    time_refusal_for_practitioner,
)
from sessions.booking import (
    book_for_client as book,
)
from sessions.forms.booking import parse_start
from sessions.forms.on_behalf import NEW, BookForClientForm


def _initial(request: HttpRequest, practitioner, clients) -> dict:
    """The form's start from the calendar (?start=YYYYMMDDTHHMMZ) and client from their page
    (?client=<id>); a client who is not this practitioner's is not found (404)."""
    starts_at = parse_start(request.GET.get("start", ""))
    initial = BookForClientForm.initial_for(practitioner, starts_at)
    client_id = request.GET.get("client", "")
    if client_id:
        client = clients.filter(pk=int(client_id)).first() if client_id.isdigit() else None
        if client is None:
            raise Http404("Not one of your clients.")
        initial["client"] = client.pk
    return initial


def _refusal_into(form: BookForClientForm, refusal: BookingRefused) -> None:
    """A write-path refusal as the form error it is about, so the practitioner sees where."""
    field = "outside_hours" if isinstance(refusal, OutsideWorkingHours) else None
    form.add_error(field, str(refusal))


@require_http_methods(["GET", "HEAD", "POST"])
@practitioner_required
def book_for_client(request: HttpRequest) -> HttpResponse:
    """The form (GET), its preview (POST without "confirm") and the booking (POST with it).
    A refusal shows the form again with everything typed and the reason."""
    practitioner = request.user.practitioner
    clients = clients_of(practitioner)
    if request.method != "POST":
        form = BookForClientForm(
            initial=_initial(request, practitioner, clients),
            practitioner=practitioner,
            clients=clients,
        )
        return _form_page(request, form)
    form = BookForClientForm(request.POST, practitioner=practitioner, clients=clients)
    if not form.is_valid() or "edit" in request.POST:
        return _form_page(request, form, status=200 if "edit" in request.POST else 400)
    data = form.cleaned_data
    length = data["length"]
    when = {
        "service": length.service,
        "minutes": length.minutes,
        "starts_at": data["starts_at"],
        "outside_hours": data["outside_hours"],
    }
    if "confirm" not in request.POST:
        refusal = time_refusal_for_practitioner(practitioner=practitioner, **when)
        if refusal is not None:
            _refusal_into(form, refusal)
            return _form_page(request, form, status=400)
        return render(request, "sessions/on_behalf/preview.html", {"form": form, "data": data})
    who = (
        {"invite": NewClient(data["full_name"], data["email"], data["phone"])}
        if data["who"] == NEW
        else {"client": data["client"]}
    )
    try:
        booking = book(
            practitioner=practitioner,
            by=request.user,
            home_address=data.get("home_address", ""),
            home_postcode=data.get("home_postcode", ""),
            **who,
            **when,
        )
    except BookingRefused as refusal:
        _refusal_into(form, refusal)
        return _form_page(request, form, status=400)
    return redirect("sessions:book-for-client-done", code=booking.code)


def _form_page(request: HttpRequest, form: BookForClientForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "sessions/on_behalf/form.html",
        {"form": form, "zone": form.practitioner.timezone},
        status=status,
    )


@require_safe
def booked(request: HttpRequest, code: UUID) -> HttpResponse:
    """What was booked and who was emailed, with the way to cancel it on the client's behalf
    (with a reason, emailed to them). The booking's practitioner only: 404 for anyone who may
    not see it, 403 for its client and staff."""
    booking = practitioner_booking(request, code)
    return render(
        request,
        "sessions/on_behalf/booked.html",
        {"booking": booking, "zone": booking.practitioner.timezone},
    )


class InviteAcceptView(PasswordResetConfirmView):
    """The invited client's link: Django's password-reset token (accounts.password_reset),
    so it works once and dies when the password is set; refused ("no longer works") for an
    account that already has a password. Setting it counts the address as
    verified, logs them in and leads on to their health form."""

    template_name = "sessions/on_behalf/invite_accept.html"
    post_reset_login = True
    post_reset_login_backend = USER_BACKEND
    success_url = reverse_lazy("sessions:intake")

    def get_user(self, uidb64):
        """Only an invited account that has never had a password: an ordinary reset link
        for an account with one must not turn into a link that logs its holder in."""
        user = super().get_user(uidb64)
        return None if user is None or user.has_usable_password() else user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _(
                "Your password is set and you are logged in. Please fill in your health form "
                "before your session."
            ),
        )
        return response
