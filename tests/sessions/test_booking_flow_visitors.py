"""Free times for everyone (issue 12, part 1): the session, week and review pages work without
an account, in the visitor's zone (sent by their browser or chosen; else the practitioner's,
always named); slot pages are not indexed; logging in or signing up happens at the review
step and comes back to the same, still-held time, through email verification too."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.timezones import VISITOR_ZONE_SESSION_KEY
from sessions.models import Booking, SlotHold
from tests.factories import PASSWORD, BookingFactory, IntakeFormFactory, UserFactory

# A Wednesday; the practitioner (Los Angeles, UTC-7 in June) works Mondays 09:00-17:00.
NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
MONDAY_9AM_LA = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)
# nofollow too: following a time's link would hold it.
NOINDEX = '<meta name="robots" content="noindex, nofollow">'

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def length_of(practitioner, minutes=60):
    return practitioner.services.get().lengths.get(minutes=minutes)


def book_url(practitioner):
    return reverse("sessions:book", kwargs={"slug": practitioner.slug})


def slots_url(practitioner, minutes=60):
    kwargs = {"slug": practitioner.slug, "length_id": length_of(practitioner, minutes).pk}
    return reverse("sessions:slots", kwargs=kwargs)


NEXT_WEEK = {"week": "2026-06-08"}


def review_url(practitioner, start=MONDAY_9AM_LA, minutes=60):
    kwargs = {
        "slug": practitioner.slug,
        "length_id": length_of(practitioner, minutes).pk,
        "start": start,
    }
    return reverse("sessions:review", kwargs=kwargs)


def confirm_form(practitioner, minutes=60):
    return {
        "accept_policy": "on",
        "unwell_now": "False",
        "price_seen": str(length_of(practitioner, minutes).price),
    }


def log_in(client, user, next_url):
    return client.post(
        reverse("login"), {"username": user.email, "password": PASSWORD, "next": next_url}
    )


# --- the pages, without an account ---------------------------------------------------------


def test_a_visitor_sees_the_sessions_without_an_account(client, practitioner):
    response = client.get(book_url(practitioner))

    assert response.status_code == 200
    assert "Foot reflexology, 60 minutes, $80" in response.text
    # A script fills in the browser's zone, sent with the choice.
    assert 'name="tz" value="" data-browser-zone' in response.text


def test_choosing_a_length_sends_the_browsers_zone_along(client, practitioner):
    length = length_of(practitioner)
    response = client.get(book_url(practitioner), {"length": length.pk, "tz": "Europe/London"})

    assert response.status_code == 302
    assert response.url == slots_url(practitioner)
    page = client.get(response.url)
    assert "Times are shown in Europe/London." in page.text


def test_a_visitor_sees_free_times_in_the_practitioners_zone_until_one_is_known(
    client, practitioner
):
    response = client.get(slots_url(practitioner), NEXT_WEEK)

    assert response.status_code == 200
    # The zone itself, not "in the time zone, America/Los_Angeles", and where to change it.
    assert (
        "Times are shown in America/Los_Angeles. If your time zone is different, change it below."
        in response.text
    )
    assert f'href="{review_url(practitioner)}"' in response.text
    assert ">09:00</a>" in response.text
    # Without JavaScript: a zone selector starting at the practitioner's zone; with it, the
    # script sets the browser's zone and sends the form (data-zone-detect).
    assert '<option value="America/Los_Angeles" selected>' in response.text
    assert "data-zone-detect" in response.text


def test_a_visitor_sees_free_times_in_the_zone_their_browser_sent(client, practitioner):
    response = client.get(slots_url(practitioner), {"tz": "Europe/London", **NEXT_WEEK})

    assert response.status_code == 200
    assert "Times are shown in Europe/London." in response.text
    assert "Pat Practitioner works in America/Los_Angeles." in response.text
    assert ">17:00</a>" in response.text  # 09:00 in Los Angeles
    assert '<option value="Europe/London" selected>' in response.text
    # The zone is remembered: the next week, and the next pages, are in it too.
    again = client.get(slots_url(practitioner), {"week": "2026-06-15"})
    assert "Times are shown in Europe/London." in again.text
    assert "data-zone-detect" not in again.text


def test_a_zone_that_is_not_a_zone_is_ignored(client, practitioner):
    response = client.get(slots_url(practitioner), {"tz": "Mars/Olympus_Mons"})

    assert "Times are shown in America/Los_Angeles." in response.text
    assert VISITOR_ZONE_SESSION_KEY not in client.session


def test_a_logged_in_client_sees_their_own_zone_and_no_selector(client, client_user, practitioner):
    client.force_login(client_user)  # America/New_York

    response = client.get(slots_url(practitioner), {"tz": "Europe/London", **NEXT_WEEK})

    assert "Times are shown in your time zone, America/New_York." in response.text
    assert 'name="tz"' not in response.text
    assert ">12:00</a>" in response.text


def test_slot_pages_are_not_indexed_but_profiles_are(client, practitioner):
    for url in (book_url(practitioner), slots_url(practitioner), review_url(practitioner)):
        assert NOINDEX in client.get(url).text, url
    profile = client.get(practitioner.get_absolute_url())
    assert profile.status_code == 200
    assert 'name="robots"' not in profile.text


def test_a_practitioner_not_taking_new_clients_asks_visitors_who_have_booked_to_log_in(
    client, practitioner
):
    practitioner.accepting_new_clients = False
    practitioner.save()

    response = client.get(slots_url(practitioner))

    assert response.status_code == 200
    assert "If you have had a session with them before, log in to book again" in response.text
    assert not SlotHold.objects.exists()


# --- the review step: log in or sign up, and back --------------------------------------------


def test_a_visitor_at_the_review_step_holds_the_time_and_is_asked_to_log_in_or_sign_up(
    client, practitioner
):
    url = review_url(practitioner)

    response = client.get(url)

    assert response.status_code == 200
    assert "Log in or sign up to book" in response.text
    next_query = escape(f"?next={url}".replace(":", "%3A").replace("/", "%2F"))
    assert f'href="{reverse("accounts:signup")}{next_query}"' in response.text
    assert f'href="{reverse("login")}{next_query}"' in response.text
    assert "Monday 8 June 2026" in response.text
    assert "09:00–10:00 (America/Los_Angeles)" in response.text
    assert "10 minutes left" in response.text
    assert 'name="accept_policy"' not in response.text  # no booking form before logging in
    hold = SlotHold.objects.get()
    assert (hold.starts_at, hold.user) == (MONDAY_9AM_LA, None)


def test_a_visitor_cannot_book_without_logging_in(client, practitioner):
    url = review_url(practitioner)

    response = client.post(url, confirm_form(practitioner))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Booking.objects.exists()


def test_logging_in_at_the_review_step_comes_back_to_the_same_held_time(
    client, client_user, practitioner
):
    IntakeFormFactory(client=client_user)
    url = review_url(practitioner)
    client.get(url)
    hold = SlotHold.objects.get()

    response = log_in(client, client_user, url)

    assert response.status_code == 302
    assert response.url == url
    page = client.get(url)
    assert page.status_code == 200
    assert "This time is held for you" in page.text
    assert SlotHold.objects.get().pk == hold.pk  # the same hold, kept through logging in
    booked = client.post(url, confirm_form(practitioner))
    booking = Booking.objects.get()
    assert booked.url == booking.get_absolute_url()
    assert (booking.client, booking.starts_at) == (client_user, MONDAY_9AM_LA)
    assert not SlotHold.objects.exists()


def test_signing_up_at_the_review_step_comes_back_to_the_same_time_after_verification(
    client, practitioner, mailoutbox
):
    client.get(slots_url(practitioner), {"tz": "Europe/London"})
    url = review_url(practitioner)
    client.get(url)
    hold = SlotHold.objects.get()
    signup = f"{reverse('accounts:signup')}?next={url}"

    form = client.get(signup)
    assert '<option value="Europe/London" selected>' in form.text  # the zone they saw times in
    assert "We are holding Monday 8 June at 17:00 (Europe/London)" in form.text
    response = client.post(
        signup,
        {
            "full_name": "Nora New",
            "email": "nora@example.com",
            "password1": "lavender-Footbath-42",
            "password2": "lavender-Footbath-42",
            "timezone": "Europe/London",
        },
    )
    assert response.url == reverse("accounts:check-email")
    check = client.get(response.url)
    quoted = url.replace("/", "%2F").replace(":", "%3A")
    assert f'href="{reverse("login")}?next={quoted}">Log in</a>' in check.text

    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", mailoutbox[-1].body).group(1)
    verified = client.get(link)
    assert verified.url == f"{reverse('login')}?next={url.replace(':', '%3A')}"
    nora = UserFactory._meta.model.objects.get(email="nora@example.com")
    assert nora.email_verified
    logged_in = client.post(
        reverse("login"),
        {"username": "nora@example.com", "password": "lavender-Footbath-42", "next": url},
    )
    assert logged_in.url == url
    # No health form yet: on to it, still coming back to this time, still held.
    review = client.get(url)
    assert review.url == f"{reverse('sessions:intake-edit')}?next={quoted}"
    assert SlotHold.objects.get().pk == hold.pk
    intake_page = client.get(review.url, follow=True)  # on to the form's first step
    assert intake_page.resolver_match.url_name == "intake-step"
    assert "We are holding Monday 8 June at 17:00 (Europe/London)" in intake_page.text
    assert f'href="{url}">Back to your booking</a>' in intake_page.text


def test_a_returning_client_books_a_held_time_it_had_chosen_before_logging_in(
    client, client_user, practitioner
):
    BookingFactory(client=client_user, practitioner=practitioner, status=Booking.Status.COMPLETED)
    IntakeFormFactory(client=client_user)
    url = review_url(practitioner)
    client.get(url)
    log_in(client, client_user, url)

    response = client.post(url, confirm_form(practitioner))

    assert response.status_code == 302
    assert Booking.objects.filter(starts_at=MONDAY_9AM_LA, client=client_user).exists()
