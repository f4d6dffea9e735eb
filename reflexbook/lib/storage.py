"""Storage for files that must never be reachable by a public URL (credential evidence,
clearance notes)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files here have no URL: views serve them after checking who is asking. The folder is
    read from settings on each use, so a changed PRIVATE_MEDIA_ROOT (tests) is honoured."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage()
