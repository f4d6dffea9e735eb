"""A request id for every request and one log line per response.

RequestLogMiddleware (first in MIDDLEWARE) takes the id a proxy sent in X-Request-ID when it
looks like one, or makes one; echoes it on the response; keeps it in a context variable that
RequestIdFilter adds to every log record of the request; and logs one line to
"reflexbook.request" with the path (never the query string), status, duration and the user's id
(never an email address or anything they typed). With DJANGO_LOG_FORMAT=json (settings.LOGGING)
those lines are JSON.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_request_id: ContextVar[str] = ContextVar("request_id", default="")
logger = logging.getLogger("reflexbook.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def _user_id(request) -> int | None:
    """The logged-in user's id if the request already loaded the user (the log line never
    costs a query of its own)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", empty)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(HEADER, "")
        request_id = sent if _ACCEPTED.fullmatch(sent) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)
