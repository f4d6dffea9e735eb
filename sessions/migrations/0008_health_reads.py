"""The access log records every read of health data, not only of intake versions: what was
read (`kind`), and whose data it was (`client`), filled in for existing rows from their
intake. A read of a session record has a booking and no intake, so `intake` becomes optional.
Making `client` required is 0009, after this data migration has committed (PostgreSQL will not
alter a table with pending deferred-constraint checks in the same transaction)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_client(apps, schema_editor):
    IntakeAccess = apps.get_model("reflex_sessions", "IntakeAccess")
    IntakeForm = apps.get_model("reflex_sessions", "IntakeForm")
    IntakeAccess.objects.filter(client__isnull=True).update(
        client=models.Subquery(
            IntakeForm.objects.filter(pk=models.OuterRef("intake")).values("client")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reflex_sessions", "0007_intake_flags_may_be_empty"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="intakeaccess",
            name="client",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="health_reads",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="intakeaccess",
            name="kind",
            field=models.CharField(
                choices=[
                    ("intake", "Health form"),
                    ("clearance_note", "Clearance note"),
                    ("booking", "Booking's health details"),
                    ("pre_session", "Pre-session answers"),
                    ("record", "Session record"),
                    ("summary", "Session summary"),
                    ("history", "Session history"),
                    ("after_session", "After-session check-in"),
                ],
                default="intake",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="intakeaccess",
            name="note",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="accesses",
                to="reflex_sessions.clearancenote",
            ),
        ),
        migrations.AlterField(
            model_name="intakeaccess",
            name="intake",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="accesses",
                to="reflex_sessions.intakeform",
            ),
        ),
        migrations.RunPython(fill_client, migrations.RunPython.noop),
    ]
