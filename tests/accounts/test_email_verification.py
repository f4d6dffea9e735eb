"""Email verification: the signed, expiring link; the account page's status and resend; an
unverified client's bookings stay requests; an unverified practitioner is not listed."""

import json
import re
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from accounts.verification import VERIFY_LINK_DAYS, verification_link
from practitioners.models import Practitioner
from sessions.booking import BookingRefused, confirm_booking
from sessions.models import Booking
from tests.factories import (
    BookingFactory,
    IntakeFormFactory,
    ListedPractitionerFactory,
    UserFactory,
)
from tests.sessions.booking_helpers import MONDAY, NOW, book, la

pytestmark = pytest.mark.django_db
# The data migration's function, run here on a row made after the migration.
migration = import_module("accounts.migrations.0003_existing_accounts_verified")


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_link_is_built_from_the_site_url(settings):
    settings.SITE_URL = "https://book.example.com"
    user = UserFactory(unverified=True)
    assert verification_link(user).startswith("https://book.example.com/accounts/verify/")


def test_the_link_verifies_the_address_once(client):
    user = UserFactory(unverified=True)
    link = path_of(verification_link(user, "/book/maya/"))
    response = client.get(link, follow=True)
    user.refresh_from_db()
    assert user.email_verified
    assert f"Thank you: {user.email} is confirmed." in response.text
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=/book/maya/"
    first = user.email_verified_at
    client.get(link)
    user.refresh_from_db()
    assert user.email_verified_at == first


def test_the_link_does_not_log_anyone_in(client):
    user = UserFactory(unverified=True)
    client.get(path_of(verification_link(user)))
    assert "_auth_user_id" not in client.session


def test_a_logged_in_person_goes_straight_on(client):
    user = UserFactory(unverified=True)
    client.force_login(user)
    response = client.get(path_of(verification_link(user, "/book/maya/")))
    assert response.url == "/book/maya/"


def test_the_link_expires():
    user = UserFactory(unverified=True)
    with time_machine.travel(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), tick=False) as traveller:
        link = path_of(verification_link(user))
        traveller.shift(timedelta(days=VERIFY_LINK_DAYS, minutes=1))
        response = Client().get(link)
    assert response.status_code == 400
    assert "This link does not work" in response.text
    user.refresh_from_db()
    assert not user.email_verified


def test_a_tampered_link_or_a_changed_address_is_refused(client):
    user = UserFactory(unverified=True)
    link = path_of(verification_link(user))
    assert client.get(link[:-3] + "xx/").status_code == 400
    user.email = "new@example.com"
    user.save()
    assert client.get(link).status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_account_page_shows_the_status_and_resends(client, mailoutbox):
    user = UserFactory(unverified=True)
    client.force_login(user)
    page = client.get(reverse("accounts:account"))
    assert "Your email address is not confirmed yet." in page.text
    response = client.post(reverse("accounts:verify-email-resend"), follow=True)
    assert f"We sent a new confirmation link to {user.email}." in response.text
    [message] = mailoutbox
    client.get(re.search(r"https?://\S+?(/accounts/verify/\S+/)", message.body).group(1))
    page = client.get(reverse("accounts:account"))
    assert "Email confirmed" in page.text
    assert "not confirmed yet" not in page.text


def test_resending_is_limited(client, mailoutbox):
    client.force_login(UserFactory(unverified=True))
    for _ in range(4):
        response = client.post(reverse("accounts:verify-email-resend"), follow=True)
    assert "We already sent you several links in the last hour." in response.text
    assert len(mailoutbox) == 3


def test_factories_make_verified_people_unless_asked():
    assert UserFactory().email_verified
    assert not UserFactory(unverified=True).email_verified


# --- what verification gates ----------------------------------------------------------


@pytest.mark.time_machine(NOW, tick=False)
def test_an_unverified_clients_booking_stays_requested_even_with_auto_confirm(practitioner):
    practitioner.auto_confirm = True
    practitioner.approve_first_time_clients = False
    practitioner.save()
    newcomer = UserFactory(unverified=True)
    booking = book(practitioner, newcomer, IntakeFormFactory(client=newcomer))
    assert booking.status == Booking.Status.REQUESTED


@pytest.mark.time_machine(NOW, tick=False)
def test_a_request_cannot_be_confirmed_until_the_client_verifies(client, practitioner):
    newcomer = UserFactory(unverified=True)
    booking = BookingFactory(
        practitioner=practitioner,
        client=newcomer,
        starts_at=la(MONDAY, 10),
        status=Booking.Status.REQUESTED,
    )
    with pytest.raises(BookingRefused, match="has not confirmed their email address"):
        confirm_booking(booking=booking)
    client.force_login(practitioner.user)
    page = client.get(booking.get_absolute_url())
    assert "Waiting for the client to confirm their email address" in page.text
    refused = client.post(
        reverse("sessions:booking-confirm", kwargs={"code": booking.code}), follow=True
    )
    assert "has not confirmed their email address" in refused.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    newcomer.email_verified_at = NOW
    newcomer.save()
    assert confirm_booking(booking=booking).status == Booking.Status.CONFIRMED


@pytest.mark.time_machine(NOW, tick=False)
def test_the_client_sees_the_rule_on_their_booking(client, practitioner):
    newcomer = UserFactory(unverified=True)
    booking = BookingFactory(
        practitioner=practitioner,
        client=newcomer,
        starts_at=la(MONDAY, 10),
        status=Booking.Status.REQUESTED,
    )
    client.force_login(newcomer)
    page = client.get(booking.get_absolute_url())
    assert "Confirm your email address" in page.text
    assert "until then this booking stays a request" in page.text


def test_an_unverified_practitioner_is_not_listed_and_is_told_why(client):
    practitioner = ListedPractitionerFactory(user__unverified=True)
    assert not Practitioner.objects.listed().filter(pk=practitioner.pk).exists()
    assert practitioner.missing_for_listing()[0].startswith("Confirm your email address")
    assert practitioner.display_name not in client.get(reverse("practitioners:directory")).text
    practitioner.user.email_verified_at = NOW
    practitioner.user.save()
    assert Practitioner.objects.listed().filter(pk=practitioner.pk).exists()
    assert practitioner.missing_for_listing() == []


def test_the_data_migration_marks_existing_accounts_verified_from_their_joining():
    migration = import_module("accounts.migrations.0003_existing_accounts_verified")
    user = UserFactory(unverified=True)
    migration.mark_existing_verified(apps, None)
    user.refresh_from_db()
    assert user.email_verified_at == user.date_joined


def test_the_task_queue_holds_the_account_id_never_the_verification_link(
    client, database_tasks, mailoutbox
):
    client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Vera Verify",
            "email": "vera@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            "timezone": "Europe/London",
        },
    )
    user = User.objects.get(email="vera@example.com")
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs["kwargs"]["user_id"] == user.pk

    assert database_tasks() == 1

    (email,) = mailoutbox
    link = re.search(r"\S+/accounts/verify/\S+", email.body).group(0)
    stored = json.dumps(list(DBTaskResult.objects.values()), default=str)
    assert link not in stored
    assert link.rstrip("/").split("/")[-1] not in stored
    client.get(path_of(link))
    user.refresh_from_db()
    assert user.email_verified
