"""Avoid areas by zone: each reflex point names the part of the foot or hand it lies in
(loaded from sessions/data/reflex_points.yaml by slug), and a record keeps the areas to
avoid the practitioner found at the pre-session check."""

from pathlib import Path

import yaml
from django.db import migrations, models

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "reflex_points.yaml"


def load_parts(apps, schema_editor):
    ReflexPoint = apps.get_model("reflex_sessions", "ReflexPoint")
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for points in catalogue.values():
        for entry in points:
            ReflexPoint.objects.filter(slug=entry["slug"]).update(part=entry.get("part", ""))


class Migration(migrations.Migration):
    dependencies = [("reflex_sessions", "0019_booking_series")]

    operations = [
        migrations.AddField(
            model_name="reflexpoint",
            name="part",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="sessionrecord",
            name="avoid_found",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(load_parts, migrations.RunPython.noop),
    ]
