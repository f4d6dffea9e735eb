from django.db import migrations
from django.db.models import F


def mark_existing_verified(apps, schema_editor):
    # Accounts made before verification existed keep working as before: they count as
    # verified from the day they joined.
    User = apps.get_model("accounts", "User")
    User.objects.filter(email_verified_at__isnull=True).update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_email_verified_and_rate_limits"),
    ]

    operations = [
        migrations.RunPython(mark_existing_verified, migrations.RunPython.noop),
    ]
