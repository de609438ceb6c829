"""Safety checks of the web layer that need no web framework: URL refusal and a guarded fetch transport.

``url_refusal`` rejects URLs the server must not fetch on a user's behalf (server-side request forgery):
private, loopback, link-local, reserved, multicast and unspecified addresses, and names that resolve to one.
``GuardedTransport`` wraps an ``httpx`` transport and applies the same check to every request it sends,
which includes every redirect hop (httpx follows redirects by sending each hop through the transport), so a
public URL that redirects to ``http://169.254.169.254/`` is refused too.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlparse

import httpx

from ..ingest import UrlBlocked, is_public_host

__all__ = ["GuardedTransport", "UrlBlocked", "is_loopback_host", "token_matches", "url_refusal"]

# Host names that always mean this machine or the local network, whatever DNS says.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


def url_refusal(url: str, *, allow_private: bool = False, resolve: bool = True) -> str | None:
    """Why ``url`` must not be fetched, or None when it may be.

    Only absolute ``http``/``https`` URLs are fetched. Unless ``allow_private``, literal IP addresses and
    local names are checked always, and other names are resolved (``resolve``) and refused when any address
    they resolve to is not public (:func:`newsbrief.ingest.is_public_host`). Tests with a mock transport pass
    ``resolve=False``: then no name is looked up.
    """
    parsed = urlparse(url.strip())
    if parsed.scheme not in {"http", "https"}:
        return f"only http and https URLs can be fetched, not {parsed.scheme or 'a bare path'!r}"
    host = (parsed.hostname or "").rstrip(".").lower()
    if not host:
        return "the URL has no host name"
    if allow_private:
        return None
    if host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES):
        return f"{host} is a local host name"
    try:
        ipaddress.ip_address(host)
        literal = True  # no DNS lookup needed: getaddrinfo returns the address itself
    except ValueError:
        literal = False
    if (literal or resolve) and not is_public_host(host):
        return f"{host} is not a public address (private, loopback, link-local or reserved, or unresolvable)"
    return None


class GuardedTransport(httpx.BaseTransport):
    """Refuse every request (each redirect hop included) whose URL :func:`url_refusal` rejects."""

    def __init__(
        self, inner: httpx.BaseTransport | None = None, *, allow_private: bool = False, resolve: bool = True
    ) -> None:
        self.inner = inner if inner is not None else httpx.HTTPTransport()
        self.allow_private = allow_private
        self.resolve = resolve

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        refusal = url_refusal(str(request.url), allow_private=self.allow_private, resolve=self.resolve)
        if refusal:
            raise UrlBlocked(f"refused {request.url}: {refusal}", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def is_loopback_host(host: str) -> bool:
    """True for addresses that only this machine can reach (what ``serve`` may bind without a token)."""
    host = host.strip("[]").lower()
    if host in {"localhost", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the token cannot be guessed from response times."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
