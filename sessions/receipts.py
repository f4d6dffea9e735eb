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

from fpdf import FPDF

from reflexbook.lib.money import format_amount
from sessions.models import Invoice

RECEIPT_NOTE = (
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
    local = invoice.session_starts_at.astimezone(ZoneInfo(invoice.session_zone))
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({invoice.session_zone})"


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
    pdf.line_of(f"Receipt {invoice.reference}", size=14, bold=True, gap=8)
    pdf.line_of(RECEIPT_NOTE, size=9, gap=5)
    pdf.ln(3)
    currency = invoice.currency
    rows = [
        ("Client", invoice.client_name),
        ("Issued", f"{invoice.issued_at.astimezone(ZoneInfo(invoice.session_zone)):%d %B %Y}"),
        ("Session", invoice.description),
        ("Date", session_when(invoice)),
        ("Amount", format_amount(invoice.amount, currency)),
    ]
    if invoice.discount:
        rows.append(("Discount", format_amount(-invoice.discount, currency)))
    rows.append(("Total", format_amount(invoice.total, currency)))
    for payment in payments:
        what = "Refund" if payment.is_refund else f"Paid ({payment.get_method_display()})"
        rows.append(
            (f"{what}, {payment.received_on:%d %b %Y}", format_amount(payment.amount, currency))
        )
    if invoice.is_void:
        rows.append(("Status", f"Void: {invoice.void_reason}"))
    else:
        rows.append(("Balance", format_amount(invoice.balance, currency)))
        rows.append(("Status", invoice.get_state_display()))
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
    pdf.line_of(f"Statement for {year}: {client_name}", size=16, bold=True, gap=8)
    pdf.line_of(RECEIPT_NOTE, size=9, gap=5)
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
                f"{invoice.reference}  {session_when(invoice)}  {invoice.description}: "
                f"total {format_amount(invoice.total, invoice.currency)}, paid "
                f"{format_amount(invoice.paid, invoice.currency)}"
            ),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if not invoices:
        pdf.line_of(f"No receipts in {year}.")
    return bytes(pdf.output())
