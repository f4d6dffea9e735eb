"""The practitioner's clients list: who appears (everyone who booked them, nobody else's
clients), search by name, email and phone, next and last session in the practice's zone,
the counts, the flags in force, pages, and who may open it."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from sessions.clients import clients_found, compact_phone, with_figures
from sessions.models import Booking
from tests.factories import BookingFactory, IntakeFormFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Tuesday 10 March 2026: Los Angeles moved its clocks forward on Sunday 8 March.
NOW = dt.datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
Status = Booking.Status
VERRUCA = {"code": "verruca", "tier": "avoid", "label": "Verruca", "detail": "d", "reason": "r"}
PREGNANT = {
    "code": "pregnancy",
    "tier": "clearance",
    "label": "Pregnant",
    "detail": "d",
    "reason": "r",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def book(client, practitioner, days: float, status=Status.CONFIRMED, **kw) -> Booking:
    """A booking of `client` with `practitioner`, `days` from NOW (negative: in the past)."""
    return BookingFactory(
        client=client,
        practitioner=practitioner,
        starts_at=NOW + dt.timedelta(days=days),
        status=status,
        **kw,
    )


def listed_names(response) -> list[str]:
    return re.findall(r'<th scope="row">\s*<a href="[^"]+">([^<]+)</a>', response.text)


def row_of(response, name: str) -> str:
    """The table row of the client called `name`, as HTML."""
    rows = re.findall(r"<tr>.*?</tr>", response.text, flags=re.S)
    return next(row for row in rows if f">{name}</a>" in row)


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def test_everyone_who_booked_the_practitioner_appears_whatever_the_status(
    logged_in, practitioner, client_user, other_client, other_practitioner
):
    cancelled = UserFactory(full_name="Cass Cancelled")
    declined = UserFactory(full_name="Dee Declined")
    book(client_user, practitioner, 3)
    book(cancelled, practitioner, 5, status=Status.CANCELLED_BY_CLIENT)
    book(declined, practitioner, 6, status=Status.DECLINED)
    book(other_client, other_practitioner, 3)

    response = logged_in.get(reverse("sessions:clients"))

    assert response.status_code == 200
    assert listed_names(response) == ["Cara Client", "Cass Cancelled", "Dee Declined"]
    assert "3 clients" in response.text
    assert "Olly Other" not in response.text


def test_another_practitioner_never_sees_this_practitioners_clients(
    client, practitioner, client_user, other_practitioner
):
    book(client_user, practitioner, 3)
    client.force_login(other_practitioner.user)

    response = client.get(reverse("sessions:clients") + "?q=Cara")

    assert listed_names(response) == []
    assert "Cara Client" not in response.text
    assert "No client matches “Cara”" in response.text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("cara", ["Cara Client"]),
        ("CLIENT cara", ["Cara Client"]),
        ("olly@", ["Olly Other"]),
        ("example.com", ["Cara Client", "Olly Other"]),
        ("503 555", ["Cara Client"]),
        ("5035550142", ["Cara Client"]),
        ("(503) 555-0142", ["Cara Client"]),
        ("nobody", []),
    ],
)
def test_search_finds_clients_by_name_email_or_phone(
    logged_in, practitioner, client_user, other_client, query, found
):
    client_user.phone = "+1 503-555 0142"
    client_user.email = "cara@example.com"
    client_user.save()
    other_client.email = "olly@example.com"
    other_client.save()
    book(client_user, practitioner, 3)
    book(other_client, practitioner, 4)

    response = logged_in.get(reverse("sessions:clients"), {"q": query})

    assert listed_names(response) == found
    # The search box keeps what was typed.
    assert f'value="{query}"'.replace("&", "&amp;") in response.text.replace("&#x27;", "'")


def test_compact_phone_drops_what_people_type_between_digits():
    assert compact_phone("+44 (0)7700-900.123/4") == "+4407700900123" + "4"


def test_a_search_too_long_says_so_and_keeps_the_words(logged_in, practitioner, client_user):
    book(client_user, practitioner, 3)
    words = "x" * 101

    response = logged_in.get(reverse("sessions:clients"), {"q": words})

    assert "Keep the search under 100 characters." in response.text
    assert words in response.text
    assert listed_names(response) == []


def test_counts_next_and_last_session_are_this_practitioners_only(
    practitioner, client_user, other_practitioner
):
    book(client_user, practitioner, -30, status=Status.COMPLETED)
    last = book(client_user, practitioner, -2, status=Status.CONFIRMED)  # started, not closed
    book(client_user, practitioner, -9, status=Status.NO_SHOW)
    book(
        client_user, practitioner, -12, status=Status.CANCELLED_BY_CLIENT, is_late_cancellation=True
    )
    book(client_user, practitioner, -14, status=Status.CANCELLED_BY_CLIENT)
    nearest = book(client_user, practitioner, 2)
    book(client_user, practitioner, 9, status=Status.REQUESTED)
    # With someone else: none of it counts here.
    book(client_user, other_practitioner, 1)
    book(client_user, other_practitioner, -1, status=Status.COMPLETED)
    book(client_user, other_practitioner, -3, status=Status.NO_SHOW)

    row = with_figures(clients_found(practitioner, now=NOW), practitioner, now=NOW).get()

    assert row.next_session == nearest.starts_at
    assert row.last_session == last.starts_at
    assert (row.sessions, row.no_shows, row.late_cancellations) == (2, 1, 1)


def test_the_row_shows_times_in_the_practice_zone_across_the_clock_change(
    logged_in, practitioner, client_user
):
    # 17:00 UTC was 09:00 in Los Angeles before 8 March (PST) and is 10:00 after (PDT).
    for day, status in ((28, Status.COMPLETED), (12, Status.CONFIRMED)):
        month = 2 if day == 28 else 3
        BookingFactory(
            client=client_user,
            practitioner=practitioner,
            status=status,
            starts_at=dt.datetime(2026, month, day, 17, 0, tzinfo=UTC),
        )

    row = row_of(logged_in.get(reverse("sessions:clients")), "Cara Client")

    assert "Sat 28 Feb 2026, 09:00" in row
    assert "Thu 12 Mar 2026, 10:00" in row
    assert 'datetime="2026-03-12T10:00:00-07:00"' in row


def test_the_counts_are_shown_in_the_row(logged_in, practitioner, client_user):
    book(client_user, practitioner, -20, status=Status.COMPLETED)
    book(client_user, practitioner, -9, status=Status.NO_SHOW)
    book(client_user, practitioner, -8, status=Status.NO_SHOW)
    book(
        client_user, practitioner, -5, status=Status.CANCELLED_BY_CLIENT, is_late_cancellation=True
    )

    row = row_of(logged_in.get(reverse("sessions:clients")), "Cara Client")

    assert '<td data-label="Sessions">1</td>' in row
    assert '<td data-label="No-shows">2</td>' in row
    assert '<td data-label="Late cancellations">1</td>' in row
    assert "None booked" in row


def test_flags_in_force_are_those_of_the_next_session(logged_in, practitioner, client_user):
    book(client_user, practitioner, -5, status=Status.COMPLETED, flags=[PREGNANT])
    book(client_user, practitioner, 4, flags=[VERRUCA])
    book(client_user, practitioner, 11, flags=[])

    row = row_of(logged_in.get(reverse("sessions:clients")), "Cara Client")

    assert "Verruca" in row
    assert "(Avoid area)" in row  # the tier in words, not colour alone
    assert "Pregnant" not in row


def test_without_a_next_session_the_last_open_sessions_flags_are_in_force(
    logged_in, practitioner, client_user, other_client
):
    book(client_user, practitioner, -40, status=Status.COMPLETED, flags=[VERRUCA])
    book(client_user, practitioner, -5, status=Status.COMPLETED, flags=[PREGNANT])
    book(other_client, practitioner, 3, status=Status.CANCELLED_BY_CLIENT, flags=[PREGNANT])

    response = logged_in.get(reverse("sessions:clients"))

    cara = row_of(response, "Cara Client")
    assert "Pregnant" in cara and "Verruca" not in cara
    # A cancelled booking opens nothing: no flags are in force for that client.
    olly = row_of(response, "Olly Other")
    assert "Pregnant" not in olly
    assert '<td data-label="Flags in force">' in olly and "None" in olly


def test_the_list_has_pages_of_25_by_name(logged_in, practitioner):
    people = [UserFactory(full_name=f"Client {n:02d}") for n in range(30)]
    for n, person in enumerate(people):
        book(person, practitioner, 1 + n / 10)

    first = logged_in.get(reverse("sessions:clients"))
    second = logged_in.get(reverse("sessions:clients"), {"page": 2})

    assert listed_names(first) == [f"Client {n:02d}" for n in range(25)]
    assert listed_names(second) == [f"Client {n:02d}" for n in range(25, 30)]
    assert "page 2 of 2" in second.text


def test_a_search_keeps_its_words_across_pages(logged_in, practitioner):
    for n in range(27):
        book(UserFactory(full_name=f"Rowan {n:02d}"), practitioner, 1 + n / 10)
    book(UserFactory(full_name="Someone Else"), practitioner, 5)

    response = logged_in.get(reverse("sessions:clients"), {"q": "rowan"})

    assert "27 clients match “rowan”" in response.text
    assert "?q=rowan&amp;page=2" in response.text


def test_the_navigation_links_to_the_clients_list(logged_in):
    response = logged_in.get(reverse("sessions:agenda"))
    assert f'href="{reverse("sessions:clients")}">Clients</a>' in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("client", 403),
        ("practitioner", 200),
        ("other practitioner", 200),
        ("staff", 403),
    ],
    indirect=["who"],
)
def test_the_list_is_for_practitioners(client, who, status):
    response = client.get(reverse("sessions:clients"))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))


def test_search_finds_the_phone_on_the_health_form_the_practitioner_may_read(
    logged_in, practitioner, client_user, other_client
):
    # The account's phone is optional; the health form asks everyone for one.
    form = IntakeFormFactory(client=client_user, answers={"phone": "503.555.0199"})
    book(client_user, practitioner, 3, intake=form)
    closed = IntakeFormFactory(client=other_client, answers={"phone": "503.555.0177"})
    book(other_client, practitioner, 3, intake=closed, status=Status.DECLINED)

    found = logged_in.get(reverse("sessions:clients"), {"q": "503 555 0199"})
    hidden = logged_in.get(reverse("sessions:clients"), {"q": "5035550177"})

    assert listed_names(found) == ["Cara Client"]
    assert "503.555.0199" in row_of(found, "Cara Client")
    # A declined booking opens nothing: that client's form is not searched.
    assert listed_names(hidden) == []
