"""Storage for files that must never be reachable by a public URL (credential evidence,
clearance notes), encrypted at rest (reflexbook.lib.encryption): the file on disk is a Fernet
token; `field.open()` and `storage.open()` give back the plain bytes."""

import io
import os
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from reflexbook.lib import encryption


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


class DecryptedFile(File):
    """A private file's plain bytes in memory; opening it again after closing decrypts it
    again from storage (as a File on disk would reopen its path)."""

    def __init__(self, storage: "EncryptedPrivateStorage", name: str):
        self._storage = storage
        super().__init__(self._read(name), name=name)

    def _read(self, name: str) -> io.BytesIO:
        return io.BytesIO(encryption.decrypt(self._storage.read_stored(name)))

    def open(self, mode=None, *args, **kwargs):
        if self.closed:
            self.file = self._read(self.name)
        else:
            self.seek(0)
        return self


class EncryptedPrivateStorage(PrivateStorage):
    """PrivateStorage whose files are encrypted on disk: saving encrypts, opening decrypts
    (read-only; a file is replaced, never edited). Read files through open(), never through
    path(): the file at path() is the token. Files are small (10 MB at most), so each is
    encrypted and decrypted whole, in memory."""

    def _save(self, name, content):
        return super()._save(name, ContentFile(encryption.encrypt(b"".join(content.chunks()))))

    def _open(self, name, mode="rb"):
        if set(mode) - set("rb"):
            raise ValueError("Encrypted files open for reading only ('rb').")
        return DecryptedFile(self, name)

    def size(self, name):
        return len(encryption.decrypt(self.read_stored(name)))

    def read_stored(self, name) -> bytes:
        """The bytes on disk (the token), undecrypted."""
        with open(self.path(name), "rb") as handle:
            return handle.read()

    def rewrite(self, name, change: Callable[[bytes], bytes | None]) -> bool:
        """Replace the stored bytes of `name` with change(stored), unless it returns None;
        atomically (a reader sees the old file or the new one, never half of one). Whether
        the file was rewritten; FileNotFoundError if it is missing."""
        path = self.path(name)
        new = change(self.read_stored(name))
        if new is None:
            return False
        temporary = f"{path}.{uuid.uuid4().hex}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        return True


def private_storage() -> FileSystemStorage:
    return EncryptedPrivateStorage()
