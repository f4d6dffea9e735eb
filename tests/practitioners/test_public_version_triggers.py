"""Every table whose rows a practitioner's public pages show keeps its public_version
trigger after all migrations (a migration that rebuilds a table on SQLite drops its triggers:
sessions 0028 restores the booking table's)."""

import pytest
from django.db import connection

from practitioners import public_version

pytestmark = pytest.mark.django_db

TABLES = [
    "practitioners_weeklyhours",
    "practitioners_dateexception",
    "practitioners_timeoff",
    "practitioners_service",
    "practitioners_servicelength",
    "practitioners_certification",
    "practitioners_staffhide",
    "practitioners_busyinterval",
    "practitioners_practicebilling",
    "reflex_sessions_booking",
    "reflex_sessions_slothold",
]


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.parametrize("table", TABLES)
def test_the_table_keeps_its_public_version_trigger(table):
    names = trigger_names()
    if connection.vendor == "postgresql":
        assert public_version._name(table) in names
    else:
        for event in public_version.EVENTS:
            assert public_version._name(table, event) in names


def test_the_practitioner_row_bumps_its_own_version():
    names = trigger_names()
    suffix = "" if connection.vendor == "postgresql" else "UPDATE"
    assert public_version._name(public_version.PRACTITIONER, suffix) in names
