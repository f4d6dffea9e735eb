"""Typed readers for settings taken from the environment.

Each helper raises ImproperlyConfigured naming the variable, so a bad value stops the
app with one clear line instead of a traceback (see manage.py).
"""

import os
from zoneinfo import available_timezones

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; unset means `default`."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    """Read a whole-number variable; unset means `default`."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}.") from None


def env_str(name: str, default: str = "") -> str:
    """Read a text variable; unset means `default`."""
    return os.environ.get(name, default).strip()


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; unset means `default`."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, required: bool, fallback: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    value = os.environ.get(name, "").strip()
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not value and path:
        try:
            with open(path, encoding="utf-8") as handle:
                value = handle.read().strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {path!r}, which cannot be read: {error.strerror}."
            ) from None
    if not value and required:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off: a long random string, e.g. from "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    return value or fallback


def env_timezone(name: str, default: str) -> str:
    """Read an IANA time zone name such as Europe/London."""
    value = env_str(name, default)
    if value not in available_timezones():
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as America/New_York; got {value!r}."
        )
    return value
