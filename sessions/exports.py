"""Data exports (issue 16, point 1): everything reflexbook holds about a client, and a
practitioner's practice, built here in a fixed number of queries whatever their size.

A client's export (client_export) is what the client may see of their own data: account,
intake versions with answers and signatures, clearance notes (names and dates), consents,
bookings with their pre-session answers, session summaries and aftercare (ClientView: never
the practitioner's SOAP notes, observations or comments), check-ins, and who read their health
data. A practice export (practice_tables) is the practitioner's own clients, bookings and
session records, for moving to another system; each download of it logs a read of the records
it holds (sessions.audit).

Small accounts download at once. One with more bookings than settings.EXPORT_BACKGROUND_BOOKINGS
is built in the background (build_export, a task queued with the request's transaction), stored
as a private zip (DataExport) and linked by email; the link is signed, expires after
settings.EXPORT_LINK_DAYS and opens only for its owner.
"""

import csv
import io
import json
import logging
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signing import BadSignature, TimestampSigner
from django.db import transaction
from django.db.models import Prefetch
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from practitioners.models import Practitioner
from reflexbook.lib.csv_export import safe_cell
from reflexbook.lib.mail import enqueue_on_commit, render_and_send
from sessions.audit import Kind, log_health_reads
from sessions.client_view import ClientView
from sessions.intake import readable_answers
from sessions.models import Booking, DataExport, IntakeAccess, IntakeForm, PointWorked
from sessions.models.intake import ClearanceNote
from sessions.safety import TIER_NAMES, by_tier

logger = logging.getLogger(__name__)

SIGNER_SALT = "sessions.exports.link"


# --- the client's export --------------------------------------------------------------------


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _flags(flags: list[dict]) -> list[dict]:
    """Flags as the client reads them: tier, label and the advice for them (no reasons)."""
    return [
        {
            "tier": TIER_NAMES[flag["tier"]],
            "label": flag.get("label", ""),
            "detail": flag.get("detail", ""),
        }
        for flag in by_tier(flags)
    ]


def _intake(intake: IntakeForm) -> dict:
    return {
        "id": str(intake.code),
        "version": intake.version,
        "signed_at": _when(intake.signed_at),
        "signed_name": intake.signed_name,
        "signed_by": intake.signed_by,
        "consent_text_version": intake.consent_text_version,
        "physician_contact_allowed": intake.physician_contact_allowed,
        "answers": intake.answers,
        "answers_in_words": [
            {"section": heading, "question": row.label, "answer": row.value}
            for heading, rows in readable_answers(intake.answers)
            for row in rows
        ],
        "flags": _flags(intake.flags),
        "clearance_notes": [
            {
                "file_name": note.original_name,
                "uploaded_at": _when(note.uploaded_at),
                "size": note.size,
            }
            for note in intake.clearance_notes.all()
        ],
    }


def _consent(intake: IntakeForm) -> dict:
    return {
        "health_form_version": intake.version,
        "consent_text_version": intake.consent_text_version,
        # The language of the consent text the client read and signed.
        "consent_language": intake.consent_language,
        "agreed_at": _when(intake.signed_at),
        "signed_by": intake.signed_by,
        "doctor_may_be_contacted": intake.physician_contact_allowed,
        "parent_or_guardian": intake.guardian_name,
    }


def _booking(booking: Booking) -> dict:
    record = getattr(booking, "record", None)
    check = getattr(booking, "pre_session_check", None)
    summary = None
    if record is not None and record.is_signed:
        view = ClientView.of(record)
        summary = {
            "signed_at": _when(view.signed_at),
            "minutes": view.actual_minutes,
            "summary": view.client_summary,
            "aftercare": view.aftercare,
            "points_worked": [
                {
                    "point": p.point.name,
                    "side": p.get_side_display(),
                    "tenderness": p.get_tenderness_display(),
                }
                for p in view.points
            ],
        }
    checkin = None
    if record is not None and record.checkin_answered_at is not None:
        checkin = {
            "answered_at": _when(record.checkin_answered_at),
            "sleep": record.checkin_sleep,
            "energy": record.checkin_energy,
            "reaction": record.get_checkin_reaction_display(),
            "reaction_notes": record.checkin_reaction_notes,
        }
    return {
        "id": str(booking.code),
        "practitioner": booking.practitioner.display_name,
        "service": booking.service.name,
        "starts_at": _when(booking.starts_at),
        "ends_at": _when(booking.ends_at),
        "minutes": booking.minutes,
        "price": str(booking.price),
        "status": booking.get_status_display(),
        "place": booking.place,
        "booked_at": _when(booking.created_at),
        "health_form_version": booking.intake.version if booking.intake_id else None,
        "your_message": booking.client_message,
        "flags": _flags(booking.flags),
        "answers_for_this_session": booking.session_answers,
        "pre_session_check": None
        if check is None
        else {
            "answered_at": _when(check.answered_at),
            "anything_changed": check.changed,
            "changes": check.change_labels,
            "details": check.details,
        },
        "cancelled_at": _when(booking.cancelled_at),
        "cancellation_reason": booking.cancellation_reason,
        "late_cancellation": booking.is_late_cancellation,
        "cancelled_because_unwell": booking.cancelled_for_illness,
        "decline_reason": booking.decline_reason,
        "session_summary": summary,
        "check_in": checkin,
    }


