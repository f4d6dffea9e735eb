"""Move every encrypted value and file onto the first key of DJANGO_FIELD_ENCRYPTION_KEYS.

To change keys: put the new key first and keep the old ones after it, restart the app, run
this command; then the old keys can be removed. Each value or file still under an older key
is re-encrypted (MultiFernet.rotate: same data, same timestamp); those already under the first
key are left as they are, so a second run changes nothing and says so.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, models, router

from reflexbook.lib import encryption
from reflexbook.lib.encrypted_fields import EncryptedMixin, rewrite_column
from reflexbook.lib.storage import EncryptedPrivateStorage


def _encrypted_columns(model) -> list[str]:
    return [
        field.column for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)
    ]


def _encrypted_files(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
        and isinstance(field.storage, EncryptedPrivateStorage)
    ]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted database value and private file still under an older key "
        "with the first key of DJANGO_FIELD_ENCRYPTION_KEYS, in batches; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows per transaction (default 500).",
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        rows = files = 0
        for model in apps.get_models():
            if columns := _encrypted_columns(model):
                rows += self._rotate_rows(model, columns, batch_size)
            for name in _encrypted_files(model):
                files += self._rotate_files(model, name, batch_size)
        if rows or files:
            self.stdout.write(
                f"Done: {rows} row(s) and {files} file(s) re-encrypted with the first key. "
                "The older keys can be removed once every server runs with the new key first."
            )
        else:
            self.stdout.write("Done: everything was already encrypted with the first key.")

    def _rotate_rows(self, model, columns: list[str], batch_size: int) -> int:
        connection = connections[router.db_for_write(model)]
        try:
            count = rewrite_column(
                connection,
                table=model._meta.db_table,
                pk=model._meta.pk.column,
                columns=columns,
                change=encryption.rotate_old,
                batch_size=batch_size,
            )
        except encryption.InvalidToken:
            raise CommandError(self._undecryptable(f"a row of {model._meta.label}")) from None
        self.stdout.write(f"{model._meta.label} ({', '.join(columns)}): {count} row(s)")
        return count

    def _rotate_files(self, model, name: str, batch_size: int) -> int:
        count = missing = 0
        for item in model._default_manager.only("pk", name).iterator(chunk_size=batch_size):
            file = getattr(item, name)
            try:
                count += file.storage.rewrite(file.name, encryption.rotate_old)
            except FileNotFoundError:
                missing += 1
            except encryption.InvalidToken:
                raise CommandError(self._undecryptable(f"the file {file.name}")) from None
        note = f", {missing} missing from storage" if missing else ""
        self.stdout.write(f"{model._meta.label}.{name} files: {count}{note}")
        return count

    @staticmethod
    def _undecryptable(what: str) -> str:
        return (
            f"No key in DJANGO_FIELD_ENCRYPTION_KEYS decrypts {what}: put back the key it was "
            "encrypted with (after the new one) and run again. Nothing after it was changed; "
            "what was re-encrypted before it stays readable."
        )
