"""Home visits: travel blocks the calendar before and after the session, the client gives
their address at the review step, and only listed postcodes are visited."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sessions import slots
from sessions.availability import free_slots_for
from sessions.booking import (
    HELD_BY_SOMEONE,
    BookingRefused,
    SlotTaken,
    book_session,
    hold_slot,
    reschedule_booking,
)
from sessions.forms.booking import format_start
from sessions.models import Booking
from tests.factories import BookingFactory, ServiceFactory, ServiceLengthFactory
from tests.sessions.booking_helpers import MONDAY, NOW, la

pytestmark = pytest.mark.time_machine(NOW, tick=False)

LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def practitioner(practitioner):
    """These tests walk travel and buffers quarter by quarter: the practitioner offers a start
    every 15 minutes (the default is 30)."""
    practitioner.start_interval_minutes = 15
    practitioner.save()
    return practitioner


def monday_slots(**options) -> list[datetime]:
    """Free 60-minute starts on MONDAY, one every 15 minutes, working 09:00-17:00 Los Angeles,
    no buffer."""
    return slots.free_slots(
        weekly=[slots.WeeklyRange(MONDAY.weekday(), time(9), time(17))],
        length=timedelta(minutes=60),
        buffer=timedelta(0),
        tz=LA,
        now=NOW,
        notice=timedelta(0),
        horizon=timedelta(days=60),
        first_day=MONDAY,
        last_day=MONDAY,
        interval=timedelta(minutes=15),
        **options,
    )


def book(practitioner, client, intake, **options) -> Booking:
    """Book through the write path: a 60-minute practice session on MONDAY at 10:00 unless
    `options` say otherwise."""
    options = {"minutes": 60, "starts_at": la(MONDAY, 10)} | options
    options.setdefault("service", practitioner.services.get(is_home_visit=False))
    return book_session(client=client, practitioner=practitioner, intake=intake, **options)


def local_times(instants: list[datetime]) -> list[str]:
    return [instant.astimezone(LA).strftime("%H:%M") for instant in instants]


# --- the pure slot finder ---------------------------------------------------------------------


def test_travel_keeps_the_session_clear_of_busy_time_before_and_after():
    busy = [slots.Busy(la(MONDAY, 12), la(MONDAY, 13))]

    without = local_times(monday_slots(busy=busy))
    with_travel = local_times(monday_slots(busy=busy, travel=timedelta(minutes=30)))

    assert "11:00" in without and "13:00" in without
    # 10:30-11:30, then 30 minutes' drive back: clear at 12:00. 10:45 would arrive late.
    assert "10:30" in with_travel and "10:45" not in with_travel
    # Leaving at 13:00 for a 13:30 start; 13:15 would leave before the other booking ends.
    assert "13:30" in with_travel and "13:15" not in with_travel


# --- the calendar as the database holds it ----------------------------------------------------


@pytest.fixture
def home_visit(practitioner):
    """A 60-minute home visit in 972xx postcodes, 30 minutes' travel each way, 15 buffer."""
    service = ServiceFactory(practitioner=practitioner, name="Reflexology at home", home_visit=True)
    ServiceLengthFactory(service=service, minutes=60, price="95.00")
    return service


def test_a_booked_home_visit_blocks_its_travel_for_the_practice_sessions_too(
    practitioner, client_user, intake, home_visit
):
    visit = book(
        practitioner,
        client_user,
        intake,
        service=home_visit,
        starts_at=la(MONDAY, 12),
        home_address="12 Elm Street, Portland",
        home_postcode="97205",
    )
    assert visit.blocks_from == la(MONDAY, 11, 30)
    assert visit.blocks_until == la(MONDAY, 13, 45)  # session, 15 buffer, 30 travel back

    at_practice = local_times(
        free_slots_for(
            practitioner=practitioner,
            service=practitioner.services.get(is_home_visit=False),
            minutes=60,
            first_day=MONDAY,
            last_day=MONDAY,
        )
    )
    # A practice session must end, buffer included, by 11:30 when the drive starts.
    assert "10:15" in at_practice and "10:30" not in at_practice
    assert "13:30" not in at_practice and "13:45" in at_practice


def test_a_home_visit_is_refused_where_its_travel_meets_another_booking(
    practitioner, client_user, intake, home_visit
):
    BookingFactory(practitioner=practitioner, starts_at=la(MONDAY, 14))  # 14:00-15:15
    free = local_times(
        free_slots_for(
            practitioner=practitioner,
            service=home_visit,
            minutes=60,
            first_day=MONDAY,
            last_day=MONDAY,
        )
    )
    # 12:00-13:00, 15 buffer, 30 travel: clear at 13:45; 12:30 would still be driving at 14:00.
    assert "12:00" in free and "12:30" not in free
    # After 15:15, 30 minutes' drive: 15:45 is the first start.
    assert "15:30" not in free and "15:45" in free

    with pytest.raises(BookingRefused):
        book(
            practitioner,
            client_user,
            intake,
            service=home_visit,
            starts_at=la(MONDAY, 12, 30),
            home_address="12 Elm Street",
            home_postcode="97205",
        )


def test_rescheduling_a_home_visit_keeps_its_travel(practitioner, client_user, intake, home_visit):
    visit = book(
        practitioner,
        client_user,
        intake,
        service=home_visit,
        starts_at=la(MONDAY, 10),
        home_address="12 Elm Street",
        home_postcode="97205",
    )
    moved = reschedule_booking(booking=visit, new_starts_at=la(MONDAY, 14))
    assert moved.blocks_from == la(MONDAY, 13, 30)
    assert moved.blocks_until == la(MONDAY, 15, 45)
    assert moved.client_address == "12 Elm Street, 97205"


