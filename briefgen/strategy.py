"""How a run goes about its work, chosen at the edge (the command line, serve) and handed in.

The stages do the same thing whatever the strategy; it only decides what they may keep and
reuse: the parse cache in `.briefgen-cache/` (off with `--no-cache`), and, under `serve`, what
one rebuild can take over from the last (briefgen/caches/reuse.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reuse.py needs Jinja2, which `check` does not import
    from .caches.reuse import Reuse


@dataclass(frozen=True)
class Strategy:
    """`parse_cache`: read and update .briefgen-cache/; `reuse`: serve's kept work, or None."""

    parse_cache: bool = True
    reuse: Reuse | None = None


def serving() -> Strategy:
    """The strategy of `serve`: the parse cache, and reuse between rebuilds."""
    from .caches.reuse import Reuse

    return Strategy(parse_cache=True, reuse=Reuse())
