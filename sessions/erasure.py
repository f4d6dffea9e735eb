"""Erasure and retention (issue 16, point 2): a client deletes their account.

At once (erase_client, one transaction): their upcoming bookings are cancelled through the
booking write path (each practitioner told), the account is anonymised (no log-in: inactive,
unusable password, a placeholder address that cannot receive mail, "Erased client", no
phone, no second-factor devices), and what the practice does not keep goes: the unsigned
health form draft, held times, draft session records, pending reminders, queued emails to
them and their data exports. An ErasureRequest row records when and what, as counts.

What the practice must keep stays, locked: the intake versions and the signed session
records (with their bookings). The default managers of Booking, IntakeForm and SessionRecord
hide every row of an erased client (sessions.models.erasure.of_present_clients), so they are
out of every list, search and page; each practitioner concerned reads theirs only on the
"retained records" page (retained_sets, retained_set; reads logged by sessions.audit), until
settings.RECORD_RETENTION_YEARS after the last session. Then purge_due_erasures (a job of
run_due_jobs) deletes them, in an order no PROTECT foreign key refuses, and the account row.
A client who never had a session keeps nothing: their retention ends at the request, so the
next run purges them.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user

from accounts.models import User
from practitioners.models import Practitioner
from reflexbook.lib.mail import deliver_email, send_templated
from sessions.booking import cancel_upcoming_for_erasure
from sessions.booking_emails import send_booking_emails
from sessions.intake import readable_answers
from sessions.models import (
    Booking,
    BookingSeries,
    DataExport,
    ErasureRequest,
    IntakeAccess,
    IntakeDraft,
    IntakeForm,
    PointWorked,
    RecordAddendum,
    Reminder,
    SessionRecord,
    SlotHold,
)
from sessions.models.booking import retention_end
from sessions.models.intake import ClearanceNote

logger = logging.getLogger(__name__)

ERASED_NAME = "Erased client"
# What the client types to confirm, in their language (case and spaces around it do not matter).
CONFIRM_WORDS = gettext_lazy("delete my account")


class ErasureRefused(Exception):
    """The account cannot be erased here; the message says why."""


def erasure_refusal(user: User) -> str:
    """Why `user` cannot delete their account from the client pages, or "" if they can."""
    if user.role == User.Role.STAFF:
        return _("Staff accounts are closed by another member of staff, not from this page.")
    if user.role == User.Role.PRACTITIONER:
        return _(
            "Your account holds a practice. Write to reflexbook staff to close it: your "
            "clients' records must be handed over or kept first."
        )
    if not user.is_active:
        return _("This account is already closed.")
    return ""


def placeholder_email(erasure: ErasureRequest) -> str:
    """An address no mail can reach (.invalid is reserved, RFC 2606), unique per erasure."""
    return f"erased-{erasure.code.hex}@erased.invalid"


def erase_client(*, client: User, now: datetime | None = None) -> ErasureRequest:
    """Erase `client`'s account at once and keep their signed records, locked, until the
    retention period ends (see the module docstring). Raises ErasureRefused."""
    with transaction.atomic(durable=True):
        return erase_in_transaction(client=client, now=now or timezone.now())


def erase_in_transaction(*, client: User, now: datetime, email: bool = True) -> ErasureRequest:
    """erase_client inside a transaction the caller holds (seed_demo's, which sends no
    `email` and has no upcoming booking to cancel)."""
    locked = User.objects.select_for_update().get(pk=client.pk)
    if refusal := erasure_refusal(locked):
        raise ErasureRefused(refusal)
    address, zone = locked.email, locked.timezone
    # Before the request row exists: after it, the client's bookings are hidden from the
    # write path too.
    cancelled = cancel_upcoming_for_erasure(client=locked, now=now)
    bookings = Booking.objects.filter(client=locked)
    last_session = bookings.recordable(now).aggregate(last=Max("starts_at"))["last"]
    concerned = _practitioners_concerned(bookings, cancelled)
    erasure = ErasureRequest.objects.create(
        client=locked,
        requested_at=now,
        last_session_at=last_session,
        retention_ends_at=retention_end(last_session) if last_session else now,
    )
    detail = {
        "bookings_cancelled": len(cancelled),
        **_delete_what_is_not_kept(locked, erasure),
        "records_kept": SessionRecord.all_objects.filter(
            booking__client=locked, state=SessionRecord.State.SIGNED
        ).count(),
        "intake_versions_kept": IntakeForm.all_objects.filter(client=locked).count(),
        "practitioners_told": len(concerned),
    }
    _anonymise(locked, erasure)
    erasure.detail = detail
    erasure.save(update_fields=["detail"])
    if email:
        _tell(erasure, address=address, zone=zone, cancelled=cancelled, concerned=concerned)
    return erasure


def _tell(
    erasure: ErasureRequest,
    *,
    address: str,
    zone: str,
    cancelled: list[Booking],
    concerned: dict[Practitioner, int],
) -> None:
    """Email the client (at the address they had) and each practitioner concerned."""
    # Queued once the address is the placeholder, so the queue keeps the real address for this
    # one email (reflexbook.lib.mail), never the account's.
    with timezone.override(ZoneInfo(zone)):
        send_templated(
            "account_erased",
            to=[address],
            context={"erasure": erasure, "cancelled": len(cancelled)},
        )
    for practitioner, cancelled_with in concerned.items():
        kept = SessionRecord.all_objects.filter(
            booking__client_id=erasure.client_id,
            booking__practitioner=practitioner,
            state=SessionRecord.State.SIGNED,
        ).count()
        with timezone.override(ZoneInfo(practitioner.user.timezone)):
            send_templated(
                "client_erased",
                to=[practitioner.user.email],
                context={
                    "erasure": erasure,
                    "practitioner": practitioner,
                    "cancelled": cancelled_with,
                    "records_kept": kept,
                    "site_url": settings.SITE_URL,
                },
            )


def _practitioners_concerned(bookings, cancelled: list[Booking]) -> dict[Practitioner, int]:
    """Each practitioner the client booked (a declined request aside), with how many of
    their sessions the erasure cancelled."""
    practitioners = Practitioner.objects.select_related("user").filter(
        pk__in=bookings.exclude(status=Booking.Status.DECLINED).values("practitioner_id")
    )
    return {
        practitioner: sum(1 for b in cancelled if b.practitioner_id == practitioner.pk)
        for practitioner in practitioners
    }


def _delete_what_is_not_kept(client: User, erasure: ErasureRequest) -> dict[str, int]:
    """Delete the client's data the practice does not keep; return the counts by kind."""
    drafts = SessionRecord.all_objects.filter(
        booking__client=client, state=SessionRecord.State.DRAFT
    )
    _, deleted = drafts.delete()  # their points go with them
    records = deleted.get(SessionRecord._meta.label, 0)
    reminders, _ = Reminder.objects.filter(
        booking__client=client, state=Reminder.State.PENDING
    ).delete()
    forms, _ = IntakeDraft.objects.filter(client=client).delete()
    holds, _ = SlotHold.objects.filter(user=client).delete()
    exports = list(DataExport.objects.filter(owner=client))
    _delete_files_on_commit([export.file for export in exports])
    DataExport.objects.filter(pk__in=[export.pk for export in exports]).delete()
    return {
        "draft_records_deleted": records,
        "reminders_deleted": reminders,
        "health_form_drafts_deleted": forms,
        "holds_deleted": holds,
        "exports_deleted": len(exports),
        "emails_dropped": _drop_queued_emails_to(client),
    }


