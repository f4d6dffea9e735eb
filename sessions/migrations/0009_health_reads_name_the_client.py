"""Every access-log row names the client whose data was read (filled in by 0008)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reflex_sessions", "0008_health_reads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="intakeaccess",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="health_reads",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="intakeaccess",
            index=models.Index(fields=["client", "-at"], name="reflex_sess_client__b0f49d_idx"),
        ),
        migrations.AddConstraint(
            model_name="intakeaccess",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("intake__isnull", False), ("kind__in", ["intake", "clearance_note"])),
                    models.Q(
                        models.Q(("kind__in", ["intake", "clearance_note"]), _negated=True),
                        ("booking__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="reflex_sessions_intakeaccess_names_what_was_read",
                violation_error_message=(
                    "A read of a health form names its version; any other read names its "
                    "booking."
                ),
            ),
        ),
    ]
