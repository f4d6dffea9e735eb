"""practitioners.uploads: what a file is comes from its content; huge images are refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from practitioners.uploads import clean_photo, evidence_content_type


def png(width: int, height: int) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=True)
    return SimpleUploadedFile("small.png", out.getvalue(), content_type="image/png")


@pytest.mark.parametrize("check", [clean_photo, evidence_content_type])
def test_a_small_file_that_decodes_to_a_huge_image_is_refused(check):
    bomb = png(12_000, 12_000)  # a few kB on disk, 144 megapixels once decoded
    assert bomb.size < 100_000
    with pytest.raises(ValidationError) as refused:
        check(bomb)
    assert refused.value.error_list[0].code == "too_many_pixels"
    assert "12000 × 12000 pixels" in refused.value.messages[0]


def test_an_ordinary_photo_is_accepted_and_re_encoded_smaller():
    photo = clean_photo(png(2400, 1600))
    with Image.open(photo) as image:
        assert image.format == "JPEG"
        assert max(image.size) == 1200
