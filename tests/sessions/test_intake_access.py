import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from sessions.models import IntakeAccess
from tests.factories import BookingFactory, ClearanceNoteFactory, IntakeFormFactory, UserFactory
from tests.sessions.intake_helpers import answers
from tests.two_factor import log_in_as, log_in_verified


@pytest.fixture
def intake(client_user):
    return IntakeFormFactory(client=client_user, version=1, answers=answers())


@pytest.fixture
def booking(client_user, practitioner, intake):
    # A request the practitioner has yet to answer: they read the form to decide.
    return BookingFactory(
        client=client_user, practitioner=practitioner, intake=intake, status="requested"
    )


def detail_url(intake, **query):
    url = reverse("sessions:intake-detail", kwargs={"code": intake.code})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("client_user", 200),
        ("other_client", 404),
        ("practitioner", 200),
        ("other_practitioner", 404),
        ("staff", 200),
        ("anonymous", 302),
    ],
)
def test_intake_detail_access(client, request, booking, intake, who, status):
    if who != "anonymous":
        person = request.getfixturevalue(who)
        log_in_as(client, getattr(person, "user", person))

    response = client.get(detail_url(intake))

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    expected_rows = 1 if who in ("practitioner", "staff") else 0
    assert IntakeAccess.objects.count() == expected_rows


def test_a_read_by_the_practitioner_is_logged_with_role_version_and_booking(
    client, booking, intake, practitioner
):
    client.force_login(practitioner.user)

    response = client.get(detail_url(intake, booking=booking.code))

    assert response.status_code == 200
    assert "This read is recorded" in response.text
    access = IntakeAccess.objects.get()
    assert access.viewer == practitioner.user
    assert access.role == "practitioner"
    assert access.intake == intake
    assert access.booking == booking


def test_every_read_is_a_new_row(client, booking, intake, staff):
    log_in_verified(client, staff)

    client.get(detail_url(intake))
    client.get(detail_url(intake))

    assert list(IntakeAccess.objects.values_list("role", flat=True)) == ["staff", "staff"]


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_booking_in_the_query_is_ignored(client, booking, intake, practitioner, value):
    client.force_login(practitioner.user)

    response = client.get(detail_url(intake, booking=value))

    assert response.status_code == 200
    assert IntakeAccess.objects.get().booking is None


def test_a_booking_the_viewer_cannot_see_is_not_recorded(
    client, booking, intake, client_user, practitioner, other_practitioner
):
    someone_elses = BookingFactory(client=client_user, practitioner=other_practitioner)
    client.force_login(practitioner.user)

    client.get(detail_url(intake, booking=someone_elses.code))

    assert IntakeAccess.objects.get().booking is None


def test_the_client_sees_the_practitioners_read_on_the_access_list(
    client, booking, intake, client_user, practitioner
):
    client.force_login(practitioner.user)
    client.get(detail_url(intake, booking=booking.code))
    client.force_login(client_user)

    response = client.get(reverse("sessions:intake-access"))

    assert response.status_code == 200
    assert "Pat Practitioner" in response.text
    assert "<td>Practitioner</td>" in response.text
    assert "your health form (version 1)" in response.text
    assert reverse("sessions:booking-detail", kwargs={"code": booking.code}) in response.text


def test_the_access_list_shows_only_the_clients_own_intakes(
    client, booking, intake, other_client, staff
):
    theirs = IntakeFormFactory(client=other_client)
    log_in_verified(client, staff)
    client.get(detail_url(theirs))
    client.force_login(other_client)

    response = client.get(reverse("sessions:intake-access"))

    assert "Sid Staff" in response.text
    client.force_login(intake.client)
    assert "Nobody but you has read" in client.get(reverse("sessions:intake-access")).text


def test_the_access_list_runs_a_fixed_number_of_queries(
    client, client_user, intake, django_assert_max_num_queries
):
    for _ in range(15):
        viewer = UserFactory()
        IntakeAccess.objects.create(
            client=client_user,
            intake=intake,
            viewer=viewer,
            role="staff",
            booking=BookingFactory(client=client_user),
        )
    client.force_login(client_user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("sessions:intake-access"))

    assert response.text.count("<tr>") == 16