def _read(access: IntakeAccess) -> dict:
    return {
        "at": _when(access.at),
        "who": access.viewer.full_name,
        "as": access.role_label,
        "what": access.get_kind_display(),
        "health_form_version": access.intake.version if access.intake_id else None,
        "booking": str(access.booking.code) if access.booking_id else None,
        "session_date": _when(access.booking.starts_at) if access.booking_id else None,
    }


def client_export(client: User, *, now: datetime | None = None) -> dict:
    """Everything reflexbook holds about `client` that is theirs to see, as JSON-ready data.
    Four queries, whatever the number of versions, bookings and reads."""
    intakes = list(
        IntakeForm.objects.filter(client=client)
        .order_by("version")
        .prefetch_related(
            Prefetch("clearance_notes", queryset=ClearanceNote.objects.order_by("uploaded_at"))
        )
    )
    points = PointWorked.objects.select_related("point")
    bookings = list(
        Booking.objects.filter(client=client)
        .select_related("practitioner", "service", "intake", "record", "pre_session_check")
        .prefetch_related(Prefetch("record__points", queryset=points))
        .order_by("starts_at")
    )
    reads = IntakeAccess.objects.filter(client=client).select_related("viewer", "intake", "booking")
    return {
        "exported_at": _when(now or timezone.now()),
        "account": {
            "email": client.email,
            "full_name": client.full_name,
            "phone": client.phone,
            "time_zone": client.timezone,
            "joined_at": _when(client.date_joined),
            "email_confirmed_at": _when(client.email_verified_at),
        },
        "health_forms": [_intake(intake) for intake in intakes],
        "consents": [_consent(intake) for intake in intakes],
        "bookings": [_booking(booking) for booking in bookings],
        "health_data_reads": [_read(access) for access in reads.order_by("-at")],
    }


def as_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def printable(data: dict, *, standalone: bool = False, request=None) -> str:
    """The export as a readable page: the content of sessions/data/export_print.html, alone
    in a plain document for a file (`standalone`), or within the site's layout (for
    `request`)."""
    template = (
        "sessions/data/export_document.html" if standalone else "sessions/data/export_print.html"
    )
    return render_to_string(template, {"data": data, "standalone": standalone}, request=request)


# --- the practitioner's export --------------------------------------------------------------

CLIENT_COLUMNS = ["email", "full_name", "phone", "time_zone", "first_booked_at"]
BOOKING_COLUMNS = [
    "booking_id",
    "client_email",
    "service",
    "starts_at",
    "ends_at",
    "minutes",
    "price",
    "status",
    "place",
    "booked_at",
    "client_message",
    "flags",
    "cancelled_at",
    "cancellation_reason",
    "late_cancellation",
    "cancelled_because_unwell",
    "decline_reason",
    "safety_decision",
    "safety_note",
]
RECORD_COLUMNS = [
    "booking_id",
    "client_email",
    "state",
    "signed_at",
    "changes_since_last",
    "observations",
    "decision",
    "actual_minutes",
    "pressure",
    "medium",
    "medium_details",
    "reactions",
    "reactions_notes",
    "subjective",
    "objective",
    "assessment",
    "plan",
    "client_summary",
    "aftercare",
    "points_worked",
    "addenda",
    "checkin_answered_at",
    "checkin_sleep",
    "checkin_energy",
    "checkin_reaction",
    "checkin_reaction_notes",
    "follow_up_note",
]


