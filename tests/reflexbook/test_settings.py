"""Settings come from the environment; bad or missing ones stop the app with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "-Zx9!vQ2#mP7$wR4^tY6&uI8*oL1@aS3"
# A Fernet key for the health text encryption (DJANGO_FIELD_ENCRYPTION_KEYS), test-only.
FIELD_KEYS = "2MMKqNO6WxaKB03QQ9dq1xLqk2lQJ8kI8cgDkQ7c8sE="


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# What `make run` sets for a local run.
LOCAL = {"DJANGO_DEBUG": "1"}


def production(**extra: str) -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_FIELD_ENCRYPTION_KEYS": FIELD_KEYS,
        "DJANGO_ALLOWED_HOSTS": "example.com",
        # Without a real mail server, Django's deploy check refuses the console backend.
        "DJANGO_EMAIL_HOST": "smtp.example.com",
    } | extra


def test_missing_secret_key_with_debug_off_is_one_clear_line():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DJANGO_SECRET_KEY must be set" in lines[0]
    assert "Traceback" not in result.stderr


def test_with_no_environment_the_app_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_is_off_unless_asked_for():
    show = "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT)"
    result = manage(
        "shell", "-c", show, DJANGO_SECRET_KEY=SECRET, DJANGO_FIELD_ENCRYPTION_KEYS=FIELD_KEYS
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["False", "True"]
    local = manage("shell", "-c", show, **LOCAL)
    assert local.stdout.split()[-2:] == ["True", "False"]


def test_the_test_suite_runs_as_a_local_set_up(settings):
    # pytest-env sets DJANGO_DEBUG before pytest-django reads the settings (pyproject.toml);
    # pytest-django then turns DEBUG itself off for the tests, but what it derives stays local.
    assert os.environ["DJANGO_DEBUG"] == "1"
    assert settings.SECURE_SSL_REDIRECT is False
    assert "localhost" in settings.ALLOWED_HOSTS


def test_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET)
    env = production(DJANGO_SECRET_KEY_FILE=str(secret_file))
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr


def test_deploy_check_has_no_warnings_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_off_switches_redirect_cookies_and_hsts_off_together():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        **production(DJANGO_HTTPS="0"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["False", "False", "False", "0"]


def test_a_bad_boolean_names_the_variable():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_database_url_selects_postgresql():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        DATABASE_URL="postgres://someone@db.internal:5433/reflexbook",
        **LOCAL,
    )
    assert result.stdout.split()[-4:] == [
        "django.db.backends.postgresql",
        "reflexbook",
        "db.internal",
        "5433",
    ]


def test_console_email_in_production_fails_the_deploy_check():
    env = production()
    del env["DJANGO_EMAIL_HOST"]
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "development-only email backend" in result.stderr


def test_smtp_is_used_when_a_host_is_given():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; m = s.MAILERS['default']; "
        "print(m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['use_tls'])",
        DJANGO_EMAIL_HOST="smtp.example.com",
        **LOCAL,
    )
    assert result.stdout.split()[-3:] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "True",
    ]


@pytest.mark.skipif("sqlite" not in os.environ.get("DATABASE_URL", "sqlite"), reason="SQLite only")
def test_sqlite_is_set_up_for_a_web_app(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_email_is_sent_at_once_locally_and_queued_in_production():
    show = "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'])"
    local = manage("shell", "-c", show, **LOCAL)
    assert local.stdout.split()[-1] == "django.tasks.backends.immediate.ImmediateBackend"
    deployed = manage("shell", "-c", show, **production())
    assert deployed.stdout.split()[-1] == "django_tasks_db.DatabaseBackend"


def test_an_unknown_task_backend_is_one_clear_line():
    result = manage("check", DJANGO_TASKS_BACKEND="celery", **LOCAL)
    assert result.returncode != 0
    assert "DJANGO_TASKS_BACKEND must be 'immediate' or 'database'" in result.stderr


def test_a_login_lasts_a_working_day_unless_configured():
    show = "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE)"
    assert manage("shell", "-c", show, **LOCAL).stdout.split()[-1] == str(8 * 60 * 60)
    assert (
        manage("shell", "-c", show, DJANGO_SESSION_MINUTES="30", **LOCAL).stdout.split()[-1]
        == "1800"
    )


def test_a_chosen_time_is_held_ten_minutes_unless_configured():
    show = "from django.conf import settings as s; print(s.SLOT_HOLD_MINUTES)"
    assert manage("shell", "-c", show, **LOCAL).stdout.split()[-1] == "10"
    assert (
        manage("shell", "-c", show, DJANGO_SLOT_HOLD_MINUTES="15", **LOCAL).stdout.split()[-1]
        == "15"
    )
    result = manage("check", DJANGO_SLOT_HOLD_MINUTES="0", **LOCAL)
    assert result.returncode != 0
    assert "DJANGO_SLOT_HOLD_MINUTES must be 1 or more." in result.stderr


def test_database_connections_are_kept_and_checked_before_reuse():
    show = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = manage("shell", "-c", show, **production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["600", "True"]


def test_a_bad_log_format_names_the_variable():
    result = manage("check", DJANGO_DEBUG="1", DJANGO_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be 'text' or 'json'" in result.stderr


def test_json_log_format_starts():
    show = "from django.conf import settings as s; print(s.LOGGING['handlers']['console']['formatter'])"
    result = manage("shell", "-c", show, DJANGO_DEBUG="1", DJANGO_LOG_FORMAT="json")
    assert result.stdout.strip().splitlines()[-1] == "json", result.stderr