def _drop_queued_emails_to(client: User) -> int:
    """Take `client` off every email still waiting in the task queue (production's database
    queue; the immediate backend of tests and local runs keeps none), deleting an email
    left with nobody to send to. Returns how many emails they were taken off."""
    from django_tasks_db.models import DBTaskResult  # only with the database backend's app

    dropped = 0
    queued = DBTaskResult.objects.ready().filter(
        task_path__in=[_path(deliver_email), _path(send_booking_emails)]
    )
    for row in queued.select_for_update():
        kwargs = row.args_kwargs.get("kwargs", {})
        if "to" in kwargs:
            key, kept = "to", [r for r in kwargs["to"] if r != {"user": client.pk}]
            before = kwargs["to"]
        else:
            key, before = "recipient_ids", kwargs.get("recipient_ids", [])
            kept = [pk for pk in before if pk != client.pk]
        if len(kept) == len(before):
            continue
        dropped += 1
        if kept:
            kwargs[key] = kept
            row.save(update_fields=["args_kwargs"])
        else:
            row.delete()
    return dropped


def _path(task) -> str:
    return f"{task.func.__module__}.{task.func.__qualname__}"


def _anonymise(client: User, erasure: ErasureRequest) -> None:
    """Nothing left that names or reaches the person, and no way to log in: an unusable
    password also ends every open session (its hash no longer matches)."""
    for device in devices_for_user(client, confirmed=None):
        device.delete()
    client.email = placeholder_email(erasure)
    client.full_name = ERASED_NAME
    client.phone = ""
    client.is_active = False
    client.set_unusable_password()
    client.save(update_fields=["email", "full_name", "phone", "is_active", "password"])


