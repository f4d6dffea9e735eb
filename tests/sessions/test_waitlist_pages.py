"""The waitlist's pages (issue 17, point 1 and claiming in point 2): joining from the week of
times, seeing and leaving entries in the bookings area, the practitioner's waitlist per day
on the agenda, and the page an offer email links to. Access for every role, and query
counts that do not grow with the number of entries."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sessions.models import MAX_ACTIVE_ENTRIES, Booking, WaitlistEntry, WaitlistOffer
from sessions.waitlist import OFFER_TAKEN, TOO_MANY
from sessions.waitlist_rules import mask
from tests.factories import (
    BookingFactory,
    FreedTimeFactory,
    IntakeFormFactory,
    UserFactory,
    WaitlistEntryFactory,
)
from tests.sessions.booking_helpers import MONDAY, NOW, la

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]
TODAY = NOW.date()  # 1 June 2026 in New York too (08:00)
OFFERED_AT = la(MONDAY, 10, 30)


def length_of(practitioner, minutes=60):
    return practitioner.services.get().lengths.get(minutes=minutes)


def join_url(practitioner, minutes=60):
    return reverse(
        "sessions:waitlist-join",
        kwargs={"slug": practitioner.slug, "length_id": length_of(practitioner, minutes).pk},
    )


def join_data(**overrides):
    return {
        "weekdays": ["0", "2"],
        "parts": ["0"],
        "first_day": "2026-06-02",
        "last_day": "2026-06-30",
    } | overrides


def offer_for(entry, *, minutes_left=120, starts_at=OFFERED_AT) -> WaitlistOffer:
    freed = FreedTimeFactory(
        practitioner=entry.practitioner,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=75),
    )
    return WaitlistOffer.objects.create(
        entry=entry,
        freed=freed,
        starts_at=starts_at,
        offered_at=NOW + timedelta(minutes=minutes_left - 120),
        expires_at=NOW + timedelta(minutes=minutes_left),
    )


def offer_url(offer):
    return reverse("sessions:waitlist-offer", kwargs={"code": offer.code})


# --- joining ----------------------------------------------------------------------------------


def test_the_week_of_times_links_to_the_waitlist(client, practitioner):
    url = reverse(
        "sessions:slots",
        kwargs={"slug": practitioner.slug, "length_id": length_of(practitioner).pk},
    )
    response = client.get(url)
    assert "Nothing suits you?" in response.text
    assert f'href="{join_url(practitioner)}"' in response.text


def test_a_visitor_is_sent_to_log_in_and_back(client, practitioner):
    response = client.get(join_url(practitioner))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={join_url(practitioner)}"


def test_joining_saves_the_entry_and_shows_it_in_the_bookings_area(
    client, client_user, practitioner
):
    client.force_login(client_user)
    assert client.get(join_url(practitioner)).status_code == 200

    response = client.post(join_url(practitioner), join_data(), follow=True)

    entry = WaitlistEntry.objects.get()
    assert (entry.client, entry.practitioner, entry.length) == (
        client_user,
        practitioner,
        length_of(practitioner),
    )
    assert (entry.weekdays, entry.parts, entry.place) == (mask([0, 2]), mask([0]), 1)
    assert (str(entry.first_day), str(entry.last_day)) == ("2026-06-02", "2026-06-30")
    assert response.redirect_chain[-1][0] == reverse("sessions:my-bookings") + "#waitlist"
    assert f"You are on {practitioner.display_name}'s waitlist" in unescape(response.text)
    assert "Mondays and Wednesdays, mornings, 2 June to 30 June 2026" in response.text


def test_a_form_with_mistakes_says_what_is_wrong_and_keeps_the_answers(
    client, client_user, practitioner
):
    client.force_login(client_user)
    response = client.post(
        join_url(practitioner),
        join_data(weekdays=[], first_day="2026-06-20", last_day="2026-06-10"),
    )
    assert response.status_code == 200
    assert "Choose at least one day of the week." in response.text
    assert "The last day must be on or after the first day." in response.text
    assert 'value="2026-06-20"' in response.text and 'value="2026-06-10"' in response.text
    assert WaitlistEntry.objects.count() == 0


def test_a_client_waits_for_at_most_three_times(client, client_user, practitioner):
    for place in range(1, MAX_ACTIVE_ENTRIES + 1):
        WaitlistEntryFactory(client=client_user, practitioner=practitioner, place=place)
    client.force_login(client_user)

    response = client.post(join_url(practitioner), join_data())

    assert TOO_MANY in unescape(response.text)
    assert WaitlistEntry.objects.active().filter(client=client_user).count() == 3


def test_the_database_refuses_a_fourth_active_entry(client_user, practitioner):
    for place in range(1, MAX_ACTIVE_ENTRIES + 1):
        WaitlistEntryFactory(client=client_user, practitioner=practitioner, place=place)
    for place in (1, MAX_ACTIVE_ENTRIES + 1):
        with pytest.raises(IntegrityError), transaction.atomic():
            WaitlistEntryFactory(client=client_user, practitioner=practitioner, place=place)


def test_the_practitioner_cannot_join_their_own_waitlist(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(join_url(practitioner))
    assert "you cannot book a session with yourself" in response.text


# --- the bookings area ------------------------------------------------------------------------


def test_leaving_ends_the_entry_and_frees_its_place(client, client_user, practitioner):
    entry = WaitlistEntryFactory(client=client_user, practitioner=practitioner)
    client.force_login(client_user)

    response = client.post(
        reverse("sessions:waitlist-leave", kwargs={"code": entry.code}), follow=True
    )

    entry.refresh_from_db()
    assert (entry.status, entry.place) == (WaitlistEntry.Status.LEFT, None)
    assert f"You have left {practitioner.display_name}'s waitlist." in unescape(response.text)
    assert "You are not on any waitlist." in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("other client", 404), ("practitioner", 404), ("staff", 404)],
    indirect=["who"],
)
def test_only_the_client_can_leave_their_entry(client, who, status, client_user, practitioner):
    entry = WaitlistEntryFactory(client=client_user, practitioner=practitioner)
    response = client.post(reverse("sessions:waitlist-leave", kwargs={"code": entry.code}))
    assert response.status_code == status
    entry.refresh_from_db()
    assert entry.is_active


def test_an_open_offer_shows_in_the_bookings_area(client, client_user, practitioner):
    entry = WaitlistEntryFactory(client=client_user, practitioner=practitioner)
    offer = offer_for(entry)
    client.force_login(client_user)
    response = client.get(reverse("sessions:my-bookings"))
    assert f'href="{offer_url(offer)}"' in response.text
    assert "A time came free: Monday 8 June, 13:30" in response.text


@pytest.mark.parametrize("count", [1, 3])
def test_the_bookings_area_costs_the_same_queries_with_more_entries(
    client, client_user, count, django_assert_max_num_queries
):
    for place in range(1, count + 1):
        entry = WaitlistEntryFactory(client=client_user, place=place)
        offer_for(entry)
    client.force_login(client_user)
    # Session, user, bookings, entries with their open offers, the menu's role check.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("sessions:my-bookings"))
    assert response.text.count("A time came free") == count


# --- the offer page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 200),
        ("other client", 404),
        ("practitioner", 404),
        ("other practitioner", 404),
        ("staff", 404),
    ],
    indirect=["who"],
)
def test_only_the_client_offered_a_time_can_open_or_decline_it(
    client, who, status, client_user, practitioner
):
    offer = offer_for(WaitlistEntryFactory(client=client_user, practitioner=practitioner))
    assert client.get(offer_url(offer)).status_code == status
    decline = reverse("sessions:waitlist-decline", kwargs={"code": offer.code})
    assert client.post(decline).status_code == (302 if status in (200, 302) else 404)
    offer.refresh_from_db()
    assert offer.status == (
        WaitlistOffer.Status.DECLINED if who == client_user else WaitlistOffer.Status.OFFERED
    )


def test_an_open_offer_leads_to_the_normal_review_page(client, client_user, practitioner):
    offer = offer_for(WaitlistEntryFactory(client=client_user, practitioner=practitioner))
    client.force_login(client_user)

    response = client.get(offer_url(offer))

    assert "Monday 8 June 2026, 13:30–14:30 (America/New_York)" in response.text
    assert "until <strong>10:00 on Monday 1 June</strong>" in response.text
    review = reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length_of(practitioner).pk,
            "start": "20260608T1730Z",
        },
    )
    assert f'href="{review}?offer={offer.code}"' in response.text
    assert "No thanks, pass it on" in response.text


def test_confirming_on_the_review_page_books_and_claims_the_offer(
    client, client_user, practitioner
):
    entry = WaitlistEntryFactory(client=client_user, practitioner=practitioner)
    offer = offer_for(entry)
    IntakeFormFactory(client=client_user)
    client.force_login(client_user)
    review = reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length_of(practitioner).pk,
            "start": "20260608T1730Z",
        },
    )
    form = {"accept_policy": "on", "unwell_now": "False", "price_seen": "80.00"}

    response = client.post(f"{review}?offer={offer.code}", form)

    booking = Booking.objects.get(client=client_user)
    assert response.status_code == 302 and response.url == booking.get_absolute_url()
    assert booking.starts_at == OFFERED_AT
    offer.refresh_from_db()
    entry.refresh_from_db()
    assert offer.status == WaitlistOffer.Status.CLAIMED
    assert entry.status == WaitlistEntry.Status.BOOKED


def test_a_time_taken_meanwhile_is_said_kindly_on_the_review_page(
    client, client_user, practitioner
):
    offer = offer_for(WaitlistEntryFactory(client=client_user, practitioner=practitioner))
    IntakeFormFactory(client=client_user)
    BookingFactory(
        practitioner=practitioner,
        starts_at=OFFERED_AT,
        blocks_until=OFFERED_AT + timedelta(minutes=75),
    )
    client.force_login(client_user)
    review = reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length_of(practitioner).pk,
            "start": "20260608T1730Z",
        },
    )
    form = {"accept_policy": "on", "unwell_now": "False", "price_seen": "80.00"}
    response = client.post(f"{review}?offer={offer.code}", form)
    assert response.status_code == 409
    assert OFFER_TAKEN in unescape(response.text)


def test_a_time_taken_meanwhile_is_said_kindly_with_other_times(client, client_user, practitioner):
    offer = offer_for(WaitlistEntryFactory(client=client_user, practitioner=practitioner))
    BookingFactory(
        practitioner=practitioner,
        starts_at=OFFERED_AT,
        blocks_until=OFFERED_AT + timedelta(minutes=75),
    )
    client.force_login(client_user)

    response = client.get(offer_url(offer))

    assert "Sorry: someone else booked this time a moment before you." in response.text
    assert "You are still on the waitlist" in response.text
    assert "Other free times on Monday 8 June:" in response.text
    assert "Book this time" not in response.text


def test_an_offer_that_ran_out_says_it_passed_on(client, client_user, practitioner):
    offer = offer_for(
        WaitlistEntryFactory(client=client_user, practitioner=practitioner), minutes_left=-5
    )
    client.force_login(client_user)
    response = client.get(offer_url(offer))
    assert "This offer ran out at 07:55 on Monday 1 June" in response.text
    assert "the time has passed to the next person waiting" in response.text
    assert "Book this time" not in response.text


@pytest.mark.parametrize("others", [0, 40])
def test_the_offer_page_costs_the_same_queries_whatever_the_calendar(
    client, client_user, practitioner, others, django_assert_max_num_queries
):
    offer = offer_for(WaitlistEntryFactory(client=client_user, practitioner=practitioner))
    for n in range(others):
        # Two hours apart, so no session and its buffer meet the next (PostgreSQL's rule).
        start = la(MONDAY + timedelta(days=7 * (n // 4 + 1)), 9 + 2 * (n % 4))
        BookingFactory(practitioner=practitioner, starts_at=start)
        WaitlistEntryFactory(practitioner=practitioner)
    client.force_login(client_user)
    # Session, user, the offer with its entry, practitioner and length; whether it was
    # booked already; the free times (weekly hours, date rules, busy times).
    with django_assert_max_num_queries(7):
        response = client.get(offer_url(offer))
    assert "Book this time" in response.text


# --- the practitioner's agenda ----------------------------------------------------------------


def test_the_agenda_lists_who_waits_for_a_time_each_day(client, practitioner):
    mornings = WaitlistEntryFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Mona Morning"),
        weekdays=mask([0]),
        parts=mask([0]),
    )
    WaitlistEntryFactory(
        practitioner=practitioner, client=UserFactory(full_name="Tess Tuesday"), weekdays=mask([1])
    )
    client.force_login(practitioner.user)

    response = client.get(reverse("sessions:agenda") + f"?date={MONDAY}")

    assert "Waitlist for Monday 8 June (1)" in response.text
    assert f"{mornings.client.full_name}: Foot reflexology, 60 minutes; mornings" in response.text
    assert "Tess Tuesday" not in response.text
    assert "1 on the waitlist</a> for a time this day" in response.text  # Monday and Tuesday


@pytest.mark.parametrize("count", [1, 30])
def test_the_agenda_waitlist_costs_one_query_whatever_its_size(
    client, practitioner, count, django_assert_max_num_queries
):
    for _ in range(count):
        WaitlistEntryFactory(practitioner=practitioner)
    client.force_login(practitioner.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("sessions:agenda") + f"?date={MONDAY}")
    assert f"Waitlist for Monday 8 June ({count})" in response.text


def test_an_offer_booked_through_its_plain_review_page_says_booked_not_taken(
    client, client_user, practitioner
):
    """The client opened the offered time's review page without ?offer= (a hold's "back to
    your booking" link) and booked: the offer page then says they booked it, and the offer
    and entry are settled."""
    entry = WaitlistEntryFactory(client=client_user, practitioner=practitioner)
    offer = offer_for(entry)
    BookingFactory(client=client_user, practitioner=practitioner, starts_at=offer.starts_at)
    client.force_login(client_user)

    page = client.get(offer_url(offer)).text

    assert "You booked this time." in page
    assert "someone else booked" not in page
    offer.refresh_from_db()
    entry.refresh_from_db()
    assert offer.status == "claimed" and entry.status == "booked"


def test_the_clients_own_hold_leaves_the_offered_time_free_to_them(
    client, client_user, practitioner
):
    offer = offer_for(WaitlistEntryFactory(client=client_user, practitioner=practitioner))
    IntakeFormFactory(client=client_user)
    client.force_login(client_user)
    length = offer.entry.length
    review = reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": offer.starts_at},
    )
    assert client.get(review).status_code == 200  # opening it holds the time for them

    page = client.get(offer_url(offer)).text

    assert "Book this time" in page and "someone else booked" not in page
