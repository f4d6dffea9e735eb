"""The client's booking flow: choose a session, a time in their own zone, review, confirm."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from sessions.models import Booking
from sessions.safety import URGENT_EMERGENCY, URGENT_TODAY
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    PractitionerFactory,
    ServiceLengthFactory,
)
from tests.sessions.booking_helpers import CLEARANCE_ANSWERS, intake_with
from tests.sessions.intake_helpers import CONSENT, answers

# A Wednesday; the practitioner (Los Angeles, UTC-7 in June) works Mondays 09:00-17:00.
NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
MONDAY_9AM_LA = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def length_of(practitioner, minutes=60):
    return practitioner.services.get().lengths.get(minutes=minutes)


def slots_url(practitioner, minutes=60, **query):
    url = reverse(
        "sessions:slots",
        kwargs={"slug": practitioner.slug, "length_id": length_of(practitioner, minutes).pk},
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def review_url(practitioner, start=MONDAY_9AM_LA, minutes=60):
    return reverse(
        "sessions:review",
        kwargs={
            "slug": practitioner.slug,
            "length_id": length_of(practitioner, minutes).pk,
            "start": start.strftime("%Y%m%dT%H%MZ"),
        },
    )


def confirm(client, practitioner, start=MONDAY_9AM_LA, minutes=60, **data):
    form = {
        "accept_policy": "on",
        "unwell_now": "False",
        "price_seen": str(length_of(practitioner, minutes).price),
    }
    return client.post(review_url(practitioner, start, minutes), form | data)


# --- step 1: choose a session -------------------------------------------------------------


def test_choose_page_lists_each_length_with_its_price(client, client_user, practitioner):
    client.force_login(client_user)
    response = client.get(reverse("sessions:book", kwargs={"slug": practitioner.slug}))
    assert response.status_code == 200
    assert "Foot reflexology, 30 minutes, $45" in response.text
    assert "Foot reflexology, 60 minutes, $80" in response.text
    assert 'type="radio"' in response.text


def test_a_client_under_18_has_the_shortest_length_chosen(client, client_user, practitioner):
    IntakeFormFactory(
        client=client_user,
        answers={"date_of_birth": "2010-01-01", "guardian_name": "Gail", "guardian_consent": True},
    )
    client.force_login(client_user)

    response = client.get(reverse("sessions:book", kwargs={"slug": practitioner.slug}))

    checked = re.findall(r'<input type="radio"[^>]*checked[^>]*>', response.text)
    assert len(checked) == 1
    assert f'value="{length_of(practitioner, 30).pk}"' in checked[0]
    assert "As you are under 18, the shortest session is chosen for you" in response.text


def test_an_adult_client_has_no_length_chosen_for_them(client, client_user, practitioner):
    IntakeFormFactory(client=client_user, answers={"date_of_birth": "2008-06-03"})  # 18 today
    client.force_login(client_user)

    response = client.get(reverse("sessions:book", kwargs={"slug": practitioner.slug}))

    assert not re.findall(r'<input type="radio"[^>]*checked', response.text)
    assert "under 18" not in response.text


def test_choosing_a_length_leads_to_its_week_of_times(client, client_user, practitioner):
    client.force_login(client_user)
    length = length_of(practitioner, 30)
    response = client.get(
        reverse("sessions:book", kwargs={"slug": practitioner.slug}), {"length": length.pk}
    )
    assert response.status_code == 302
    assert response.url == slots_url(practitioner, 30)


def test_choosing_another_practitioners_length_is_refused(
    client, client_user, practitioner, other_practitioner
):
    client.force_login(client_user)
    response = client.get(
        reverse("sessions:book", kwargs={"slug": practitioner.slug}),
        {"length": length_of(other_practitioner).pk},
    )
    assert response.status_code == 200
    assert "That session is no longer offered. Choose one from the list." in response.text


def test_unlisted_practitioner_cannot_be_booked(client, client_user):
    hidden = ListedPractitionerFactory(is_hidden=True)
    unfinished = PractitionerFactory()
    client.force_login(client_user)
    for practitioner in (hidden, unfinished):
        url = reverse("sessions:book", kwargs={"slug": practitioner.slug})
        assert client.get(url).status_code == 404
    assert client.get(slots_url(hidden)).status_code == 404


def test_practitioner_not_taking_new_clients_explains_politely(client, client_user):
    closed = ListedPractitionerFactory(accepting_new_clients=False, display_name="Maya Stone")
    client.force_login(client_user)
    for url in (
        reverse("sessions:book", kwargs={"slug": closed.slug}),
        slots_url(closed),
        review_url(closed),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Maya Stone is not taking new clients at the moment" in response.text
        assert 'type="radio"' not in response.text
    IntakeFormFactory(client=client_user)
    response = confirm(client, closed)
    assert "not taking new clients" in response.text
    assert not Booking.objects.exists()


def test_returning_client_may_book_a_practitioner_not_taking_new_clients(client, client_user):
    closed = ListedPractitionerFactory(accepting_new_clients=False)
    BookingFactory(
        client=client_user,
        practitioner=closed,
        starts_at=NOW - timedelta(days=30),
        status=Booking.Status.COMPLETED,
    )
    client.force_login(client_user)
    response = client.get(reverse("sessions:book", kwargs={"slug": closed.slug}))
    assert 'type="radio"' in response.text


def test_practitioner_cannot_book_themselves(client, practitioner):
    client.force_login(practitioner.user)
    response = client.get(reverse("sessions:book", kwargs={"slug": practitioner.slug}))
    assert "you cannot book a session with yourself" in response.text


# --- step 2: the week of free times -------------------------------------------------------


def test_week_shows_free_times_in_the_clients_zone_with_the_practitioners_noted(
    client, client_user, practitioner
):
    client_user.timezone = "Europe/London"
    client_user.save()
    client.force_login(client_user)
    response = client.get(slots_url(practitioner))
    assert response.status_code == 200
    text = response.text
    assert "Week of Monday 1 June 2026" in text
    # Monday 8 June is next week; this week has no free Monday left.
    assert "There are no free times in this week." in text
    response = client.get(slots_url(practitioner, week="2026-06-10"))
    text = response.text
    assert "Week of Monday 8 June 2026" in text
    assert (
        "Times are shown in your time zone, Europe/London. "
        f"{practitioner.display_name} works in America/Los_Angeles." in text
    )
    # 09:00-17:00 in Los Angeles is 17:00-01:00 in London: the last hour falls on Tuesday.
    assert "Monday 8 June at </span>17:00" in text
    assert "Monday 8 June at </span>23:00" in text
    assert "Tuesday 9 June at </span>00:00" in text
    assert "Monday 8 June at </span>09:00" not in text
    assert review_url(practitioner) in text


def test_zone_note_is_left_out_when_both_share_a_zone(client, client_user, practitioner):
    client_user.timezone = "America/Los_Angeles"
    client_user.save()
    client.force_login(client_user)
    response = client.get(slots_url(practitioner, week="2026-06-08"))
    assert "Times are shown in your time zone, America/Los_Angeles." in response.text
    assert "works in" not in response.text
    assert "Monday 8 June at </span>09:00" in response.text
    assert "Monday 8 June at </span>16:00" in response.text  # the last 60-minute start


def test_booked_times_are_not_offered(client, client_user, practitioner):
    BookingFactory(practitioner=practitioner, starts_at=MONDAY_9AM_LA + timedelta(hours=2))
    client.force_login(client_user)
    response = client.get(slots_url(practitioner, week="2026-06-08"))
    text = response.text
    # 11:00-12:00 LA is booked (busy to 12:15 with its buffer); a new session needs its own
    # 15-minute buffer before 11:00, so on the 30-minute grid the last start before it is
    # 09:30 LA, and the first after it 12:30 LA.
    assert "Monday 8 June at </span>12:30" in text  # 09:30 LA
    assert "Monday 8 June at </span>13:00" not in text
    assert "Monday 8 June at </span>15:00" not in text
    assert "Monday 8 June at </span>15:30" in text  # 12:30 LA, after the buffer


def test_week_navigation_stays_between_this_week_and_the_horizon(client, client_user, practitioner):
    client.force_login(client_user)
    response = client.get(slots_url(practitioner))
    assert "← Previous week</span>" in response.text  # not a link: no earlier week
    assert "?week=2026-06-08" in response.text
    response = client.get(slots_url(practitioner, week="2020-01-01"))
    assert "Week of Monday 1 June 2026" in response.text
    # 60 days ahead is Sunday 2 August (New York): the last week starts 27 July.
    response = client.get(slots_url(practitioner, week="2027-01-01"))
    assert "Week of Monday 27 July 2026" in response.text
    assert "Next week →</span>" in response.text
    assert "?week=2026-07-20" in response.text
    response = client.get(slots_url(practitioner, week="not-a-date"))
    assert "Week of Monday 1 June 2026" in response.text


def test_empty_week_says_so_and_offers_the_next(client, client_user, practitioner):
    client.force_login(client_user)
    response = client.get(slots_url(practitioner))
    assert "There are no free times in this week." in response.text
    next_week = slots_url(practitioner) + "?week=2026-06-08"
    link = response.text.split("Look at the next week")[0].rsplit("<a ", 1)[1]
    assert f'href="{next_week}"' in link
    assert f'hx-get="{next_week}"' in link


def test_htmx_week_navigation_gets_just_the_week(client, client_user, practitioner):
    client.force_login(client_user)
    response = client.get(slots_url(practitioner, week="2026-06-08"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<section id="week"' in response.text
    assert "<html" not in response.text
    assert "Week of Monday 8 June 2026" in response.text
    full = client.get(slots_url(practitioner, week="2026-06-08"))
    assert "<html" in full.text and 'id="week"' in full.text


def test_inactive_or_foreign_service_length_is_not_found(
    client, client_user, practitioner, other_practitioner
):
    client.force_login(client_user)
    foreign = length_of(other_practitioner)
    url = reverse("sessions:slots", kwargs={"slug": practitioner.slug, "length_id": foreign.pk})
    assert client.get(url).status_code == 404
    inactive_url = slots_url(practitioner)
    practitioner.services.update(is_active=False)
    ServiceLengthFactory(service__practitioner=practitioner)  # keeps the profile listed
    assert client.get(inactive_url).status_code == 404


# --- step 3: review and confirm -----------------------------------------------------------


def test_review_tells_the_client_to_get_urgent_care_for_chest_pain(
    client, client_user, practitioner
):
    intake_with(client_user, chest_pain=True)
    client.force_login(client_user)

    response = client.get(review_url(practitioner))

    assert 'class="rb-flag-urgent' in response.text
    assert escape(URGENT_EMERGENCY) in response.text
    assert escape(URGENT_TODAY) in response.text


def test_without_a_current_intake_the_client_fills_it_in_and_comes_back(
    client, client_user, practitioner
):
    IntakeFormFactory(client=client_user, signed_at=NOW - timedelta(days=400))
    client.force_login(client_user)
    url = review_url(practitioner)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('sessions:intake-edit')}?next={url.replace('/', '%2F')}"
    assert confirm(client, practitioner).status_code == 302
    assert not Booking.objects.exists()


def test_review_shows_the_session_in_the_clients_zone(client, client_user, practitioner, intake):
    client.force_login(client_user)
    response = client.get(review_url(practitioner))
    assert response.status_code == 200
    text = response.text
    assert "Monday 8 June 2026" in text
    assert "12:00–13:00 (America/New_York)" in text
    assert "60 minutes" in text
    assert "$80" in text
    assert "Please cancel or reschedule at least 24 hours before your session." in text
    assert "works in America/Los_Angeles." in text
    assert 'name="price_seen" value="80.00"' in text
    assert "I accept the cancellation policy above." in text
    assert "I have talked to my doctor" not in text  # no clearance flag


def test_booking_is_requested_and_both_sides_are_emailed_in_their_own_zone(
    client, client_user, practitioner, intake, mailoutbox
):
    practitioner.user.timezone = "America/Los_Angeles"
    practitioner.user.save()
    client.force_login(client_user)
    response = confirm(client, practitioner, message="  First time, a bit nervous.  ")
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == booking.get_absolute_url()
    assert booking.status == Booking.Status.REQUESTED
    assert booking.client == client_user
    assert booking.starts_at == MONDAY_9AM_LA
    assert booking.minutes == 60
    assert str(booking.price) == "80.00"
    assert booking.client_message == "First time, a bit nervous."
    assert booking.intake == intake
    page = client.get(response.url)
    assert "Requested:" in page.text
    assert "it is not confirmed yet" in page.text

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {client_user.email, practitioner.user.email}
    to_client = by_address[client_user.email]
    to_practitioner = by_address[practitioner.user.email]
    assert "12:00–13:00 (America/New_York)" in to_client.body
    assert "09:00–10:00 (America/Los_Angeles)" in to_practitioner.body
    for mail in (to_client, to_practitioner):
        (attachment,) = mail.attachments
        assert attachment[0] == "booking.ics"
        assert attachment[2].startswith("text/calendar")
        assert "BEGIN:VEVENT" in attachment[1]


def test_auto_confirm_confirms_a_returning_client_at_once(
    client, client_user, practitioner, intake, mailoutbox
):
    practitioner.auto_confirm = True
    practitioner.save()
    BookingFactory(
        client=client_user,
        practitioner=practitioner,
        starts_at=NOW - timedelta(days=14),
        status=Booking.Status.COMPLETED,
    )
    client.force_login(client_user)
    response = confirm(client, practitioner)
    booking = Booking.objects.get(starts_at=MONDAY_9AM_LA)
    assert booking.status == Booking.Status.CONFIRMED
    page = client.get(response.url)
    assert "Booked and confirmed" in page.text
    assert {m.subject for m in mailoutbox} == {
        f"Booking confirmed with {practitioner.display_name}",
        f"New booking: {client_user.full_name}",
    }


def test_auto_confirm_still_asks_for_approval_of_a_first_time_client(
    client, client_user, practitioner, intake
):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = True
    practitioner.save()
    client.force_login(client_user)
    confirm(client, practitioner)
    assert Booking.objects.get().status == Booking.Status.REQUESTED


def test_auto_confirm_without_approval_confirms_a_first_time_client(
    client, client_user, practitioner, intake
):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    client.force_login(client_user)
    confirm(client, practitioner)
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_clearance_flag_asks_the_client_to_confirm_they_talked_to_their_doctor(
    client, client_user, practitioner
):
    intake = intake_with(client_user, **CLEARANCE_ANSWERS)
    client.force_login(client_user)
    response = client.get(review_url(practitioner))
    assert (
        "I have talked to my doctor or midwife about: Past clot or clotting disorder."
        in response.text
    )
    assert "You told us you have had a blood clot" in response.text  # the flag, for the client

    response = confirm(client, practitioner, message="Hello")
    assert response.status_code == 200
    assert "Tick the box once you have talked to your doctor or midwife." in response.text
    assert ">\nHello</textarea>" in response.text
    assert not Booking.objects.exists()

    response = confirm(client, practitioner, clearance_confirmed="on")
    booking = Booking.objects.get()
    assert booking.clearance_confirmed_at == NOW
    assert booking.flags == intake.flags


def test_policy_must_be_accepted_and_the_message_is_kept(client, client_user, practitioner, intake):
    client.force_login(client_user)
    response = client.post(
        review_url(practitioner), {"message": "See you then", "price_seen": "80.00"}
    )
    assert response.status_code == 200
    assert "Tick the box to accept the cancellation policy." in response.text
    assert ">\nSee you then</textarea>" in response.text
    assert not Booking.objects.exists()


def test_malformed_start_is_not_found(client, client_user, practitioner, intake):
    client.force_login(client_user)
    base = review_url(practitioner).rsplit("/", 2)[0]
    for start in ("tomorrow", "20260608T1600", "20261308T1600Z", "20260608T2500Z"):
        assert client.get(f"{base}/{start}/").status_code == 404


def test_the_length_form_puts_no_security_token_in_the_address(client, client_user, practitioner):
    client.force_login(client_user)
    page = client.get(reverse("sessions:book", kwargs={"slug": practitioner.slug}))
    length_form = page.text.split('<form method="get"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in length_form


def test_a_returning_client_with_no_changes_books_in_four_pages_after_choosing_the_time(
    client, client_user, practitioner
):
    """review → "has anything changed?" (nothing has: confirm) → review → booked."""
    IntakeFormFactory(
        client=client_user, version=1, answers=answers(), signed_at=NOW - timedelta(days=400)
    )
    client.force_login(client_user)
    url = review_url(practitioner)
    loads = []

    def open_page(address):
        """Open a page as a browser does: each address it loads, redirects included."""
        while True:
            loads.append(address)
            response = client.get(address)
            if response.status_code != 302:
                assert response.status_code == 200, address
                return response
            address = response["Location"]

    asked = open_page(url)
    assert "Has anything changed?" in asked.text
    assert 'name="next" value="' + url + '"' in asked.text
    back = client.post(
        reverse("sessions:intake-confirm"), {**CONSENT, "signature": "Cara Client", "next": url}
    )
    assert back["Location"] == url
    open_page(url)
    booked = confirm(client, practitioner)
    open_page(booked["Location"])

    edit = f"{reverse('sessions:intake-edit')}?next={url.replace('/', '%2F')}"
    assert loads == [url, edit, url, booked["Location"]]
    assert Booking.objects.get().intake == client_user.intake_forms.get(version=2)
