"""`briefgen serve` on MkDocs' live-reload server: build, serve site_dir, rebuild and reload the
browser on changes. Plugins start once with command "serve" and shut down at the end, as under
`mkdocs serve`; the strategy handed in keeps what one rebuild can reuse from the last.

The server listens before the first build, so a busy port or a wrong address is said at once,
and it answers only requests that name its own address (hosts.py)."""

from __future__ import annotations

import errno
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from ..diagnostics import UserError
from ..oserrors import clip, describe
from ..pipeline import Outcome
from ..strategy import Strategy
from .hosts import host_name, only_own_host
from .mkdocs_engine import read_settings
from .overlay import answering, last_rebuild
from .projectfiles import watch_safely
from .site import SiteBuilder

log = logging.getLogger("briefgen")


class PreviewServer(LiveReloadServer):
    """MkDocs' server, bound and listening from the moment it is made; `serve()` binds no second
    time. Requests whose Host header names another server get 421 (hosts.py)."""

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: Path,
                 strategy: Strategy | None = None) -> None:
        # Polling every 0.2 s instead of MkDocs' 0.5 s: an edit shows about 0.15 s sooner on
        # average, and stat-ing a few hundred files that often costs next to nothing.
        super().__init__(builder=builder, host=host, port=port, root=str(root), polling_interval=0.2)
        try:
            super().server_bind()
            super().server_activate()
        except OSError as exc:
            self.server_close()
            raise UserError(_cannot_listen(exc, host, port)) from None
        port = self.server_address[1]  # the free port the system chose for port 0
        self.url = f"http://{host_name(host)}:{port}/"  # MkDocs writes an IPv6 address bare
        app = self.get_app()
        assert app is not None  # MkDocs' server makes its app before this
        self.set_app(only_own_host(answering(app, strategy), host, port))

    def server_bind(self) -> None:
        """Done in __init__."""

    def server_activate(self) -> None:
        """Done in __init__."""


def _cannot_listen(exc: OSError, host: str, port: int) -> str:
    where = clip(f"{host_name(host)}:{port}")
    if isinstance(exc, socket.gaierror):
        return (f"cannot listen on {where}: no address found for {clip(repr(host))}; "
                f"use an address such as 127.0.0.1 (--dev-addr 127.0.0.1:{port})")
    if exc.errno == errno.EADDRINUSE:
        return (f"cannot listen on {where}: the port is in use (another `briefgen serve` or "
                f"`mkdocs serve`?); stop that server, or choose another port with --dev-addr")
    if exc.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {where}: that is not an address of this machine; "
                f"use 127.0.0.1 (--dev-addr 127.0.0.1:{port})")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (f"cannot listen on {where}: not allowed (ports below 1024 need extra rights); "
                "choose another port with --dev-addr, such as 127.0.0.1:8000")
    return f"cannot listen on {where}: {describe(exc)}"


def serve(project: Path, host: str, port: int, strategy: Strategy,
          on_outcome: Callable[[Outcome], None], config_file: str = "mkdocs.yml", *,
          strict: bool = False, livereload: bool = True, open_browser: bool = False,
          engine: str | None = None) -> None:
    """Serve until interrupted. `strict`: a warning fails a build as an error does (the first
    stops serve; a later one keeps the last good site). Without `livereload` the site is built
    once and nothing is watched, as under `mkdocs serve --no-livereload`."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    settings = read_settings(project, config_file)  # a broken config stops serve before it listens
    builder = SiteBuilder(project, strategy, command="serve", strict=strict, config_file=config_file,
                          engine=engine)
    last = last_rebuild(strategy)

    def rebuild() -> None:
        # A broken edit keeps the last good site on screen; the problems go to the terminal,
        # and to the page (overlay.py; the check recorded its own).
        try:
            outcome = builder.build()
        except UserError as exc:
            log.error(str(exc))
            if last is not None:
                last.failed(str(exc), exc.where)
            return
        except OSError as exc:  # a full disk, say: the next edit tries again
            log.error(describe(exc))
            if last is not None:
                last.failed(describe(exc))
            return
        on_outcome(outcome)

    server = PreviewServer(rebuild, host, port, settings.site_dir, strategy)
    try:
        first = builder.build()  # a refused site_dir stops serve here, before it serves
        on_outcome(first)
        # A failed first build stops serve even when an older site/ is there: serving that one
        # would show a site that does not match the content being edited.
        if first.report.failed(strict) or not settings.site_dir.is_dir():
            raise UserError("the first build failed; fix the problems above and run `briefgen serve` again")
        if livereload:
            _watch(server, project, config_file, settings.docs_dir)
        try:
            # MkDocs' own --open: webbrowser opens the URL (honouring $BROWSER) once it serves.
            server.serve(open_in_browser=open_browser)  # type: ignore[no-untyped-call]  # MkDocs' server is untyped
        except KeyboardInterrupt:
            log.info("Shutting down...")
    finally:
        server.shutdown()
        builder.close()


def _watch(server: PreviewServer, project: Path, config_file: str, docs_dir: Path | None) -> None:
    """What an edit rebuilds from; MkDocs injects its reload script only while something is watched."""
    watch_safely(server, project.resolve())
    for watched in ("content", "templates", config_file):
        if (project / watched).exists():
            server.watch(str(project / watched))
    if docs_dir:
        server.watch(str(docs_dir))
