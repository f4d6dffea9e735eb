"""Staff hide a practitioner from the directory (issue 15, point 4): the directory, the
profile and the slot pages give 404 to a new anonymous visitor at once (the cached pages
too), existing bookings stay visible to their clients, staff can show the profile again, and
can cancel the hidden practitioner's upcoming bookings with a message to each client,
through sessions.booking's one cancellation path."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffAction
from practitioners import review
from practitioners.models import Practitioner, StaffHide
from sessions import booking as booking_service
from sessions.models import Booking
from tests.factories import BookingFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Booking.Status


@pytest.fixture
def booking(practitioner, client_user):
    return BookingFactory(practitioner=practitioner, client=client_user)


def visibility_url(practitioner) -> str:
    return reverse("sessions:safety-practitioner", kwargs={"slug": practitioner.slug})


def public_urls(practitioner) -> dict[str, str]:
    length = practitioner.services.get().lengths.first()
    return {
        "profile": practitioner.get_absolute_url(),
        "book": reverse("sessions:book", kwargs={"slug": practitioner.slug}),
        "slots": reverse(
            "sessions:slots", kwargs={"slug": practitioner.slug, "length_id": length.pk}
        ),
    }


def test_hiding_takes_effect_at_once_for_anonymous_visitors(
    staff_client, staff, practitioner, booking, client_user, mailoutbox
):
    visitor = Client()
    directory = reverse("practitioners:directory")
    # Pages rendered (and cached for shared visitors) before the hide.
    assert practitioner.display_name in visitor.get(directory).text
    for url in public_urls(practitioner).values():
        assert visitor.get(url).status_code == 200
    assert visitor.get(public_urls(practitioner)["profile"]).status_code == 200  # from cache

    response = staff_client.post(
        visibility_url(practitioner), {"action": "hide", "reason": "Complaints under review."}
    )

    assert response.status_code == 302
    hide = StaffHide.objects.get()
    assert (hide.practitioner, hide.hidden_by, hide.reason) == (
        practitioner,
        staff,
        "Complaints under review.",
    )
    assert hide.hidden_at is not None
    assert not Practitioner.objects.listed().filter(pk=practitioner.pk).exists()
    new_visitor = Client()
    assert practitioner.display_name not in new_visitor.get(directory).text
    for name, url in public_urls(practitioner).items():
        assert new_visitor.get(url).status_code == 404, name
        assert visitor.get(url).status_code == 404, name
    # The existing booking stays visible to its client.
    mine = Client()
    mine.force_login(client_user)
    page = mine.get(booking.get_absolute_url())
    assert page.status_code == 200
    assert practitioner.display_name in page.text
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    # The practitioner is told, by email and in their area.
    (email,) = mailoutbox
    assert email.to == [practitioner.user.email]
    assert "Complaints under review." in email.body
    theirs = Client()
    theirs.force_login(practitioner.user)
    dashboard = theirs.get(reverse("practitioners:dashboard")).text
    assert "reflexbook staff have hidden your profile" in dashboard
    assert "Complaints under review." in dashboard
    assert StaffAction.objects.get().action == "profile_hidden"


def test_hiding_needs_a_reason(staff_client, practitioner):
    response = staff_client.post(visibility_url(practitioner), {"action": "hide", "reason": ""})
    assert response.status_code == 200
    assert "Reason for hiding: this is needed." in response.text
    assert not StaffHide.objects.exists()


def test_staff_show_the_profile_again(staff_client, staff, practitioner, mailoutbox):
    review.hide_profile(practitioner=practitioner, by=staff, reason="Checking identity.")
    visitor = Client()
    assert visitor.get(practitioner.get_absolute_url()).status_code == 404

    response = staff_client.post(visibility_url(practitioner), {"action": "show"})

    assert response.status_code == 302
    hide = StaffHide.objects.get()
    assert (hide.shown_by, hide.shown_at is not None) == (staff, True)
    assert visitor.get(practitioner.get_absolute_url()).status_code == 200
    assert [a.action for a in StaffAction.objects.order_by("pk")] == [
        "profile_hidden",
        "profile_shown",
    ]
    assert len(mailoutbox) == 2


def test_cancel_with_a_message_emails_each_client_through_the_one_path(
    staff_client, staff, practitioner, booking, mailoutbox, monkeypatch
):
    other = BookingFactory(
        practitioner=practitioner,
        client=UserFactory(full_name="Second Client"),
        starts_at=booking.starts_at + timedelta(days=1),
    )
    past = BookingFactory(
        practitioner=practitioner,
        client=UserFactory(),
        starts_at=timezone.now() - timedelta(days=3),
        status=Status.COMPLETED,
    )
    review.hide_profile(practitioner=practitioner, by=staff, reason="Under review.")
    mailoutbox.clear()
    calls = []
    real = booking_service._cancel_locked
    monkeypatch.setattr(
        booking_service,
        "_cancel_locked",
        lambda *args, **kwargs: calls.append(kwargs) or real(*args, **kwargs),
    )

    response = staff_client.post(
        visibility_url(practitioner),
        {"action": "cancel", "message": "This practitioner is unavailable.", "confirm": "on"},
    )

    assert response.status_code == 302
    assert len(calls) == 2 and all(call["as_staff"] for call in calls)
    for row in (booking, other):
        row.refresh_from_db()
        assert row.status == Status.CANCELLED_BY_STAFF
        assert row.cancellation_reason == "This practitioner is unavailable."
        assert not row.is_late_cancellation
    past.refresh_from_db()
    assert past.status == Status.COMPLETED
    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [booking.client.email, other.client.email]
    )
    for email in mailoutbox:
        assert "Message from reflexbook staff: This practitioner is unavailable." in email.body
        assert "Book another time" not in email.body
    action = StaffAction.objects.filter(action="bookings_cancelled_by_staff").get()
    assert action.detail == {"bookings": 2}
    # The client still sees the booking, cancelled, with who cancelled it.
    mine = Client()
    mine.force_login(booking.client)
    assert "Cancelled by reflexbook staff" in mine.get(booking.get_absolute_url()).text


def test_bookings_of_a_listed_practitioner_cannot_be_cancelled_by_staff(
    staff_client, staff, practitioner, booking
):
    with pytest.raises(booking_service.BookingRefused, match="Hide the profile first"):
        booking_service.cancel_upcoming_by_staff(practitioner=practitioner, by=staff, message="x")
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_cancelling_needs_the_tick_and_keeps_the_message(
    staff_client, staff, practitioner, booking
):
    review.hide_profile(practitioner=practitioner, by=staff, reason="Under review.")
    response = staff_client.post(
        visibility_url(practitioner), {"action": "cancel", "message": "Sorry for this."}
    )
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.text
    assert "Sorry for this." in response.text
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_a_client_still_cannot_cancel_as_staff(client_user, booking):
    assert booking.cancel_refusal(client_user, as_staff=True)
    with pytest.raises(booking_service.BookingRefused):
        booking_service.cancel_upcoming_by_staff(
            practitioner=booking.practitioner, by=client_user, message="x"
        )
