"""On PostgreSQL, make overlapping active bookings of one practitioner impossible.

The range runs from the start to the end of the buffer, half-open ('[)') so back-to-back
bookings are fine; cancelled, declined and finished bookings are left out by the WHERE clause.
SQLite has no exclusion constraints: there, sessions.booking re-checks inside an IMMEDIATE
transaction, which serialises writers.
"""

from django.db import migrations

CONSTRAINT = "reflex_sessions_booking_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE reflex_sessions_booking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (practitioner_id WITH =, "
        "tstzrange(starts_at, blocks_until, '[)') WITH &&) "
        "WHERE (status IN ('requested', 'confirmed'))"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE reflex_sessions_booking DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("reflex_sessions", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
