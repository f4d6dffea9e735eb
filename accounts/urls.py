from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup_client, name="signup"),
    path("signup/check-email/", views.check_email, name="check-email"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
    path("verify-again/", views.resend_verification, name="verify-email-resend"),
    path("account/", views.account, name="account"),
]
