"""Checks on uploaded files: the content decides what a file is, never its name."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * MB
PHOTO_MAX_BYTES = 5 * MB
PHOTO_MAX_SIDE = 1200
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; Pillow refuses far larger images outright
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _size_check(upload: UploadedFile, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit)d MB."),
            code="too_large",
            params={"name": upload.name, "size": upload.size / MB, "limit": limit // MB},
        )


class _Damaged(Exception):
    """A JPEG or PNG whose header reads but whose pixels do not decode."""


def _image_format(data: bytes, name: str) -> str | None:
    """JPEG or PNG if Pillow can fully decode `data` as one, else None. A small file that
    decodes to a huge image (a "decompression bomb") is refused before it is decoded, and a
    damaged one (valid header, garbage or truncated data) with a ValidationError."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; our own limit decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                _refuse_huge(image.size, name)
                image.verify()
                if image.format not in IMAGE_TYPES:
                    return None
            # verify() reads only the headers and checksums: decode every pixel too, so a
            # file whose header is valid but whose data is garbage or cut short is refused
            # here rather than failing later (a 500 on the photo, a broken evidence file).
            try:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
                    return image.format
            except (OSError, SyntaxError, ValueError) as error:
                raise _Damaged from error
    except _Damaged:
        raise ValidationError(
            _(
                "%(name)s looks like an image but cannot be read: it may be damaged or only "
                "partly uploaded. Save it again (or export a fresh copy) and upload that."
            ),
            code="damaged_image",
            params={"name": name},
        ) from None
    except Image.DecompressionBombError:
        _refuse_huge(None, name)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def _refuse_huge(size: tuple[int, int] | None, name: str) -> None:
    if size is not None and size[0] * size[1] <= MAX_PIXELS:
        return
    shown = (
        _("%(width)s × %(height)s pixels") % {"width": size[0], "height": size[1]}
        if size
        else _("far too many pixels")
    )
    raise ValidationError(
        _(
            "%(name)s is %(shown)s; images can be at most %(limit)d megapixels. "
            "Save a smaller copy and upload that."
        ),
        code="too_many_pixels",
        params={"name": name, "shown": shown, "limit": MAX_PIXELS // 10**6},
    )


def evidence_content_type(upload: UploadedFile) -> str:
    """The MIME type of a credential evidence file (PDF, JPEG or PNG), or ValidationError."""
    _size_check(upload, EVIDENCE_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "application/pdf"
    image_format = _image_format(data, upload.name)
    if image_format:
        return IMAGE_TYPES[image_format]
    raise ValidationError(
        _(
            "%(name)s is not a PDF, JPEG or PNG file (whatever its name says). "
            "Upload a scan or photo of your certificate or ID card."
        ),
        code="bad_evidence_type",
        params={"name": upload.name},
    )


def clean_photo(upload: UploadedFile) -> ContentFile:
    """A profile photo re-encoded by Pillow: a real image, at most 5 MB, resized, and with
    its metadata (such as GPS position) dropped."""
    _size_check(upload, PHOTO_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    if _image_format(data, upload.name) is None:
        raise ValidationError(
            _("%(name)s is not a JPEG or PNG image. Choose a photo file."),
            code="not_an_image",
            params={"name": upload.name},
        )
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")
