"""Inputs at the edges get a 404 or a form error, never a 500: start times at the ends of
Python's calendar, time off ending on 9999-12-31, and images whose header reads but whose
data is garbage or cut short."""

import io
import struct
import zlib
from datetime import UTC, datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from practitioners.models import CertificationEvidence
from tests.factories import BookingFactory, IntakeFormFactory
from tests.practitioners.test_area_profile import profile_data
from tests.two_factor import log_in_verified

NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

EXTREMES = ["99991231T2359Z", "00010101T0000Z"]


@pytest.fixture
def booker(client, client_user):
    IntakeFormFactory(client=client_user)
    client.force_login(client_user)
    return client


def review_url(practitioner, start: str) -> str:
    length = practitioner.services.get().lengths.get(minutes=60)
    return reverse(
        "sessions:review",
        kwargs={"slug": practitioner.slug, "length_id": length.pk, "start": start},
    )


@pytest.mark.parametrize("start", EXTREMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_review_page_does_not_find_a_start_at_the_ends_of_time(
    booker, practitioner, start, method
):
    data = (
        {"accept_policy": "on", "unwell_now": "False", "price_seen": "80.00"}
        if method == "post"
        else None
    )
    response = getattr(booker, method)(review_url(practitioner, start), data)
    assert response.status_code == 404


@pytest.mark.parametrize("start", EXTREMES)
def test_the_reschedule_page_ignores_such_a_start_in_its_query(
    booker, client_user, practitioner, start
):
    booking = BookingFactory(client=client_user, practitioner=practitioner)
    url = reverse("sessions:booking-reschedule", kwargs={"code": booking.code})
    response = booker.get(f"{url}?start={start}")
    assert response.status_code == 200
    assert response.context["chosen"] is None


@pytest.mark.parametrize("start", EXTREMES)
def test_the_reschedule_page_refuses_such_a_start_with_a_message(
    booker, client_user, practitioner, start
):
    booking = BookingFactory(client=client_user, practitioner=practitioner)
    starts_at = booking.starts_at
    url = reverse("sessions:booking-reschedule", kwargs={"code": booking.code})
    response = booker.post(url, {"start": start})
    assert response.status_code == 200
    assert "That is not a start time we offered." in response.text
    booking.refresh_from_db()
    assert booking.starts_at == starts_at


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        ("2026-07-01", "9999-12-31", "ends_date"),
        ("0001-01-01", "2026-07-01", "starts_date"),
    ],
)
def test_time_off_at_the_ends_of_the_calendar_is_refused_in_words(
    client, practitioner, starts, ends, field
):
    client.force_login(practitioner.user)
    response = client.post(
        reverse("practitioners:time-off"),
        {
            "length": "times",
            "starts_date": starts,
            "starts_time": "09:00",
            "ends_date": ends,
            "ends_time": "23:30",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert not practitioner.time_off.exists()


def test_time_off_ending_too_far_ahead_says_the_limit(client, practitioner):
    client.force_login(practitioner.user)
    response = client.post(
        reverse("practitioners:time-off"),
        {
            "length": "times",
            "starts_date": "2026-07-01",
            "starts_time": "09:00",
            "ends_date": "2031-06-04",
            "ends_time": "09:00",
        },
    )
    assert "Enter a date up to 5 years ahead (by Tuesday 3 June 2031)." in response.text


def test_the_staff_search_takes_an_overlong_query(client, staff):
    log_in_verified(client, staff)
    response = client.get(reverse("practitioners:queue"), {"q": "x" * 100_001})
    assert response.status_code == 200


# --- damaged images -------------------------------------------------------------------------


def truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(out, format="JPEG")
    data = out.getvalue()
    return data[: len(data) // 2]


def png_with_garbage_pixels() -> bytes:
    """A PNG whose chunks and checksums are all valid but whose pixel data is not zlib."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 40, 30, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"this is not deflate data" * 8)
        + chunk(b"IEND", b"")
    )


DAMAGED = {"truncated.jpg": truncated_jpeg, "garbage.png": png_with_garbage_pixels}


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_profile_photo_is_refused_in_words(client, practitioner, name):
    client.force_login(practitioner.user)
    upload = SimpleUploadedFile(name, DAMAGED[name](), content_type="image/jpeg")
    response = client.post(reverse("practitioners:profile-edit"), profile_data(photo=upload))
    assert response.status_code == 200
    assert f"{name} looks like an image but cannot be read" in response.text
    practitioner.refresh_from_db()
    assert not practitioner.photo


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_evidence_image_is_refused_in_words(
    client, practitioner, name, tmp_path, monkeypatch
):
    field = CertificationEvidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))
    client.force_login(practitioner.user)
    upload = SimpleUploadedFile(name, DAMAGED[name](), content_type="image/png")
    response = client.post(
        reverse("practitioners:credential-edit", kwargs={"kind": "foot"}),
        {"year_certified": "2019", "ce_cycle_end": "2027-12-31", "evidence": [upload]},
    )
    assert response.status_code == 200
    assert f"{name} looks like an image but cannot be read" in response.text
    assert not CertificationEvidence.objects.exists()