def _delete_files_on_commit(files) -> None:
    """Delete stored files once the rows naming them are gone for good (a rollback keeps
    both)."""
    for stored in files:
        if stored:
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# --- purge at the end of retention ----------------------------------------------------------


def purge_due_erasures(now: datetime | None = None) -> int:
    """Delete the retained records of every erasure whose retention period has ended, and the
    account row; mark the request purged. A second run finds nothing due. Returns how many
    erasures were purged."""
    now = now or timezone.now()
    purged, failed = 0, []
    for erasure in ErasureRequest.objects.due(now):
        # Each in its own transaction: one that fails is logged and the others still go.
        try:
            with transaction.atomic():
                locked = ErasureRequest.objects.select_for_update().filter(pk=erasure.pk).first()
                if locked is None or not locked.is_pending:
                    continue  # another run purged it meanwhile
                locked.detail = {**locked.detail, **_purge(locked.client_id)}
                locked.purged_at = now
                locked.save(update_fields=["detail", "purged_at"])
                purged += 1
        except DatabaseError as error:
            logger.error("Erasure %s not purged: %s", erasure.code, type(error).__name__)
            failed.append(str(erasure.code))
    if failed:  # the job is recorded as failed (sessions.jobs), and tried again next run
        raise PurgeFailed(f"{len(failed)} erasure(s) not purged: {', '.join(failed)}")
    return purged


class PurgeFailed(Exception):
    """Some erasures due could not be purged (the others were)."""


def _purge(client_id: int | None) -> dict[str, int]:
    """Delete everything left of the client, children before the rows they PROTECT: reads of
    their health data, addenda, records, bookings (their checks, decisions and reminders go
    with them), series, clearance notes and their files, intake versions, then the account
    (its draft, holds, exports and devices go with it; the request keeps no link to it)."""
    if client_id is None:
        return {}
    bookings = Booking.all_objects.filter(client_id=client_id)
    intakes = IntakeForm.all_objects.filter(client_id=client_id)
    records = SessionRecord.all_objects.filter(booking__in=bookings)
    notes = ClearanceNote.objects.filter(intake__in=intakes)
    reads = IntakeAccess.objects.filter(
        Q(client_id=client_id) | Q(booking__in=bookings) | Q(intake__in=intakes)
    ).delete()[0]
    RecordAddendum.objects.filter(record__in=records).delete()
    PointWorked.objects.filter(record__in=records).delete()
    records_deleted = records.delete()[1].get(SessionRecord._meta.label, 0)
    bookings_deleted = bookings.delete()[1].get(Booking._meta.label, 0)
    BookingSeries.objects.filter(client_id=client_id).delete()
    _delete_files_on_commit([note.file for note in notes])
    notes.delete()
    intakes_deleted = intakes.delete()[1].get(IntakeForm._meta.label, 0)
    User.objects.filter(pk=client_id).delete()
    return {
        "records_purged": records_deleted,
        "bookings_purged": bookings_deleted,
        "intake_versions_purged": intakes_deleted,
        "health_reads_purged": reads,
    }


