"""Evidence PDFs as page images (practitioners.evidence_pages, practitioners.pdf_worker): real
rendering, the page limit, malformed and hanging files, and the cache on disk."""

import io
import os
import subprocess
import sys
import time

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from practitioners import evidence_pages, pdf_worker
from practitioners.demo import certificate_pdf
from tests.factories import CertificationEvidenceFactory

pytestmark = pytest.mark.django_db

MALFORMED = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
SLEEPER = [sys.executable, "-c", "import time; time.sleep(30)"]


def pdf_evidence(data: bytes, name: str = "certificate.pdf"):
    return CertificationEvidenceFactory(
        file=ContentFile(data, name="upload"), original_name=name, size=len(data)
    )


def pages(count: int) -> bytes:
    return certificate_pdf(*([f"Page {n} of {count}", "ARCB-2024-17"] for n in range(1, count + 1)))


def cached_files(item) -> set[str]:
    folder = evidence_pages._folder(item)
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def test_a_page_of_a_real_pdf_renders_to_a_png_of_the_page_width_with_its_text_drawn():
    item = pdf_evidence(certificate_pdf(["This certifies that Pat Practitioner"], ["Page two"]))

    path = evidence_pages.page_image(item, 1)

    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width == evidence_pages.PAGE_WIDTH
        assert image.height == round(evidence_pages.PAGE_WIDTH * 792 / 612)
        # Black text on white: the page is not blank.
        assert image.convert("L").getextrema() == (0, 255)


def test_the_count_and_each_page_are_cached_on_disk_beside_the_private_files(settings):
    item = pdf_evidence(pages(3))

    assert evidence_pages.page_counts([item]) == {item.code: 3}
    evidence_pages.page_image(item, 2)

    folder = evidence_pages._folder(item)
    assert folder.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert cached_files(item) == {"pages", "page-2.png"}


def test_cached_results_need_no_worker(monkeypatch):
    item = pdf_evidence(pages(3))
    first = evidence_pages.page_image(item, 1)
    monkeypatch.setattr(evidence_pages, "WORKER", ["/no/such/worker"])

    assert evidence_pages.page_counts([item]) == {item.code: 3}
    assert evidence_pages.page_image(item, 1) == first


def test_a_200_page_pdf_shows_its_first_20_pages_and_renders_none_until_asked():
    item = pdf_evidence(pages(200))

    shown = evidence_pages.viewer([item]).files[0]

    assert shown.page_count == 200
    assert shown.pages == tuple(range(1, 21))
    assert shown.limited
    assert cached_files(item) == {"pages"}
    evidence_pages.page_image(item, 20)
    with pytest.raises(evidence_pages.NoSuchPage):
        evidence_pages.page_image(item, 21)
    with pytest.raises(evidence_pages.NoSuchPage):
        evidence_pages.page_image(item, 0)
    assert cached_files(item) == {"pages", "page-20.png"}


def test_a_short_pdf_shows_every_page_and_no_limit():
    shown = evidence_pages.viewer([pdf_evidence(pages(3))]).files[0]
    assert (shown.pages, shown.limited, shown.unreadable) == ((1, 2, 3), False, False)


def test_a_malformed_pdf_cannot_be_shown_and_says_so_without_an_error():
    item = pdf_evidence(MALFORMED)

    shown = evidence_pages.viewer([item]).files[0]

    assert shown.unreadable
    assert shown.pages == ()
    assert evidence_pages.page_image(item, 1) is None


def test_a_missing_file_cannot_be_shown():
    item = pdf_evidence(pages(1))
    os.unlink(item.file.path)
    assert evidence_pages.page_counts([item]) == {item.code: None}


def test_a_hanging_worker_is_stopped_at_the_timeout(settings, monkeypatch):
    settings.EVIDENCE_RENDER_SECONDS = 0.5
    monkeypatch.setattr(evidence_pages, "WORKER", SLEEPER)
    items = [pdf_evidence(pages(1)) for _ in range(3)]

    started = time.monotonic()
    counts = evidence_pages.page_counts(items)

    # The three run side by side under one deadline, not one after another.
    assert time.monotonic() - started < 2
    assert counts == {item.code: None for item in items}


