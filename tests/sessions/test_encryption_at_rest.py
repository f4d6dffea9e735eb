"""Health free text and health files are encrypted at rest: every encrypted field reads back
as written while the database column and the file on disk hold only tokens; the migrations
encrypt existing rows and files and decrypt them on the way back; a seeded demo database holds
none of the demo's health phrases in its bytes (SQLite) or in a pg_dump (PostgreSQL)."""

import importlib
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from practitioners.models import CertificationEvidence
from reflexbook.lib import encryption
from sessions.models import (
    Booking,
    IntakeForm,
    RecordAddendum,
    SessionRecord,
)
from sessions.models.intake import ClearanceNote, PreSessionCheck
from tests.factories import BookingFactory, IntakeFormFactory, UserFactory
from tests.sessions.encryption_helpers import (
    ENCRYPTED_FIELDS,
    EVIDENCE_BYTES,
    NOTE_BYTES,
    assert_all_encrypted,
    assert_all_readable,
    every_encrypted_field,
    make_health_rows,
    raw_values,
    stored_file,
    value_for,
)
from tests.two_factor import log_in_as

# Known health free text of the demo (sessions/demo.py): intake answers, a session's answer,
# SOAP notes, an observation, an addendum.
DEMO_PHRASES = [
    "Strong scents and perfume bring on a migraine",  # intake answers (and a flag's reason)
    "My doctor is checking my left calf",  # intake answers
    "Flu since Monday",  # a booking's session answers
    "Stressful month at work",  # SOAP subjective
    "Held tension through the shoulder reflexes",  # SOAP objective
    "Cool toes at the start",  # observations
    "peppermint caused no itching",  # addendum
]


@pytest.fixture
def health_rows(client_user, practitioner):
    return make_health_rows(client_user, practitioner)


def test_every_encrypted_field_is_covered_by_these_tests_and_the_migration():
    listed = {
        (model._meta.label, name) for model, names in ENCRYPTED_FIELDS.items() for name in names
    }
    assert every_encrypted_field() == listed
    migration = _encrypting_migration()
    in_migration = {
        (f"reflex_sessions.{model}", name)
        for model, names in migration.ENCRYPTED.items()
        for name in names
    }
    assert {(label.lower(), name) for label, name in in_migration} == {
        (label.lower(), name) for label, name in listed
    }


def test_each_field_reads_back_while_the_columns_and_files_hold_only_tokens(health_rows):
    assert_all_readable(health_rows)
    assert_all_encrypted(health_rows)


def test_a_rewrite_through_update_is_encrypted_too(health_rows):
    record = health_rows[SessionRecord]
    SessionRecord.objects.filter(pk=record.pk).update(follow_up_note="QZ-update rash spread")
    raw = raw_values(SessionRecord, record.pk)["follow_up_note"]
    assert "rash" not in raw
    assert SessionRecord.objects.get(pk=record.pk).follow_up_note == "QZ-update rash spread"


def test_an_empty_text_is_stored_empty_so_the_constraints_still_hold(client_user, practitioner):
    booking = BookingFactory(client=client_user, practitioner=practitioner)
    check = PreSessionCheck.objects.create(
        booking=booking, changed=False, details="", answered_at=booking.created_at
    )
    assert raw_values(PreSessionCheck, check.pk)["details"] == ""
    assert PreSessionCheck.objects.filter(details="").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PreSessionCheck.objects.filter(pk=check.pk).update(changed=True)


def test_the_health_form_phone_stays_searchable_as_a_plain_copy(client_user):
    intake = IntakeFormFactory(client=client_user, answers={"phone": "+44 7700 900123"})
    assert IntakeForm.objects.get(pk=intake.pk).phone == "+44 7700 900123"
    other = UserFactory()
    IntakeForm.objects.bulk_create(
        [
            IntakeForm(
                client=other,
                version=1,
                answers={"phone": "555 0100"},
                consent_text_version="2026-12",
                signed_name="Other",
                signed_at=intake.signed_at,
            )
        ]
    )
    assert IntakeForm.objects.filter(phone="555 0100").get().client == other


