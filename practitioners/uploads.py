"""Checks on uploaded files: the content decides what a file is, never its name."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * MB
PHOTO_MAX_BYTES = 5 * MB
PHOTO_MAX_SIDE = 1200
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def _size_check(upload: UploadedFile, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            "%(name)s is %(size).1f MB; the limit is %(limit)d MB.",
            code="too_large",
            params={"name": upload.name, "size": upload.size / MB, "limit": limit // MB},
        )


def _image_format(data: bytes) -> str | None:
    """JPEG or PNG if Pillow can fully read `data` as one, else None."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format if image.format in IMAGE_TYPES else None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def evidence_content_type(upload: UploadedFile) -> str:
    """The MIME type of a credential evidence file (PDF, JPEG or PNG), or ValidationError."""
    _size_check(upload, EVIDENCE_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return "application/pdf"
    image_format = _image_format(data)
    if image_format:
        return IMAGE_TYPES[image_format]
    raise ValidationError(
        "%(name)s is not a PDF, JPEG or PNG file (whatever its name says). "
        "Upload a scan or photo of your certificate or ID card.",
        code="bad_evidence_type",
        params={"name": upload.name},
    )


def clean_photo(upload: UploadedFile) -> ContentFile:
    """A profile photo re-encoded by Pillow: a real image, at most 5 MB, resized, and with
    its metadata (such as GPS position) dropped."""
    _size_check(upload, PHOTO_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    if _image_format(data) is None:
        raise ValidationError(
            "%(name)s is not a JPEG or PNG image. Choose a photo file.",
            code="not_an_image",
            params={"name": upload.name},
        )
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")
