from django.urls import path

from accounts import views, views_mfa, views_staff

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup_client, name="signup"),
    path("signup/check-email/", views.check_email, name="check-email"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("verify-again/", views.resend_verification, name="verify-email-resend"),
    path("account/", views.account, name="account"),
    path("reauthenticate/", views_mfa.reauthenticate, name="reauthenticate"),
    path("two-factor/", views_mfa.manage, name="two-factor"),
    path("two-factor/setup/", views_mfa.setup, name="two-factor-setup"),
    path("two-factor/setup/qr.svg", views_mfa.setup_qr, name="two-factor-qr"),
    path("two-factor/verify/", views_mfa.verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", views_mfa.recovery_codes, name="two-factor-codes"),
    path("two-factor/turn-off/", views_mfa.turn_off, name="two-factor-turn-off"),
    path("staff/activity/", views_staff.staff_activity, name="staff-activity"),
    path(
        "staff/activity/export.csv", views_staff.staff_activity_export, name="staff-activity-export"
    ),
]
