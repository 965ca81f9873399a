"""Render briefings in two processes: a worker forked from this one takes every other briefing
while this process renders the rest.

Briefings render independently (resolve, highlight, templates: about 2 ms a source), and a
build spends about a fifth of its time there, all before MkDocs' own page loop can start. The
worker is forked, so it starts with the loaded modules, compiled templates and checked
briefings and nothing is pickled on the way in; only its results (pages, briefing.json and
each Resolved) come back. Chosen at the edge (the command line's `build`, as `Strategy.jobs`)
only where fork is safe: Linux, two or more CPUs, and no other thread in the process (never
under `serve`). If the worker fails in any way, this process renders its share itself, so an
error is raised here with its real traceback (a template error is located from it).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

# Set in the worker only, by its initializer: the work it was forked with (never in the parent).
_work: tuple[Callable[..., object], Sequence[object]] | None = None


def jobs_for_this_machine() -> int:
    """2 where a forked worker is safe and can help, else 1; BRIEFGEN_JOBS=1 turns it off."""
    if os.environ.get("BRIEFGEN_JOBS") == "1" or not sys.platform.startswith("linux"):
        return 1
    return 2 if (os.cpu_count() or 1) >= 2 else 1


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held while a process forks, then delivered. One that arrives while
    Python runs its at-fork handlers (logging's lock) is printed there and lost, and the build
    went on to the end: a stopped build must stop, and clean up on the way out."""
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def reap(pid: int, stop: bool) -> None:
    """Wait for a forked helper to end, stopping it first (`stop`: the build failed or was
    stopped, and what it does is no longer wanted); one already gone is fine."""
    if stop:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.waitpid(pid, 0)


def die_with_parent(parent: int) -> None:
    """In a forked helper: end when the process that forked it ends, even by SIGKILL. A pool
    worker otherwise outlived a killed build, blocked for good on writing its results into a
    pipe that it holds the other end of itself (Linux's PR_SET_PDEATHSIG; best effort)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before this was set
        os._exit(1)


def _start(fn: Callable[..., object], items: Sequence[object], parent: int) -> None:
    global _work
    _work = (fn, items)
    die_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # forked while held


def _run(indices: list[int]) -> list[object]:
    assert _work is not None
    fn, items = _work
    return [fn(items[i]) for i in indices]


def map_in_two(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """[fn(x) for x in items], every other item done by a forked worker when jobs >= 2."""
    if jobs < 2 or len(items) < 2 or threading.active_count() > 1:
        return [fn(x) for x in items]
    theirs = list(range(1, len(items), 2))
    results: dict[int, R] = {}
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_start, initargs=(fn, items, os.getpid())) as pool:
        with signals_held():  # the pool forks its worker here
            future = pool.submit(_run, theirs)
        for i in range(0, len(items), 2):
            results[i] = fn(items[i])
        try:
            done = cast(list[R], future.result())  # the worker's fn is ours: it returns R
        except Exception:  # the worker died or raised: do its share here, errors and all
            done = [fn(items[i]) for i in theirs]
    results.update(zip(theirs, done))
    return [results[i] for i in range(len(items))]
