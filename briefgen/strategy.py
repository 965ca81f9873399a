"""How a run goes about its work, chosen at the edge (the command line, serve) and handed in.

The stages do the same thing whatever the strategy; it only decides what they may keep and
reuse: the parse cache in `.briefgen-cache/` (off with `--no-cache`), under `serve` what one
rebuild can take over from the last (briefgen/caches/reuse.py), and for a one-shot `build`
whether forked workers render half of the briefings and theme part of the pages
(briefgen/caches/parallel.py, briefgen/engine/paralleltheme.py), and
whether rendered pages wait on disk for the engine (briefgen/caches/spool.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # reuse.py needs Jinja2, which `check` does not import
    from pathlib import Path

    from .caches.reuse import Reuse
    from .pipeline import Outcome


class Ahead(Protocol):
    """A check already under way for a one-shot build (commands/ahead.py)."""

    def take(self, project: Path) -> Outcome | None:
        """Its outcome if it checked `project` and has not been taken; else None (check here)."""


@dataclass(frozen=True)
class Strategy:
    """`parse_cache`: read and update .briefgen-cache/; `reuse`: serve's kept work, or None;
    `jobs`: 2 renders every other briefing in a forked worker (caches/parallel.py) and themes
    part of the pages in another (engine/paralleltheme.py); `spool`:
    a one-shot build keeps its rendered pages' HTML in a temporary file until the engine prints
    them, not in memory (caches/spool.py; serve's reuse keeps them in memory); `ahead`: a
    one-shot build's check, started in a forked process before the engine was imported
    (commands/ahead.py)."""

    parse_cache: bool = True
    reuse: Reuse | None = None
    jobs: int = 1
    spool: bool = True
    ahead: Ahead | None = None

