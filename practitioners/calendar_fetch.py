"""Fetch a calendar feed over HTTP(S) for practitioners.busy_import: no Django, plain values
in and out, so the rules are tested against a local server.

The address is the practitioner's, so the server must not let it reach inside our own network
(SSRF): only http and https, and unless `allow_private` every address a host name resolves to
must be a public one (no loopback, private, link-local, multicast, reserved or unspecified
address), checked again at every redirect. The connection then goes to the very address that
was checked (the host name is kept for TLS and the Host header), so a name that resolves
differently a moment later (DNS rebinding) cannot slip past. Bounded: `timeout` seconds for
the whole fetch, `max_bytes` of body, a few redirects. ETag and Last-Modified are sent back
(If-None-Match, If-Modified-Since) so an unchanged feed answers 304 with no body.

Errors come back as FetchFailed with words for the practitioner; none of them repeats the
address, which holds its secret.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
USER_AGENT = "reflexbook-calendar-import/1"
CHUNK = 64 * 1024


class FetchFailed(Exception):
    """The feed could not be fetched; str() says why, in words."""


@dataclass(frozen=True)
class Fetched:
    """A fetch's outcome: `body` None when the server said 304 (not modified)."""

    body: bytes | None
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.body is None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to for `host`: the first it resolves to, once every one of them
    is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchFailed(
            _("The calendar server “%(host)s” could not be found. Check the address.")
            % {"host": host}
        ) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchFailed(
            _("The calendar server “%(host)s” could not be found. Check the address.")
            % {"host": host}
        )
    if not allow_private and not all(_is_public(a) for a in addresses):
        raise FetchFailed(
            _(
                "The address leads to a private or local network address, which reflexbook does "
                "not fetch. Use the public address your calendar app gives."
            )
        )
    return addresses[0]


def _connection(scheme: str, host: str, port: int, address: str, timeout: float):
    """An HTTP(S) connection to `host` that connects to the checked `address`."""
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect_to_checked(_where, timeout=timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    # http.client opens its socket through this attribute; TLS then wraps it with the host
    # name (SNI and certificate check), so only the address is pinned.
    conn._create_connection = connect_to_checked
    return conn


def _check_scheme(url: str):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed(_("The address must start with https:// (or http://)."))
    try:
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        raise FetchFailed(_("The address has a port that is not a number.")) from None
    return parts


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = 10.0,
    max_bytes: int = 5 * 1024 * 1024,
    allow_private: bool = False,
) -> Fetched:
    """GET `url` (following up to MAX_REDIRECTS redirects, each checked as the first) within
    `timeout` seconds in all and at most `max_bytes` of body. Raises FetchFailed."""
    deadline = time.monotonic() + timeout

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return remaining

    try:
        for _attempt in range(MAX_REDIRECTS + 1):
            parts = _check_scheme(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            address = _resolve(parts.hostname, port, allow_private=allow_private)
            fetched, url = _get(
                _connection(parts.scheme, parts.hostname, port, address, left()),
                parts,
                url,
                etag=etag,
                last_modified=last_modified,
                max_bytes=max_bytes,
                left=left,
            )
            if fetched is not None:
                return fetched
    except TimeoutError:
        raise FetchFailed(
            _("The calendar server did not answer within %(seconds)s seconds.")
            % {"seconds": f"{timeout:g}"}
        ) from None
    except ssl.SSLError:
        raise FetchFailed(
            _("The calendar server’s secure connection could not be verified.")
        ) from None
    except (OSError, http.client.HTTPException):
        raise FetchFailed(_("The calendar server could not be reached.")) from None
    raise FetchFailed(_("The address redirected too many times."))


def _get(conn, parts, url: str, *, etag, last_modified, max_bytes, left):
    """One request: (Fetched, url) when it ends here, (None, the next url) on a redirect."""
    too_large = _("The calendar is larger than %(megabytes)s MB; it was not imported.") % {
        "megabytes": f"{max_bytes / (1024 * 1024):g}"
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        status = response.status
        if status in (301, 302, 303, 307, 308):
            location = response.getheader("Location", "")
            if not location:
                raise FetchFailed(
                    _("The calendar server answered %(status)s with nowhere to go.")
                    % {"status": status}
                )
            return None, urljoin(url, location)
        if status == 304:
            return Fetched(None, etag=etag, last_modified=last_modified), url
        if status != 200:
            raise FetchFailed(_status_words(status))
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchFailed(too_large)
        body = bytearray()
        while chunk := _read(conn, response, left()):
            body += chunk
            if len(body) > max_bytes:
                raise FetchFailed(too_large)
        left()
        fetched = Fetched(
            bytes(body),
            etag=response.getheader("ETag", "") or "",
            last_modified=response.getheader("Last-Modified", "") or "",
        )
        return fetched, url
    finally:
        conn.close()


def _read(conn, response, timeout: float) -> bytes:
    """The next piece of the body, waiting at most `timeout` for it."""
    if conn.sock is not None:
        conn.sock.settimeout(timeout)
    return response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)


def _status_words(status: int) -> str:
    if status in (401, 403):
        return _(
            "The calendar server refused the address (%(status)s): it may have been reset. "
            "Copy the secret address from your calendar app again."
        ) % {"status": status}
    if status in (404, 410):
        return _(
            "The calendar server says there is no calendar at this address (%(status)s): it "
            "may have been reset. Copy the secret address from your calendar app again."
        ) % {"status": status}
    if status >= 500:
        return _("The calendar server had a problem (%(status)s). reflexbook will try again.") % {
            "status": status
        }
    return _("The calendar server answered %(status)s instead of the calendar.") % {
        "status": status
    }
