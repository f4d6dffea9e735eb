"""Credential evidence as the staff review page shows it: images as they are, PDFs as PNG
images of their first PAGES_SHOWN pages, rendered on our server (issue 15), and a note in the
staff activity log of what staff opened.

PDFium runs in a separate process (practitioners/pdf_worker.py) under a timeout
(settings.EVIDENCE_RENDER_SECONDS), with memory limits and none of our environment, so a
200-page, malformed or hostile PDF costs at most that long and never raises a 500: the page
says "This PDF could not be shown" instead. Page counts and page images are cached on disk
under PRIVATE_MEDIA_ROOT/evidence-pages/<evidence code>/ (an evidence file never changes once
uploaded, so nothing there goes stale); a failure is remembered for FAILURE_RETRY_SECONDS, so a
hostile file costs one timeout per hour, not one per page view, and a failure caused by a busy
server is tried again later.
"""

import functools
import io
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from accounts import activity
from accounts.models import User
from practitioners.certification import subject
from practitioners.models import CertificationEvidence

PDF = "application/pdf"
PAGES_SHOWN = 20
# Wide enough to read a certificate's small print when zoomed, small enough to send quickly.
PAGE_WIDTH = 1600
FAILURE_RETRY_SECONDS = 60 * 60
# A download or a link opened on its own (no review page load to tie it to) is logged once in
# this window per staff member and file.
LOG_WINDOW_SECONDS = 30 * 60
# -P: the worker's folder is not put on sys.path, so no module there can shadow a library.
WORKER = [sys.executable, "-P", str(Path(__file__).with_name("pdf_worker.py"))]
# The worker gets only what it needs to start: no secret key, no database address.
WORKER_ENVIRONMENT = ("PATH", "PYTHONPATH", "LANG", "LC_ALL")


class NoSuchPage(Exception):
    """The PDF has no such page, or the viewer does not show it (past PAGES_SHOWN)."""


def _folder(item: CertificationEvidence) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "evidence-pages" / str(item.code)


def _write_atomically(path: Path, data: bytes) -> None:
    # Two requests may render the same page at once: each writes its own file, then one
    # rename wins; a reader never sees half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    partial.write_bytes(data)
    os.replace(partial, path)


def _failed_recently(marker: Path) -> bool:
    try:
        return time.time() - marker.stat().st_mtime < FAILURE_RETRY_SECONDS
    except FileNotFoundError:
        return False


