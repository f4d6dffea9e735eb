"""Who may open the staff pages: the one "staff only" rule, for every app's staff views
(the credential queue, the workspace, the activity log)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def is_verified_staff(user) -> bool:
    """Staff whose session passed the second factor: who the staff pages are for."""
    return bool(user and user.is_authenticated and user.is_staff and user.is_verified())


def require_staff(request: HttpRequest) -> None:
    """403 for anyone but verified staff (is_verified_staff). (TwoFactorMiddleware already
    sends an unverified staff session to verify; this is the backstop.)"""
    if not is_verified_staff(request.user):
        raise PermissionDenied("These pages are for reflexbook staff.")