def test_a_page_that_hangs_while_rendering_is_stopped_at_the_timeout(settings, monkeypatch):
    item = pdf_evidence(pages(2))
    evidence_pages.page_counts([item])  # counted by the real worker
    settings.EVIDENCE_RENDER_SECONDS = 0.5
    monkeypatch.setattr(evidence_pages, "WORKER", SLEEPER)

    started = time.monotonic()
    assert evidence_pages.page_image(item, 1) is None
    assert time.monotonic() - started < 2
    assert cached_files(item) == {"pages", "page-1.failed"}  # no half-written image left


def test_a_failure_is_remembered_for_an_hour_then_tried_again(settings, monkeypatch):
    item = pdf_evidence(pages(2))
    monkeypatch.setattr(evidence_pages, "WORKER", ["/bin/false"])
    assert evidence_pages.page_counts([item]) == {item.code: None}
    monkeypatch.undo()

    assert evidence_pages.page_counts([item]) == {item.code: None}  # remembered

    marker = evidence_pages._folder(item) / "pages.failed"
    an_hour_ago = time.time() - evidence_pages.FAILURE_RETRY_SECONDS - 1
    os.utime(marker, (an_hour_ago, an_hour_ago))
    assert evidence_pages.page_counts([item]) == {item.code: 2}


def test_the_worker_gets_none_of_the_servers_secrets(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "s3cret")
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pw@db/reflexbook")
    reports_environment = [
        sys.executable,
        "-c",
        "import os; print(7 if {'DJANGO_SECRET_KEY', 'DATABASE_URL'} & set(os.environ) else 3)",
    ]
    monkeypatch.setattr(evidence_pages, "WORKER", reports_environment)
    item = pdf_evidence(pages(1))
    assert evidence_pages.page_counts([item]) == {item.code: 3}


def test_images_are_shown_as_they_are():
    image = CertificationEvidenceFactory(content_type="image/png", original_name="card.png")
    shown = evidence_pages.viewer([image]).files[0]
    assert (shown.is_pdf, shown.unreadable, shown.pages) == (False, False, ())


def test_the_placeholder_for_an_unrendered_page_is_a_png():
    with Image.open(io.BytesIO(evidence_pages.unshown_page_png())) as image:
        assert image.format == "PNG"


# --- the worker itself, in this process ---


def test_the_worker_counts_and_renders(tmp_path, capsys):
    source = tmp_path / "in.pdf"
    source.write_bytes(pages(4))
    out = tmp_path / "page.png"

    assert pdf_worker.count_pages(str(source)) == 4
    assert pdf_worker.main(["render", str(source), "4", "300", str(out)]) == 0
    with Image.open(out) as image:
        assert image.width == 300


def test_the_worker_exits_2_for_a_file_pdfium_cannot_read_or_a_page_it_lacks(tmp_path):
    source = tmp_path / "bad.pdf"
    source.write_bytes(MALFORMED)
    good = tmp_path / "good.pdf"
    good.write_bytes(pages(1))

    assert pdf_worker.main(["count", str(source)]) == pdf_worker.UNREADABLE
    assert pdf_worker.main(["render", str(good), "2", "300", str(tmp_path / "x.png")]) == 2


def test_the_worker_runs_with_memory_and_output_caps():
    worker = os.path.dirname(pdf_worker.__file__)
    code = (
        f"import sys, resource; sys.path.insert(0, {worker!r}); import pdf_worker; "
        "pdf_worker._limit_resources(); "
        "print(resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_FSIZE)[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True)
    assert out.stdout.split() == [str(pdf_worker.MEMORY_LIMIT), str(pdf_worker.OUTPUT_LIMIT)]


def test_a_very_tall_page_is_drawn_narrower_rather_than_into_a_huge_image():
    assert pdf_worker.scale_for((612, 792), 1600) == pytest.approx(1600 / 612)
    # A strip 100 times as tall as wide: at most three widths tall.
    assert pdf_worker.scale_for((100, 10_000), 1600) == pytest.approx(1600 * 3 / 10_000)
    with pytest.raises(pdf_worker.Unreadable):
        pdf_worker.scale_for((0, 792), 1600)
