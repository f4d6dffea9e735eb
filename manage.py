#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reflexbook.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now, to report bad ones plainly
    except ImproperlyConfigured as error:
        # A missing or bad setting is the operator's to fix: one line, no traceback.
        sys.exit(f"reflexbook: configuration error: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
