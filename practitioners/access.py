"""Who may open a practitioner's own pages: the one "practitioners only" rule, for the
practitioners app and for sessions (agenda, calendar feed settings, record to-do list).

Not a view module, so any app may import it; it imports nothing from sessions.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from practitioners.models import Practitioner


def practitioner_for(request: HttpRequest) -> Practitioner:
    """The logged-in person's practitioner profile; 403 for anyone without one (clients,
    staff)."""
    practitioner = getattr(request.user, "practitioner", None)
    if practitioner is None:
        raise PermissionDenied("These pages are for practitioners.")
    return practitioner


def practitioner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for practitioners only: anyone else gets 403 before the view runs. The view
    finds the profile at request.user.practitioner."""

    @wraps(view)
    def for_practitioners(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        practitioner_for(request)
        return view(request, *args, **kwargs)

    return for_practitioners
