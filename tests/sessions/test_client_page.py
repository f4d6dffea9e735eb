"""The client page: the client's bookings with this practitioner, their health form, records
and tenderness history while a booking opens their health data, each read logged as the
intake and history pages log theirs; the actions to book for them; who is refused."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sessions.models import Booking, IntakeAccess, ReflexPoint
from tests.factories import (
    BookingFactory,
    BookingSeriesFactory,
    PointWorkedFactory,
    SessionRecordFactory,
)
from tests.sessions.booking_helpers import intake_with
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
Status = Booking.Status
Kind = IntakeAccess.Kind
VERRUCA = {"code": "verruca", "tier": "avoid", "label": "Verruca", "detail": "d", "reason": "r"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def intake(client_user):
    return intake_with(client_user, medications="Warfarin, 5 mg daily")


def signed(client_user, practitioner, intake, days_ago: int, points=()):
    """A completed session `days_ago` with a signed record and points [(slug, side, t)]."""
    record = SessionRecordFactory(
        signed=True,
        booking__client=client_user,
        booking__practitioner=practitioner,
        booking__intake=intake,
        booking__status=Status.COMPLETED,
        booking__starts_at=NOW - dt.timedelta(days=days_ago),
    )
    for slug, side, tenderness in points:
        PointWorkedFactory(
            record=record,
            point=ReflexPoint.objects.get(slug=slug),
            side=side,
            tenderness=tenderness,
        )
    return record.booking


@pytest.fixture
def history(client_user, practitioner, intake):
    """Two signed sessions with the kidney point worked, and one upcoming with a flag."""
    signed(client_user, practitioner, intake, 21, [("foot-kidney", "R", 3)])
    signed(client_user, practitioner, intake, 7, [("foot-kidney", "R", 1)])
    return BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=intake,
        flags=[VERRUCA],
        starts_at=dt.datetime(2026, 4, 8, 17, 0, tzinfo=UTC),
    )


def url(client_user) -> str:
    return reverse("sessions:client", kwargs={"client_id": client_user.pk})


def test_the_practitioner_sees_the_clients_bookings_intake_records_and_tenderness(
    client, practitioner, client_user, history
):
    client_user.phone = "+1 503 555 0142"
    client_user.save()
    client.force_login(practitioner.user)

    response = client.get(url(client_user))

    text = response.text
    assert response.status_code == 200
    assert "<h1>Cara Client</h1>" in text
    assert "+1 503 555 0142" in text
    assert "Sessions with you (3)" in text
    # The upcoming session, in the practice's zone (17:00 UTC is 10:00 in Los Angeles).
    assert "Wed 8 Apr 2026, 10:00" in text
    assert "Verruca" in text
    assert "Warfarin, 5 mg daily" in text
    assert text.count("Signed<span") == 2
    assert "Right foot: Kidney" in text
    assert "3 → 1" in text


def test_the_actions_book_a_session_and_a_series_for_this_client(
    client, practitioner, client_user, history
):
    client.force_login(practitioner.user)

    text = client.get(url(client_user)).text

    book = f"{reverse('sessions:book-for-client')}?client={client_user.pk}"
    series = reverse("sessions:series-new", kwargs={"client_id": client_user.pk})
    assert f'href="{book}">Book a session' in text
    assert f'href="{series}">Book a series' in text


def test_someone_whose_requests_were_all_declined_is_shown_without_the_book_actions(
    client, practitioner, client_user
):
    BookingFactory(client=client_user, practitioner=practitioner, status=Status.DECLINED)
    client.force_login(practitioner.user)

    text = client.get(url(client_user)).text

    assert "<h1>Cara Client</h1>" in text
    assert "Book a session" not in text and "Book a series" not in text
    assert "You declined every request Cara Client made" in text
    # The actions would have been refused: the page and the write path agree.
    series = reverse("sessions:series-new", kwargs={"client_id": client_user.pk})
    assert client.get(series).status_code == 404
    book = client.get(reverse("sessions:book-for-client"), {"client": client_user.pk})
    assert book.status_code == 404


def test_a_declined_request_then_a_booking_offers_the_book_actions_again(
    client, practitioner, client_user
):
    BookingFactory(client=client_user, practitioner=practitioner, status=Status.DECLINED)
    BookingFactory(
        client=client_user, practitioner=practitioner, starts_at=NOW + dt.timedelta(days=3)
    )
    client.force_login(practitioner.user)

    text = client.get(url(client_user)).text

    series = reverse("sessions:series-new", kwargs={"client_id": client_user.pk})
    assert f'href="{series}">Book a series' in text
    assert "You declined every request" not in text
    assert client.get(series).status_code == 200


def test_the_reads_are_logged_as_the_intake_and_history_pages_log_them(
    client, practitioner, client_user, intake, history
):
    client.force_login(practitioner.user)

    client.get(url(client_user))

    reads = IntakeAccess.objects.order_by("kind")
    assert [(r.kind, r.viewer, r.client) for r in reads] == [
        (Kind.HISTORY, practitioner.user, client_user),
        (Kind.INTAKE, practitioner.user, client_user),
    ]
    assert reads.get(kind=Kind.INTAKE).intake == intake
    assert reads.get(kind=Kind.HISTORY).booking == history  # the booking that opens it


def test_staff_read_the_page_and_the_read_is_logged(client, staff, client_user, history):
    log_in_verified(client, staff)

    response = client.get(url(client_user))

    assert response.status_code == 200
    assert "Warfarin, 5 mg daily" in response.text
    assert "Book a session" not in response.text
    assert set(IntakeAccess.objects.values_list("kind", "viewer")) == {
        (Kind.INTAKE, staff.pk),
        (Kind.HISTORY, staff.pk),
    }


def test_without_an_open_booking_the_health_data_is_closed_and_nothing_is_logged(
    client, practitioner, client_user, intake
):
    BookingFactory(
        client=client_user, practitioner=practitioner, intake=intake, status=Status.DECLINED
    )
    client.force_login(practitioner.user)

    response = client.get(url(client_user))

    assert response.status_code == 200
    assert "Sessions with you (1)" in response.text
    assert "are closed to you" in response.text
    assert "Warfarin" not in response.text
    assert "Tenderness over time" not in response.text
    assert not IntakeAccess.objects.exists()


def test_a_client_without_a_health_form_says_so(client, practitioner, client_user):
    BookingFactory(client=client_user, practitioner=practitioner, intake=None)
    client.force_login(practitioner.user)

    response = client.get(url(client_user))

    assert "Cara Client has not filled in the health form yet." in response.text
    assert list(IntakeAccess.objects.values_list("kind", flat=True)) == [Kind.HISTORY]


def test_a_client_of_both_practitioners_shows_each_only_their_own_bookings(
    client, practitioner, other_practitioner, client_user, history
):
    theirs = BookingFactory(
        client=client_user,
        practitioner=other_practitioner,
        starts_at=dt.datetime(2026, 4, 20, 17, 0, tzinfo=UTC),
    )
    client.force_login(other_practitioner.user)

    response = client.get(url(client_user))

    assert "Sessions with you (1)" in response.text
    assert theirs.get_absolute_url() in response.text
    assert history.get_absolute_url() not in response.text
    assert "Right foot: Kidney" not in response.text  # records with someone else


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("other client", 403),
        ("practitioner", 200),
        ("other practitioner", 404),
        ("staff", 200),
    ],
    indirect=["who"],
)
def test_the_client_page_is_for_their_practitioner_and_staff(
    client, client_user, history, who, status
):
    response = client.get(url(client_user))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    if status != 200:
        assert "Warfarin" not in response.text


def test_someone_who_never_booked_is_not_found(client, practitioner, other_client):
    client.force_login(practitioner.user)
    assert client.get(url(other_client)).status_code == 404


def test_the_clients_series_are_listed_with_links_to_their_pages(
    client, practitioner, other_practitioner, client_user, history
):
    series = BookingSeriesFactory(practitioner=practitioner, client=client_user, every_weeks=2)
    for weeks in (1, 3):
        BookingFactory(
            client=client_user,
            practitioner=practitioner,
            series=series,
            starts_at=dt.datetime(2026, 4, 6, 17, 0, tzinfo=UTC) + dt.timedelta(weeks=weeks),
        )
    theirs = BookingSeriesFactory(practitioner=other_practitioner, client=client_user)
    BookingFactory(client=client_user, practitioner=other_practitioner, series=theirs)
    client.force_login(practitioner.user)

    text = client.get(url(client_user)).text

    assert "Series (1)" in text
    assert (
        f'<a href="{series.get_absolute_url()}">Foot reflexology, 60 minutes, every 2 weeks, '
        "from 13 April 2026</a> (2 sessions)"
    ) in text
    assert theirs.get_absolute_url() not in text  # another practitioner's series


def test_a_client_without_a_series_has_no_series_section(
    client, practitioner, client_user, history
):
    client.force_login(practitioner.user)
    assert 'id="series-heading"' not in client.get(url(client_user)).text