def test_the_clearance_note_and_evidence_views_serve_the_plain_files(
    client, health_rows, client_user, practitioner
):
    note = health_rows[ClearanceNote]
    log_in_as(client, client_user)
    response = client.get(reverse("sessions:intake-note-file", kwargs={"code": note.code}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == NOTE_BYTES
    assert response["Content-Length"] == str(len(NOTE_BYTES))

    evidence = health_rows[CertificationEvidence]
    log_in_as(client, practitioner.user)
    response = client.get(reverse("practitioners:evidence", kwargs={"code": evidence.code}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == EVIDENCE_BYTES


def _encrypting_migration():
    """The module of the migration that encrypts the columns (the lead renumbers at merge)."""
    _, name = _migration_named("reflex_sessions", "encrypt_health_text")
    return importlib.import_module(f"sessions.migrations.{name}")


def _migration_named(app: str, suffix: str) -> tuple[str, str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return next(key for key in loader.disk_migrations if key[0] == app and key[1].endswith(suffix))


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migrations_decrypt_on_the_way_back_and_encrypt_existing_rows_and_files(
    client_user, practitioner, reflex_catalogue
):
    rows = make_health_rows(client_user, practitioner)
    sessions_step = _migration_named("reflex_sessions", "encrypt_health_text")
    evidence_step = _migration_named("practitioners", "encrypt_evidence_files")
    loader = MigrationExecutor(connection).loader
    before = [
        ("reflex_sessions", loader.graph.node_map[sessions_step].parents.copy().pop().key[1]),
        ("practitioners", loader.graph.node_map[evidence_step].parents.copy().pop().key[1]),
    ]
    latest = [key for key in loader.graph.leaf_nodes() if key[0] in dict(before)]
    try:
        _migrate(before)
        # Back before encryption: plain text in the columns, plain bytes on disk.
        addendum = raw_values(RecordAddendum, rows[RecordAddendum].pk)["text"]
        assert addendum == value_for(RecordAddendum, "text")
        assert "QZ-IntakeForm-answers" in raw_values(IntakeForm, rows[IntakeForm].pk)["answers"]
        assert stored_file(rows[ClearanceNote]) == NOTE_BYTES
        assert stored_file(rows[CertificationEvidence]) == EVIDENCE_BYTES
    finally:
        _migrate(latest)
    # Forward again: the plain rows and files are encrypted, and read back as written.
    assert_all_encrypted(rows)
    assert_all_readable(rows)
    assert IntakeForm.objects.get(pk=rows[IntakeForm].pk).phone == "+44 7700 900123"


def _seed(capsys) -> None:
    call_command("seed_demo", even_without_debug=True)
    capsys.readouterr()
    # The phrases are in the demo, readable through the app (so the byte checks can fail).
    texts = [
        str(list(IntakeForm.objects.values_list("answers", flat=True))),
        str(list(Booking.objects.values_list("session_answers", flat=True))),
        str(list(SessionRecord.objects.values_list("subjective", "objective", "observations"))),
        str(list(RecordAddendum.objects.values_list("text", flat=True))),
    ]
    for phrase in DEMO_PHRASES:
        assert any(phrase in text for text in texts), phrase


@pytest.mark.django_db(transaction=True)
def test_a_seeded_sqlite_database_file_holds_none_of_the_demos_health_text(
    capsys, reflex_catalogue
):
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite database file; PostgreSQL is checked with pg_dump")
    _seed(capsys)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = connection.settings_dict["NAME"]
    stored = b""
    for path in (name, f"{name}-wal"):
        try:
            with open(path, "rb") as handle:
                stored += handle.read()
        except FileNotFoundError:
            continue
    assert len(stored) > 100_000
    for phrase in DEMO_PHRASES:
        assert phrase.encode() not in stored, phrase


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_of_a_seeded_database_holds_none_of_the_demos_health_text(
    capsys, reflex_catalogue
):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL; on SQLite the file bytes are checked instead")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    _seed(capsys)
    db = connection.settings_dict
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
        + ["-U", db["USER"] or "postgres", db["NAME"]],
        capture_output=True,
        check=True,
        timeout=120,
        env={"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert b"reflex_sessions_sessionrecord" in dump
    for phrase in DEMO_PHRASES:
        assert phrase.encode() not in dump, phrase


def test_a_token_is_not_mistaken_for_plain_text():
    assert encryption.is_token(encryption.encrypt(b"x"))
    assert not encryption.is_token(b"%PDF-1.4")
