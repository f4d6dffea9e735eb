"""The practitioner's day and week calendar (issue 14, part A)."""

from django.http import Http404, HttpRequest, HttpResponse


def calendar_week(request: HttpRequest) -> HttpResponse:
    raise Http404("The week calendar is being built.")


def calendar_day(request: HttpRequest) -> HttpResponse:
    raise Http404("The day calendar is being built.")


def booking_move(request: HttpRequest, code) -> HttpResponse:
    raise Http404("Moving a booking is being built.")
