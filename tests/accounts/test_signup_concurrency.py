"""Eight people (or one impatient browser) signing up with one address at the same moment:
one account, the same "check your email" answer for all, no 500.

Real threads with their own database connections, released together by a Barrier, through
the whole request (middleware, form, view). On SQLite (a file database) IMMEDIATE
transactions serialise the inserts; on PostgreSQL the unique constraint does. Run with
DATABASE_URL=postgres://... to cover PostgreSQL.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_simultaneous_signups_with_one_address_make_one_account(mailoutbox):
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def sign_up(index: int) -> None:
        try:
            browser = Client(raise_request_exception=False)
            barrier.wait(timeout=30)
            results[index] = browser.post(
                reverse("accounts:signup"),
                {
                    "full_name": f"Nora {index}",
                    "email": "nora@example.com",
                    "password1": "lavender-Footbath-42",
                    "password2": "lavender-Footbath-42",
                    "timezone": "Europe/London",
                },
            )
        except Exception as error:  # recorded and asserted on below: nothing may escape
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [getattr(r, "status_code", r) for r in results] == [302] * THREADS
    assert {r.url for r in results} == {reverse("accounts:check-email")}
    assert User.objects.filter(email="nora@example.com").count() == 1
    verify = [m for m in mailoutbox if m.subject.startswith("Confirm your email")]
    assert len(verify) == 1
