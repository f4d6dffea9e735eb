"""seed_demo shows data rights (issue 16): a client who erased their account with a retained,
locked record set whose retention ends in the future, which Maya reads on her retained page
and staff see pending; and the export works for the demo client (client@)."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.reauth import mark_reauthenticated
from sessions.demo import ERASED, ERASED_CODE, MAYA
from sessions.erasure import pending_erasures
from sessions.models import ErasureRequest

pytestmark = pytest.mark.django_db


def reauthenticated(client):
    session = client.session
    mark_reauthenticated(type("R", (), {"session": session})())
    session.save()


def test_the_demo_has_a_pending_erasure_maya_reads_and_client_exports(client, capsys):
    call_command("seed_demo", even_without_debug=True)
    assert "note: vera@example.com deleted her account" in capsys.readouterr().out
    call_command("seed_demo", even_without_debug=True)  # a second run adds no second erasure
    erasure = ErasureRequest.objects.get(code=ERASED_CODE)
    assert ErasureRequest.objects.count() == 1
    assert erasure.is_pending and erasure.retention_ends_at > timezone.now()
    assert erasure.detail["records_kept"] == 2
    assert not User.objects.filter(email=ERASED[0]).exists()
    assert erasure.client.full_name == "Erased client" and not erasure.client.is_active
    assert pending_erasures()[1] == 1

    client.force_login(User.objects.get(email=MAYA))
    detail = reverse("sessions:retained-detail", kwargs={"code": ERASED_CODE})
    assert detail in client.get(reverse("sessions:retained")).text
    page = client.get(detail)
    assert page.status_code == 200
    assert "Calmer feet today." in page.text and "Stressed at work" in page.text
    assert ERASED[1] not in client.get(reverse("sessions:clients")).text

    demo_client = User.objects.get(email="client@example.com")
    client.force_login(demo_client)
    reauthenticated(client)
    data = json.loads(client.get(reverse("sessions:my-data-json")).content)
    assert data["account"]["email"] == "client@example.com"
    assert data["health_forms"] and data["bookings"]
    assert client.get(reverse("sessions:my-data-print")).status_code == 200
