"""A hold on a home visit keeps the travel free, as the booking it becomes does (0013).

`blocks_from` is the start of what the calendar keeps free (the session start, less the
travel to a home visit); holds already taken start it at their session start (they lapse
within minutes). On PostgreSQL the holds' no-overlap exclusion constraint (0016) now runs from
`blocks_from`, so travel to one held home visit cannot overlap another hold either.
"""

from django.db import migrations, models

CONSTRAINT = "reflex_sessions_slothold_no_overlap"


def start_blocks_at_session_start(apps, schema_editor):
    SlotHold = apps.get_model("reflex_sessions", "SlotHold")
    SlotHold.objects.update(blocks_from=models.F("starts_at"))


def _exclude_overlaps(schema_editor, range_start: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE reflex_sessions_slothold DROP CONSTRAINT {CONSTRAINT}")
    schema_editor.execute(
        f"ALTER TABLE reflex_sessions_slothold ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (practitioner_id WITH =, "
        f"tstzrange({range_start}, blocks_until, '[)') WITH &&)"
    )


def exclude_from_blocks_from(apps, schema_editor):
    _exclude_overlaps(schema_editor, "blocks_from")


def exclude_from_starts_at(apps, schema_editor):
    _exclude_overlaps(schema_editor, "starts_at")


class Migration(migrations.Migration):
    dependencies = [
        ("reflex_sessions", "0017_intake_draft"),
    ]

    operations = [
        migrations.AddField(
            model_name="slothold",
            name="blocks_from",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(start_blocks_at_session_start, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="slothold",
            name="blocks_from",
            field=models.DateTimeField(
                help_text="The start of the session less the travel to a home visit."
            ),
        ),
        migrations.AlterField(
            model_name="slothold",
            name="blocks_until",
            field=models.DateTimeField(
                help_text=(
                    "The end of the session plus its buffer and the travel back from a home "
                    "visit."
                )
            ),
        ),
        migrations.AddConstraint(
            model_name="slothold",
            constraint=models.CheckConstraint(
                condition=models.Q(("blocks_from__lte", models.F("starts_at"))),
                name="reflex_sessions_slothold_travel_before_start",
                violation_error_message="The travel to a home visit comes before the session.",
            ),
        ),
        migrations.RunPython(exclude_from_blocks_from, exclude_from_starts_at),
    ]
