"""Packages of sessions (issue 18): the practitioner's page (packages on sale, what happens
with no credit left, packages sold), selling one to a client, and a sold package's page for
its client and its practitioner.

The practitioner's pages are for practitioners only (403 for anyone else); a package offered
by another practitioner is not found (404). A sold package loads through
ClientPackage.objects.visible_to: anyone but its client and its practitioner gets 404.
"""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from practitioners.access import practitioner_for
from practitioners.models import Practitioner, ServiceLength
from reflexbook.lib import money
from sessions.booking import clients_of, practice_billing
from sessions.forms.packages import PackageForm, PolicyForm, SellForm
from sessions.models import ClientPackage, Package
from sessions.package_credits import (
    PackageRefused,
    as_held,
    offer_package,
    pay_invoice_with_credit,
    policy_of,
    sell_package,
    set_on_sale,
    set_policy,
)
from sessions.packages import usable
from sessions.views.billing import _issued_invoice  # the invoices' one loader


def _lengths(practitioner: Practitioner) -> list[int]:
    """The session lengths the practitioner offers (a package's length is one of them)."""
    return sorted(
        set(
            ServiceLength.objects.filter(
                service__practitioner=practitioner, service__is_active=True
            ).values_list("minutes", flat=True)
        )
    )


def _page(request: HttpRequest, practitioner: Practitioner, **forms) -> HttpResponse:
    """The packages page: a fixed number of queries whatever the number of packages."""
    sold = list(
        ClientPackage.objects.filter(practitioner=practitioner)
        .select_related("client")
        .order_by("-sold_on", "-pk")
    )
    context = {
        "packages": list(Package.objects.filter(practitioner=practitioner)),
        "sold": sold,
        "today": timezone.localdate(),
        "currency": getattr(practice_billing(practitioner), "currency", money.DEFAULT_CURRENCY),
        "package_form": forms.get("package_form") or PackageForm(lengths=_lengths(practitioner)),
        "policy_form": forms.get("policy_form")
        or PolicyForm(initial={"when_no_credit": policy_of(practitioner)}),
    }
    status = 400 if forms else 200
    return render(request, "sessions/packages/packages.html", context, status=status)


@require_http_methods(["GET"])
def packages(request: HttpRequest) -> HttpResponse:
    return _page(request, practitioner_for(request))


@require_POST
def package_new(request: HttpRequest) -> HttpResponse:
    practitioner = practitioner_for(request)
    form = PackageForm(request.POST, lengths=_lengths(practitioner))
    if not form.is_valid():
        return _page(request, practitioner, package_form=form)
    offer_package(practitioner=practitioner, **form.cleaned_data)
    messages.success(request, _("Package on sale: you can now sell it to a client."))
    return redirect("sessions:packages")


@require_POST
def package_on_sale(request: HttpRequest, code: UUID) -> HttpResponse:
    practitioner = practitioner_for(request)
    package = get_object_or_404(Package.objects.filter(practitioner=practitioner), code=code)
    on_sale = request.POST.get("on_sale") == "1"
    set_on_sale(package, on_sale=on_sale)
    if on_sale:
        messages.success(request, _("“%(name)s” is on sale again.") % {"name": package.name})
    else:
        messages.success(
            request,
            _("“%(name)s” is no longer on sale. Packages already sold keep their credits.")
            % {"name": package.name},
        )
    return redirect("sessions:packages")


@require_POST
def package_policy(request: HttpRequest) -> HttpResponse:
    practitioner = practitioner_for(request)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        return _page(request, practitioner, policy_form=form)
    set_policy(practitioner, form.cleaned_data["when_no_credit"])
    messages.success(request, _("Saved: what happens when a client has no credit left."))
    return redirect("sessions:packages")


@require_http_methods(["GET", "POST"])
def package_sell(request: HttpRequest) -> HttpResponse:
    """Record a package sold to one of the practitioner's clients, with its payment."""
    practitioner = practitioner_for(request)
    form = SellForm(
        request.POST or None,
        clients=clients_of(practitioner).order_by("full_name", "email"),
        packages=Package.objects.filter(practitioner=practitioner, is_active=True),
        initial={"sold_on": timezone.localdate(), "client": request.GET.get("client")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sold = sell_package(
                    package=form.cleaned_data["package"],
                    client=form.cleaned_data["client"],
                    method=form.cleaned_data["method"],
                    sold_on=form.cleaned_data["sold_on"],
                    by=request.user,
                )
            except PackageRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Sale recorded: %(client)s has %(count)s credit on “%(name)s”.",
                        "Sale recorded: %(client)s has %(count)s credits on “%(name)s”.",
                        sold.sessions,
                    )
                    % {
                        "client": sold.client.full_name or sold.client.email,
                        "count": sold.sessions,
                        "name": sold.name,
                    },
                )
                return redirect("sessions:client-package", code=sold.code)
        status = 400
    context = {"form": form, "packages_url": reverse("sessions:packages")}
    return render(request, "sessions/packages/sell.html", context, status=status)


def client_package(request: HttpRequest, code: UUID) -> HttpResponse:
    """A sold package, for its client and its practitioner: credits left, expiry, and the
    bookings that used a credit (given back or not)."""
    package = get_object_or_404(
        ClientPackage.objects.visible_to(request.user).select_related(
            "client", "practitioner__user"
        ),
        code=code,
    )
    uses = list(package.uses.select_related("booking").order_by("booking__starts_at"))
    context = {
        "package": package,
        "uses": uses,
        "is_practitioner": package.practitioner.user_id == request.user.pk,
        "usable": usable(as_held(package), timezone.localdate()),
    }
    return render(request, "sessions/packages/client_package.html", context)


@require_POST
def invoice_pay_with_credit(request: HttpRequest, code: UUID) -> HttpResponse:
    """The practitioner pays a session's invoice with a credit from the client's package."""
    invoice = _issued_invoice(request, code)
    try:
        payment = pay_invoice_with_credit(invoice=invoice, by=request.user)
    except PackageRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(invoice)
    if payment is None:
        messages.success(request, _("A package credit was used; it had nothing to pay."))
    else:
        messages.success(
            request,
            _("Paid %(amount)s with a package credit on %(invoice)s.")
            % {
                "amount": money.format_amount(payment.amount, invoice.currency),
                "invoice": invoice.reference,
            },
        )
    return redirect(invoice)
