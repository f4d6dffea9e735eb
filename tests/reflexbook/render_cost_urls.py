"""The site's URLs plus a bare page (a template and one query) for the render-cost guard
(test_render_cost.py), which measures every page against it in the same process."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from practitioners.models import Practitioner

BARE_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="en"><head><title>Bare</title></head><body><ul>'
    "{% for p in rows %}<li>{{ p.display_name }}, {{ p.city }}</li>{% endfor %}"
    "</ul></body></html>"
)


@login_not_required
def bare(request: HttpRequest) -> HttpResponse:
    rows = Practitioner.objects.only("display_name", "city").order_by("pk")[:10]
    return HttpResponse(BARE_TEMPLATE.render({"rows": rows}, request))


urlpatterns = [
    path("__bare__/", bare, name="bare"),
    path("", include("reflexbook.urls")),
]
