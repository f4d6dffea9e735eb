"""Two writers at once on SQLite wait for each other instead of failing "database is locked"."""

import threading
import time

import pytest
from django.db import connection, transaction

from accounts.models import User


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_both_succeed():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking only; PostgreSQL has row locks")
    errors: list[BaseException] = []
    both_started = threading.Barrier(2)

    def write(n: int) -> None:
        try:
            both_started.wait()
            with transaction.atomic():
                # Read, pause, then write: in SQLite's default DEFERRED mode the second
                # writer to upgrade its read lock fails at once with "database is locked".
                User.objects.count()
                time.sleep(0.3)
                User.objects.create_user(email=f"writer{n}@example.com", full_name=f"Writer {n}")
        except BaseException as error:  # noqa: BLE001 - hand any failure to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert User.objects.filter(email__startswith="writer").count() == 2
