from datetime import datetime

from django.urls import path, register_converter

from sessions.forms.booking import START_PATTERN, format_start, parse_start
from sessions.views import (
    agenda,
    billing,
    booking,
    calendar,
    clients,
    data,
    intake,
    on_behalf,
    packages,
    record_pages,
    records,
    report,
    safety_queue,
    series,
    waitlist,
)


class StartConverter:
    """A session's start in a URL, <start:start>: the UTC instant written YYYYMMDDTHHMMZ.
    The view gets an aware datetime; anything that is not a real instant is not found (404)."""

    regex = START_PATTERN

    def to_python(self, value: str) -> datetime:
        instant = parse_start(value)
        if instant is None:
            raise ValueError(f"{value!r} is not a start time.")
        return instant

    def to_url(self, value: datetime | str) -> str:
        return value if isinstance(value, str) else format_start(value)


register_converter(StartConverter, "start")

app_name = "sessions"

urlpatterns = [
    # --- client booking flow and client area (views/booking.py) ---
    path("book/<slug:slug>/", booking.book, name="book"),
    path("book/<slug:slug>/<int:length_id>/", booking.slots, name="slots"),
    path("book/<slug:slug>/<int:length_id>/<start:start>/", booking.review, name="review"),
    path("bookings/", booking.my_bookings, name="my-bookings"),
    # --- the waitlist (views/waitlist.py) ---
    path(
        "book/<slug:slug>/<int:length_id>/waitlist/", waitlist.waitlist_join, name="waitlist-join"
    ),
    path("waitlist/<uuid:code>/leave/", waitlist.waitlist_leave, name="waitlist-leave"),
    path("waitlist/offers/<uuid:code>/", waitlist.waitlist_offer, name="waitlist-offer"),
    path(
        "waitlist/offers/<uuid:code>/decline/",
        waitlist.waitlist_decline,
        name="waitlist-decline",
    ),
    path("bookings/<uuid:code>/", booking.booking_detail, name="booking-detail"),
    path("bookings/<uuid:code>/cancel/", booking.booking_cancel, name="booking-cancel"),
    path("bookings/<uuid:code>/reschedule/", booking.booking_reschedule, name="booking-reschedule"),
    path("bookings/<uuid:code>/calendar.ics", booking.booking_ics, name="booking-ics"),
    # --- practitioner agenda, actions and calendar feed (views/agenda.py) ---
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/calendar/", agenda.calendar_settings, name="calendar-settings"),
    path("bookings/<uuid:code>/confirm/", agenda.confirm, name="booking-confirm"),
    path("bookings/<uuid:code>/decline/", agenda.decline, name="booking-decline"),
    path("bookings/<uuid:code>/safety/", agenda.safety, name="booking-safety"),
    path("bookings/<uuid:code>/finish/", agenda.finish, name="booking-finish"),
    path(
        "bookings/<uuid:code>/practitioner-cancel/",
        agenda.practitioner_cancel,
        name="booking-practitioner-cancel",
    ),
    path("calendar/<str:token>.ics", agenda.calendar_feed, name="calendar-feed"),
    # --- the practitioner's day (issue 14): calendar, clients, on-behalf booking, series ---
    path("agenda/week/", calendar.calendar_week, name="calendar-week"),
    path("agenda/day/", calendar.calendar_day, name="calendar-day"),
    path("bookings/<uuid:code>/move/", calendar.booking_move, name="booking-move"),
    path("agenda/clients/", clients.client_list, name="clients"),
    path("agenda/invoices/", billing.invoice_list, name="invoices"),
    path("agenda/report/", report.practice_report_page, name="practice-report"),
    path("agenda/report/report.csv", report.practice_report_csv, name="practice-report-csv"),
    path("agenda/invoices/<uuid:code>/", billing.invoice_detail, name="invoice-detail"),
    path("agenda/invoices/<uuid:code>/pay/", billing.invoice_pay, name="invoice-pay"),
    path("agenda/invoices/<uuid:code>/void/", billing.invoice_void, name="invoice-void"),
    path(
        "agenda/invoices/<uuid:code>/discount/", billing.invoice_discount, name="invoice-discount"
    ),
    path("receipts/<uuid:code>/", billing.receipt, name="receipt"),
    path("receipts/<uuid:code>/receipt.pdf", billing.receipt_download, name="receipt-pdf"),
    path("statements/<int:year>/", billing.statement, name="statement"),
    path("statements/<int:year>/statement.pdf", billing.statement_download, name="statement-pdf"),
    path("bookings/<uuid:code>/fee/", billing.booking_fee, name="booking-fee"),
    # --- packages of sessions (views/packages.py) ---
    path("agenda/packages/", packages.packages, name="packages"),
    path("agenda/packages/new/", packages.package_new, name="package-new"),
    path("agenda/packages/policy/", packages.package_policy, name="package-policy"),
    path("agenda/packages/sell/", packages.package_sell, name="package-sell"),
    path("agenda/packages/<uuid:code>/on-sale/", packages.package_on_sale, name="package-on-sale"),
    path("packages/<uuid:code>/", packages.client_package, name="client-package"),
    path(
        "agenda/invoices/<uuid:code>/pay-with-credit/",
        packages.invoice_pay_with_credit,
        name="invoice-pay-with-credit",
    ),
    path("agenda/clients/<int:client_id>/", clients.client_detail, name="client"),
    path("agenda/book/", on_behalf.book_for_client, name="book-for-client"),
    path("agenda/book/<uuid:code>/booked/", on_behalf.booked, name="book-for-client-done"),
    path("invite/<uidb64>/<token>/", on_behalf.InviteAcceptView.as_view(), name="invite-accept"),
    path("agenda/clients/<int:client_id>/series/", series.series_new, name="series-new"),
    path("agenda/series/<uuid:code>/", series.series_detail, name="series"),
    path("agenda/series/<uuid:code>/cancel/", series.series_cancel, name="series-cancel"),
    # --- intake (views/intake.py) ---
    path("intake/", intake.intake, name="intake"),
    path("intake/edit/", intake.intake_edit, name="intake-edit"),
    path("intake/edit/<slug:step>/", intake.intake_step, name="intake-step"),
    path("intake/confirm/", intake.intake_confirm, name="intake-confirm"),
    path("intake/access/", intake.intake_access, name="intake-access"),
    path("intake/clearance-note/", intake.clearance_note_upload, name="intake-note"),
    path("intake/clearance-note/<uuid:code>/", intake.clearance_note_file, name="intake-note-file"),
    path("intake/<uuid:code>/", intake.intake_detail, name="intake-detail"),
    path("bookings/<uuid:code>/check-in/", intake.check_in, name="check-in"),
    path("bookings/<uuid:code>/clearance/", booking.booking_clearance, name="booking-clearance"),
    # --- session records (views/records.py) ---
    path("bookings/<uuid:code>/record/", records.record, name="record"),
    path("bookings/<uuid:code>/record/sign/", records.record_sign, name="record-sign"),
    path("bookings/<uuid:code>/record/proceed/", records.record_proceed, name="record-proceed"),
    path("bookings/<uuid:code>/record/addendum/", records.record_addendum, name="record-addendum"),
    path(
        "bookings/<uuid:code>/record/follow-up/", records.record_follow_up, name="record-follow-up"
    ),
    path("records/todo/", records.todo, name="todo"),
    # --- trust and safety (views/safety_queue.py, issue 15) ---
    path("bookings/<uuid:code>/report/", safety_queue.booking_report, name="booking-report"),
    path("staff/safety/", safety_queue.queue, name="safety-queue"),
    path("staff/safety/<uuid:code>/", safety_queue.item_detail, name="safety-item"),
    path(
        "staff/safety/practitioners/<slug:slug>/",
        safety_queue.practitioner_visibility,
        name="safety-practitioner",
    ),
    # --- data rights (issue 16): export, erasure, retained records (views/data.py) ---
    path("your-data/", data.my_data, name="my-data"),
    path("your-data/reflexbook-data.json", data.my_data_json, name="my-data-json"),
    path("your-data/print/", data.my_data_print, name="my-data-print"),
    path("your-data/prepare/", data.my_data_prepare, name="my-data-prepare"),
    path("your-data/delete-account/", data.erase_account, name="erase-account"),
    path("exports/<str:token>/", data.export_download, name="export-download"),
    path("agenda/export/", data.practice_export, name="practice-export"),
    path("agenda/export/practice.json", data.practice_export_json, name="practice-export-json"),
    path("agenda/export/practice-csv.zip", data.practice_export_csv, name="practice-export-csv"),
    path("agenda/export/prepare/", data.practice_export_prepare, name="practice-export-prepare"),
    path("agenda/retained/", data.retained, name="retained"),
    path("agenda/retained/<uuid:code>/", data.retained_detail, name="retained-detail"),
    path("staff/erasures/", data.staff_erasures, name="staff-erasures"),
    path("bookings/<uuid:code>/summary/", record_pages.record_summary, name="record-summary"),
    path("bookings/<uuid:code>/check-in-48h/", record_pages.checkin, name="checkin"),
    path(
        "clients/<uuid:booking_code>/history/",
        record_pages.client_history,
        name="client-history",
    ),
]