def test_a_held_home_visit_blocks_its_travel_like_the_booking_it_becomes(
    practitioner, client_user, intake, home_visit
):
    hold = hold_slot(
        practitioner=practitioner,
        service=home_visit,
        minutes=60,
        starts_at=la(MONDAY, 12),
        holder_key="first-visitor",
    )
    assert hold.blocks_from == la(MONDAY, 11, 30)
    assert hold.blocks_until == la(MONDAY, 13, 45)  # session, 15 buffer, 30 travel back

    practice = practitioner.services.get(is_home_visit=False)
    at_practice = local_times(
        free_slots_for(
            practitioner=practitioner,
            service=practice,
            minutes=60,
            first_day=MONDAY,
            last_day=MONDAY,
        )
    )
    # Another visitor's practice session must end, buffer included, by the drive at 11:30,
    # and may start only once the drive back is over.
    assert "10:15" in at_practice and "10:30" not in at_practice
    assert "13:30" not in at_practice and "13:45" in at_practice
    with pytest.raises(SlotTaken, match=HELD_BY_SOMEONE):
        book(practitioner, client_user, intake, starts_at=la(MONDAY, 10, 30))
    with pytest.raises(SlotTaken, match=HELD_BY_SOMEONE):
        hold_slot(
            practitioner=practitioner,
            service=practice,
            minutes=60,
            starts_at=la(MONDAY, 13, 30),
            holder_key="second-visitor",
        )


# --- the write path ---------------------------------------------------------------------------


def test_the_write_path_stores_the_clients_address(practitioner, client_user, intake, home_visit):
    visit = book(
        practitioner,
        client_user,
        intake,
        service=home_visit,
        home_address=" 12 Elm Street, Portland ",
        home_postcode="97201",
    )
    assert visit.client_address == "12 Elm Street, Portland, 97201"
    assert visit.place == "At your home: 12 Elm Street, Portland, 97201"


@pytest.mark.parametrize(
    ("address", "postcode", "refusal"),
    [
        ("12 Elm Street", "10001", "visits homes only in these postcodes: 97201, 972"),
        ("12 Elm Street", "", "Enter the postcode"),
        ("", "97201", "Enter the address"),
    ],
)
def test_the_write_path_refuses_a_home_visit_it_cannot_make(
    practitioner, client_user, intake, home_visit, address, postcode, refusal
):
    with pytest.raises(BookingRefused, match=refusal):
        book(
            practitioner,
            client_user,
            intake,
            service=home_visit,
            home_address=address,
            home_postcode=postcode,
        )
    assert not Booking.objects.exists()


def test_a_practice_session_ignores_an_address(practitioner, client_user, intake):
    booking = book(practitioner, client_user, intake, home_address="12 Elm", home_postcode="1")
    assert booking.client_address == ""
    assert booking.blocks_from == booking.starts_at


# --- the review step --------------------------------------------------------------------------


def review_url(practitioner, service, start=None) -> str:
    length = service.lengths.get(minutes=60)
    return reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length.pk,
            "start": format_start(start or la(MONDAY, 10)),
        },
    )


def review_data(**extra) -> dict:
    return {"accept_policy": "on", "unwell_now": "False", "price_seen": "95.00"} | extra


def test_the_review_step_asks_a_home_visit_for_the_address(
    client, client_user, intake, practitioner, home_visit
):
    client.force_login(client_user)
    page = client.get(review_url(practitioner, home_visit))
    assert page.status_code == 200
    assert 'name="home_address"' in page.text and 'name="home_postcode"' in page.text
    assert "visits these postcodes: 97201, 972" in page.text
    assert page.text.index('name="home_address"') < page.text.index('name="message"')

    practice = practitioner.services.get(is_home_visit=False)
    page = client.get(review_url(practitioner, practice))
    assert 'name="home_address"' not in page.text


def test_the_review_step_refuses_a_postcode_outside_the_list_and_keeps_the_answers(
    client, client_user, intake, practitioner, home_visit
):
    client.force_login(client_user)
    response = client.post(
        review_url(practitioner, home_visit),
        review_data(home_address="5 Broadway, New York", home_postcode="10001"),
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("home_postcode", "postcode_not_visited")
    assert "visits homes only in these postcodes: 97201, 972. 10001 is not one of them" in (
        response.text
    )
    assert 'value="5 Broadway, New York"' in response.text
    assert not Booking.objects.exists()


def test_the_review_step_requires_the_address_for_a_home_visit(
    client, client_user, intake, practitioner, home_visit
):
    client.force_login(client_user)
    response = client.post(review_url(practitioner, home_visit), review_data())
    assert response.context["form"].has_error("home_address", "required")
    assert response.context["form"].has_error("home_postcode", "required")
    assert not Booking.objects.exists()


def test_a_home_visit_booked_at_the_review_step_carries_the_address(
    client, client_user, intake, practitioner, home_visit
):
    client.force_login(client_user)
    response = client.post(
        review_url(practitioner, home_visit),
        review_data(home_address="12 Elm Street, Portland", home_postcode="97232"),
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert booking.client_address == "12 Elm Street, Portland, 97232"
    assert booking.starts_at == la(MONDAY, 10).astimezone(UTC)
