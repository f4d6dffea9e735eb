"""The evidence viewer on the staff review page: page images, who may fetch them, downloads,
the limit and error messages, the activity log and the page's query count."""

import io
import re
import sys
import time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from accounts.models import StaffAction
from practitioners import evidence_pages
from practitioners.demo import certificate_pdf
from tests.factories import CertificationEvidenceFactory, CertificationFactory

pytestmark = pytest.mark.django_db

# session, user, verified device, the credential, its evidence, its history (with actors),
# other practitioners' credentials with the same ID: whatever the number of files.
REVIEW_QUERY_BUDGET = 9  # 7, the open revocation proposal, and the staff menu's count


def pdf_bytes(count: int) -> bytes:
    return certificate_pdf(*([f"Page {n}", "ARCB-2024-17"] for n in range(1, count + 1)))


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, format="PNG")
    return out.getvalue()


def add_evidence(certification, data: bytes, name: str = "certificate.pdf", kind=None):
    content_type = kind or ("image/png" if name.endswith(".png") else "application/pdf")
    return CertificationEvidenceFactory(
        certification=certification,
        file=ContentFile(data, name="upload"),
        original_name=name,
        content_type=content_type,
        size=len(data),
    )


@pytest.fixture
def credential(practitioner):
    return CertificationFactory(practitioner=practitioner, pending=True)


@pytest.fixture
def pdf(credential):
    return add_evidence(credential, pdf_bytes(3))


def page_url(item, page: int) -> str:
    return reverse("practitioners:evidence-page", kwargs={"code": item.code, "page": page})


def review_url(certification) -> str:
    return reverse("practitioners:review", kwargs={"code": certification.code})


def download_url(item) -> str:
    return reverse("practitioners:evidence-download", kwargs={"code": item.code})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- who may fetch a page image or a download ---


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("client", 404),
        ("other practitioner", 404),
        ("practitioner", 200),  # the owner
        ("staff", 200),
    ],
    indirect=["who"],
)
@pytest.mark.parametrize("url_of", [page_url, lambda item, page: download_url(item)])
def test_only_the_owner_and_staff_get_a_page_image_or_the_download(
    client, who, status, pdf, url_of
):
    response = client.get(url_of(pdf, 1))
    assert response.status_code == status


def test_a_page_image_is_a_private_unsniffed_png(staff_client, pdf):
    response = staff_client.get(page_url(pdf, 2))

    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(body(response))) as image:
        assert image.width == evidence_pages.PAGE_WIDTH


def test_pages_beyond_the_file_or_the_limit_and_images_have_no_page_images(
    staff_client, credential, pdf
):
    assert staff_client.get(page_url(pdf, 4)).status_code == 404
    assert staff_client.get(page_url(pdf, 0)).status_code == 404
    long = add_evidence(credential, pdf_bytes(25), "long.pdf")
    assert staff_client.get(page_url(long, 20)).status_code == 200
    assert staff_client.get(page_url(long, 21)).status_code == 404
    card = add_evidence(credential, png_bytes(), "card.png")
    assert staff_client.get(page_url(card, 1)).status_code == 404


