from datetime import UTC, datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_account_page_saves_name_phone_and_time_zone(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("accounts:account"),
        {"full_name": "Cara C. Client", "phone": "+44 20 7946 0000", "timezone": "Europe/London"},
        follow=True,
    )
    assert "Your account details were saved." in response.text
    client_user.refresh_from_db()
    assert (client_user.full_name, client_user.phone, client_user.timezone) == (
        "Cara C. Client",
        "+44 20 7946 0000",
        "Europe/London",
    )


def test_bad_phone_is_refused_and_the_typed_values_kept(client, client_user):
    client.force_login(client_user)
    response = client.post(
        reverse("accounts:account"),
        {"full_name": "Cara Changed", "phone": "call me", "timezone": "Europe/London"},
    )
    assert "Enter a phone number of at least 7 digits" in response.text
    assert 'value="Cara Changed"' in response.text
    client_user.refresh_from_db()
    assert client_user.full_name == "Cara Client"


def test_times_are_shown_in_the_persons_own_zone(client, client_user):
    client_user.date_joined = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    client_user.timezone = "Asia/Tokyo"
    client_user.save()
    client.force_login(client_user)
    assert "1 Jul 2026, 21:00 JST" in client.get(reverse("accounts:account")).text

    client_user.timezone = "America/Los_Angeles"
    client_user.save()
    assert "1 Jul 2026, 05:00 PDT" in client.get(reverse("accounts:account")).text
