from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import QueuedPasswordResetForm
from reflexbook import views

admin.site.site_header = "reflexbook administration"
admin.site.site_title = "reflexbook admin"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    # Django's login, logout (POST), password change and reset views, un-namespaced.
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("practitioners/", include("practitioners.urls")),
    path("", include("sessions.urls")),
    path("admin/", admin.site.urls),
]
