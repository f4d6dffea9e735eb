import pytest
from django.urls import reverse

from tests.factories import PractitionerFactory, ServiceFactory, ServiceLengthFactory

pytestmark = pytest.mark.django_db

URL = "practitioners:dashboard"


def test_new_practitioner_sees_what_keeps_them_out_of_the_directory(client):
    fresh = PractitionerFactory(city="")
    client.force_login(fresh.user)
    text = client.get(reverse(URL)).text
    assert "<h1>Your practice</h1>" in text
    assert "Your profile is not in the directory yet" in text
    assert "Add the city or town where you practise." in text
    assert "Add at least one active service with a length and price." in text
    assert "Add your weekly hours." in text
    assert "Your profile is listed" not in text


def test_hidden_profile_says_how_to_list_it(client, practitioner):
    practitioner.is_hidden = True
    practitioner.save()
    client.force_login(practitioner.user)
    assert "untick “hide my profile” to list it" in client.get(reverse(URL)).text


def test_listed_practitioner_sees_the_success_state_and_a_link_to_their_page(client, practitioner):
    client.force_login(practitioner.user)
    text = client.get(reverse(URL)).text
    assert "Your profile is listed in the directory." in text
    assert f'href="{practitioner.get_absolute_url()}"' in text
    assert "Still to do" not in text


def test_dashboard_links_to_every_part_of_the_area(client, practitioner):
    client.force_login(practitioner.user)
    text = client.get(reverse(URL)).text
    for name in (
        "profile-edit",
        "services",
        "hours",
        "exceptions",
        "time-off",
        "credentials",
    ):
        assert f'href="{reverse(f"practitioners:{name}")}"' in text, name
    assert "1 service, 1 offered." in text
    assert "1 range of working time" in text


@pytest.mark.parametrize("count", [2, 20])
def test_dashboard_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    owner = PractitionerFactory()
    for n in range(count):
        service = ServiceFactory(practitioner=owner, name=f"Service {n}")
        ServiceLengthFactory(service=service)
    client.force_login(owner.user)
    # 6, plus the staff hide in force and the wording staff asked to change (issue 15).
    with django_assert_max_num_queries(8):
        response = client.get(reverse(URL))
    assert f"{count} services, {count} offered." in response.text
