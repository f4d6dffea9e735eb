"""Credential evidence files: the file itself, a download of it, and a PDF's pages as images.

Who may open them is decided once, by practitioners.certification.evidence_visible_to: the
owning practitioner and staff. Anyone else gets 404, so a stranger cannot even learn that a
file exists. What staff open is noted in the staff activity log (practitioners.evidence_pages).
"""

from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from practitioners import evidence_pages
from practitioners.certification import evidence_visible_to
from practitioners.models import CertificationEvidence


def _evidence_for(request: HttpRequest, code: UUID) -> CertificationEvidence:
    visible = evidence_visible_to(request.user).select_related("certification__practitioner")
    return get_object_or_404(visible, code=code)


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _file(item: CertificationEvidence, *, as_attachment: bool) -> FileResponse:
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    return _private(
        FileResponse(
            handle,
            content_type=item.content_type,
            as_attachment=as_attachment,
            filename=item.original_name,
        )
    )


@login_not_required  # strangers get 404, not a login page that confirms the file exists
@require_safe
def evidence(request: HttpRequest, code: UUID) -> FileResponse:
    """The file as uploaded: an image inline (the review page's <img>, its full-size link);
    a PDF always as a download, so none ever opens raw in a browser tab."""
    item = _evidence_for(request, code)
    response = _file(item, as_attachment=not item.is_image)
    evidence_pages.note_served(
        request.user, item, action="evidence_viewed", load=request.GET.get("load", "")
    )
    return response


@login_not_required  # strangers get 404, not a login page that confirms the file exists
@require_safe
def evidence_download(request: HttpRequest, code: UUID) -> FileResponse:
    """The file as uploaded, as an attachment whatever its type."""
    item = _evidence_for(request, code)
    response = _file(item, as_attachment=True)
    evidence_pages.note_served(request.user, item, action="evidence_downloaded")
    return response


@login_not_required  # strangers get 404, not a login page that confirms the file exists
@require_safe
def evidence_page(request: HttpRequest, code: UUID, page: int) -> HttpResponse:
    """Page `page` of an evidence PDF as a PNG rendered on our server; a PNG that says so
    when the page cannot be rendered in time."""
    item = _evidence_for(request, code)
    if item.content_type != evidence_pages.PDF:
        raise Http404("Only PDF evidence has pages.")
    try:
        image = evidence_pages.page_image(item, page)
    except evidence_pages.NoSuchPage:
        raise Http404("The viewer does not show that page.") from None
    if image is None:
        response = HttpResponse(evidence_pages.unshown_page_png(), content_type="image/png")
    else:
        response = FileResponse(image.open("rb"), content_type="image/png")
    evidence_pages.note_served(
        request.user, item, action="evidence_viewed", load=request.GET.get("load", "")
    )
    return _private(response)
