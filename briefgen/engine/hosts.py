"""The preview server answers only to its own address: a guard against DNS rebinding.

A web page on an attacker's domain can make that domain's name resolve to 127.0.0.1 and then
read the preview server's pages as its own origin; drafts included. The browser still sends the
attacker's name in the `Host:` header, so a server that answers only when Host names itself
(127.0.0.1, localhost, [::1], or the host it was bound to, with its port or none) gives such a
page nothing. MkDocs' live-reload server answers any Host, so both `briefgen serve` and the
plugin under `mkdocs serve` wrap its WSGI application with `only_own_host`.

Bound to every address (0.0.0.0 or ::), the server is meant to be reached from other machines
by their address: any IP address is then accepted too. Only a name can be rebound, and a
name other than localhost is refused whatever the server is bound to.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def host_name(host: str) -> str:
    """How a bound host is written in a Host header: an IPv6 address in brackets, names lowercased."""
    return f"[{host}]" if isinstance(_address(host), ipaddress.IPv6Address) else host.lower()


def _split(header: str) -> tuple[str, str | None]:
    """`name[:port]` or `[v6]:port` into the name (lowercased) and the port as written, if any."""
    if header.startswith("["):
        name, bracket, rest = header.partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return "", None
        return name.lower() + "]", rest[1:] if rest else None
    name, colon, port = header.rpartition(":")
    return (name.lower(), port) if colon else (header.lower(), None)


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name[1:-1] if name.startswith("[") else name)
    except ValueError:
        return None


def allows(header: str | None, host: str, port: int) -> bool:
    """Whether a request with this Host header may be answered by a server bound to host:port."""
    if not header:
        return False
    name, given_port = _split(header)
    if given_port is not None and given_port != str(port):
        return False
    if name in LOOPBACK_NAMES or name == host_name(host):
        return True
    bound = _address(host)
    return bound is not None and bound.is_unspecified and _address(name) is not None


def only_own_host(app: Wsgi, host: str, port: int) -> Wsgi:
    """`app`, answering 421 (400 without a Host header) unless Host names this server."""
    own = f"{host_name(host)}:{port}"

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        header = environ.get("HTTP_HOST")
        if allows(header, host, port):
            return app(environ, start_response)
        if header:
            status = "421 Misdirected Request"
            body = f"421 Misdirected Request: this preview server answers only to {own} or localhost:{port}\n"
        else:
            status, body = "400 Bad Request", "400 Bad Request: a Host header is required\n"
        data = body.encode("utf-8")
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                 ("Content-Length", str(len(data)))])
        return [data]

    return guarded