def _plain_pdf(item: CertificationEvidence) -> bytes | None:
    """The evidence file's bytes, decrypted (files are encrypted on disk, so never read
    through their path); None when it is missing from storage."""
    try:
        with item.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _start(*args: str) -> subprocess.Popen:
    """A worker for `args`, whose PDF argument is "-": _finish pipes the PDF in."""
    return subprocess.Popen(
        [*WORKER, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={name: os.environ[name] for name in WORKER_ENVIRONMENT if name in os.environ},
    )


def _finish(worker: subprocess.Popen, pdf: bytes, deadline: float) -> str | None:
    """The worker's output for `pdf` (piped in, under the same deadline) if it succeeded
    before `deadline` (time.monotonic()); else None, and a worker still running is killed."""
    try:
        out, _errors = worker.communicate(pdf, timeout=max(0.0, deadline - time.monotonic()))
    except (subprocess.TimeoutExpired, BrokenPipeError):
        worker.kill()
        worker.communicate()
        return None
    return out.decode("ascii", "replace") if worker.returncode == 0 else None


def _deadline() -> float:
    return time.monotonic() + settings.EVIDENCE_RENDER_SECONDS


def page_counts(
    items: list[CertificationEvidence], deadline: float | None = None
) -> dict[uuid.UUID, int | None]:
    """The number of pages of each PDF in `items` (None: it cannot be shown), from the cache
    or counted by workers running side by side, all done by `deadline`."""
    if deadline is None:
        deadline = _deadline()
    counts: dict[uuid.UUID, int | None] = {}
    started = {}
    for item in items:
        folder = _folder(item)
        try:
            counts[item.code] = int((folder / "pages").read_text())
            continue
        except (FileNotFoundError, ValueError):
            pass
        if _failed_recently(folder / "pages.failed"):
            counts[item.code] = None
            continue
        if (pdf := _plain_pdf(item)) is not None:
            started[item] = (_start("count", "-"), pdf)
        else:
            _write_atomically(folder / "pages.failed", b"")
            counts[item.code] = None
    for item, (worker, pdf) in started.items():
        out = _finish(worker, pdf, deadline)
        count = int(out) if out and out.strip().isdigit() else None
        if count is None:
            _write_atomically(_folder(item) / "pages.failed", b"")
        else:
            _write_atomically(_folder(item) / "pages", str(count).encode())
        counts[item.code] = count
    return counts


def page_image(item: CertificationEvidence, number: int) -> Path | None:
    """The PNG of page `number` (from 1) of evidence PDF `item`, rendered now if it is not
    cached; None if it cannot be rendered in time. NoSuchPage for a page the viewer does not
    show."""
    deadline = _deadline()
    count = page_counts([item], deadline)[item.code]
    if count is None:
        return None
    if not 1 <= number <= min(count, PAGES_SHOWN):
        raise NoSuchPage(number)
    image = _folder(item) / f"page-{number}.png"
    failed = image.with_suffix(".failed")
    if image.exists():
        return image
    if _failed_recently(failed):
        return None
    partial = image.with_name(f".{image.name}.{uuid.uuid4().hex}")
    partial.parent.mkdir(parents=True, exist_ok=True)
    pdf = _plain_pdf(item)
    if pdf is None or (
        _finish(_start("render", "-", str(number), str(PAGE_WIDTH), str(partial)), pdf, deadline)
        is None
    ):
        partial.unlink(missing_ok=True)
        _write_atomically(failed, b"")
        return None
    os.replace(partial, image)
    return image


def unshown_page_png() -> bytes:
    """What an <img> of a page that could not be rendered shows instead: the page's words,
    in the active language."""
    return _unshown_page_png(translation.get_language())


@functools.cache
def _unshown_page_png(language: str | None) -> bytes:
    image = Image.new("RGB", (PAGE_WIDTH // 2, 240), "#fff3cd")
    draw = ImageDraw.Draw(image)
    with translation.override(language):
        lines = [_("This page could not be shown."), _("Download the file to check it.")]
    for n, line in enumerate(lines):
        draw.text((32, 70 + n * 60), line, fill="#332701", font=ImageFont.load_default(size=36))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class ShownEvidence:
    """One evidence file as the viewer shows it."""

    item: CertificationEvidence
    is_pdf: bool
    page_count: int | None = None  # PDFs only; None when the PDF cannot be shown
    pages: tuple[int, ...] = ()

    @property
    def unreadable(self) -> bool:
        return self.is_pdf and self.page_count is None

    @property
    def limited(self) -> bool:
        return self.page_count is not None and self.page_count > len(self.pages)


@dataclass(frozen=True)
class Viewer:
    """The evidence of one credential for one review page load; `load` ties the images this
    load fetches together, so the activity log notes each file once per load."""

    files: list[ShownEvidence]
    load: str
    pages_shown: int = PAGES_SHOWN


def viewer(items: list[CertificationEvidence]) -> Viewer:
    """What the review page shows of `items` (the credential's evidence, already loaded):
    no database queries; PDFs counted (cached) within the render timeout."""
    counts = page_counts([item for item in items if item.content_type == PDF])
    files = []
    for item in items:
        if item.content_type != PDF:
            files.append(ShownEvidence(item=item, is_pdf=False))
            continue
        count = counts[item.code]
        shown = tuple(range(1, min(count or 0, PAGES_SHOWN) + 1))
        files.append(ShownEvidence(item=item, is_pdf=True, page_count=count, pages=shown))
    return Viewer(files=files, load=uuid.uuid4().hex)


def note_served(user: User, item: CertificationEvidence, *, action: str, load: str = "") -> None:
    """Append `action` ("evidence_viewed" or "evidence_downloaded") on `item` to the staff
    activity log when `user` is staff: once per staff member, file and review page load
    (`load`, from the review page's image links), or per LOG_WINDOW_SECONDS without one.
    `item` comes with its credential and practitioner loaded."""
    if not user.is_staff:
        return
    # cache.add is atomic in one process: of a PDF's 20 page images loading at once, one
    # writes the row. Each server process has its own cache, so at worst each adds one.
    key = f"evidence-served:{action}:{user.pk}:{item.code}:{load[:32]}"
    if not cache.add(key, True, timeout=LOG_WINDOW_SECONDS):
        return
    certification = item.certification
    activity.record(
        user,
        action,
        subject(certification),
        evidence=str(item.code),
        file=item.original_name,
    )
