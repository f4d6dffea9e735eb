"""The clients list costs the same number of queries with 10 clients as with 2,000 clients and
20,000 bookings, with or without a search; the client page the same with 3 bookings as with
300."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    BookingSeriesFactory,
    IntakeFormFactory,
    PointWorkedFactory,
    SessionRecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
# Session, user, practitioner profile, the count of matching clients, the page of clients,
# their figures, and their flags.
LIST_BUDGET = 7
# Session, user, practitioner profile, the client with their figures, their flags, the
# bookings, their records' points, whether the health data is open, the intake, two logged
# reads.
PAGE_BUDGET = 11
STATUSES = [
    Booking.Status.COMPLETED,
    Booking.Status.CONFIRMED,
    Booking.Status.NO_SHOW,
    Booking.Status.CANCELLED_BY_CLIENT,
    Booking.Status.REQUESTED,
]
FLAGS = [{"code": "verruca", "tier": "avoid", "label": "Verruca", "detail": "d", "reason": "r"}]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def fill_practice(practitioner, clients: int, bookings: int) -> None:
    """`clients` people (the first called Abe Searched, phone 503 555 0100) and `bookings`
    back-to-back 30-minute bookings among them around NOW, in every status, some with
    flags and late cancellations."""
    people = [
        UserFactory.build(
            full_name="Abe Searched" if n == 0 else f"Client {n:05d}",
            email=f"client{n}@example.org",
            phone="503 555 0100" if n == 0 else f"503 556 {n:04d}",
            password="!",
        )
        for n in range(clients)
    ]
    User.objects.bulk_create(people)
    ids = list(User.objects.filter(email__endswith="@example.org").values_list("pk", flat=True))
    service = practitioner.services.get()
    first = NOW - timedelta(minutes=30 * (bookings // 2))
    rows = []
    for n in range(bookings):
        starts_at = first + timedelta(minutes=30 * n)
        status = STATUSES[n % len(STATUSES)]
        rows.append(
            Booking(
                client_id=ids[n % len(ids)],
                practitioner=practitioner,
                service=service,
                minutes=30,
                price="45.00",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=30),
                blocks_from=starts_at,
                blocks_until=starts_at + timedelta(minutes=30),
                status=status,
                is_late_cancellation=status == Booking.Status.CANCELLED_BY_CLIENT and n % 2 == 0,
                flags=FLAGS if n % 3 == 0 else [],
                policy_text="Cancel a day ahead.",
            )
        )
    Booking.objects.bulk_create(rows, batch_size=2000)


@pytest.mark.parametrize(("clients", "bookings"), [(10, 40), (2000, 20000)])
@pytest.mark.parametrize("query", ["", "abe", "5550100"])
def test_the_clients_list_uses_a_fixed_number_of_queries(
    client, practitioner, django_assert_max_num_queries, clients, bookings, query
):
    fill_practice(practitioner, clients, bookings)
    client.force_login(practitioner.user)

    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("sessions:clients"), {"q": query} if query else {})

    assert response.status_code == 200
    assert "Abe Searched" in response.text
    if query:
        assert "1 client matches" in response.text
    else:
        assert f"{clients} clients" in response.text
        assert response.text.count('data-label="Flags in force"') == min(clients, 25)
        assert "Verruca" in response.text


@pytest.mark.parametrize("count", [3, 300])
def test_the_client_page_uses_a_fixed_number_of_queries(
    client, practitioner, client_user, django_assert_max_num_queries, count
):
    intake = IntakeFormFactory(client=client_user)
    for n in range(count):
        starts_at = NOW - timedelta(days=n + 1)
        record = SessionRecordFactory(
            signed=True,
            booking__client=client_user,
            booking__practitioner=practitioner,
            booking__intake=intake,
            booking__status=Booking.Status.COMPLETED,
            booking__starts_at=starts_at,
        )
        PointWorkedFactory(record=record, tenderness=n % 4)
    BookingFactory(client=client_user, practitioner=practitioner, intake=intake, flags=FLAGS)
    # One series per three bookings: listed from the bookings, no query of their own.
    for n in range(count // 3):
        BookingFactory(
            client=client_user,
            practitioner=practitioner,
            intake=intake,
            starts_at=NOW + timedelta(days=n + 1),
            flags=FLAGS,
            series=BookingSeriesFactory(practitioner=practitioner, client=client_user),
        )
    client.force_login(practitioner.user)

    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse("sessions:client", kwargs={"client_id": client_user.pk}))

    assert response.status_code == 200
    assert f"Sessions with you ({count + 1 + count // 3})" in response.text
    assert f"Series ({count // 3})" in response.text
    assert "Verruca" in response.text
