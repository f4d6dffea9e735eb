"""`manage.py rotate_encryption_key` moves every encrypted value and file onto the first key:
afterwards the old key can be removed and everything still reads; a second run changes
nothing; a value no key decrypts stops it with a clear message."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from reflexbook.lib import encryption
from sessions.models import RecordAddendum
from sessions.models.intake import ClearanceNote
from tests.factories import RecordAddendumFactory
from tests.sessions.encryption_helpers import (
    ENCRYPTED_FIELDS,
    assert_all_encrypted,
    assert_all_readable,
    make_health_rows,
    raw_values,
    stored_file,
)

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@pytest.fixture
def old_rows(settings, client_user, practitioner):
    """Every encrypted field and file, written under the OLD key alone."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    return make_health_rows(client_user, practitioner)


def _raw(rows: dict) -> dict:
    """What the database and the disk hold for `rows`, to compare runs."""
    stored = {model: raw_values(model, rows[model].pk) for model in ENCRYPTED_FIELDS}
    stored[ClearanceNote] = stored_file(rows[ClearanceNote])
    return stored


def _under_new_key_only(token: str | bytes) -> bool:
    data = token.encode() if isinstance(token, str) else token
    Fernet(NEW).decrypt(data)  # raises InvalidToken if not
    return True


def rotate(capsys, *args) -> str:
    call_command("rotate_encryption_key", *args)
    return capsys.readouterr().out


def test_rotation_with_two_keys_leaves_everything_readable_and_the_old_key_removable(
    old_rows, settings, capsys
):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    # Before rotating, the new key alone cannot read the old rows.
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(encryption.InvalidToken):
        encryption.decrypt(stored_file(old_rows[ClearanceNote]))
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    out = rotate(capsys)

    assert_all_readable(old_rows)
    # Each model's rows are counted (bookings and intakes: those the factories made too).
    assert "reflex_sessions.RecordAddendum (text): 1 row(s)" in out
    assert "reflex_sessions.SessionRecord (changes_since_last, observations," in out
    rows = sum(model.objects.count() for model in ENCRYPTED_FIELDS)
    assert f"Done: {rows} row(s) and 2 file(s) re-encrypted with the first key." in out
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert_all_readable(old_rows)
    assert_all_encrypted(old_rows)
    for model, values in _raw(old_rows).items():
        tokens = [values] if isinstance(values, bytes) else values.values()
        assert all(_under_new_key_only(token) for token in tokens), model


def test_a_second_run_changes_nothing(old_rows, settings, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    rotate(capsys)
    after_first = _raw(old_rows)

    out = rotate(capsys)

    assert "Done: everything was already encrypted with the first key." in out
    assert _raw(old_rows) == after_first
    assert_all_readable(old_rows)


def test_small_batches_reach_every_row(settings, capsys, db):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    addenda = RecordAddendumFactory.create_batch(5, text="QZ-batch bruising on the left shin")
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    out = rotate(capsys, "--batch-size", "2")

    assert "reflex_sessions.RecordAddendum (text): 5 row(s)" in out
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    for addendum in addenda:
        assert _under_new_key_only(raw_values(RecordAddendum, addendum.pk)["text"])
        assert RecordAddendum.objects.get(pk=addendum.pk).text.startswith("QZ-batch")


def test_a_value_no_key_decrypts_stops_with_a_clear_message(old_rows, settings, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key removed before rotating
    with pytest.raises(CommandError, match="No key in DJANGO_FIELD_ENCRYPTION_KEYS decrypts"):
        rotate(capsys)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert_all_readable(old_rows)


def test_a_missing_file_is_reported_and_the_rest_rotated(old_rows, settings, capsys):
    note = old_rows[ClearanceNote]
    note.file.storage.delete(note.file.name)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    out = rotate(capsys)

    assert "reflex_sessions.ClearanceNote.file files: 0, 1 missing from storage" in out
    assert "practitioners.CertificationEvidence.file files: 1" in out
