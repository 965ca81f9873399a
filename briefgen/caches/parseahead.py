"""Sources the parse cache lacks, parsed before the check, half of them in a forked worker.

Parsing is most of a first check (markdown-it-py, about 1 ms a source), and each source parses
alone: a worker forked from this process (caches/parallel.py) parses every other one and hands
back the entry the parse cache keeps for it. The check then finds every source as it finds a
cached one, and the cache keeps them as if the check had parsed them. A cold check of 400
sources went from 0.68 s to 0.58 s; a warm one forks nothing. Checking whole briefings in two
processes was tried and cost more than it saved: loading, the larger part, stays in one, and
the checked briefings had to be sent back.
"""

from __future__ import annotations

from typing import Any

from ..model import Briefing, Source
from ..text.sourcetext import ParseMemo, parse_source, source_key
from .parallel import map_in_two
from .parsecache import ParseCache

PARSE_AHEAD = 64  # below this many sources to parse, forking a worker costs more than it saves


def parsed_ahead(briefings: list[Briefing], cache: ParseCache, jobs: int) -> ParseMemo:
    """The parse cache, with the sources it does not hold parsed first (with `jobs` 2, and
    enough of them to be worth a worker)."""
    if jobs < 2:  # nothing to do ahead: the check parses what the cache lacks, and keys each source once
        return cache
    missing = {}
    for b in briefings:
        for source in b.sources.values():
            key = source_key(source.kind, source.body, [raw for raw, _ in source.drop])
            if key not in missing and cache.get(key) is None:
                missing[key] = source
    if len(missing) < PARSE_AHEAD:
        return cache
    ahead = dict(map_in_two(_entry_of, list(missing.values()), jobs))
    for key, entry in ahead.items():
        cache.put(key, entry)
    return _Ahead(ahead, cache)


def _entry_of(source: Source) -> tuple[str, Any]:
    """A source parsed into the entry the parse cache keeps for it."""
    noted = _Ahead({}, None)
    parse_source(source, noted)
    return noted.put_last


class _Ahead:
    """Entries parsed ahead, then the parse cache (`--no-cache`: a cache that remembers nothing)."""

    def __init__(self, ahead: dict[str, Any], cache: ParseMemo | None) -> None:
        self._ahead, self._cache = ahead, cache
        self.put_last: tuple[str, Any] = ("", None)

    def get(self, key: str) -> Any:
        found = self._ahead.get(key)
        return found if found is not None or self._cache is None else self._cache.get(key)

    def put(self, key: str, entry: Any) -> None:
        self.put_last = key, entry
        if self._cache is not None:
            self._cache.put(key, entry)