def test_the_practitioner_sees_what_changed_since_the_previous_version(
    client, client_user, booking, intake, practitioner
):
    second = IntakeFormFactory(
        client=client_user,
        version=2,
        answers=answers(epilepsy=True, medications="Lamotrigine"),
    )
    client.force_login(practitioner.user)

    response = client.get(detail_url(second))

    assert "Compared with the previous version (1" in response.text
    assert "2 answers changed:" in response.text
    assert 'href="#answer-epilepsy"' in response.text
    assert response.text.count("rb-answer-changed") == 2
    assert "Before: Vitamin D supplement" in response.text
    assert "Lamotrigine" in response.text


def test_from_a_booking_the_comparison_is_with_the_previous_sessions_form(
    client, client_user, practitioner, intake
):
    earlier = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=intake,
        status="completed",
        starts_at=dt.datetime(2026, 3, 2, 18, tzinfo=dt.UTC),
    )
    IntakeFormFactory(client=client_user, version=2, answers=answers(blood_thinners=True))
    third = IntakeFormFactory(
        client=client_user, version=3, answers=answers(blood_thinners=True, epilepsy=True)
    )
    later = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=third,
        starts_at=earlier.starts_at + dt.timedelta(days=300),
    )
    client.force_login(practitioner.user)

    response = client.get(detail_url(third, booking=later.code))

    assert "version 1, the form in force at the previous session" in response.text
    assert response.text.count("rb-answer-changed") == 2  # both changes since version 1
    assert "(the version in force when booked)" in response.text


def test_the_earlier_booking_still_shows_the_old_version(client, client_user, practitioner, intake):
    old_booking = BookingFactory(client=client_user, practitioner=practitioner, intake=intake)
    IntakeFormFactory(client=client_user, version=2, answers=answers(epilepsy=True))
    client.force_login(practitioner.user)

    response = client.get(detail_url(old_booking.intake, booking=old_booking.code))

    assert "version 1" in response.text
    assert "This is the first version of the form." in response.text
    assert "rb-answer-changed" not in response.text


def test_practitioner_sees_clearance_confirmed_on_the_intake_from_the_booking(
    client, client_user, practitioner
):
    flags = [
        {
            "code": "pregnancy_high_risk",
            "tier": "clearance",
            "label": "Pregnant",
            "detail": "You told us you are pregnant.",
            "reason": "High-risk pregnancy.",
            "area": "",
        }
    ]
    pregnant = IntakeFormFactory(client=client_user, flags=flags, answers=answers())
    booking = BookingFactory(
        client=client_user,
        practitioner=practitioner,
        intake=pregnant,
        flags=flags,
        clearance_confirmed_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),  # 19th in New York
    )
    client.force_login(practitioner.user)

    response = client.get(detail_url(pregnant, booking=booking.code))

    assert "Pregnant (client says their doctor or midwife agrees)" in response.text
    assert "The client says their doctor or midwife agrees (ticked on 19 November 2026" in (
        response.text
    )
    assert "clearance confirmed" not in response.text.lower()
    assert "High-risk pregnancy." in response.text

    ClearanceNoteFactory(intake=pregnant)
    response = client.get(detail_url(pregnant, booking=booking.code))

    assert "Pregnant (clearance confirmed: note uploaded)" in response.text
    assert "Clearance confirmed: a note from the client's doctor or midwife" in response.text


def test_clearance_notes_are_private_and_their_reads_logged(
    client, client_user, booking, intake, practitioner, other_practitioner
):
    from django.core.files.base import ContentFile

    from sessions.models.intake import ClearanceNote
    from tests.factories import PDF_BYTES

    note = ClearanceNote.objects.create(
        intake=intake,
        file=ContentFile(PDF_BYTES, name="note.pdf"),
        original_name="note.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    url = reverse("sessions:intake-note-file", kwargs={"code": note.code})

    client.force_login(other_practitioner.user)
    assert client.get(url).status_code == 404
    client.force_login(practitioner.user)
    assert "note.pdf" in client.get(detail_url(intake)).text
    response = client.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert IntakeAccess.objects.filter(viewer=practitioner.user).count() == 2
