"""Clients report a practitioner from the profile or a booking (issue 15, point 4): the
report lands once in the queue, a second one while it is open is refused in words, and only
clients may report; a report is the client's own to see."""

import pytest
from django.urls import reverse

from accounts.models import StaffAction
from practitioners import review
from practitioners.models import ClientReport, ReviewItem
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(practitioner, client_user):
    return BookingFactory(practitioner=practitioner, client=client_user)


def profile_report_url(practitioner) -> str:
    return reverse("practitioners:report", kwargs={"slug": practitioner.slug})


def booking_report_url(booking) -> str:
    return reverse("sessions:booking-report", kwargs={"code": booking.code})


def test_a_client_reports_from_the_profile_and_it_appears_once_in_the_queue(
    client, client_user, practitioner
):
    client.force_login(client_user)
    response = client.post(
        profile_report_url(practitioner), {"reason": "misleading", "details": "Said it cures."}
    )

    report = ClientReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("practitioners:report-detail", kwargs={"code": report.code})
    assert (report.client, report.practitioner, report.booking_code) == (
        client_user,
        practitioner,
        None,
    )
    item = ReviewItem.objects.get()
    assert (item.kind, item.report, item.state) == ("report", report, "open")
    assert "With reflexbook staff" in client.get(response.url).text

    # A second report while the first is open: said in words, nothing new stored.
    again = client.post(profile_report_url(practitioner), {"reason": "other", "details": "x"})
    assert again.status_code == 200
    assert "You have already reported" in again.text
    assert ClientReport.objects.count() == 1
    assert review.open_queue().count == 1


def test_a_client_reports_from_their_booking(client, client_user, booking):
    client.force_login(client_user)
    detail = client.get(booking.get_absolute_url()).text
    assert booking_report_url(booking) in detail

    response = client.post(booking_report_url(booking), {"reason": "no_show_or_payment"})

    assert response.status_code == 302
    report = ClientReport.objects.get()
    assert report.booking_code == booking.code
    assert ReviewItem.objects.get().report == report


def test_other_needs_words_and_keeps_what_was_chosen(client, client_user, practitioner):
    client.force_login(client_user)
    response = client.post(profile_report_url(practitioner), {"reason": "other", "details": ""})
    assert response.status_code == 200
    assert "Tell us what happened" in response.text
    assert 'value="other"' in response.text
    assert not ClientReport.objects.exists()


def test_a_report_can_be_made_again_once_staff_closed_the_first(
    client, client_user, practitioner, staff
):
    first = review.submit_report(
        client=client_user, practitioner=practitioner, reason="conduct", details=""
    )
    review.close_report(item=first.item, by=staff, note="Spoke to the practitioner.")
    assert StaffAction.objects.get().action == "report_closed"

    client.force_login(client_user)
    response = client.post(profile_report_url(practitioner), {"reason": "conduct"})

    assert response.status_code == 302
    assert ClientReport.objects.count() == 2


def test_anonymous_visitors_are_sent_to_log_in(client, practitioner, booking):
    for url in (profile_report_url(practitioner), booking_report_url(booking)):
        response = client.post(url, {"reason": "conduct"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert not ClientReport.objects.exists()


@pytest.mark.parametrize("who", ["practitioner", "other practitioner", "staff"], indirect=True)
def test_practitioners_and_staff_cannot_report(client, who, practitioner, booking):
    profile = client.post(profile_report_url(practitioner), {"reason": "conduct"})
    from_booking = client.post(booking_report_url(booking), {"reason": "conduct"})

    assert profile.status_code == 403
    # The booking's practitioner and staff may see the booking (403); others may not (404).
    assert from_booking.status_code in (403, 404)
    assert not ClientReport.objects.exists()


def test_another_client_cannot_report_from_someone_elses_booking(client, other_client, booking):
    client.force_login(other_client)
    assert client.post(booking_report_url(booking), {"reason": "conduct"}).status_code == 404
    assert not ClientReport.objects.exists()


def test_another_client_cannot_see_a_report(client, client_user, other_client, practitioner):
    report = review.submit_report(
        client=client_user, practitioner=practitioner, reason="conduct", details="Private."
    )
    url = reverse("practitioners:report-detail", kwargs={"code": report.code})

    client.force_login(other_client)
    assert client.get(url).status_code == 404
    client.force_login(client_user)
    assert "Private." in client.get(url).text


def test_the_staff_item_page_shows_the_report(staff_client, client_user, booking):
    report = review.submit_report(
        client=client_user,
        practitioner=booking.practitioner,
        reason="identity",
        details="<i>Someone else</i> came.",
        booking_code=booking.code,
    )
    page = staff_client.get(reverse("sessions:safety-item", kwargs={"code": report.item.code})).text
    assert "Not the person in the profile" in page
    assert "&lt;i&gt;Someone else&lt;/i&gt; came." in page
    assert booking.get_absolute_url() in page


def test_the_profile_offers_the_report_link(client, practitioner):
    page = client.get(practitioner.get_absolute_url()).text
    assert profile_report_url(practitioner) in page
