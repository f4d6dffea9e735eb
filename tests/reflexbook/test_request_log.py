"""Every response carries an X-Request-ID; with JSON logs each request is one JSON line with
that id, the path, status, duration and user id, and never a person's details or health text."""

import io
import json
import logging
import logging.config

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log(settings):
    """The project's JSON log configuration (DJANGO_LOG_FORMAT=json), written to a buffer."""
    config = dict(settings.LOGGING)
    config["handlers"] = {
        "console": {**config["handlers"]["console"], "formatter": "json", "stream": io.StringIO()}
    }
    config["handlers"]["console"]["class"] = "logging.StreamHandler"
    config["loggers"] = {"reflexbook.request": {"level": "INFO"}}
    logging.config.dictConfig(config)
    stream = logging.getLogger().handlers[0].stream
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


def test_each_response_carries_a_fresh_request_id(client):
    first = client.get(reverse("home"))["X-Request-ID"]
    second = client.get(reverse("home"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    kept = client.get(reverse("home"), headers={"X-Request-ID": "lb-1234abcd"})
    assert kept["X-Request-ID"] == "lb-1234abcd"
    odd = client.get(reverse("home"), headers={"X-Request-ID": "<script>x</script>"})
    assert odd["X-Request-ID"] != "<script>x</script>" and len(odd["X-Request-ID"]) == 32


def test_json_logs_one_line_per_request_with_id_path_status_and_user_id(client, json_log):
    user = UserFactory(email="secret.person@example.com", full_name="Secret Person")
    client.force_login(user)
    response = client.get(reverse("sessions:my-bookings") + "?q=private")
    lines = [line for line in json_log() if line["logger"] == "reflexbook.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["path"] == reverse("sessions:my-bookings")  # no query string
    assert (line["status"], line["user_id"], line["method"]) == (200, user.pk, "GET")
    assert isinstance(line["duration_ms"], float)
    assert "secret" not in json.dumps(line).lower()


@pytest.mark.urls("tests.reflexbook.error_urls")
def test_a_view_that_raises_logs_its_error_as_json_with_the_request_id(json_log):
    response = Client(raise_request_exception=False).get("/__broken__/")
    assert response.status_code == 500
    errors = [line for line in json_log() if line["level"] == "ERROR"]
    assert errors and errors[0]["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: boom" in errors[0]["exc_info"]


def test_no_health_text_reaches_the_log_while_the_demo_is_used(client, json_log):
    """The demo's practitioner reads every booking, record and client page of her practice,
    and a client books over a taken time: not one logged line holds the demo's health text."""
    from django.core.management import call_command

    from accounts.models import User
    from sessions.models import Booking, IntakeForm, SessionRecord

    call_command("seed_demo", even_without_debug=True, stdout=io.StringIO())
    practitioner = User.objects.get(email="maya@example.com")
    client.force_login(practitioner)
    bookings = Booking.objects.filter(practitioner__user=practitioner).order_by("pk")[:20]
    for booking in bookings:
        for name in ("booking-detail", "record", "booking-safety", "client-history"):
            client.get(reverse(f"sessions:{name}", args=[booking.code]))
    for booking in bookings:
        client.get(reverse("sessions:client", args=[booking.client_id]))
    client.get(reverse("sessions:agenda"))
    client.get(reverse("sessions:clients"))
    # Free text the demo wrote: SOAP notes, summaries and intake answers.
    texts = {
        value
        for record in SessionRecord.objects.all()
        for value in (record.subjective, record.plan, record.client_summary, record.aftercare)
        if len(value) > 12
    } | {
        value
        for intake in IntakeForm.objects.all()
        for value in intake.answers.values()
        if isinstance(value, str) and len(value) > 12
    }
    assert len(texts) > 10
    logged = json.dumps(json_log())
    assert "reflexbook.request" in logged  # the pages were logged ...
    assert not [text for text in texts if text in logged]  # ... and none of what they showed
    assert "maya@example.com" not in logged
