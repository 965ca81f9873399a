"""A one-shot check in two processes: a worker forked from this one loads and checks every
other briefing (caches/parallel.py), and sends back each checked briefing, its problems, and
what it read from the parse cache and parsed for it (its copy of the cache is its own: this
process saves them).

Briefings load and check alone (a source is checked against its own briefing only). In two
processes a warm check of 4,000 sources took 0.93 s against 1.53 s in one, of 400 sources
0.11-0.14 s against 0.16-0.22 s. Tried once before and dropped, when loading stayed in one
process and a checked source went back with its blocks and index, 18 KB a source; now each
briefing loads where it is checked, and a parsed source goes without what is made again from
its text (text/sourcetext.SourceDoc), 7 KB a source. It replaced the parse-ahead worker, which
parsed only the sources the cache lacked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Problem, Report
from ..stages.check import Checked, check_briefing
from ..stages.load import load_briefing
from .parallel import map_in_two
from .parsecache import ParseCache


def check_in_two(root: Path, folders: list[Path], report: Report, cache: ParseCache, jobs: int) -> list[Checked]:
    """The briefings of these folders loaded and checked, every other one in a worker when
    `jobs` says so; their problems go into `report`, in the order one process gives."""
    checked = []
    for c, problems, used in map_in_two(BriefingChecker(root, cache), folders, jobs):
        report.problems += problems
        cache.adopt(*used)  # what the worker read and parsed, saved by this process
        if c is not None:
            checked.append(c)
    return checked


@dataclass(frozen=True)
class BriefingChecker:
    """Loads and checks one briefing's folder, in this process or in the forked worker, which
    inherits it as it is: the checked briefing, its problems, and the parse cache's keys it
    read and entries it parsed."""

    root: Path
    cache: ParseCache

    def __call__(self, folder: Path) -> tuple[Checked | None, list[Problem], tuple[list[str], dict[str, Any]]]:
        report, noted = Report(), Noted(self.cache)
        b = load_briefing(self.root, folder, report)
        c = check_briefing(b, report, noted) if b is not None else None
        if c is not None:  # a first build parses every source: holding their tokens until render doubled its peak
            for doc in c.docs.values():
                doc.forget_tokens()
        return c, report.problems, (noted.read, noted.new)


class Noted:
    """The parse cache as one briefing's check uses it, noting what it read and parsed."""

    def __init__(self, cache: ParseCache) -> None:
        self._cache = cache
        self.read: list[str] = []
        self.new: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        entry = self._cache.get(key)
        if entry is not None:
            self.read.append(key)
        return entry

    def put(self, key: str, entry: Any) -> None:
        self.new[key] = entry
        self._cache.put(key, entry)
