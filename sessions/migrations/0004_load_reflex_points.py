"""Load the reflex point catalogue (sessions/data/reflex_points.yaml, copied from the shared
domain reference). Slugs are stable: later changes to the catalogue update rows by slug."""

from pathlib import Path

import yaml
from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "reflex_points.yaml"


def load(apps, schema_editor):
    ReflexPoint = apps.get_model("reflex_sessions", "ReflexPoint")
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    for map_name, points in catalogue.items():
        for order, entry in enumerate(points):
            x, y = entry.get("pos", (None, None))
            ReflexPoint.objects.update_or_create(
                slug=entry["slug"],
                defaults={
                    "name": entry["name"],
                    "map": map_name,
                    "region": entry.get("region", ""),
                    "body_area": entry.get("body", ""),
                    "side": entry.get("side", "B"),
                    "surface": entry.get("view", "plantar" if map_name == "foot" else ""),
                    "zones": str(entry.get("z", "")),
                    "pos_x": x,
                    "pos_y": y,
                    "note": entry.get("note", ""),
                    "order": order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("reflex_sessions", "0003_session_records")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
