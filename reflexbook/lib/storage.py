"""Storage for files that must never be reachable by a public URL (credential evidence)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Files here have no URL: views serve them after checking who is asking."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