# --- the retained view ----------------------------------------------------------------------


def _retained_bookings(practitioner: Practitioner):
    """The practitioner's sessions (that stood or took place) with erased clients whose
    records are still kept."""
    return Booking.all_objects.filter(
        practitioner=practitioner, status__in=Booking.RECORDABLE, client__erasure__isnull=False
    )


def retained_sets(practitioner: Practitioner) -> list[ErasureRequest]:
    """The pending erasures whose retained records include sessions with `practitioner`, each
    with `sessions` (how many) and `first_session`, `last_session` (with them). One query."""
    theirs = Q(
        client__bookings__practitioner=practitioner,
        client__bookings__status__in=Booking.RECORDABLE,
    )
    return list(
        ErasureRequest.objects.pending()
        .filter(Exists(_retained_bookings(practitioner).filter(client=OuterRef("client"))))
        .annotate(
            sessions=Count("client__bookings", filter=theirs),
            first_session=Min("client__bookings__starts_at", filter=theirs),
            last_session=Max("client__bookings__starts_at", filter=theirs),
        )
        .order_by("retention_ends_at", "pk")
    )


@dataclass
class RetainedSet:
    """One erased client's records kept with a practitioner: the sessions (each with its
    signed record or None, its points and addenda), the intake versions in force at them, and
    the clearance notes of those versions (each version with its answers in `sections`,
    sessions.intake.readable_answers)."""

    erasure: ErasureRequest
    bookings: list[Booking]
    intakes: list[IntakeForm]
    notes: list[ClearanceNote]


def retained_set(practitioner: Practitioner, code) -> RetainedSet:
    """The records `practitioner` keeps of the erasure `code`; 404 unless it is pending and
    has sessions with them. A fixed number of queries."""
    erasure = get_object_or_404(ErasureRequest.objects.pending(), code=code)
    signed = SessionRecord.all_objects.filter(state=SessionRecord.State.SIGNED).prefetch_related(
        Prefetch("points", queryset=PointWorked.objects.select_related("point")),
        Prefetch("addenda", queryset=RecordAddendum.objects.select_related("author")),
    )
    bookings = list(
        _retained_bookings(practitioner)
        .filter(client_id=erasure.client_id)
        .select_related("service", "intake", "client")
        .order_by("-starts_at")
    )
    if not bookings:
        raise Http404("No records of this client are kept with you.")
    records = {r.booking_id: r for r in signed.filter(booking__in=[b.pk for b in bookings])}
    for booking in bookings:
        booking.signed_record = records.get(booking.pk)
    intakes = sorted({b.intake for b in bookings if b.intake is not None}, key=lambda i: -i.version)
    for intake in intakes:
        intake.sections = readable_answers(intake.answers)
    notes = list(ClearanceNote.objects.filter(intake__in=intakes).select_related("intake"))
    return RetainedSet(erasure=erasure, bookings=bookings, intakes=intakes, notes=notes)


# --- staff ----------------------------------------------------------------------------------


def pending_erasures(limit: int = 50) -> tuple[list[ErasureRequest], int]:
    """For staff: the pending erasures, soonest retention end first (at most `limit`), and how
    many there are. Two queries."""
    pending = ErasureRequest.objects.pending()
    return list(pending.order_by("retention_ends_at", "pk")[:limit]), pending.count()
