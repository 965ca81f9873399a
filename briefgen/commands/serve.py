"""`briefgen serve`: the edge that reads --dev-addr and picks serve's strategy (reuse between
rebuilds); the engine (briefgen/engine/serve.py) builds, serves and rebuilds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..caches.reuse import serving
from ..diagnostics import Report, UserError
from ..oserrors import clip


def parse_dev_addr(dev_addr: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 address in brackets, `[::1]:8000`) into host and port, checked before
    anything is built: a port out of range would otherwise fail only when the server binds."""
    host, _, port = dev_addr.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    # isascii: str.isdigit takes other scripts' digits; len: int() of thousands of digits is refused
    if not host or not (port.isascii() and port.isdigit() and len(port) <= 5 and int(port) <= 65535):
        raise UserError(f"--dev-addr must be HOST:PORT with a port from 0 (any free one) to 65535, "
                        f"such as 127.0.0.1:8000, not {clip(repr(dev_addr))}")
    return host, int(port)


def serve(project: Path, dev_addr: str, print_report: Callable[[Report, bool], None],
          config_file: str = "mkdocs.yml", *, strict: bool = False, livereload: bool = True,
          open_browser: bool = False, engine: str | None = None) -> None:
    from ..engine.serve import serve as run

    host, port = parse_dev_addr(dev_addr)
    run(project, host, port, serving(), lambda outcome: print_report(outcome.report, strict), config_file,
        strict=strict, livereload=livereload, open_browser=open_browser, engine=engine)