def _point(point: PointWorked) -> str:
    words = f"{point.point.name} ({point.get_side_display()}): {point.get_tenderness_display()}"
    extra = ", ".join(
        part
        for part in (point.get_texture_display() if point.texture else "", point.comment)
        if part
    )
    return f"{words}, {extra}" if extra else words


def practice_tables(practitioner: Practitioner) -> tuple[dict[str, list[dict]], list[Booking]]:
    """The practitioner's clients, bookings and session records as rows (a dict per row, keyed
    by the *_COLUMNS), and the bookings whose records they hold (for the read log). Only
    bookings made with them; four queries."""
    bookings = list(
        Booking.objects.filter(practitioner=practitioner)
        .select_related("client", "practitioner", "service", "record")
        .prefetch_related(
            Prefetch("record__points", queryset=PointWorked.objects.select_related("point")),
            "record__addenda",
        )
        .order_by("starts_at")
    )
    clients: dict[int, dict] = {}
    booking_rows, record_rows, with_records = [], [], []
    for booking in bookings:
        client = booking.client
        clients.setdefault(
            client.pk,
            {
                "email": client.email,
                "full_name": client.full_name,
                "phone": client.phone,
                "time_zone": client.timezone,
                "first_booked_at": _when(booking.created_at),
            },
        )
        booking_rows.append(
            {
                "booking_id": str(booking.code),
                "client_email": client.email,
                "service": booking.service.name,
                "starts_at": _when(booking.starts_at),
                "ends_at": _when(booking.ends_at),
                "minutes": booking.minutes,
                "price": str(booking.price),
                "status": booking.get_status_display(),
                "place": booking.place_for_practitioner,
                "booked_at": _when(booking.created_at),
                "client_message": booking.client_message,
                "flags": "; ".join(flag.get("label", "") for flag in by_tier(booking.flags)),
                "cancelled_at": _when(booking.cancelled_at),
                "cancellation_reason": booking.cancellation_reason,
                "late_cancellation": booking.is_late_cancellation,
                "cancelled_because_unwell": booking.cancelled_for_illness,
                "decline_reason": booking.decline_reason,
                "safety_decision": booking.get_safety_decision_display(),
                "safety_note": booking.safety_note,
            }
        )
        record = getattr(booking, "record", None)
        if record is None:
            continue
        with_records.append(booking)
        record_rows.append(
            {
                "booking_id": str(booking.code),
                "client_email": client.email,
                "state": record.get_state_display(),
                "signed_at": _when(record.signed_at),
                "changes_since_last": record.changes_since_last,
                "observations": "; ".join(
                    f"{k}: {v}" if v else k for k, v in record.observations.items()
                ),
                "decision": record.get_decision_display(),
                "actual_minutes": record.actual_minutes,
                "pressure": record.get_pressure_display(),
                "medium": record.get_medium_display(),
                "medium_details": record.medium_details,
                "reactions": ", ".join(record.reactions),
                "reactions_notes": record.reactions_notes,
                "subjective": record.subjective,
                "objective": record.objective,
                "assessment": record.assessment,
                "plan": record.plan,
                "client_summary": record.client_summary,
                "aftercare": record.aftercare,
                "points_worked": "; ".join(_point(p) for p in record.points.all()),
                "addenda": "\n".join(f"{_when(a.at)}: {a.text}" for a in record.addenda.all()),
                "checkin_answered_at": _when(record.checkin_answered_at),
                "checkin_sleep": record.checkin_sleep,
                "checkin_energy": record.checkin_energy,
                "checkin_reaction": record.get_checkin_reaction_display(),
                "checkin_reaction_notes": record.checkin_reaction_notes,
                "follow_up_note": record.follow_up_note,
            }
        )
    tables = {
        "clients": sorted(clients.values(), key=lambda row: (row["full_name"], row["email"])),
        "bookings": booking_rows,
        "session_records": record_rows,
    }
    return tables, with_records


def practice_json(
    practitioner: Practitioner, tables: dict, *, now: datetime | None = None
) -> bytes:
    return as_json(
        {
            "exported_at": _when(now or timezone.now()),
            "practice": {"name": practitioner.display_name, "time_zone": practitioner.timezone},
            **tables,
        }
    )


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row[column]) for column in columns])
    return out.getvalue().encode("utf-8-sig")  # the BOM: spreadsheets then read UTF-8


