"""The practitioner's money settings page (practitioners.models.PracticeBilling)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from practitioners.access import practitioner_required
from practitioners.forms.billing import BillingForm
from practitioners.models import PracticeBilling


@require_http_methods(["GET", "POST"])
@practitioner_required
def billing_settings(request: HttpRequest) -> HttpResponse:
    """Currency and fees. A fee changed here applies to bookings made from now on; bookings
    already made keep the fee they were made with (sessions.billing)."""
    billing = PracticeBilling.for_practitioner(request.user.practitioner)
    form = BillingForm(request.POST or None, instance=billing)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _(
                "Your fees were saved. They apply to bookings made from now on; bookings already "
                "made keep the fees they were made with."
            ),
        )
        return redirect("practitioners:billing")
    return render(request, "practitioners/area/billing.html", {"form": form, "billing": billing})
