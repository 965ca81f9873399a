"""Under serve, a failed rebuild's problems on the page being written, not only in the terminal.

The site on screen stays the last good one; the preview server also answers
`<site>/__briefgen__/problems.json` with the problems of the last rebuild (none once it built),
and a script added only under serve (templates/assets/overlay.js) shows them over the page and
clears them when a rebuild succeeds, as Vite's and Hugo's error overlays do. What the last
rebuild said is kept in serve's strategy (its engine slot), which both `briefgen serve` and
the plugin under `mkdocs serve` hold.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any

from ..diagnostics import Report, inert
from ..strategy import Strategy
from .hosts import Wsgi

PATH = "/__briefgen__/problems.json"
SCRIPT = "overlay.js"


class LastRebuild:
    """The problems that failed the last rebuild; empty when it built."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # written by the rebuild thread, read by request threads
        self._body = b""
        self._set([])

    def record(self, report: Report, strict: bool = False) -> None:
        shown = [p for p in report.sorted() if p.severity == "error" or (strict and p.severity == "warning")]
        self._set([(str(p.pos), p.severity, p.message) for p in shown] if report.failed(strict) else [])

    def failed(self, message: str, where: str | None = None) -> None:
        """A rebuild that stopped outside the check (a broken mkdocs.yml, a full disk)."""
        self._set([(where or "", "error", message)])

    def _set(self, problems: list[tuple[str, str, str]]) -> None:
        rows = [{"where": inert(where), "severity": severity, "message": inert(message)}
                for where, severity, message in problems]
        body = json.dumps({"problems": rows}).encode("ascii")
        with self._lock:
            self._body = body

    def body(self) -> bytes:
        with self._lock:
            return self._body


def last_rebuild(strategy: Strategy | None) -> LastRebuild | None:
    """The record kept in serve's strategy; None outside serve."""
    if strategy is None or strategy.reuse is None:
        return None
    found = strategy.reuse.engine.setdefault("last-rebuild", LastRebuild())
    return found if isinstance(found, LastRebuild) else None


def record(strategy: Strategy | None, report: Report, strict: bool) -> None:
    if (last := last_rebuild(strategy)) is not None:
        last.record(report, strict)


def answering(app: Wsgi, strategy: Strategy | None) -> Wsgi:
    """`app`, also answering PATH (under any site prefix) with the last rebuild's problems
    (under serve; otherwise `app` as it is)."""
    last = last_rebuild(strategy)
    if last is None:
        return app

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not str(environ.get("PATH_INFO", "")).endswith(PATH):
            return app(environ, start_response)
        data = last.body()
        start_response("200 OK", [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                                  ("Content-Length", str(len(data)))])
        return [data]

    return wrapped


def add_script(config: Any, files: dict[str, str | bytes], command: str | None) -> None:
    """The overlay's script, for pages built under serve only: a published site asks for no
    problems.json."""
    from ..stages.render import package_templates

    if command != "serve":
        return
    name = f"assets/briefgen/{SCRIPT}"
    files[name] = (package_templates() / "assets" / SCRIPT).read_text(encoding="utf-8")
    if name not in [str(j) for j in config.extra_javascript]:
        config.extra_javascript.append(name)