def practice_zip(practitioner: Practitioner, tables: dict, *, with_json: bool = False) -> bytes:
    """The tables as CSV files (one per table) in a zip, and the JSON beside them if asked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("clients.csv", _csv(tables["clients"], CLIENT_COLUMNS))
        archive.writestr("bookings.csv", _csv(tables["bookings"], BOOKING_COLUMNS))
        archive.writestr("session_records.csv", _csv(tables["session_records"], RECORD_COLUMNS))
        if with_json:
            archive.writestr("practice.json", practice_json(practitioner, tables))
    return buffer.getvalue()


def log_record_reads(viewer: User, bookings: list[Booking]) -> int:
    """A download of a practice export shows the records of these bookings: one read each."""
    return log_health_reads(viewer, Kind.RECORD, bookings)


# --- in the background ----------------------------------------------------------------------


def needs_background(
    *, client: User | None = None, practitioner: Practitioner | None = None
) -> bool:
    """Whether the export is too large to build during a request: more bookings than
    settings.EXPORT_BACKGROUND_BOOKINGS. One count query."""
    bookings = Booking.objects.filter(client=client) if client else practitioner.bookings.all()
    return bookings.count() > settings.EXPORT_BACKGROUND_BOOKINGS


def request_export(*, owner: User, kind: str, now: datetime | None = None) -> DataExport:
    """Queue the build of `owner`'s export of `kind` (with the surrounding transaction); the
    owner gets an email with the link when it is ready."""
    export = DataExport.objects.create(owner=owner, kind=kind, created_at=now or timezone.now())
    enqueue_on_commit(build_export, export_id=export.pk)
    return export


def link_token(export: DataExport) -> str:
    """The signed, timestamped token of `export`'s download link."""
    return TimestampSigner(salt=SIGNER_SALT).sign(str(export.code))


def export_from_token(token: str, owner: User) -> DataExport | None:
    """The ready export `token` names, if the signature holds, is younger than
    EXPORT_LINK_DAYS and `owner` owns it; else None."""
    try:
        code = TimestampSigner(salt=SIGNER_SALT).unsign(
            token, max_age=timedelta(days=settings.EXPORT_LINK_DAYS)
        )
    except BadSignature:  # SignatureExpired included
        return None
    export = DataExport.objects.filter(code=code, owner=owner).first()
    return export if export is not None and export.is_ready else None


def export_bytes(export: DataExport) -> tuple[bytes, list[Booking]]:
    """Build `export`'s zip now, and the bookings whose records it holds."""
    owner = export.owner
    if export.kind == DataExport.Kind.PRACTICE:
        practitioner = owner.practitioner
        tables, with_records = practice_tables(practitioner)
        return practice_zip(practitioner, tables, with_json=True), with_records
    data = client_export(owner)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reflexbook-data.json", as_json(data))
        with timezone.override(ZoneInfo(owner.timezone)):
            archive.writestr("reflexbook-data.html", printable(data, standalone=True))
    return buffer.getvalue(), []


@task
def build_export(*, export_id: int) -> None:
    """Build a queued export, store it privately and email its owner the signed link."""
    export = DataExport.objects.select_related("owner").filter(pk=export_id).first()
    if export is None or export.is_ready:
        logger.warning("Export %s not built: gone or already built.", export_id)
        return
    content, with_records = export_bytes(export)
    with transaction.atomic():
        export.file.save(f"{export.code}.zip", ContentFile(content), save=False)
        export.record_reads = [[b.pk, b.client_id] for b in with_records]
        export.ready_at = timezone.now()
        export.save(update_fields=["file", "record_reads", "ready_at"])
    owner = export.owner
    with timezone.override(ZoneInfo(owner.timezone)):
        render_and_send(
            "export_ready",
            to=[owner.email],
            context={
                "export": export,
                "recipient": owner,
                "link": settings.SITE_URL
                + reverse("sessions:export-download", kwargs={"token": link_token(export)}),
                "expires_at": timezone.now() + timedelta(days=settings.EXPORT_LINK_DAYS),
            },
        )


def delete_expired_exports(now: datetime | None = None) -> int:
    """Delete exports whose link has expired (EXPORT_LINK_DAYS), with their files."""
    now = now or timezone.now()
    expired = list(
        DataExport.objects.filter(created_at__lt=now - timedelta(days=settings.EXPORT_LINK_DAYS))
    )
    for export in expired:
        if export.file:
            export.file.delete(save=False)
    DataExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)