@pytest.mark.parametrize("name", ["certificate.pdf", "card.png"])
def test_the_download_is_an_attachment_whatever_the_type(client, credential, name):
    item = add_evidence(credential, pdf_bytes(1) if name.endswith("pdf") else png_bytes(), name)
    client.force_login(credential.practitioner.user)

    response = client.get(download_url(item))

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_the_raw_pdf_never_opens_in_the_tab_but_an_image_shows_inline(client, credential, pdf):
    card = add_evidence(credential, png_bytes(), "card.png")
    client.force_login(credential.practitioner.user)

    raw_pdf = client.get(reverse("practitioners:evidence", kwargs={"code": pdf.code}))
    image = client.get(reverse("practitioners:evidence", kwargs={"code": card.code}))

    assert raw_pdf["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
    assert image["Content-Disposition"] == 'inline; filename="card.png"'


# --- the review page ---


def test_the_review_page_shows_each_pdf_page_and_image_inside_it(staff_client, credential, pdf):
    card = add_evidence(credential, png_bytes(), "id-card.png")

    page = staff_client.get(review_url(credential)).text

    load = re.search(r"\?load=([0-9a-f]{32})", page).group(1)
    for number in (1, 2, 3):
        image = f'<img src="{page_url(pdf, number)}?load={load}" alt="Page {number} of 3 of certificate.pdf'
        assert image in page
        # Without JavaScript, each image links to its full-size version.
        assert f'<a class="rb-evidence-link" href="{page_url(pdf, number)}?load={load}">' in page
    card_url = reverse("practitioners:evidence", kwargs={"code": card.code})
    assert f'<img src="{card_url}?load={load}" alt="Evidence image id-card.png' in page
    assert "PDF, 3 pages" in page
    assert page.count(">Download<") == 2
    assert download_url(pdf) in page and download_url(card) in page
    # The raw PDF is never linked: it would open in the tab and take staff off the page.
    raw_pdf = reverse("practitioners:evidence", kwargs={"code": pdf.code})
    assert f'href="{raw_pdf}"' not in page and f'href="{raw_pdf}?' not in page
    assert 'data-zoom="in"' in page and "js/evidence-viewer.js" in page
    # The submitted details sit beside the evidence.
    assert credential.credential_id in page and "31 Dec 2027" in page


def test_a_200_page_pdf_shows_the_first_20_pages_and_says_so(staff_client, credential):
    long = add_evidence(credential, pdf_bytes(200), "transcript.pdf")

    page = staff_client.get(review_url(credential)).text

    assert "Showing the first 20 of 200 pages; download the file for the rest." in page
    pages_prefix = page_url(long, 1).removesuffix("1/")
    assert page.count(f'<img src="{pages_prefix}') == 20
    assert "Page 20 of 200" in page
    assert "Page 21 of 200" not in page
    # Only the count was worked out; pages render when the browser asks for them.
    assert sorted(p.name for p in evidence_pages._folder(long).iterdir()) == ["pages"]


def test_a_malformed_pdf_gives_a_message_not_an_error(staff_client, credential):
    add_evidence(credential, b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")

    response = staff_client.get(review_url(credential))

    assert response.status_code == 200
    assert "This PDF could not be shown: download it to check it." in response.text
    assert "Download" in response.text


def test_a_pdf_that_hangs_the_renderer_returns_within_the_timeout_with_the_message(
    staff_client, credential, settings, monkeypatch
):
    item = add_evidence(credential, pdf_bytes(2))
    settings.EVIDENCE_RENDER_SECONDS = 0.5
    monkeypatch.setattr(
        evidence_pages, "WORKER", [sys.executable, "-c", "import time; time.sleep(30)"]
    )

    started = time.monotonic()
    response = staff_client.get(review_url(credential))
    image = staff_client.get(page_url(item, 1))
    elapsed = time.monotonic() - started

    assert elapsed < 3
    assert response.status_code == 200
    assert "This PDF could not be shown: download it to check it." in response.text
    assert body(image) == evidence_pages.unshown_page_png()


def test_a_page_that_hangs_gives_an_image_saying_so_within_the_timeout(
    staff_client, credential, pdf, settings, monkeypatch
):
    evidence_pages.page_counts([pdf])
    settings.EVIDENCE_RENDER_SECONDS = 0.5
    monkeypatch.setattr(
        evidence_pages, "WORKER", [sys.executable, "-c", "import time; time.sleep(30)"]
    )

    started = time.monotonic()
    response = staff_client.get(page_url(pdf, 1))

    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert body(response) == evidence_pages.unshown_page_png()


@pytest.mark.parametrize("files", [1, 8])
def test_the_review_page_runs_the_same_queries_for_1_and_8_evidence_files(
    staff_client, credential, django_assert_max_num_queries, files
):
    for n in range(files):
        if n % 2:
            add_evidence(credential, png_bytes(), f"card-{n}.png")
        else:
            add_evidence(credential, pdf_bytes(2), f"certificate-{n}.pdf")
    with django_assert_max_num_queries(REVIEW_QUERY_BUDGET):
        response = staff_client.get(review_url(credential))
    assert response.text.count("data-evidence-viewer") == files


# --- what staff looked at goes in the activity log ---


def test_staff_viewing_a_pdfs_pages_is_logged_once_per_file_per_page_load(
    staff_client, staff, credential, pdf
):
    for number in (1, 2, 3):
        staff_client.get(page_url(pdf, number) + "?load=first")
    staff_client.get(page_url(pdf, 1) + "?load=first")  # the full-size link

    (row,) = StaffAction.objects.all()
    assert (row.actor, row.action) == (staff, "evidence_viewed")
    assert (row.subject_type, row.subject_id) == ("credential", str(credential.code))
    assert row.subject_label == f"{credential.practitioner.display_name}: foot credential"
    assert row.detail == {"evidence": str(pdf.code), "file": "certificate.pdf"}

    staff_client.get(page_url(pdf, 1) + "?load=second")
    assert StaffAction.objects.filter(action="evidence_viewed").count() == 2


def test_each_file_shown_and_each_download_is_logged(staff_client, credential, pdf):
    card = add_evidence(credential, png_bytes(), "card.png")
    staff_client.get(reverse("practitioners:evidence", kwargs={"code": card.code}) + "?load=a")
    staff_client.get(page_url(pdf, 1) + "?load=a")
    staff_client.get(download_url(pdf))
    staff_client.get(download_url(pdf))  # again at once: already noted

    rows = sorted((row.action, row.detail["evidence"]) for row in StaffAction.objects.all())
    assert rows == sorted(
        [
            ("evidence_viewed", str(card.code)),
            ("evidence_viewed", str(pdf.code)),
            ("evidence_downloaded", str(pdf.code)),
        ]
    )


def test_loading_the_review_page_logs_nothing_until_a_file_is_fetched(
    staff_client, credential, pdf
):
    staff_client.get(review_url(credential))
    assert not StaffAction.objects.exists()


def test_the_owner_looking_at_their_own_evidence_is_not_a_staff_action(client, credential, pdf):
    client.force_login(credential.practitioner.user)
    client.get(page_url(pdf, 1))
    client.get(download_url(pdf))
    assert not StaffAction.objects.exists()
