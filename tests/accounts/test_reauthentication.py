import datetime as dt

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.reauth import mark_reauthenticated, reauthentication_required
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@reauthentication_required
def drastic(request):
    return HttpResponse("done")


def request_with_session(client, user):
    client.force_login(user)
    request = RequestFactory().get("/drastic/?x=1")
    request.session = client.session
    request.user = user
    return request


def test_without_a_recent_password_it_redirects_to_reauthenticate(client, client_user):
    response = drastic(request_with_session(client, client_user))
    assert response.status_code == 302
    assert response.url == reverse("accounts:reauthenticate") + "?next=%2Fdrastic%2F%3Fx%3D1"


def test_within_five_minutes_it_runs_and_after_it_asks_again(client, client_user):
    request = request_with_session(client, client_user)
    start = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        mark_reauthenticated(request)
        assert drastic(request).content == b"done"
    with time_machine.travel(start + dt.timedelta(minutes=4), tick=False):
        assert drastic(request).content == b"done"
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        assert drastic(request).status_code == 302


def test_the_page_accepts_only_the_right_password(client, client_user):
    client.force_login(client_user)
    url = reverse("accounts:reauthenticate") + "?next=/accounts/account/"
    wrong = client.post(url, {"password": "nope"})
    assert "That is not your password." in wrong.text
    right = client.post(url, {"password": PASSWORD})
    assert right.url == "/accounts/account/"
    assert "reauthenticated_at" in client.session
