"""Data rights (issue 16): the client's "Your data" page and downloads, the account deletion,
the practitioner's practice export and retained records, and the staff list of pending
erasures. Thin: sessions.exports builds the exports, sessions.erasure erases and selects.

Every download and the deletion ask for the password again (accounts.reauth). Downloads
are never cached (accounts.middleware.PrivateCacheMiddleware covers every logged-in page).
"""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import require_staff
from accounts.reauth import reauthentication_required
from practitioners.access import practitioner_required
from sessions import exports
from sessions.audit import Kind, log_health_reads, log_intake_reads
from sessions.erasure import (
    ErasureRefused,
    erase_client,
    erasure_refusal,
    pending_erasures,
    retained_set,
    retained_sets,
)
from sessions.forms.data import EraseAccountForm
from sessions.models import Booking, DataExport


def _not_staff(request: HttpRequest) -> None:
    """ "Your data" is for the people whose data it is: clients (and practitioners, who may
    have booked sessions themselves). Staff have none here."""
    if request.user.is_staff:
        raise PermissionDenied("Staff accounts hold no client data to download.")


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp() -> str:
    return timezone.localdate().isoformat()


# --- the client's data ---------------------------------------------------------------------


@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    """What reflexbook holds, how to download it, and how to delete the account."""
    _not_staff(request)
    return render(
        request,
        "sessions/data/my_data.html",
        {
            "background": exports.needs_background(client=request.user),
            "threshold": settings.EXPORT_BACKGROUND_BOOKINGS,
            "link_days": settings.EXPORT_LINK_DAYS,
            "erasure_refusal": erasure_refusal(request.user),
        },
    )


def _too_large(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _(
            "Your account is large, so we build your download in the background: use "
            "“Email me a download link” below."
        ),
    )
    return redirect("sessions:my-data")


@require_safe
@reauthentication_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    """The client's export as a JSON file, built now (a large account: see my_data_prepare)."""
    _not_staff(request)
    if exports.needs_background(client=request.user):
        return _too_large(request)
    data = exports.client_export(request.user)
    return _download(exports.as_json(data), f"reflexbook-data-{_stamp()}.json", "application/json")


@require_safe
@reauthentication_required
def my_data_print(request: HttpRequest) -> HttpResponse:
    """The client's export as a page to read and print."""
    _not_staff(request)
    if exports.needs_background(client=request.user):
        return _too_large(request)
    return HttpResponse(exports.printable(exports.client_export(request.user), request=request))


@require_POST
@reauthentication_required
def my_data_prepare(request: HttpRequest) -> HttpResponse:
    """Build the client's export in the background; the link comes by email."""
    _not_staff(request)
    exports.request_export(owner=request.user, kind=DataExport.Kind.CLIENT)
    messages.success(
        request,
        ngettext(
            "We are preparing your download and will email a link to %(email)s. It works for "
            "%(days)s day, and only when you are logged in.",
            "We are preparing your download and will email a link to %(email)s. It works for "
            "%(days)s days, and only when you are logged in.",
            settings.EXPORT_LINK_DAYS,
        )
        % {"email": request.user.email, "days": settings.EXPORT_LINK_DAYS},
    )
    return redirect("sessions:my-data")


@require_safe
@reauthentication_required
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """An emailed export link: the file for its owner while the link is valid; 404 for
    anyone else, a tampered link or an expired one."""
    export = exports.export_from_token(token, request.user)
    if export is None:
        raise Http404("This download link has expired or is not yours.")
    if export.kind == DataExport.Kind.PRACTICE:
        # Stubs are enough: a read names its booking and client by id.
        read = [Booking(pk=pk, client_id=client_id) for pk, client_id in export.record_reads]
        exports.log_record_reads(request.user, read)
    name = "reflexbook-practice" if export.kind == DataExport.Kind.PRACTICE else "reflexbook-data"
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"{name}-{timezone.localdate(export.created_at).isoformat()}.zip",
        content_type="application/zip",
    )


