"""The practice's money pages: the practitioner's invoices (record payments, void), receipts
for the practitioner and the client (page and PDF), the client's year-end statement, and the
practitioner's charge-or-waive of a late cancellation's or no-show's fee.

Invoices load through Invoice.objects.visible_to: anyone but the invoice's practitioner and
client gets 404 (another client, another practitioner, staff). The client may read the
receipt but not manage the invoice: 403 on the practitioner's pages.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from practitioners.access import practitioner_required
from sessions.access import practitioner_booking
from sessions.billing import (
    BillingRefused,
    decide_fee,
    discount_invoice,
    record_payment,
    void_invoice,
)
from sessions.forms.billing import DiscountForm, FeeDecisionForm, PaymentForm, VoidForm
from sessions.models import Invoice
from sessions.receipts import receipt_pdf, session_when, statement_pdf

STATE_FILTERS = {
    "unpaid": (Invoice.State.OPEN, Invoice.State.PARTLY_PAID),
    "paid": (Invoice.State.PAID,),
    "void": (Invoice.State.VOID,),
}


def _visible_invoice(request: HttpRequest, code: UUID) -> Invoice:
    """The invoice if the viewer is its practitioner or its client; 404 for anyone else."""
    return get_object_or_404(Invoice.objects.visible_to(request.user), code=code)


def _issued_invoice(request: HttpRequest, code: UUID) -> Invoice:
    """The invoice for its practitioner to manage: 404 if the viewer may not see it, 403 if
    they may (its client) but did not issue it."""
    invoice = _visible_invoice(request, code)
    if invoice.practitioner.user_id != request.user.pk:
        raise PermissionDenied("Only the practitioner who issued this invoice can do this.")
    return invoice


@practitioner_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    """The practitioner's invoices, newest first, optionally unpaid, paid or void only: one
    query whatever their number (everything shown is the invoice's own copy)."""
    shown = request.GET.get("show", "")
    invoices = Invoice.objects.filter(practitioner=request.user.practitioner)
    if shown in STATE_FILTERS:
        invoices = invoices.filter(state__in=STATE_FILTERS[shown])
    else:
        shown = ""
    context = {"invoices": list(invoices.order_by("-number")), "shown": shown}
    return render(request, "sessions/billing/invoice_list.html", context)


def _detail(request: HttpRequest, invoice: Invoice, **forms) -> HttpResponse:
    context = {
        "invoice": invoice,
        "payments": list(invoice.payments.all()),
        "when": session_when(invoice),
        "payment_form": forms.get("payment_form")
        or PaymentForm(initial={"received_on": timezone.localdate(), "amount": invoice.balance}),
        "void_form": forms.get("void_form") or VoidForm(),
        "discount_form": forms.get("discount_form")
        or DiscountForm(initial={"discount": invoice.discount}),
    }
    status = 400 if forms else 200
    return render(request, "sessions/billing/invoice_detail.html", context, status=status)


def invoice_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    return _detail(request, _issued_invoice(request, code))


@require_POST
def invoice_pay(request: HttpRequest, code: UUID) -> HttpResponse:
    invoice = _issued_invoice(request, code)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return _detail(request, invoice, payment_form=form)
    try:
        payment = record_payment(invoice=invoice, by=request.user, **form.cleaned_data)
    except BillingRefused as refusal:
        form.add_error(None, str(refusal))
        return _detail(request, invoice, payment_form=form)
    if payment.is_refund:
        done = _("Refund recorded on %(reference)s.")
    else:
        done = _("Payment recorded on %(reference)s.")
    messages.success(request, done % {"reference": invoice.reference})
    return redirect(invoice)


@require_POST
def invoice_discount(request: HttpRequest, code: UUID) -> HttpResponse:
    invoice = _issued_invoice(request, code)
    form = DiscountForm(request.POST)
    if not form.is_valid():
        return _detail(request, invoice, discount_form=form)
    try:
        discount_invoice(invoice=invoice, discount=form.cleaned_data["discount"])
    except BillingRefused as refusal:
        form.add_error("discount", str(refusal))
        return _detail(request, invoice, discount_form=form)
    messages.success(
        request, _("Discount saved on %(reference)s.") % {"reference": invoice.reference}
    )
    return redirect(invoice)


@require_POST
def invoice_void(request: HttpRequest, code: UUID) -> HttpResponse:
    invoice = _issued_invoice(request, code)
    form = VoidForm(request.POST)
    if not form.is_valid():
        return _detail(request, invoice, void_form=form)
    try:
        void_invoice(invoice=invoice, reason=form.cleaned_data["reason"])
    except BillingRefused as refusal:
        form.add_error(None, str(refusal))
        return _detail(request, invoice, void_form=form)
    messages.success(
        request,
        _("%(reference)s is void. Its number stays used.") % {"reference": invoice.reference},
    )
    return redirect(invoice)


def receipt(request: HttpRequest, code: UUID) -> HttpResponse:
    """The printable receipt, for the invoice's practitioner and its client."""
    invoice = _visible_invoice(request, code)
    context = {
        "invoice": invoice,
        "payments": list(invoice.payments.all()),
        "when": session_when(invoice),
        "is_practitioner": invoice.client_id != request.user.pk,
    }
    return render(request, "sessions/billing/receipt.html", context)


def receipt_download(request: HttpRequest, code: UUID) -> HttpResponse:
    invoice = _visible_invoice(request, code)
    response = HttpResponse(
        receipt_pdf(invoice, invoice.payments.all()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{invoice.reference}.pdf"'
    return response


def _statement_invoices(request: HttpRequest, year: int) -> list[Invoice]:
    if not 2000 <= year <= 2100:
        raise Http404("No statement for that year.")
    return list(
        Invoice.objects.filter(client=request.user, issued_at__year=year)
        .exclude(state=Invoice.State.VOID)
        .order_by("practitioner_name", "practitioner_id", "session_starts_at")
    )


def statement(request: HttpRequest, year: int) -> HttpResponse:
    """The signed-in client's year-end statement: their receipts of `year`, for tax and
    HSA/FSA claims (anyone's own: a practitioner who books as a client has one too)."""
    invoices = _statement_invoices(request, year)
    context = {
        "year": year,
        "rows": [(invoice, session_when(invoice)) for invoice in invoices],
        "years": [year - 1, year + 1] if year < timezone.localdate().year else [year - 1],
    }
    return render(request, "sessions/billing/statement.html", context)


def statement_download(request: HttpRequest, year: int) -> HttpResponse:
    invoices = _statement_invoices(request, year)
    name = request.user.full_name or request.user.email
    response = HttpResponse(
        statement_pdf(client_name=name, year=year, invoices=invoices),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="statement-{year}.pdf"'
    return response


@require_POST
def booking_fee(request: HttpRequest, code: UUID) -> HttpResponse:
    """The practitioner charges or waives a late cancellation's or no-show's fee."""
    booking = practitioner_booking(request, code, also=("fees",))
    form = FeeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["decision"]))
        return redirect(booking)
    try:
        invoice = decide_fee(booking=booking, charge=form.cleaned_data["decision"] == "charge")
    except BillingRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(booking)
    if invoice is None:
        messages.success(request, _("Fee waived: the client owes nothing for this booking."))
        return redirect(booking)
    messages.success(
        request,
        _("Fee charged: %(reference)s is open for payment.") % {"reference": invoice.reference},
    )
    return redirect(invoice)
