from django.db import migrations

from practitioners import public_version

# Bookings and holds take free times away from a practitioner's public pages.
TABLES = ["reflex_sessions_booking", "reflex_sessions_slothold"]


def create_triggers(apps, schema_editor):
    for table in TABLES:
        public_version.create(schema_editor, table)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        public_version.drop(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("practitioners", "0005_public_version"),
        ("reflex_sessions", "0021_booked_by"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
