from django.db import migrations, models

from practitioners import public_version

# Each table whose rows a practitioner's public pages show, and how a row finds its
# practitioner (None: its own practitioner_id).
TABLES = {
    "practitioners_weeklyhours": None,
    "practitioners_dateexception": None,
    "practitioners_timeoff": None,
    "practitioners_service": None,
    "practitioners_servicelength": ("service_id", "practitioners_service"),
    "practitioners_certification": None,
}


def create_triggers(apps, schema_editor):
    public_version.create_for_practitioner(schema_editor)
    for table, via in TABLES.items():
        public_version.create(schema_editor, table, via)


def drop_triggers(apps, schema_editor):
    for table in [public_version.PRACTITIONER, *TABLES]:
        public_version.drop(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("practitioners", "0004_practice_address_home_visits"),
    ]

    operations = [
        migrations.AddField(
            model_name="practitioner",
            name="public_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
