"""The encryption layer (reflexbook.lib.encryption, encrypted_fields, storage) and its key
setting: the first key encrypts and every key decrypts; the fields refuse database lookups
they cannot answer; the private storage keeps only tokens on disk; production refuses to start
without keys, a local run keeps its own."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django import forms
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.db import connection

from reflexbook.lib import encryption
from reflexbook.lib.encrypted_fields import DecryptionFailed, rewrite_column
from reflexbook.lib.env import env_fernet_keys
from reflexbook.lib.storage import EncryptedPrivateStorage
from sessions.models import IntakeForm, RecordAddendum, SessionRecord
from tests.factories import (
    CertificationEvidenceFactory,
    RecordAddendumFactory,
    SessionRecordFactory,
)

ROOT = Path(__file__).resolve().parents[2]
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
VAR = "DJANGO_FIELD_ENCRYPTION_KEYS"


# --- keys -------------------------------------------------------------------------------------


def test_the_first_key_encrypts_and_every_key_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    under_a = encryption.encrypt(b"plantar fasciitis")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    under_b = encryption.encrypt(b"plantar fasciitis")
    assert Fernet(KEY_B).decrypt(under_b) == b"plantar fasciitis"
    assert encryption.decrypt(under_a) == encryption.decrypt(under_b) == b"plantar fasciitis"
    assert encryption.needs_rotation(under_a) and not encryption.needs_rotation(under_b)
    assert Fernet(KEY_B).decrypt(encryption.rotate(under_a)) == b"plantar fasciitis"
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(encryption.InvalidToken):
        encryption.decrypt(under_a)


def test_the_rewrites_leave_data_already_as_wanted(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token = encryption.encrypt_plain(b"gout")
    assert encryption.encrypt_plain(token) is None
    assert encryption.decrypt_token(token) == b"gout"
    assert encryption.decrypt_token(b"gout") is None
    assert encryption.rotate_old(token) is None


def test_keys_are_read_comma_separated(monkeypatch):
    monkeypatch.setenv(VAR, f" {KEY_A} , {KEY_B} ")
    assert env_fernet_keys(VAR, required=True) == [KEY_A, KEY_B]


def test_keys_can_come_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "keys").write_text(f"{KEY_A},{KEY_B}\n")
    monkeypatch.delenv(VAR, raising=False)
    monkeypatch.setenv(f"{VAR}_FILE", str(tmp_path / "keys"))
    assert env_fernet_keys(VAR, required=True) == [KEY_A, KEY_B]


def test_missing_keys_with_debug_off_are_refused_naming_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(VAR, raising=False)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be set when DJANGO_DEBUG is off"):
        env_fernet_keys(VAR, required=True, local_key_file=tmp_path / "key")
    assert not (tmp_path / "key").exists()


def test_a_malformed_key_is_refused_naming_its_position(monkeypatch):
    monkeypatch.setenv(VAR, f"{KEY_A},not-a-key")
    with pytest.raises(ImproperlyConfigured, match=f"{VAR}: key 2 is not a Fernet key"):
        env_fernet_keys(VAR, required=True)


def test_a_local_run_makes_its_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv(VAR, raising=False)
    path = tmp_path / ".local-field-key"
    first = env_fernet_keys(VAR, required=False, local_key_file=path)
    assert first == [path.read_text().strip()]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert env_fernet_keys(VAR, required=False, local_key_file=path) == first


def test_production_without_keys_refuses_to_start_with_one_clear_line():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env = clean | {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 60}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{VAR} must be set when DJANGO_DEBUG is off" in lines[0]
    assert "Traceback" not in result.stderr


# --- fields -----------------------------------------------------------------------------------


def test_lookups_the_database_cannot_answer_are_refused(db):
    with pytest.raises(FieldError, match="SessionRecord.subjective is encrypted at rest"):
        list(SessionRecord.objects.filter(subjective="headache"))
    with pytest.raises(FieldError, match="encrypted at rest"):
        list(SessionRecord.objects.filter(subjective__icontains="head"))
    with pytest.raises(FieldError):
        list(IntakeForm.objects.filter(answers__phone="555"))
    # Whether it was left empty is stored plain, and can be asked.
    SessionRecordFactory(subjective="")
    assert SessionRecord.objects.filter(subjective="").count() == 1
    assert SessionRecord.objects.exclude(subjective="").count() == 0


def test_a_value_no_key_decrypts_names_its_field(db, settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    addendum = RecordAddendumFactory(text="Swollen ankles after the flight")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(DecryptionFailed, match="sessions.RecordAddendum.text"):
        RecordAddendum.objects.get(pk=addendum.pk)


def test_an_encrypted_one_line_field_keeps_its_length_and_input():
    field = SessionRecord._meta.get_field("checkin_sleep")
    form_field = field.formfield()
    assert isinstance(form_field.widget, forms.TextInput)
    assert form_field.max_length == 200
    with pytest.raises(ValidationError):
        field.run_validators("z" * 201)


def test_an_encrypted_json_field_refuses_what_json_cannot_hold():
    field = IntakeForm._meta.get_field("answers")
    with pytest.raises(ValidationError):
        field.validate({"when": object()}, None)
    assert isinstance(field.formfield(), forms.JSONField)


def test_a_rewrite_never_overwrites_a_value_the_app_changed_meanwhile(db):
    addendum = RecordAddendumFactory(text="first words")
    table, column = RecordAddendum._meta.db_table, "text"

    def change_then_race(stored: bytes) -> bytes:
        # The app saves new text after the stored value was read and before it is rewritten.
        RecordAddendum.objects.filter(pk=addendum.pk).update(text="the app's later words")
        return encryption.encrypt(b"stale words")

    rewritten = rewrite_column(
        connection, table=table, pk="id", columns=[column], change=change_then_race
    )
    assert rewritten == 0
    assert RecordAddendum.objects.get(pk=addendum.pk).text == "the app's later words"


# --- files ------------------------------------------------------------------------------------


def test_the_private_storage_keeps_only_tokens_on_disk(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    storage = EncryptedPrivateStorage()
    plain = b"%PDF-1.4 GP letter: cleared for reflexology %%EOF"
    name = storage.save("clearance/x/note", ContentFile(plain))
    on_disk = (tmp_path / name).read_bytes()
    assert b"cleared" not in on_disk and encryption.is_token(on_disk)
    with storage.open(name) as handle:
        assert handle.read() == plain
    assert storage.size(name) == len(plain)
    with pytest.raises(ValueError, match="reading only"):
        storage.open(name, "wb")


def test_rewriting_a_file_replaces_it_whole(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    storage = EncryptedPrivateStorage()
    name = storage.save("evidence/x/cert", ContentFile(b"certificate"))
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert storage.rewrite(name, encryption.rotate_old) is True
    assert storage.rewrite(name, encryption.rotate_old) is False
    assert Fernet(KEY_B).decrypt((tmp_path / name).read_bytes()) == b"certificate"
    assert sorted(p.name for p in (tmp_path / "evidence" / "x").iterdir()) == ["cert"]


def test_a_private_file_opens_again_after_it_was_closed(db):
    evidence = CertificationEvidenceFactory(file=ContentFile(b"%PDF-1.4 card", name="c.pdf"))
    for _ in range(2):
        with evidence.file.open("rb") as handle:
            assert handle.read() == b"%PDF-1.4 card"
