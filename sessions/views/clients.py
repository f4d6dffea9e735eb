"""The practitioner's clients list and client page (issue 14, part B)."""

from django.http import Http404, HttpRequest, HttpResponse


def client_list(request: HttpRequest) -> HttpResponse:
    raise Http404("The clients list is being built.")


def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    raise Http404("The client page is being built.")
