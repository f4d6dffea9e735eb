"""Who may open the staff pages: the one "staff only" rule, for every app's staff views
(the credential queue, the workspace, the activity log)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_staff(request: HttpRequest) -> None:
    """403 for anyone but staff whose session passed the second factor. (TwoFactorMiddleware
    already sends an unverified staff session to verify; this is the backstop.)"""
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.is_verified()):
        raise PermissionDenied("These pages are for reflexbook staff.")
