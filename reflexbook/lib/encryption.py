"""Encryption at rest for health free text and health files: Fernet tokens (AES-128-CBC with
an HMAC-SHA256, from `cryptography`) under settings.FIELD_ENCRYPTION_KEYS, where the first key
encrypts and every key decrypts (MultiFernet), so a new key can be put first and the old one
removed once `manage.py rotate_encryption_key` has moved everything onto the new one.

The model fields (reflexbook.lib.encrypted_fields) and the private file storage
(reflexbook.lib.storage) encrypt through here; nothing else handles keys.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

__all__ = [
    "InvalidToken",
    "decrypt",
    "decrypt_token",
    "encrypt",
    "encrypt_plain",
    "is_token",
    "needs_rotation",
    "rotate",
    "rotate_old",
]


@lru_cache(maxsize=4)
def _ciphers(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(key) for key in keys]
    return MultiFernet(fernets), fernets[0]


def _current() -> tuple[MultiFernet, Fernet]:
    # Read on each use (cached per key list), so tests that change the keys are honoured.
    return _ciphers(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(data: bytes) -> bytes:
    """`data` as a Fernet token under the first key."""
    return _current()[0].encrypt(data)


def decrypt(token: bytes) -> bytes:
    """The data in `token`, which any of the keys may have made; InvalidToken if none did
    (or it was altered)."""
    return _current()[0].decrypt(token)


def is_token(data: bytes) -> bool:
    """Whether `data` is a token one of the keys made (so already encrypted)."""
    try:
        decrypt(data)
    except InvalidToken:
        return False
    return True


def needs_rotation(token: bytes) -> bool:
    """Whether `token` was made by a key other than the first (one of the older keys)."""
    try:
        _current()[1].decrypt(token)
    except InvalidToken:
        return True
    return False


def rotate(token: bytes) -> bytes:
    """`token` re-encrypted under the first key (its data and timestamp unchanged)."""
    return _current()[0].rotate(token)


# The rewrites of stored data (encrypted_fields.rewrite_column for columns,
# storage.EncryptedPrivateStorage.rewrite for files): each returns the new stored bytes, or
# None when the data is already as wanted, so running one twice changes nothing.


def encrypt_plain(data: bytes) -> bytes | None:
    """Plain data as a token (None: already a token)."""
    return None if is_token(data) else encrypt(data)


def decrypt_token(data: bytes) -> bytes | None:
    """A token as the plain data it holds (None: already plain)."""
    return decrypt(data) if is_token(data) else None


def rotate_old(data: bytes) -> bytes | None:
    """A token made by an older key re-encrypted under the first (None: already under the
    first). InvalidToken if no key decrypts it."""
    return rotate(data) if needs_rotation(data) else None
