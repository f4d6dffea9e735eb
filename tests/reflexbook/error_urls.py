"""The site's URLs plus views that fail, for the error-page and request-log tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.urls import include, path


@login_not_required
def broken(request):
    raise RuntimeError("boom")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("a malformed request")


urlpatterns = [
    path("__broken__/", broken),
    path("__suspicious__/", suspicious),
    path("", include("reflexbook.urls")),
]
