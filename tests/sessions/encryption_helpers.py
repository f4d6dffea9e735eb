"""Shared pieces for the encryption-at-rest tests: one row of every model with encrypted
health text, each field holding its own recognisable phrase, plus a clearance note and a
credential evidence file; and readers of what the database and the disk really hold."""

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from practitioners.models import CertificationEvidence
from reflexbook.lib import encryption
from reflexbook.lib.encrypted_fields import EncryptedJSONField, EncryptedMixin
from sessions.models import (
    Booking,
    IntakeDraft,
    IntakeForm,
    PointWorked,
    RecordAddendum,
    SafetyDecisionEntry,
    SessionRecord,
)
from sessions.models.intake import ClearanceNote, PreSessionCheck
from tests.factories import (
    BookingFactory,
    CertificationEvidenceFactory,
    ClearanceNoteFactory,
    IntakeFormFactory,
    PointWorkedFactory,
    PreSessionCheckFactory,
    RecordAddendumFactory,
    SessionRecordFactory,
    UserFactory,
)

# Every encrypted field, by model: the migration, the rotation and these tests cover them all
# (test_every_encrypted_field_is_exercised keeps this list whole).
ENCRYPTED_FIELDS = {
    IntakeForm: ["answers", "flags"],
    IntakeDraft: ["answers"],
    PreSessionCheck: ["details"],
    Booking: [
        "client_message",
        "safety_note",
        "cancellation_reason",
        "decline_reason",
        "proceeds_without_intake_reason",
        "session_answers",
        "flags",
    ],
    SafetyDecisionEntry: ["note"],
    SessionRecord: [
        "changes_since_last",
        "observations",
        "reactions_notes",
        "subjective",
        "objective",
        "assessment",
        "plan",
        "client_summary",
        "aftercare",
        "oil_override_reason",
        "area_override_reason",
        "checkin_sleep",
        "checkin_energy",
        "checkin_reaction_notes",
        "follow_up_note",
    ],
    PointWorked: ["comment"],
    RecordAddendum: ["text"],
}
ENCRYPTED_FILES = {ClearanceNote: "file", CertificationEvidence: "file"}
NOTE_BYTES = b"%PDF-1.4 Midwife QZ-NOTE: cleared for gentle reflexology at 24 weeks %%EOF"
EVIDENCE_BYTES = b"%PDF-1.4 ARCB certificate QZ-EVIDENCE of Pat Practitioner %%EOF"


def phrase(model, field: str) -> str:
    """The recognisable text stored in `field` of `model`'s row."""
    return f"QZ-{model.__name__}-{field} sore left calf"


def _json_value(model, field: str):
    text = phrase(model, field)
    if field == "flags":
        return [{"code": "x", "tier": "caution", "label": "Circulation", "reason": text}]
    if field == "answers":
        return {"medications": text, "phone": "+44 7700 900123"}
    return {"details": text}


def value_for(model, field: str):
    """What the row of `model` holds in `field`: its phrase, inside a JSON value if JSON."""
    if isinstance(model._meta.get_field(field), EncryptedJSONField):
        return _json_value(model, field)
    return phrase(model, field)


def _values(model) -> dict:
    return {field: value_for(model, field) for field in ENCRYPTED_FIELDS[model]}


def make_health_rows(client_user, practitioner) -> dict:
    """One row of each model with encrypted fields, and the two kinds of encrypted files.
    Returns {model: instance}."""
    intake = IntakeFormFactory(client=client_user, **_values(IntakeForm))
    draft = IntakeDraft.objects.create(client=UserFactory(), **_values(IntakeDraft))
    record = SessionRecordFactory(
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__intake=intake,
        signed=True,
        **_values(SessionRecord),
    )
    booking = record.booking
    Booking.objects.filter(pk=booking.pk).update(**_values(Booking))
    decision = SafetyDecisionEntry.objects.create(
        booking=booking,
        decision=Booking.SafetyDecision.PROCEED,
        decided_at=timezone.now(),
        by=practitioner.user,
        **_values(SafetyDecisionEntry),
    )
    check = PreSessionCheckFactory(
        booking=BookingFactory(client=client_user, practitioner=practitioner),
        changed=True,
        **_values(PreSessionCheck),
    )
    point = PointWorkedFactory(record=record, **_values(PointWorked))
    addendum = RecordAddendumFactory(record=record, **_values(RecordAddendum))
    note = ClearanceNoteFactory(
        intake=intake, file=ContentFile(NOTE_BYTES, name="note.pdf"), size=len(NOTE_BYTES)
    )
    evidence = CertificationEvidenceFactory(
        certification__practitioner=practitioner,
        file=ContentFile(EVIDENCE_BYTES, name="certificate.pdf"),
        size=len(EVIDENCE_BYTES),
    )
    booking.refresh_from_db()
    return {
        IntakeForm: intake,
        IntakeDraft: draft,
        SessionRecord: record,
        Booking: booking,
        SafetyDecisionEntry: decision,
        PreSessionCheck: check,
        PointWorked: point,
        RecordAddendum: addendum,
        ClearanceNote: note,
        CertificationEvidence: evidence,
    }


def raw_values(model, pk) -> dict[str, str | None]:
    """What the database holds in the encrypted columns of one row, read with a cursor."""
    columns = {field: model._meta.get_field(field).column for field in ENCRYPTED_FIELDS[model]}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns.values())} "
            f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s",
            [pk],
        )
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True))


def stored_file(instance) -> bytes:
    """The bytes on disk of an instance's encrypted file."""
    file = instance.file
    with open(file.storage.path(file.name), "rb") as handle:
        return handle.read()


def assert_all_encrypted(rows: dict) -> None:
    """Every encrypted column of `rows` holds a token with none of its phrase in it, and
    every file on disk is a token with none of the plain bytes."""
    for model, fields in ENCRYPTED_FIELDS.items():
        raw = raw_values(model, rows[model].pk)
        for field in fields:
            assert encryption.is_token(raw[field].encode()), (model, field, raw[field])
            assert phrase(model, field) not in raw[field]
            assert "QZ-" not in raw[field]
    assert encryption.is_token(stored_file(rows[ClearanceNote]))
    assert b"QZ-NOTE" not in stored_file(rows[ClearanceNote])
    assert encryption.is_token(stored_file(rows[CertificationEvidence]))
    assert b"QZ-EVIDENCE" not in stored_file(rows[CertificationEvidence])


def assert_all_readable(rows: dict) -> None:
    """Every encrypted field and file reads back as what was written."""
    for model, fields in ENCRYPTED_FIELDS.items():
        fresh = model.objects.get(pk=rows[model].pk)
        for field in fields:
            assert getattr(fresh, field) == value_for(model, field), (model, field)
    for model, content in ((ClearanceNote, NOTE_BYTES), (CertificationEvidence, EVIDENCE_BYTES)):
        with model.objects.get(pk=rows[model].pk).file.open("rb") as handle:
            assert handle.read() == content


def every_encrypted_field() -> set[tuple[str, str]]:
    """(model label, field name) of every encrypted field the app defines."""
    from django.apps import apps

    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedMixin)
    }
