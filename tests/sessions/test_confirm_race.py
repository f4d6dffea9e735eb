"""Confirming requests at the same moment: at most one booking ends up confirmed for a time.

Two overlapping requests cannot both exist (PostgreSQL's exclusion constraint refuses the
second row; on every database the write path refuses the second request), and one request
confirmed twice at once is confirmed once, with one email, and nothing but BookingRefused
escapes. Real threads with their own connections, released together by a Barrier; run with
DATABASE_URL=postgres://... to cover PostgreSQL as well as SQLite.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from sessions.booking import BookingRefused, SlotTaken, book_session, confirm_booking
from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory, UserFactory

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
MONDAY_10_LA = datetime(2026, 3, 9, 17, 0, tzinfo=UTC)


def at_once(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except BaseException as error:  # noqa: BLE001 - handed to the test to assert on
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db
def test_postgresql_refuses_a_second_overlapping_request_row(practitioner):
    if connection.vendor != "postgresql":
        pytest.skip("Exclusion constraints are PostgreSQL's; SQLite relies on the write path.")
    BookingFactory(practitioner=practitioner, starts_at=MONDAY_10_LA, status="requested")
    with pytest.raises(IntegrityError), transaction.atomic():
        # Written past the write path: the database itself says no.
        BookingFactory(
            practitioner=practitioner,
            starts_at=MONDAY_10_LA + timedelta(minutes=30),
            status="requested",
        )
    assert practitioner.bookings.count() == 1


@pytest.mark.django_db
def test_the_write_path_refuses_a_second_overlapping_request(practitioner, mailoutbox):
    first_client, second_client = UserFactory(), UserFactory()
    with time_machine.travel(NOW, tick=False):
        intakes = [IntakeFormFactory(client=c) for c in (first_client, second_client)]
        service = practitioner.services.get()
        first = book_session(
            client=first_client,
            practitioner=practitioner,
            service=service,
            minutes=60,
            starts_at=MONDAY_10_LA,
            intake=intakes[0],
        )
        with pytest.raises(SlotTaken):
            book_session(
                client=second_client,
                practitioner=practitioner,
                service=service,
                minutes=30,
                starts_at=MONDAY_10_LA + timedelta(minutes=30),
                intake=intakes[1],
            )
    assert first.status == Booking.Status.REQUESTED
    assert list(practitioner.bookings.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.django_db(transaction=True)
def test_one_request_confirmed_twice_at_the_same_moment_is_confirmed_once(practitioner, mailoutbox):
    request = BookingFactory(practitioner=practitioner, starts_at=MONDAY_10_LA, status="requested")

    results = at_once(
        lambda: confirm_booking(booking=request), lambda: confirm_booking(booking=request)
    )

    winners = [r for r in results if isinstance(r, Booking)]
    losers = [r for r in results if not isinstance(r, Booking)]
    assert len(winners) == 1, results
    assert len(losers) == 1 and type(losers[0]) is BookingRefused, results
    assert str(losers[0]) == "This booking is confirmed, so it cannot be confirmed."
    request.refresh_from_db()
    assert request.status == Booking.Status.CONFIRMED
    assert request.sequence == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [request.client.email]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_confirming_at_once_give_one_confirmation_and_a_message(practitioner, mailoutbox):
    request = BookingFactory(practitioner=practitioner, starts_at=MONDAY_10_LA, status="requested")
    url = reverse("sessions:booking-confirm", kwargs={"code": request.code})
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(practitioner.user)

    responses = at_once(*(lambda tab=tab: tab.post(url) for tab in tabs))

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    levels = sorted(m.level_tag for r in responses for m in get_messages(r.wsgi_request))
    assert levels == ["error", "success"]
    request.refresh_from_db()
    assert request.status == Booking.Status.CONFIRMED
    assert len(mailoutbox) == 1
