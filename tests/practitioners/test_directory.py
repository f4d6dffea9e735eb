import datetime as dt

import pytest
import time_machine
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

URL = reverse("practitioners:directory")


def names(response) -> list[str]:
    """The practitioners on the page, in order."""
    return [p.display_name for p in response.context["page"].object_list]


def listed(name: str, **fields):
    return ListedPractitionerFactory(display_name=name, **fields)


def test_directory_is_public_and_lists_only_listed_practitioners(client):
    listed("Ann Listed")
    listed("Hal Hidden", is_hidden=True)
    PractitionerFactory(display_name="Ivy Incomplete")  # no service, no hours
    no_city = listed("Nel Nowhere", city="")
    assert no_city.missing_for_listing()
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Ann Listed"]
    assert "Hal Hidden" not in response.text
    assert "Ivy Incomplete" not in response.text
    assert "Nel Nowhere" not in response.text


def test_card_shows_name_link_place_modalities_and_price_range(client):
    practitioner = listed("Ann Card", city="Austin", region="Texas", offers_hand=True)
    response = client.get(URL)
    assert f'href="{practitioner.get_absolute_url()}"' in response.text
    assert "Austin, Texas" in response.text
    assert "Foot, Hand" in response.text
    # The factory's service has 30 min $45 and 60 min $80.
    assert "$45–$80" in response.text


def test_price_range_ignores_inactive_services(client):
    practitioner = listed("Ann Price")
    retired = ServiceFactory(practitioner=practitioner, is_active=False)
    ServiceLengthFactory(service=retired, minutes=60, price="150.00")
    response = client.get(URL)
    assert "$45–$80" in response.text
    assert "$150" not in response.text


def test_single_price_shows_once(client):
    practitioner = PractitionerFactory(display_name="Una Price")
    service = ServiceFactory(practitioner=practitioner)
    ServiceLengthFactory(service=service, minutes=45, price="62.50")
    practitioner.weekly_hours.create(weekday=0, starts=dt.time(9), ends=dt.time(12))
    response = client.get(URL)
    assert "$62.50" in response.text
    assert "$62.50–" not in response.text


def test_card_without_photo_has_a_placeholder_not_a_broken_image(client):
    listed("Ann Nophoto")
    response = client.get(URL)
    assert "rb-avatar-placeholder" in response.text
    assert "<img" not in response.text


def test_search_by_city_name_region_and_postcode(client):
    listed("Ann Austin", city="Austin", region="Texas", postcode="78704")
    listed("Bea Boston", city="Boston", region="Massachusetts", postcode="02116")
    assert names(client.get(URL, {"q": "austin"})) == ["Ann Austin"]
    assert names(client.get(URL, {"q": "Bea"})) == ["Bea Boston"]
    assert names(client.get(URL, {"q": "massachusetts"})) == ["Bea Boston"]
    assert names(client.get(URL, {"q": "78704"})) == ["Ann Austin"]
    # Every word must match somewhere.
    assert names(client.get(URL, {"q": "Ann Texas"})) == ["Ann Austin"]
    assert names(client.get(URL, {"q": "Ann Boston"})) == []


def test_modality_filter(client):
    listed("Ann Foot")
    listed("Bea Hand", offers_hand=True)
    listed("Cy Ear", offers_foot=False, offers_ear=True)
    assert names(client.get(URL, {"modality": "hand"})) == ["Bea Hand"]
    assert names(client.get(URL, {"modality": "ear"})) == ["Cy Ear"]
    assert names(client.get(URL, {"modality": "foot"})) == ["Ann Foot", "Bea Hand"]


def test_session_length_filter_counts_active_services_only(client):
    listed("Ann Thirty")  # 30 and 60 minutes
    bea = listed("Bea Fortyfive")
    ServiceLengthFactory(service=bea.services.get(), minutes=45, price="60.00")
    cy = listed("Cy Retired")
    retired = ServiceFactory(practitioner=cy, is_active=False)
    ServiceLengthFactory(service=retired, minutes=45, price="60.00")
    assert names(client.get(URL, {"length": "45"})) == ["Bea Fortyfive"]
    assert names(client.get(URL, {"length": "30"})) == ["Ann Thirty", "Bea Fortyfive", "Cy Retired"]


def test_verified_only_filter_keeps_current_badges_only(client):
    CertificationFactory(practitioner=listed("Ann Verified"), verified=True)
    CertificationFactory(practitioner=listed("Bea Pending"), pending=True)
    CertificationFactory(
        practitioner=listed("Cy Expired"), verified=True, ce_cycle_end=dt.date(2020, 12, 31)
    )
    listed("Dee None")
    assert names(client.get(URL, {"verified": "on"})) == ["Ann Verified"]


def test_accepting_new_clients_filter(client):
    listed("Ann Open")
    listed("Bea Full", accepting_new_clients=False)
    assert names(client.get(URL, {"accepting": "on"})) == ["Ann Open"]
    response = client.get(URL)
    assert "Not taking new clients at the moment" in response.text


def test_language_filter_is_case_insensitive(client):
    listed("Ann Spanish", languages="English, Spanish")
    listed("Bea English", languages="English")
    assert names(client.get(URL, {"language": "spanish"})) == ["Ann Spanish"]
    assert names(client.get(URL, {"language": "ENGLISH"})) == ["Ann Spanish", "Bea English"]


