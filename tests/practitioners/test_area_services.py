from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from practitioners.models import Service, ServiceLength
from tests.factories import PractitionerFactory, ServiceFactory, ServiceLengthFactory

pytestmark = pytest.mark.django_db


def service_data(lengths=(("30", "45.00"), ("60", "80.00")), existing=(), **changes):
    """POST data for the service form: `lengths` as (minutes, price) rows, padded to 3."""
    data = {
        "name": "Hand reflexology",
        "description": "A quiet session working the reflexes of both hands.",
        "buffer_minutes": "10",
        "is_active": "on",
        "lengths-TOTAL_FORMS": "3",
        "lengths-INITIAL_FORMS": str(len(existing)),
        "lengths-MIN_NUM_FORMS": "0",
        "lengths-MAX_NUM_FORMS": "3",
    }
    rows = list(lengths) + [("", "")] * (3 - len(lengths))
    for i, (minutes, price) in enumerate(rows):
        data[f"lengths-{i}-minutes"] = minutes
        data[f"lengths-{i}-price"] = price
    for i, pk in enumerate(existing):
        data[f"lengths-{i}-id"] = str(pk)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def logged_in(client, practitioner):
    client.force_login(practitioner.user)
    return client


def lengths_of(service):
    return [(length.minutes, length.price) for length in service.lengths.all()]


def test_services_list_shows_lengths_prices_and_whether_offered(logged_in, practitioner):
    retired = ServiceFactory(practitioner=practitioner, name="Ear reflexology", is_active=False)
    ServiceLengthFactory(service=retired, minutes=45, price="55.00")
    text = logged_in.get(reverse("practitioners:services")).text
    assert "Foot reflexology" in text
    assert "30 min $45.00" in text
    assert "60 min $80.00" in text
    assert "Ear reflexology" in text
    assert "45 min $55.00" in text
    assert "Not offered" in text


@pytest.mark.parametrize("count", [2, 20])
def test_services_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    owner = PractitionerFactory()
    for n in range(count):
        service = ServiceFactory(practitioner=owner, name=f"Service {n}")
        ServiceLengthFactory(service=service, minutes=30, price="40.00")
        ServiceLengthFactory(service=service, minutes=60, price="70.00")
    client.force_login(owner.user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("practitioners:services"))
    assert response.text.count("60 min $70.00") == count


def test_a_service_is_created_with_its_lengths(logged_in, practitioner):
    response = logged_in.post(reverse("practitioners:service-create"), service_data())
    assert response.status_code == 302
    assert response.url == reverse("practitioners:services")
    service = practitioner.services.get(name="Hand reflexology")
    assert service.buffer_minutes == 10
    assert service.is_active
    assert lengths_of(service) == [(30, Decimal("45.00")), (60, Decimal("80.00"))]
    assert "“Hand reflexology” was added." in logged_in.get(response.url).text


def test_new_service_form_offers_three_lengths_and_a_15_minute_buffer(logged_in):
    text = logged_in.get(reverse("practitioners:service-create")).text
    assert "<h1>Add a service</h1>" in text
    assert 'name="buffer_minutes" value="15"' in text
    assert text.count('<option value="45">45 minutes</option>') == 3


def test_a_50_minute_length_is_refused_and_nothing_else_lost(logged_in, practitioner):
    response = logged_in.post(
        reverse("practitioners:service-create"),
        service_data(lengths=[("30", "45.00"), ("50", "70.00")]),
    )
    assert response.status_code == 200
    text = response.text
    assert "Sessions are 30, 45 or 60 minutes long." in text
    assert 'value="Hand reflexology"' in text
    assert "A quiet session working the reflexes of both hands." in text
    assert 'value="45.00"' in text
    assert 'value="70.00"' in text
    assert 'name="buffer_minutes" value="10"' in text
    assert not practitioner.services.filter(name="Hand reflexology").exists()
    assert ServiceLength.objects.count() == 2  # only the fixture's own


def test_the_database_refuses_other_lengths(practitioner):
    service = practitioner.services.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLength.objects.create(service=service, minutes=50, price="70.00")


def test_the_same_length_twice_is_refused(logged_in, practitioner):
    response = logged_in.post(
        reverse("practitioners:service-create"),
        service_data(lengths=[("60", "80.00"), ("60", "75.00")]),
    )
    assert "You entered the 60-minute length twice" in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()


def test_at_least_one_length_is_required(logged_in, practitioner):
    response = logged_in.post(reverse("practitioners:service-create"), service_data(lengths=[]))
    assert "Add at least one length with its price." in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()


def test_a_length_without_a_price_is_refused(logged_in, practitioner):
    response = logged_in.post(
        reverse("practitioners:service-create"), service_data(lengths=[("45", "")])
    )
    assert "Enter the price for this length." in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()


