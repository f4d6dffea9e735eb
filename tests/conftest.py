import pytest

from tests.factories import ListedPractitionerFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast hashing, a private cache, and background tasks run at once (so mail lands in
    the outbox)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Many tests log in, then travel days ahead in time; a working-day login would expire.
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 30


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploads and evidence go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def client_user(db):
    return UserFactory(full_name="Cara Client")


@pytest.fixture
def other_client(db):
    return UserFactory(full_name="Olly Other")


@pytest.fixture
def practitioner(db):
    return ListedPractitionerFactory(user__full_name="Pat Practitioner")


@pytest.fixture
def other_practitioner(db):
    return ListedPractitionerFactory(user__full_name="Quinn Other")


@pytest.fixture
def staff(db):
    return StaffFactory(full_name="Sid Staff")
