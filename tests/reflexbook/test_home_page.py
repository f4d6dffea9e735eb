"""The home page promises only what reflexbook checks."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_promises_only_the_certification_check(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.text
    assert "ARCB certification checked by our staff" in page
    assert "does not diagnose or treat" in page
    text = re.sub(r"<[^>]+>", " ", page).lower()
    for claim in ("you can trust", "verified", "certified practitioners", "heals", "cures"):
        assert not re.search(rf"\b{claim}\b", text), claim