def test_a_price_without_a_length_is_refused(logged_in, practitioner):
    response = logged_in.post(
        reverse("practitioners:service-create"), service_data(lengths=[("30", "45"), ("", "60")])
    )
    assert "Choose a length." in response.text
    assert 'value="60"' in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()


def test_empty_rows_have_no_required_marker(logged_in):
    text = logged_in.get(reverse("practitioners:service-create")).text
    assert "Length<span" not in text


@pytest.mark.parametrize("buffer", ["31", "-1"])
def test_buffer_outside_0_to_30_is_refused(logged_in, practitioner, buffer):
    response = logged_in.post(
        reverse("practitioners:service-create"), service_data(buffer_minutes=buffer)
    )
    assert "The buffer is between 0 and 30 minutes." in response.text
    assert 'value="Hand reflexology"' in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()


def test_editing_changes_prices_adds_and_removes_lengths(logged_in, practitioner):
    service = practitioner.services.get()
    thirty, sixty = service.lengths.all()
    data = service_data(
        lengths=[("30", "50.00"), ("60", "80.00"), ("45", "65.00")],
        existing=[thirty.pk, sixty.pk],
        name="Foot reflexology",
        **{"lengths-1-DELETE": "on"},
    )
    response = logged_in.post(reverse("practitioners:service-edit", args=[service.pk]), data)
    assert response.status_code == 302
    assert lengths_of(service) == [(30, Decimal("50.00")), (45, Decimal("65.00"))]


def test_edit_page_shows_the_saved_lengths(logged_in, practitioner):
    service = practitioner.services.get()
    text = logged_in.get(reverse("practitioners:service-edit", args=[service.pk])).text
    assert "<h1>Edit “Foot reflexology”</h1>" in text
    assert 'value="45.00"' in text
    assert 'value="80.00"' in text
    assert "Delete" in text


def test_a_service_is_switched_off_not_deleted(logged_in, practitioner):
    service = practitioner.services.get()
    thirty, sixty = service.lengths.all()
    data = service_data(
        lengths=[("30", "45.00"), ("60", "80.00")],
        existing=[thirty.pk, sixty.pk],
        is_active=None,
    )
    logged_in.post(reverse("practitioners:service-edit", args=[service.pk]), data)
    service.refresh_from_db()
    assert service.is_active is False
    assert Service.objects.filter(pk=service.pk).exists()
    assert practitioner.missing_for_listing() == [
        "Add at least one active service with a length and price."
    ]


def test_a_failed_edit_saves_nothing(logged_in, practitioner):
    service = practitioner.services.get()
    thirty, sixty = service.lengths.all()
    data = service_data(
        lengths=[("30", "99.00"), ("50", "80.00")], existing=[thirty.pk, sixty.pk], name="Renamed"
    )
    response = logged_in.post(reverse("practitioners:service-edit", args=[service.pk]), data)
    assert "Sessions are 30, 45 or 60 minutes long." in response.text
    service.refresh_from_db()
    assert service.name == "Foot reflexology"
    assert lengths_of(service) == [(30, Decimal("45.00")), (60, Decimal("80.00"))]


def test_claims_in_a_service_description_are_refused(logged_in, practitioner):
    description = "This session treats anxiety."
    url = reverse("practitioners:service-create")
    response = logged_in.post(url, service_data(description=description, confirm_wording="on"))
    assert "remove “treats anxiety”." in response.text
    assert description in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()


def test_soft_claims_in_a_service_need_acknowledging(logged_in, practitioner):
    description = "A session that boosts the immune system."
    url = reverse("practitioners:service-create")
    response = logged_in.post(url, service_data(description=description))
    assert "This wording may read as a health claim: “boosts the immune system”." in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()
    response = logged_in.post(url, service_data(description=description, confirm_wording="on"))
    assert response.status_code == 302
    assert practitioner.services.get(name="Hand reflexology").description == description


def test_a_service_cannot_claim_board_certification_without_a_badge(logged_in, practitioner):
    url = reverse("practitioners:service-create")
    response = logged_in.post(url, service_data(name="Board certified hand reflexology"))
    assert "remove “Board certified hand”" in response.text
    assert not practitioner.services.filter(name__startswith="Board").exists()


def test_labour_induction_wording_in_a_service_is_refused(logged_in, practitioner):
    description = "Helps bring on labour after 38 weeks."
    url = reverse("practitioners:service-create")
    response = logged_in.post(url, service_data(description=description, confirm_wording="on"))

    assert response.status_code == 200
    assert "remove “bring on labour”" in response.text
    assert not practitioner.services.filter(name="Hand reflexology").exists()
