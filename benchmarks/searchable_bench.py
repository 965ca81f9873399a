"""Time the search-entry reader (stages/searchable.py `entries`) over every page a build reads
it from: the project is built once in this process (one process, no cache) while each page's
HTML and title are kept, then `entries` is run over all of them, best of N rounds.

    python benchmarks/generate.py /tmp/p400 --briefings 40 --sources 10
    python benchmarks/searchable_bench.py /tmp/p400 [--rounds 7]
    PYTHONPATH=/path/to/other/checkout python benchmarks/searchable_bench.py /tmp/p400   # compare

It measures the briefgen that `import briefgen` finds (so `PYTHONPATH` picks the checkout).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import briefgen.caches.parallel as parallel
import briefgen.stages.searchable as searchable
from briefgen.cli import main


def pages_of(project: Path) -> list[tuple[str, str]]:
    """(html, title) of every page `entries` reads in a full build of the project."""
    kept: list[tuple[str, str]] = []
    read = searchable.entries

    def keeping(html: str, page_title: str) -> tuple[searchable.SearchEntry, ...]:
        kept.append((html, page_title))
        return read(html, page_title)

    shutil.rmtree(project / ".briefgen-cache", ignore_errors=True)
    searchable.entries, parallel.jobs_for_this_machine = keeping, lambda: 1  # type: ignore[assignment]
    try:
        main(["-C", str(project), "-q", "build", "--no-cache"], standalone_mode=False)
    finally:
        searchable.entries = read
    return kept


def best_of(pages: list[tuple[str, str]], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for html, page_title in pages:
            searchable.entries(html, page_title)
        times.append(time.process_time() - start)
    return min(times)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    pages = pages_of(args.project)
    size = sum(len(html) for html, _ in pages)
    seconds = best_of(pages, args.rounds)
    print(f"{searchable.__file__}")
    print(f"entries() over {len(pages)} pages ({size / 1e6:.1f} M characters): "
          f"{seconds * 1000:.0f} ms of CPU, best of {args.rounds} ({size / seconds / 1e6:.1f} M characters/s)")


if __name__ == "__main__":
    run()
