"""Bootstrap is served by us, and every page carries a strict Content-Security-Policy."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_load_no_asset_from_another_host(client):
    html = client.get(reverse("home")).text
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:css|js))"', html)
    assert sources, "the page should load its stylesheet and script"
    assert all(source.startswith("/static/") for source in sources)


def test_bootstrap_comes_from_our_static_files():
    css = finders.find("bootstrap/css/bootstrap.min.css")
    assert css is not None
    with open(css, encoding="utf-8") as handle:
        assert "Bootstrap  v5.3" in handle.read(200)
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js") is not None


def test_content_security_policy_allows_only_our_own_scripts_and_styles(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("url_name", ["home", "login", "accounts:signup", "password_reset"])
def test_pages_have_no_inline_scripts_or_styles(client, url_name):
    html = client.get(reverse(url_name)).text
    assert "<style" not in html
    assert " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
