"""Accounts made for someone else: a practitioner invites a new client while booking for them
(sessions.booking.book_for_client). The account has no usable password; the invitation email
carries a one-use link (Django's password-reset token, accounts.password_reset.reset_link) to
choose one, which also shows the person reads that mailbox."""

from accounts.models import User


def create_invited_user(*, full_name: str, email: str, timezone: str, phone: str = "") -> User:
    """A new account for `email` that cannot log in until its owner sets a password through
    their invitation link, in `timezone` (the inviting practice's: where they will come for
    their sessions, until they choose their own). The caller has checked that no account has
    the address."""
    user = User(
        email=User.objects.normalize_email(email.strip()).lower(),
        full_name=full_name.strip(),
        phone=phone.strip(),
        timezone=timezone,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user
