"""Branded 500 and 400 pages: plain HTML with no template logic that could fail again."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reflexbook.error_urls")]

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_a_view_that_raises_shows_the_branded_500_page(visitor):
    response = visitor.get("/__broken__/")
    assert response.status_code == 500
    assert b"<h1>Something went wrong</h1>" in response.content
    assert b"reflexbook" in response.content
    assert b"boom" not in response.content  # nothing of the error itself


def test_a_bad_request_shows_the_branded_400_page(visitor):
    response = visitor.get("/__suspicious__/")
    assert response.status_code == 400
    assert b"<h1>Bad request</h1>" in response.content


@pytest.mark.parametrize("name", ["500.html", "400.html"])
def test_the_error_pages_hold_no_template_logic(name):
    text = (TEMPLATES / name).read_text()
    assert "{%" not in text and "{{" not in text
    assert 'lang="en"' in text and "<title>" in text
