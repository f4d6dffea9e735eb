"""Typed readers for settings taken from the environment.

Each helper raises ImproperlyConfigured naming the variable, so a bad value stops the
app with one clear line instead of a traceback (see manage.py).
"""

import os
import time
from pathlib import Path
from zoneinfo import available_timezones

from cryptography.fernet import Fernet
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


FERNET_KEY_HINT = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


def env_fernet_keys(name: str, *, required: bool, local_key_file: Path | None = None) -> list[str]:
    """Read comma-separated Fernet keys from NAME (or the file named by NAME_FILE): the first
    encrypts, all decrypt. Unset with `required` is an error; unset otherwise, the key in
    `local_key_file` is used, created there on first use (local runs only)."""
    value = env_secret(name, required=False)
    keys = [key.strip() for key in value.split(",") if key.strip()]
    if not keys and required:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off: one or more Fernet keys, comma "
            f"separated (the first encrypts, all decrypt), e.g. from {FERNET_KEY_HINT}."
        )
    if not keys and local_key_file is not None:
        keys = [_local_fernet_key(local_key_file)]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a Fernet key (32 url-safe base64-encoded "
                f"bytes); make one with {FERNET_KEY_HINT}."
            ) from None
    return keys


def _local_fernet_key(path: Path) -> str:
    """The local-run key kept in `path`, made (readable by its owner only) if missing, so
    data encrypted by one run is readable by the next."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process may be writing it this instant: wait for the key to appear.
        for _ in range(50):
            if key := path.read_text(encoding="utf-8").strip():
                return key
            time.sleep(0.02)
        raise ImproperlyConfigured(f"{path} is empty: delete it to make a new local key.") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        key = Fernet.generate_key().decode()
        handle.write(key + "\n")
    return key