# --- deleting the account ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@reauthentication_required
def erase_account(request: HttpRequest) -> HttpResponse:
    """The client deletes their account, confirming in words; logged out at once."""
    _not_staff(request)
    refusal = erasure_refusal(request.user)
    form = EraseAccountForm(request.POST or None)
    status = 200
    if request.method == "POST" and not refusal:
        if form.is_valid():
            try:
                erasure = erase_client(client=request.user)
            except ErasureRefused as refused:
                refusal = str(refused)
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Your reflexbook account is deleted and you are logged out. We emailed "
                        "you what was deleted and what your practitioners keep until %(date)s."
                    )
                    % {
                        "date": date_format(
                            timezone.localdate(erasure.retention_ends_at), _("j F Y")
                        )
                    },
                )
                return redirect("home")
        status = 400
    return render(
        request,
        "sessions/data/erase.html",
        {
            "form": form,
            "refusal": refusal,
            "retention_years": settings.RECORD_RETENTION_YEARS,
            "upcoming": Booking.objects.filter(client=request.user)
            .upcoming(timezone.now())
            .count(),
        },
        status=403 if refusal else status,
    )


# --- the practitioner's export -------------------------------------------------------------


@require_safe
@practitioner_required
def practice_export(request: HttpRequest) -> HttpResponse:
    practitioner = request.user.practitioner
    return render(
        request,
        "sessions/data/practice_export.html",
        {
            "background": exports.needs_background(practitioner=practitioner),
            "threshold": settings.EXPORT_BACKGROUND_BOOKINGS,
            "link_days": settings.EXPORT_LINK_DAYS,
        },
    )


def _practice_download(request: HttpRequest, *, csv: bool) -> HttpResponse:
    practitioner = request.user.practitioner
    if exports.needs_background(practitioner=practitioner):
        messages.info(
            request,
            _(
                "Your practice is large, so we build the export in the background: use "
                "“Email me a download link” below."
            ),
        )
        return redirect("sessions:practice-export")
    tables, with_records = exports.practice_tables(practitioner)
    exports.log_record_reads(request.user, with_records)
    if csv:
        return _download(
            exports.practice_zip(practitioner, tables),
            f"reflexbook-practice-{_stamp()}-csv.zip",
            "application/zip",
        )
    return _download(
        exports.practice_json(practitioner, tables),
        f"reflexbook-practice-{_stamp()}.json",
        "application/json",
    )


@require_safe
@practitioner_required
@reauthentication_required
def practice_export_json(request: HttpRequest) -> HttpResponse:
    return _practice_download(request, csv=False)


@require_safe
@practitioner_required
@reauthentication_required
def practice_export_csv(request: HttpRequest) -> HttpResponse:
    return _practice_download(request, csv=True)


@require_POST
@practitioner_required
@reauthentication_required
def practice_export_prepare(request: HttpRequest) -> HttpResponse:
    exports.request_export(owner=request.user, kind=DataExport.Kind.PRACTICE)
    messages.success(
        request,
        _("We are preparing your practice export and will email a link to %(email)s.")
        % {"email": request.user.email},
    )
    return redirect("sessions:practice-export")


# --- retained records ----------------------------------------------------------------------


@require_safe
@practitioner_required
def retained(request: HttpRequest) -> HttpResponse:
    """The record sets of erased clients the practitioner keeps until their retention ends.
    Names no client and shows no health data (nothing to log)."""
    return render(
        request,
        "sessions/data/retained_list.html",
        {"sets": retained_sets(request.user.practitioner)},
    )


@require_safe
@practitioner_required
def retained_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    """One erased client's records kept with the practitioner, read-only; every version and
    record shown is logged as read."""
    kept = retained_set(request.user.practitioner, code)
    log_intake_reads(request.user, kept.intakes)
    log_health_reads(request.user, Kind.RECORD, [b for b in kept.bookings if b.signed_record])
    return render(request, "sessions/data/retained_detail.html", {"kept": kept})


# --- staff ---------------------------------------------------------------------------------


@require_safe
def staff_erasures(request: HttpRequest) -> HttpResponse:
    """Pending erasures: when asked, until when records are kept, what was done (counts)."""
    require_staff(request)
    rows, count = pending_erasures()
    return render(request, "sessions/data/staff_erasures.html", {"rows": rows, "count": count})
