from django.urls import include, path

from practitioners.views import (
    area,
    billing,
    credentials,
    directory,
    evidence,
    report,
    reports,
    signup,
)

app_name = "practitioners"

# Fixed paths come before "<slug:slug>/"; practitioners.services.RESERVED_SLUGS keeps
# profile slugs from taking these names.
practice_patterns = [
    path("", directory.directory, name="directory"),
    # --- practitioner's area (views/area.py) ---
    path("me/", area.dashboard, name="dashboard"),
    path("me/profile/", area.profile_edit, name="profile-edit"),
    path("me/services/", area.services, name="services"),
    path("me/services/new/", area.service_create, name="service-create"),
    path("me/services/<int:pk>/", area.service_edit, name="service-edit"),
    path("me/hours/", area.hours, name="hours"),
    path("me/fees/", billing.billing_settings, name="billing"),
    path("me/exceptions/", area.exceptions, name="exceptions"),
    path("me/exceptions/<int:pk>/delete/", area.exception_delete, name="exception-delete"),
    path("me/time-off/", area.time_off, name="time-off"),
    path("me/time-off/<int:pk>/delete/", area.time_off_delete, name="time-off-delete"),
    path("me/busy-calendars/", area.busy_calendars, name="busy-calendars"),
    path(
        "me/busy-calendars/<uuid:code>/delete/",
        area.busy_calendar_delete,
        name="busy-calendar-delete",
    ),
    # --- credentials and staff queue (views/credentials.py) ---
    path("me/credentials/", credentials.credential_list, name="credentials"),
    path("me/credentials/<slug:kind>/", credentials.credential_edit, name="credential-edit"),
    path(
        "me/credentials/<slug:kind>/submit/",
        credentials.credential_submit,
        name="credential-submit",
    ),
    path("evidence/<uuid:code>/", evidence.evidence, name="evidence"),
    path("evidence/<uuid:code>/download/", evidence.evidence_download, name="evidence-download"),
    path("evidence/<uuid:code>/pages/<int:page>/", evidence.evidence_page, name="evidence-page"),
    path("staff/credentials/", credentials.queue, name="queue"),
    path("staff/credentials/<uuid:code>/", credentials.review, name="review"),
    # --- the verification report (views/report.py) ---
    path("staff/report/", report.verification_report_page, name="verification-report"),
    path("staff/report/csv/", report.verification_report_csv, name="verification-report-csv"),
    # --- clients' reports (views/reports.py) ---
    path("reports/<uuid:code>/", reports.report_detail, name="report-detail"),
    path("<slug:slug>/report/", reports.report_practitioner, name="report"),
    # --- public profile, last ---
    path("<slug:slug>/", directory.detail, name="detail"),
]

# Included at the site root: the sign-up page keeps its address next to the client's
# (/accounts/signup/), and every other page lives under /practitioners/.
urlpatterns = [
    path("accounts/signup/practitioner/", signup.signup_practitioner, name="signup"),
    path("practitioners/", include(practice_patterns)),
]
