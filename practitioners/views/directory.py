"""Public pages: the directory and each practitioner's profile."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from practitioners.forms.directory import DirectoryFilterForm
from practitioners.models import Practitioner, Service
from practitioners.search import directory_search
from reflexbook.lib.page_cache import cached_page

PAGE_SIZE = 20


@login_not_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """The directory; served from the page cache to visitors who share it, keyed on every
    practitioner's changes (directory_version)."""

    def page() -> HttpResponse:
        form = DirectoryFilterForm(request.GET)
        practitioners = directory_search(**form.filters())
        page = Paginator(practitioners, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "practitioners/directory.html",
            {"form": form, "page": page, "is_filtered": form.is_filtered},
        )

    return cached_page(request, Practitioner.objects.directory_version, page)


@login_not_required
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A listed practitioner's profile; served from the page cache to visitors who share
    it, keyed on the practitioner's changes (page_version)."""

    def page() -> HttpResponse:
        active_services = Service.objects.filter(is_active=True).prefetch_related("lengths")
        practitioners = (
            Practitioner.objects.listed()
            .for_directory()
            .prefetch_related(
                Prefetch("services", queryset=active_services, to_attr="active_services")
            )
        )
        practitioner = get_object_or_404(practitioners, slug=slug)
        return render(request, "practitioners/detail.html", {"practitioner": practitioner})

    return cached_page(request, lambda: Practitioner.objects.page_version(slug), page)
