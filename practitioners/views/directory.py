"""Public pages: the directory and each practitioner's profile."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from practitioners.models import Practitioner


@login_not_required
def directory(request: HttpRequest) -> HttpResponse:
    practitioners = Practitioner.objects.listed()
    return render(request, "practitioners/directory.html", {"practitioners": practitioners})


@login_not_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = get_object_or_404(Practitioner.objects.listed(), slug=slug)
    return render(request, "practitioners/detail.html", {"practitioner": practitioner})
