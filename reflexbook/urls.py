from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import views as accounts_views
from reflexbook import views

admin.site.site_header = "reflexbook administration"
admin.site.site_title = "reflexbook admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # The footer's language switcher (POST; a GET goes back to the page unchanged).
    path("language/", views.set_language, name="set_language"),
    # Staff land here: each section of the back office (before /practitioners/<slug>/).
    path("practitioners/staff/", views.staff_home, name="staff-home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_change/",
        accounts_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        accounts_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Django's login, logout (POST), password change and reset views, un-namespaced.
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    # /practitioners/... and the practitioner sign-up page at /accounts/signup/practitioner/.
    path("", include("practitioners.urls")),
    path("", include("sessions.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Local runs only: in production the web server serves MEDIA_ROOT at /media/.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>.*)$",
            login_not_required(serve),
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
