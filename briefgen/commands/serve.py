"""`briefgen serve`: the edge that picks serve's strategy (reuse between rebuilds); the engine
(briefgen/engine/serve.py) builds, serves and rebuilds."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..diagnostics import Report, UserError
from ..strategy import serving


def serve(project: Path, dev_addr: str, print_report: Callable[[Report, bool], None],
          config_file: str = "mkdocs.yml") -> None:
    from ..engine.serve import serve as run

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise UserError(f"--dev-addr must look like 127.0.0.1:8000, not {dev_addr!r}")
    run(project, host, int(port), serving(), lambda outcome: print_report(outcome.report, False),
        config_file)
