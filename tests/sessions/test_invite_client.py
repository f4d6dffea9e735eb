"""Inviting a new client while booking for them (sessions.booking.book_for_client with
`invite`): the account with no usable password, the invitation link (a Django reset token)
leading to the health form, the booking that shows "health form not yet completed" until the
client signs one, and addresses that already have an account."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from accounts.password_reset import reset_link
from practitioners.models import DateException
from sessions import booking
from sessions.booking import CANNOT_INVITE, BookingRefused, NewClient, book_for_client
from sessions.models import Booking
from tests.factories import BookingFactory, DateExceptionFactory, UserFactory
from tests.sessions.booking_helpers import MONDAY, NOW, Status, existing, la, to
from tests.sessions.intake_helpers import fill_in_steps, post_data

pytestmark = pytest.mark.time_machine(NOW, tick=False)

NEW = NewClient("Nina New", "Nina.New@Example.com", "+1 503 555 0142")
NOTICE = "Health form not yet completed"


def invite(practitioner, new: NewClient = NEW, **kwargs) -> Booking:
    options = {"service": practitioner.services.get(), "minutes": 60, "starts_at": la(MONDAY, 10)}
    return book_for_client(
        practitioner=practitioner, by=practitioner.user, invite=new, **(options | kwargs)
    )


def invitation_link(mailoutbox, user) -> str:
    (email,) = [m for m in to(mailoutbox, user) if "Choose a password" in m.body]
    return re.search(r"http\S+/invite/\S+/", email.body).group(0)


def test_inviting_makes_an_account_that_cannot_log_in_yet_and_books_it(practitioner, mailoutbox):
    booking = invite(practitioner)

    nina = User.objects.get(email="nina.new@example.com")
    assert (nina.full_name, nina.phone) == ("Nina New", "+1 503 555 0142")
    assert not nina.has_usable_password()
    assert not nina.email_verified
    booking.refresh_from_db()
    assert booking.client == nina
    assert booking.status == Status.CONFIRMED
    assert booking.booked_by == practitioner.user
    assert booking.intake is None and booking.flags == []
    assert booking.awaits_health_form


def test_the_new_client_gets_the_invitation_and_the_booking(practitioner, mailoutbox):
    invite(practitioner)

    nina = User.objects.get(email="nina.new@example.com")
    invitation, booked = sorted(to(mailoutbox, nina), key=lambda m: "Choose a password" in m.body)[
        ::-1
    ]
    assert (
        invitation.subject == f"{practitioner.display_name} booked a session for you on reflexbook"
    )
    assert "/invite/" in invitation.body
    assert "booked this session for you" in booked.body
    assert "Please fill in your health form before your session" in booked.body
    assert "first choose your password" in booked.body


def test_a_refused_time_leaves_no_account_behind(practitioner, other_client, mailoutbox):
    existing(practitioner, other_client, None, la(MONDAY, 10))
    mailoutbox.clear()

    with pytest.raises(BookingRefused):
        invite(practitioner)

    assert not User.objects.filter(email="nina.new@example.com").exists()
    assert mailoutbox == []


def test_the_link_sets_a_password_logs_in_verifies_and_leads_to_the_health_form(
    client, practitioner, mailoutbox
):
    invite(practitioner)
    nina = User.objects.get(email="nina.new@example.com")

    form_page = client.get(invitation_link(mailoutbox, nina), follow=True)
    assert "Welcome to reflexbook" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-pass-phrase-9", "new_password2": "a-long-pass-phrase-9"},
    )

    assert done.status_code == 302
    assert done.url == reverse("sessions:intake")
    nina.refresh_from_db()
    assert nina.has_usable_password() and nina.email_verified
    assert client.session[SESSION_KEY] == str(nina.pk)
    # Still logged in on the next page (the session names a backend the site uses).
    assert client.get(reverse("sessions:intake")).wsgi_request.user == nina
    # Used once: the link no longer works.
    client.logout()
    again = client.get(invitation_link(mailoutbox, nina), follow=True)
    assert "This invitation link no longer works" in again.content.decode()


def test_signing_the_health_form_fills_in_the_booking_and_the_notice_goes(
    client, practitioner, mailoutbox
):
    booking = invite(practitioner)
    nina = booking.client
    client.force_login(practitioner.user)
    assert NOTICE in client.get(booking.get_absolute_url()).content.decode()
    agenda = client.get(reverse("sessions:agenda"), {"date": "2026-06-08"}).content.decode()
    assert NOTICE in agenda
    client.force_login(nina)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert NOTICE in page
    assert reverse("sessions:intake") in page

    response = fill_in_steps(client, post_data(signature="Nina New"))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.intake is not None and booking.intake.client == nina
    assert not booking.awaits_health_form
    assert NOTICE not in client.get(booking.get_absolute_url()).content.decode()
    client.force_login(practitioner.user)
    assert NOTICE not in client.get(booking.get_absolute_url()).content.decode()


def test_an_address_of_this_practitioners_client_books_that_client_without_inviting(
    practitioner, client_user, mailoutbox
):
    BookingFactory(practitioner=practitioner, client=client_user, status=Status.COMPLETED)
    mailoutbox.clear()

    booking = invite(practitioner, NewClient("Someone Else", client_user.email.upper()))

    assert booking.client == client_user
    assert User.objects.filter(email__iexact=client_user.email).count() == 1
    client_user.refresh_from_db()
    assert client_user.full_name != "Someone Else"  # the account is not changed
    assert not any("Choose a password" in m.body for m in mailoutbox)


def test_an_address_with_an_account_that_is_not_this_practitioners_client_is_refused(
    practitioner, other_practitioner, mailoutbox
):
    theirs = UserFactory(email="private@example.com")
    BookingFactory(practitioner=other_practitioner, client=theirs, status=Status.COMPLETED)
    mailoutbox.clear()

    with pytest.raises(BookingRefused) as refused:
        invite(practitioner, NewClient("Pry Ing", "private@example.com"))

    assert str(refused.value) == CANNOT_INVITE
    assert other_practitioner.display_name not in str(refused.value)
    assert not practitioner.bookings.exists()
    assert mailoutbox == []


def test_the_page_says_the_same_for_any_address_with_an_account_it_may_not_book(
    client, practitioner, other_practitioner
):
    """A practitioner learns nothing about whose account it is, or about staff."""
    theirs = UserFactory(email="theirs@example.com")
    BookingFactory(practitioner=other_practitioner, client=theirs, status=Status.COMPLETED)
    UserFactory(email="nobodys@example.com")
    client.force_login(practitioner.user)
    length = practitioner.services.get().lengths.get(minutes=60)
    answers = []
    for email in ("theirs@example.com", "nobodys@example.com", other_practitioner.user.email):
        response = client.post(
            reverse("sessions:book-for-client"),
            {
                "who": "new",
                "full_name": "Anne Other",
                "email": email,
                "length": length.pk,
                "day": "2026-06-08",
                "start": "10:00",
                "confirm": "1",
            },
        )
        assert response.status_code == 400
        answers.append(response.context["form"].non_field_errors())
    assert answers[0] == answers[1] == answers[2] == [CANNOT_INVITE]


def test_inviting_through_the_page_shows_the_confirmation(client, practitioner, mailoutbox):
    client.force_login(practitioner.user)
    length = practitioner.services.get().lengths.get(minutes=60)
    data = {
        "who": "new",
        "full_name": "Nina New",
        "email": "nina@example.com",
        "phone": "",
        "length": length.pk,
        "day": "2026-06-08",
        "start": "10:00",
    }

    preview = client.post(reverse("sessions:book-for-client"), data).content.decode()
    done = client.post(reverse("sessions:book-for-client"), data | {"confirm": "1"}, follow=True)

    assert "a new client" in preview
    page = done.content.decode()
    assert "an invitation to set a password" in page
    assert NOTICE in page


def test_a_lost_invitation_is_not_a_dead_end_the_password_reset_sends_a_link(
    client, practitioner, mailoutbox
):
    invite(practitioner)
    mailoutbox.clear()

    client.post(reverse("password_reset"), {"email": "nina.new@example.com"})

    (email,) = mailoutbox
    assert email.to == ["nina.new@example.com"]
    assert "/accounts/reset/" in email.body


@pytest.mark.parametrize("when", ["past", "busy", "closed"])
def test_a_refused_time_says_the_same_for_a_new_address_and_one_with_an_account(
    practitioner, other_client, when
):
    """The time is checked before the address is looked up: a busy, past or closed time
    cannot be used to learn whether an address has an account."""
    UserFactory(email="private@example.com")
    starts_at = {
        "past": NOW - timedelta(days=1),
        "busy": la(MONDAY, 10),
        "closed": la(MONDAY + timedelta(days=1), 10),
    }[when]
    existing(practitioner, other_client, None, la(MONDAY, 10))
    DateExceptionFactory(
        practitioner=practitioner,
        date=MONDAY + timedelta(days=1),
        kind=DateException.Kind.CLOSED,
    )
    answers = []
    for email in ("brand.new@example.com", "private@example.com"):
        with pytest.raises(BookingRefused) as refused:
            invite(practitioner, NewClient("Pry Ing", email), starts_at=starts_at)
        answers.append(str(refused.value))

    assert answers[0] == answers[1] != CANNOT_INVITE
    assert not User.objects.filter(email="brand.new@example.com").exists()


def test_the_invitation_page_refuses_an_ordinary_reset_link_for_an_account_with_a_password(
    client, client_user
):
    """A password-reset token is the same kind of token: it must not become a link that
    logs its holder in."""
    link = reset_link(client_user, "sessions:invite-accept")

    page = client.get(link, follow=True)
    posted = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": "a-long-pass-phrase-9", "new_password2": "a-long-pass-phrase-9"},
    )

    assert "This invitation link no longer works" in page.content.decode()
    assert "This invitation link no longer works" in posted.content.decode()
    assert SESSION_KEY not in client.session
    client_user.refresh_from_db()
    assert not client_user.check_password("a-long-pass-phrase-9")


def test_an_invited_client_gets_the_practice_zone_and_their_emails_show_its_times(
    practitioner, mailoutbox, settings
):
    """Invited by a practice in Los Angeles on a server set to New York: 10:00 there is 13:00
    in New York, and the new client reads 10:00 until they choose their own zone."""
    settings.TIME_ZONE = "America/New_York"

    invite(practitioner)

    nina = User.objects.get(email="nina.new@example.com")
    assert nina.timezone == practitioner.timezone == "America/Los_Angeles"
    (booked,) = [m for m in to(mailoutbox, nina) if "booked this session for you" in m.body]
    assert "Monday 8 June 2026, 10:00" in booked.body
    assert "13:00" not in booked.subject + booked.body


class MissesTheFirstAddressLookUp:
    """booking.User whose first look-up of an address finds nothing: the account was made by
    another practitioner's invitation after that look-up (their lock is on their own row)."""

    def __init__(self):
        self.objects, self.missed = self, False

    def filter(self, **lookups):
        if "email__iexact" in lookups and not self.missed:
            self.missed = True
            return User.objects.none()
        return User.objects.filter(**lookups)


@pytest.mark.parametrize("caught_by", ["the model's check", "the database"])
def test_an_address_invited_elsewhere_at_the_same_moment_cannot_be_invited_not_time_taken(
    practitioner, monkeypatch, mailoutbox, caught_by
):
    UserFactory(email="nina.new@example.com")  # the other practitioner's new client
    monkeypatch.setattr(booking, "User", MissesTheFirstAddressLookUp())
    if caught_by == "the database":  # no model check in between: the unique index refuses
        monkeypatch.setattr(
            booking,
            "create_invited_user",
            lambda **fields: User.objects.create(email=fields["email"].lower()),
        )

    with pytest.raises(BookingRefused) as refused:
        invite(practitioner)

    assert type(refused.value) is BookingRefused
    assert str(refused.value) == CANNOT_INVITE
    assert not practitioner.bookings.exists()
    assert User.objects.filter(email__iexact="nina.new@example.com").count() == 1
