"""The bare page every result is divided by: one query and one small template, through the
same middleware, database set-up and server as the app's pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from practitioners.models import Practitioner


@login_not_required
@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    names = list(Practitioner.objects.order_by("pk").values_list("display_name", flat=True)[:9])
    return render(request, "bench/bare.html", {"names": names})
