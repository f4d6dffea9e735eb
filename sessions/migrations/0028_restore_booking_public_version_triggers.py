from django.db import migrations

from practitioners import public_version

# 0027 changed the booking table's health columns to encrypted ones; on SQLite that rebuilds
# the table, and SQLite drops a table's triggers with it: the public_version triggers of 0022
# are made again here (and 0027 makes them again when it is undone).
TABLE = "reflex_sessions_booking"


def restore(apps, schema_editor):
    public_version.restore(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("reflex_sessions", "0027_encrypt_health_text"),
        ("practitioners", "0010_encrypt_evidence_files"),
    ]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]
