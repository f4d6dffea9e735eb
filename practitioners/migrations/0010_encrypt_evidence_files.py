"""Credential evidence files encrypted at rest (reflexbook.lib.storage.EncryptedPrivateStorage):
each stored file is encrypted in place. Reversible (decrypts them again); files already
encrypted are skipped, so nothing is ever encrypted twice."""

from django.db import migrations

from reflexbook.lib import encryption


def _rewrite_evidence(apps, change):
    CertificationEvidence = apps.get_model("practitioners", "CertificationEvidence")
    for item in CertificationEvidence.objects.only("pk", "file").iterator(chunk_size=500):
        try:
            item.file.storage.rewrite(item.file.name, change)
        except FileNotFoundError:
            continue  # a missing file has nothing to encrypt; its view already says 404


def encrypt(apps, schema_editor):
    _rewrite_evidence(apps, encryption.encrypt_plain)


def decrypt(apps, schema_editor):
    _rewrite_evidence(apps, encryption.decrypt_token)


class Migration(migrations.Migration):

    dependencies = [
        ("practitioners", "0009_waitlist_settings_and_freed_time"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
