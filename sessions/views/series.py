"""A series of sessions for a client (issue 14, part D)."""

from django.http import Http404, HttpRequest, HttpResponse


def series_new(request: HttpRequest, client_id: int) -> HttpResponse:
    raise Http404("Series are being built.")
