"""Who may open credential evidence, the staff queue and the review page."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from PIL import Image

from practitioners.models import CertificationEvidence
from reflexbook.lib.storage import private_storage
from tests.factories import PDF_BYTES, CertificationEvidenceFactory, CertificationFactory
from tests.two_factor import log_in_as, log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_in_tmp(tmp_path, monkeypatch):
    """The evidence field's storage is built at import; point it at this test's folder."""
    field = CertificationEvidence._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def evidence(practitioner):
    certification = CertificationFactory(practitioner=practitioner, pending=True)
    return CertificationEvidenceFactory(certification=certification)


def url_for(page: str, evidence) -> str:
    if page == "evidence":
        return reverse("practitioners:evidence", kwargs={"code": evidence.code})
    if page == "queue":
        return reverse("practitioners:queue")
    return reverse("practitioners:review", kwargs={"code": evidence.certification.code})


PEOPLE = ["anonymous", "client_user", "other_practitioner", "owner", "staff"]
EXPECTED = {
    # evidence: strangers cannot even learn that the file exists
    ("anonymous", "evidence"): 404,
    ("client_user", "evidence"): 404,
    ("other_practitioner", "evidence"): 404,
    ("owner", "evidence"): 200,
    ("staff", "evidence"): 200,
    # the queue and the review page are staff pages
    ("anonymous", "queue"): 403,
    ("client_user", "queue"): 403,
    ("other_practitioner", "queue"): 403,
    ("owner", "queue"): 403,
    ("staff", "queue"): 200,
    ("anonymous", "review"): 403,
    ("client_user", "review"): 403,
    ("other_practitioner", "review"): 403,
    ("owner", "review"): 403,
    ("staff", "review"): 200,
}


@pytest.mark.parametrize("page", ["evidence", "queue", "review"])
@pytest.mark.parametrize("who", PEOPLE)
def test_each_person_gets_exactly_the_status_they_should(client, request, evidence, who, page):
    if who == "owner":
        client.force_login(evidence.certification.practitioner.user)
    elif who == "other_practitioner":
        client.force_login(request.getfixturevalue("other_practitioner").user)
    elif who != "anonymous":
        log_in_as(client, request.getfixturevalue(who))

    response = client.get(url_for(page, evidence))

    assert response.status_code == EXPECTED[(who, page)]
    if response.status_code == 403:
        assert "This page is not available to you" in response.text
        assert ("Log in</a>" in response.text) == (who == "anonymous")
    if response.status_code == 404 and page == "evidence":
        assert "Page not found" in response.text


def test_a_pdf_is_served_as_a_download_privately_and_unsniffed(client, evidence):
    # Never opened raw in the tab: staff see its pages as images (evidence_pages).
    client.force_login(evidence.certification.practitioner.user)
    response = client.get(url_for("evidence", evidence))

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_an_image_is_served_inline_with_its_stored_type(client, staff, practitioner):
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG")
    image = CertificationEvidenceFactory(
        certification=CertificationFactory(practitioner=practitioner),
        file=ContentFile(out.getvalue(), name="card"),
        original_name="card.png",
        content_type="image/png",
    )
    log_in_verified(client, staff)
    response = client.get(url_for("evidence", image))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_evidence_is_kept_outside_the_public_media_folder_and_no_url_serves_it(
    client, evidence, settings
):
    path = Path(evidence.file.path)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.suffix == ""  # stored under a random name, not the uploaded one
    assert Path(private_storage().location) == Path(settings.PRIVATE_MEDIA_ROOT)
    assert not Path(settings.PRIVATE_MEDIA_ROOT).is_relative_to(Path(settings.MEDIA_ROOT))
    client.force_login(evidence.certification.practitioner.user)
    assert client.get(f"/{settings.MEDIA_URL}{evidence.file.name}").status_code == 404


def test_a_file_missing_from_storage_is_404_not_an_error(client, evidence):
    Path(evidence.file.path).unlink()
    client.force_login(evidence.certification.practitioner.user)
    assert client.get(url_for("evidence", evidence)).status_code == 404
