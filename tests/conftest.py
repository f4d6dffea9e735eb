import importlib

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

from reflexbook.lib import catalogs
from tests.factories import ListedPractitionerFactory, StaffFactory, UserFactory
from tests.two_factor import log_in_as, log_in_verified


def pytest_configure(config):
    """Compile the translations (.po to .mo) when stale, so `pytest` alone finds them as
    `make test` does (reflexbook.lib.catalogs)."""
    catalogs.compile_all()


# The pseudo-locale check over every page and email (`i18n_pages`) fails until every part of
# the site is marked for translation; until then it runs only when asked for
# (`pytest -m i18n_pages`). Set to True once it passes, so it guards every run.
I18N_PAGES_BY_DEFAULT = True


def pytest_collection_modifyitems(config, items):
    if I18N_PAGES_BY_DEFAULT or "i18n_pages" in (config.option.markexpr or ""):
        return
    deselected = [item for item in items if item.get_closest_marker("i18n_pages")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("i18n_pages")]


@pytest.fixture(autouse=True)
def _in_english():
    """Each test starts in English (the default): a request in another language leaves its
    language active in the thread, which must not reach the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast hashing, a private, empty cache, and background tasks run at once (so mail lands in
    the outbox)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Cached pages and cards are keyed on database versions that restart with each test.
    cache.clear()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Many tests log in, then travel days ahead in time; a working-day login would expire.
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 30


def _only_test_transactions_open(using: str) -> bool:
    """True when every open atomic block is one the test framework opened around the test."""
    blocks = connections[using].atomic_blocks
    return bool(blocks) and all(getattr(block, "_from_testcase", False) for block in blocks)


@pytest.fixture(autouse=True)
def _commit_hooks_as_in_production(monkeypatch):
    """A `db` test runs inside a transaction that is rolled back, so Django would hold every
    `transaction.on_commit` callback (queued email) forever. Run them where production would:
    when the code's outermost atomic block commits, or at once outside any. A block that
    rolls back still discards its callbacks, as in production."""
    real_exit = transaction.Atomic.__exit__
    real_on_commit = transaction.on_commit

    def exit_then_run_hooks(self, exc_type, exc_value, traceback):
        real_exit(self, exc_type, exc_value, traceback)
        using = self.using or DEFAULT_DB_ALIAS
        connection = connections[using]
        if _only_test_transactions_open(using) and not connection.needs_rollback:
            hooks, connection.run_on_commit = connection.run_on_commit, []
            for _, hook, _ in hooks:
                hook()

    def on_commit(func, using=None, robust=False):
        if _only_test_transactions_open(using or DEFAULT_DB_ALIAS):
            func()
        else:
            real_on_commit(func, using=using, robust=robust)

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_then_run_hooks)
    monkeypatch.setattr(transaction, "on_commit", on_commit)


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
    """A staff member who has not set up two-factor sign-in yet (log them in for staff pages
    with `staff_client`, or tests.two_factor.log_in_verified)."""
    return StaffFactory(full_name="Sid Staff")


@pytest.fixture
def staff_client(client, staff):
    """The test client, logged in as `staff` with a verified second factor."""
    log_in_verified(client, staff)
    return client


# The people an access test names, as indirect parameters of `who`.
ROLES = {
    "client": "client_user",
    "other client": "other_client",
    "practitioner": "practitioner",
    "other practitioner": "other_practitioner",
    "staff": "staff",
}


@pytest.fixture
def who(request, client):
    """The user a parametrised access test names (`indirect=["who"]`), logged in on the test
    `client`: one of ROLES, or None for "anonymous". `practitioner` is the one `client_user`
    books in these tests."""
    if request.param == "anonymous":
        return None
    person = request.getfixturevalue(ROLES[request.param])
    user = getattr(person, "user", person)
    # Staff reach no page without a verified second factor.
    log_in_as(client, user)
    return user


@pytest.fixture
def database_tasks(settings, db):
    """Tasks queue in django-tasks-db's table, as in production, and wait there; call the
    returned function to run what is queued, as `manage.py db_worker` would (in-process, so
    the test's transaction and outbox are kept)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    def run_queued_tasks() -> int:
        ran = 0
        while row := DBTaskResult.objects.ready().order_by("enqueued_at").first():
            row.claim("test-worker")
            result = row.task_result
            try:
                row.set_successful(row.task.call(*result.args, **result.kwargs))
            except Exception as error:
                row.set_failed(error)
            ran += 1
        return ran

    return run_queued_tasks


@pytest.fixture
def reflex_catalogue(transactional_db) -> None:
    """The reflex point catalogue with each point's part, for tests on a flushed database
    (browser tests, transactional tests: the flush after each one empties what migrations
    0004 and 0020 loaded), loaded by those migrations' own code."""
    from sessions.models import ReflexPoint

    if not ReflexPoint.objects.exists():
        importlib.import_module("sessions.migrations.0004_load_reflex_points").load(apps, None)
    importlib.import_module("sessions.migrations.0020_avoid_by_zone").load_parts(apps, None)
