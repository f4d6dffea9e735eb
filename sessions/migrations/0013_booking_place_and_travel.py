"""Where a session takes place and the travel a home visit needs.

`blocks_from` is the start of what the calendar keeps free (the session start, less the
travel to a home visit); existing bookings start it at their session start. On PostgreSQL the
no-overlap exclusion constraint (0002) now runs from `blocks_from`, so travel to one home visit
cannot overlap another booking either.
"""

from django.db import migrations, models

CONSTRAINT = "reflex_sessions_booking_no_overlap"


def start_blocks_at_session_start(apps, schema_editor):
    Booking = apps.get_model("reflex_sessions", "Booking")
    Booking.objects.update(blocks_from=models.F("starts_at"))


def _exclude_overlaps(schema_editor, range_start: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE reflex_sessions_booking DROP CONSTRAINT {CONSTRAINT}")
    schema_editor.execute(
        f"ALTER TABLE reflex_sessions_booking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (practitioner_id WITH =, "
        f"tstzrange({range_start}, blocks_until, '[)') WITH &&) "
        "WHERE (status IN ('requested', 'confirmed'))"
    )


def exclude_from_blocks_from(apps, schema_editor):
    _exclude_overlaps(schema_editor, "blocks_from")


def exclude_from_starts_at(apps, schema_editor):
    _exclude_overlaps(schema_editor, "starts_at")


class Migration(migrations.Migration):
    dependencies = [
        ("practitioners", "0004_practice_address_home_visits"),
        ("reflex_sessions", "0012_flags_follow_the_client"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="blocks_from",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(start_blocks_at_session_start, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="booking",
            name="blocks_from",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="booking",
            name="client_address",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(("blocks_from__lte", models.F("starts_at"))),
                name="reflex_sessions_booking_travel_before_start",
                violation_error_message="The travel to a home visit comes before the session.",
            ),
        ),
        migrations.RunPython(exclude_from_blocks_from, exclude_from_starts_at),
    ]
