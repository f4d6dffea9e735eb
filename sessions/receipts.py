"""Receipts and year-end statements as PDF (fpdf2: pure Python, no system libraries).

A receipt says it is for a complementary therapy session and carries no diagnosis codes:
clients claim from an HSA/FSA or a health plan with it, and we state only what took place
(service, date, length) and the money. The text is the invoice's own copy, so the PDF reads
as the printable page does (templates/sessions/billing/receipt.html).
"""

import logging
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from fpdf import FPDF

from reflexbook.lib.money import format_amount
from sessions.models import Invoice

RECEIPT_NOTE = gettext_lazy(
    "Receipt for a complementary therapy session (reflexology). Reflexology is not a medical "
    "treatment; this receipt carries no diagnosis codes."
)
# fontTools (under fpdf2) logs every font subset at INFO: dozens of lines per PDF in our logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)
# A Unicode font when the system has one (names and "€" need it); Helvetica otherwise.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 18, 18)
        if DEJAVU.exists():
            self.add_font("body", "", str(DEJAVU))
            self.add_font("body", "B", str(DEJAVU.with_name("DejaVuSans-Bold.ttf")))
            self.face = "body"
            self.unicode = True
        else:
            self.face = "helvetica"
            self.unicode = False

    def plain(self, value: str) -> str:
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def line_of(self, value: str, *, size: int = 11, bold: bool = False, gap: float = 6) -> None:
        self.set_font(self.face, "B" if bold else "", size)
        self.multi_cell(0, gap, self.plain(value), align="L", new_x="LMARGIN", new_y="NEXT")


def session_when(invoice: Invoice) -> str:
    """When the session was, in the practice's zone: "Monday 4 May 2026, 10:00 (America/New_York)"."""
    local = invoice.session_starts_at.astimezone(ZoneInfo(invoice.session_zone))
    return _("%(when)s (%(zone)s)") % {
        "when": date_format(local, _("l j F Y, H:i")),
        "zone": invoice.session_zone,
    }


def _header(pdf: _Document, invoice: Invoice) -> None:
    pdf.line_of(invoice.practitioner_name, size=16, bold=True, gap=8)
    if invoice.practice_address:
        pdf.line_of(invoice.practice_address)
    if invoice.credential:
        pdf.line_of(invoice.credential)
    pdf.ln(4)


def receipt_pdf(invoice: Invoice, payments: Iterable) -> bytes:
    """The receipt of one invoice, with its payments, as PDF bytes."""
    pdf = _Document()
    pdf.add_page()
    _header(pdf, invoice)
    pdf.line_of(
        _("Receipt %(reference)s") % {"reference": invoice.reference}, size=14, bold=True, gap=8
    )
    pdf.line_of(str(RECEIPT_NOTE), size=9, gap=5)
    pdf.ln(3)
    currency = invoice.currency
    issued = invoice.issued_at.astimezone(ZoneInfo(invoice.session_zone))
    rows = [
        (_("Client"), invoice.client_name),
        (_("Issued"), date_format(issued, _("d F Y"))),
        (pgettext("on a receipt", "Session"), invoice.description),
        (_("Date"), session_when(invoice)),
        (_("Amount"), format_amount(invoice.amount, currency)),
    ]
    if invoice.discount:
        rows.append((_("Discount"), format_amount(-invoice.discount, currency)))
    rows.append((_("Total"), format_amount(invoice.total, currency)))
    for payment in payments:
        on = date_format(payment.received_on, _("d M Y"))
        if payment.is_refund:
            what = _("Refund, %(date)s") % {"date": on}
        else:
            what = _("Paid (%(method)s), %(date)s") % {
                "method": payment.get_method_display(),
                "date": on,
            }
        rows.append((what, format_amount(payment.amount, currency)))
    if invoice.is_void:
        rows.append((_("Status"), _("Void: %(reason)s") % {"reason": invoice.void_reason}))
    else:
        rows.append((_("Balance"), format_amount(invoice.balance, currency)))
        rows.append((_("Status"), invoice.get_state_display()))
    for label, value in rows:
        pdf.set_font(pdf.face, "B", 10)
        pdf.cell(72, 7, pdf.plain(label))
        pdf.set_font(pdf.face, "", 10)
        pdf.multi_cell(0, 7, pdf.plain(value), align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def statement_pdf(*, client_name: str, year: int, invoices: list[Invoice]) -> bytes:
    """A client's year-end statement: every invoice issued to them in `year` (void ones
    left out), per practitioner, with what was paid."""
    pdf = _Document()
    pdf.add_page()
    pdf.line_of(
        _("Statement for %(year)s: %(name)s") % {"year": year, "name": client_name},
        size=16,
        bold=True,
        gap=8,
    )
    pdf.line_of(str(RECEIPT_NOTE), size=9, gap=5)
    practitioner = None
    for invoice in invoices:
        if invoice.practitioner_id != practitioner:
            practitioner = invoice.practitioner_id
            pdf.ln(4)
            _header(pdf, invoice)
        pdf.set_font(pdf.face, "", 10)
        pdf.multi_cell(
            0,
            6,
            pdf.plain(
                _("%(reference)s  %(when)s  %(session)s: total %(total)s, paid %(paid)s")
                % {
                    "reference": invoice.reference,
                    "when": session_when(invoice),
                    "session": invoice.description,
                    "total": format_amount(invoice.total, invoice.currency),
                    "paid": format_amount(invoice.paid, invoice.currency),
                }
            ),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if not invoices:
        pdf.line_of(_("No receipts in %(year)s.") % {"year": year})
    return bytes(pdf.output())
