"""Share a batch of independent work with one forked child process.

A build renders each briefing on its own (resolve, highlight, templates: about 2 ms a source),
so on a machine with two cores half of them can be rendered in a child while this process
renders the rest. fork() hands the child the loaded modules, compiled templates and checked
briefings for free; the child sends back only its results, pickled through a pipe.

Used only where fork is safe and can help: Linux, at least two CPUs, and no other thread (so
never under `serve`, whose server and watcher run in threads). BRIEFGEN_JOBS=1 turns it off.
If the child fails in any way, this process does the child's share itself, so an error is
raised here, with its real traceback (a template error is located from it).
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# How the last map_shared call went: items done here, items done by the child (0: no child).
last_split: tuple[int, int] = (0, 0)


def can_fork() -> bool:
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2
            and threading.active_count() == 1 and os.environ.get("BRIEFGEN_JOBS", "") != "1")


def _child(fn: Callable[[T], R], items: Sequence[T], write_fd: int) -> None:
    status = 1
    try:
        data = pickle.dumps([fn(x) for x in items], protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)
        status = 0
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffered output


def map_shared(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """[fn(x) for x in items], every other item computed in a forked child when that is safe."""
    global last_split
    if len(items) < 2 or not can_fork():
        last_split = (len(items), 0)
        return [fn(x) for x in items]
    theirs = items[1::2]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(fn, theirs, write_fd)
    os.close(write_fd)
    data, status = b"", 1
    try:
        mine = [fn(x) for x in items[0::2]]
        with os.fdopen(read_fd, "rb") as f:
            data = f.read()
            read_fd = -1
    finally:
        if read_fd != -1:
            os.close(read_fd)  # the child's write fails and it exits
        _, status = os.waitpid(pid, 0)
    got: list[R] | None = None
    if status == 0:
        try:
            got = pickle.loads(data)
        except Exception:  # a truncated or unreadable reply: do the work here instead
            got = None
    if got is None or len(got) != len(theirs):
        got = [fn(x) for x in theirs]
        last_split = (len(items), 0)
    else:
        last_split = (len(mine), len(got))
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    out[0::2], out[1::2] = mine, got
    return out
