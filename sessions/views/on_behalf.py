"""A practitioner books on a client's behalf (issue 14, part C)."""

from django.http import Http404, HttpRequest, HttpResponse


def book_for_client(request: HttpRequest) -> HttpResponse:
    raise Http404("Booking on a client's behalf is being built.")
