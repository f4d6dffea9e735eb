import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from practitioners.models import Certification
from tests.factories import (
    CertificationFactory,
    ListedPractitionerFactory,
    PractitionerFactory,
    ServiceFactory,
    ServiceLengthFactory,
)

pytestmark = pytest.mark.django_db


def profile_url(practitioner) -> str:
    return reverse("practitioners:detail", kwargs={"slug": practitioner.slug})


@pytest.fixture
def maya(db):
    return ListedPractitionerFactory(
        display_name="Maya Okafor",
        city="Brooklyn",
        region="New York",
        postcode="11215",
        timezone="America/New_York",
        bio="First paragraph about <b>me</b>.\n\nSecond paragraph.",
        offers_hand=True,
        languages="English, Igbo",
        years_in_practice=12,
        premises_note="Step-free access.",
    )


def test_profile_is_public_and_titled_with_the_name(client, maya):
    response = client.get(profile_url(maya))
    assert response.status_code == 200
    assert "<title>Maya Okafor · reflexbook</title>" in response.text
    assert response.text.count("<h1") == 1
    assert "Maya Okafor</h1>" in response.text


def test_profile_shows_the_practitioners_details(client, maya):
    response = client.get(profile_url(maya))
    text = response.text
    assert "Brooklyn, New York" in text
    assert "11215" in text
    assert "Foot, Hand" in text
    assert "English, Igbo" in text
    assert "Years in practice</dt>" in text
    assert "<dd>12</dd>" in text
    assert "Step-free access." in text
    assert "Accepting new clients." in text


def test_bio_keeps_paragraphs_and_is_escaped(client, maya):
    text = client.get(profile_url(maya)).text
    assert "<p>First paragraph about &lt;b&gt;me&lt;/b&gt;.</p>" in text
    assert "<p>Second paragraph.</p>" in text
    assert "<b>me</b>" not in text


def test_not_accepting_new_clients_is_said(client):
    practitioner = ListedPractitionerFactory(accepting_new_clients=False)
    assert "Not taking new clients at the moment." in client.get(profile_url(practitioner)).text


def test_placeholder_or_photo(client, maya):
    assert "rb-avatar-placeholder" in client.get(profile_url(maya)).text
    maya.photo.save("maya.jpg", ContentFile(b"jpeg"), save=True)
    text = client.get(profile_url(maya)).text
    assert f'src="{maya.photo.url}" alt="Photo of Maya Okafor"' in text
    assert "rb-avatar-placeholder" not in text


def test_services_show_each_active_length_and_price(client, maya):
    hands = ServiceFactory(practitioner=maya, name="Hands and feet", description="Both.")
    ServiceLengthFactory(service=hands, minutes=45, price="70.50")
    retired = ServiceFactory(practitioner=maya, name="Old menu item", is_active=False)
    ServiceLengthFactory(service=retired, minutes=60, price="99.00")
    text = client.get(profile_url(maya)).text
    assert "Foot reflexology</h3>" in text
    assert "30 minutes: $45" in text
    assert "60 minutes: $80" in text
    assert "Hands and feet</h3>" in text
    assert "45 minutes: $70.50" in text
    assert "Old menu item" not in text
    assert "$99" not in text


def test_current_credentials_show_with_their_verification_date(client, maya):
    CertificationFactory(
        practitioner=maya,
        kind=Certification.Kind.FOOT,
        verified=True,
        # 02:00 UTC is still 10 March in New York: the date is the practitioner's.
        verified_at=dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC),
    )
    text = client.get(profile_url(maya)).text
    assert "ARCB certified: foot — verified on 10 March 2026" in text
    assert "ARCB certified: hand" not in text


@pytest.mark.parametrize(
    "state",
    [
        Certification.State.DRAFT,
        Certification.State.PENDING,
        Certification.State.REJECTED,
        Certification.State.LAPSED,
        Certification.State.REVOKED,
    ],
)
def test_credentials_not_verified_are_not_shown(client, maya, state):
    CertificationFactory(practitioner=maya, state=state, verified_at=dt.datetime.now(dt.UTC))
    text = client.get(profile_url(maya)).text
    assert "ARCB certified" not in text
    assert "verified on" not in text
    assert "No current ARCB certification" in text


def test_credential_past_its_ce_cycle_is_not_shown(client, maya):
    CertificationFactory(practitioner=maya, verified=True, ce_cycle_end=dt.date(2027, 12, 31))
    with time_machine.travel(dt.datetime(2027, 12, 31, 18, tzinfo=dt.UTC)):
        assert "ARCB certified: foot — verified on" in client.get(profile_url(maya)).text
    with time_machine.travel(dt.datetime(2028, 1, 1, 18, tzinfo=dt.UTC)):
        assert "ARCB certified" not in client.get(profile_url(maya)).text


def test_book_links_lead_to_the_booking_flow(client, maya):
    text = client.get(profile_url(maya)).text
    book_url = reverse("sessions:book", kwargs={"slug": maya.slug})
    assert f'href="{book_url}">Book a session</a>' in text
    assert f'href="{book_url}">See free times</a>' in text
    assert "coming soon" not in text


@pytest.mark.parametrize(
    "make",
    [
        lambda: ListedPractitionerFactory(is_hidden=True),
        lambda: PractitionerFactory(),  # no service or hours yet
        lambda: ListedPractitionerFactory(city=""),
    ],
    ids=["hidden", "incomplete", "no-place"],
)
def test_unlisted_profiles_are_404(client, make):
    assert client.get(profile_url(make())).status_code == 404


def test_unknown_slug_is_404(client):
    assert client.get("/practitioners/nobody-here/").status_code == 404


def test_profile_query_count_is_fixed(client, maya, django_assert_max_num_queries):
    for kind in Certification.Kind:
        CertificationFactory(practitioner=maya, kind=kind, verified=True)
    for n in range(5):
        service = ServiceFactory(practitioner=maya, name=f"Extra {n}", home_visit=n == 0)
        ServiceLengthFactory(service=service, minutes=30, price="40.00")
        ServiceLengthFactory(service=service, minutes=45, price="55.00")
    # The practitioner, their badges, their active services, the services' lengths; and for
    # a visitor the version the cached page is keyed on (reflexbook.lib.page_cache).
    with django_assert_max_num_queries(5):
        response = client.get(profile_url(maya))
    assert response.text.count("— verified on") == 2
    assert response.text.count("45 minutes: $55") == 5
    assert "Home visits offered" in response.text
    assert "in postcodes 97201, 972" in response.text


def test_a_practitioner_not_taking_new_clients_offers_booking_to_existing_clients_only(client):
    closed = ListedPractitionerFactory(accepting_new_clients=False)
    text = client.get(reverse("practitioners:detail", kwargs={"slug": closed.slug})).text
    assert "Not taking new clients at the moment" in text
    assert ">Book a session</a>" not in text.replace("can still <a", "")
    assert "See free times" not in text
