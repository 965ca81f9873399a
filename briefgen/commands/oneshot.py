"""What a command that runs once does with its process: the settings it runs under, and how
it ends."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from .. import interrupts


@contextmanager
def one_shot_process() -> Iterator[None]:
    """Process-wide settings for a command that builds once and exits (never inside serve).

    SIGTERM exits through Python, so the build's staging folder is removed on the way out, and
    Ctrl-C and SIGTERM are remembered, so a stop whose exception Python swallowed still stops
    the build before it replaces site_dir (interrupts.py).
    The cyclic garbage collector is paused: loading, parsing and rendering allocate many small
    objects and few cycles, and the collector would scan them over and over (about a tenth of
    the build); the process ends soon after."""
    interrupts.forget()
    previous = {sig: signal.signal(sig, interrupts.handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        # Under `run`, the handlers stay until the process ends: a stop once the site is in place
        # stays only noted on the way out. Called by another program (tests), what was there goes back.
        if not _WHOLE_PROCESS:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            interrupts.forget()


_WHOLE_PROCESS: list[bool] = []  # [True] under `run`: the command's process ends with the command


def run(main: Callable[..., object]) -> None:
    """The `briefgen` command (and `python -m briefgen`): `main`, the click group, then the
    process ends at once. Tearing the interpreter down frees every object one by one: 0.09 s
    of a 0.9 s build after one edit at 400 sources, for nothing. What the command printed is
    flushed first, and every file it wrote is closed by then (as mypy ends). An uncaught error
    still ends as Python ends, with its traceback; tests call main()."""
    _WHOLE_PROCESS[:] = [True]
    try:
        code = _command(main)
    except KeyboardInterrupt:  # a Ctrl-C as the command ended, before signals are held below
        code = 130
    except SystemExit as done:  # a SIGTERM then
        code = _exit_status(done)
    # The command is over: a stop from here on changes nothing, and is no traceback.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    if _observed():  # it writes what it found as Python ends
        sys.exit(code)
    logging.shutdown()
    if not flush_output():  # a closed pipe: said by the exit status, as Python would
        code = code or 120
    os._exit(code)


def _command(main: Callable[..., object]) -> int:
    """`main`'s exit status, its errors said as click's standalone mode says them, except that a
    Ctrl-C is 130, as everywhere else."""
    try:
        return _status(main(prog_name="briefgen", standalone_mode=False))
    except click.Abort as stop:
        if isinstance(stop.__cause__, KeyboardInterrupt):
            return 130
        print("Aborted!", file=sys.stderr)  # end of input at a prompt
        return 1
    except click.ClickException as problem:  # a usage error: printed as click prints it, exit 2
        problem.show()
        return problem.exit_code
    except SystemExit as done:
        return _exit_status(done)


def _exit_status(done: SystemExit) -> int:
    if isinstance(done.code, str):  # as Python prints it
        print(done.code, file=sys.stderr)
    return done.code if isinstance(done.code, int) else 0 if done.code is None else 1


def _status(returned: object) -> int:
    """What click's main returns outside its standalone mode: the status a command exited
    with (ctx.exit), or the command's own return value (None: 0)."""
    return returned if isinstance(returned, int) else 0


def flush_output() -> bool:
    """Standard output and error flushed; False if one could not be (a closed pipe). One that
    was closed when the command started (`>&-`) is None: nothing was printed there."""
    flushed = True
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            flushed = False
    return flushed


def _observed() -> bool:
    """Whether a profiler, a debugger or a coverage tool watches this process (`python -m
    cProfile -m briefgen`, `coverage run`): each writes its findings at exit."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12: coverage may watch through it
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))