def test_filters_combine_and_the_form_keeps_its_values(client):
    listed("Ann Match", city="Denver", offers_hand=True, languages="English, Hindi")
    listed("Bea Other", city="Denver")
    params = {"q": "denver", "modality": "hand", "length": "60", "language": "hindi"}
    response = client.get(URL, {**params, "accepting": "on"})
    assert names(response) == ["Ann Match"]
    assert 'value="denver"' in response.text
    assert '<option value="hand" selected>' in response.text
    assert '<option value="60" selected>' in response.text
    assert 'value="hindi"' in response.text
    assert 'name="accepting" class="checkboxinput form-check-input" id="id_accepting" checked' in (
        response.text
    )


def test_form_has_labels_for_every_input(client):
    response = client.get(URL)
    for field in ("q", "modality", "length", "language", "verified", "accepting"):
        assert f'for="id_{field}"' in response.text


def test_invalid_filter_value_shows_an_error_and_is_ignored(client):
    listed("Ann Any")
    response = client.get(URL, {"length": "50", "q": "ann"})
    assert response.status_code == 200
    assert "Sessions are 30, 45 or 60 minutes long." in response.text
    assert names(response) == ["Ann Any"]
    assert 'value="ann"' in response.text


def test_no_results_suggests_clearing_the_filters(client):
    listed("Ann Foot")
    response = client.get(URL, {"q": "nowhere-at-all"})
    assert names(response) == []
    assert "No practitioner matches all of these filters" in response.text
    assert f'<a href="{URL}">clear all filters</a>' in response.text


def test_empty_directory_says_nobody_is_listed_yet(client):
    response = client.get(URL)
    assert "No practitioners are listed yet" in response.text
    assert "clear all filters" not in response.text


def test_badge_holders_come_first_then_by_name(client):
    listed("Ann Plain")
    CertificationFactory(practitioner=listed("Zed Verified"), verified=True)
    CertificationFactory(
        practitioner=listed("Yan Verified"), kind=Certification.Kind.HAND, verified=True
    )
    CertificationFactory(practitioner=listed("Bea Rejected"), state=Certification.State.REJECTED)
    listed("Cy Plain")
    assert names(client.get(URL)) == [
        "Yan Verified",
        "Zed Verified",
        "Ann Plain",
        "Bea Rejected",
        "Cy Plain",
    ]


def test_badges_show_for_each_current_credential_as_text(client):
    practitioner = listed("Ann Both", offers_hand=True)
    CertificationFactory(practitioner=practitioner, kind=Certification.Kind.FOOT, verified=True)
    CertificationFactory(practitioner=practitioner, kind=Certification.Kind.HAND, verified=True)
    response = client.get(URL)
    assert "ARCB certified: foot" in response.text
    assert "ARCB certified: hand" in response.text


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
def test_no_badge_unless_verified(client, state):
    CertificationFactory(practitioner=listed("Ann Unverified"), state=state)
    assert "ARCB certified" not in client.get(URL).text


def test_badge_disappears_when_the_credential_lapses(client):
    certification = CertificationFactory(practitioner=listed("Ann Lapsing"), verified=True)
    assert "ARCB certified: foot" in client.get(URL).text
    certification.state = Certification.State.LAPSED
    certification.save()
    assert "ARCB certified: foot" not in client.get(URL).text
    assert names(client.get(URL, {"verified": "on"})) == []


def test_badge_disappears_the_day_after_the_ce_cycle_ends(client):
    CertificationFactory(
        practitioner=listed("Ann Cycle"), verified=True, ce_cycle_end=dt.date(2027, 12, 31)
    )
    listed("Bea Plain")
    with time_machine.travel(dt.datetime(2027, 12, 31, 18, tzinfo=dt.UTC)):
        response = client.get(URL)
        assert "ARCB certified: foot" in response.text
        assert names(response) == ["Ann Cycle", "Bea Plain"]
    # Still "verified" until the lapse job runs, but the cycle has ended: no badge.
    with time_machine.travel(dt.datetime(2028, 1, 1, 18, tzinfo=dt.UTC)):
        response = client.get(URL)
        assert "ARCB certified" not in response.text
        assert names(response) == ["Ann Cycle", "Bea Plain"]
        assert names(client.get(URL, {"verified": "on"})) == []


def test_twenty_a_page_and_page_two_keeps_the_filters(client):
    for n in range(23):
        listed(f"Hand {n:02d}", offers_hand=True)
    listed("Only Foot")
    first = client.get(URL, {"modality": "hand"})
    assert len(names(first)) == 20
    assert first.context["page"].paginator.count == 23
    assert 'href="?modality=hand&amp;page=2"' in first.text
    assert 'aria-label="Result pages"' in first.text
    second = client.get(URL, {"modality": "hand", "page": "2"})
    assert names(second) == ["Hand 20", "Hand 21", "Hand 22"]
    assert 'href="?modality=hand&amp;page=1"' in second.text
    assert 'aria-current="page"' in second.text
    assert "Only Foot" not in second.text


def test_a_page_number_out_of_range_shows_the_last_page(client):
    listed("Ann Only")
    response = client.get(URL, {"page": "99"})
    assert response.status_code == 200
    assert names(response) == ["Ann Only"]


def test_directory_refuses_post(client):
    assert client.post(URL).status_code == 405


def test_the_search_form_puts_no_security_token_in_the_address(client, db):
    page = client.get(reverse("practitioners:directory"))
    search_form = page.text.split('role="search"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in search_form
