"""Where a command's errors become one line each, at the edge, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from ..diagnostics import UserError
from ..oserrors import clip, describe
from .output import say

T = TypeVar("T")

# Exit codes: 0 passed, 1 a problem the user can fix (content, command line, environment),
# 2 click's own usage errors, 3 a bug in briefgen, 130 interrupted (Ctrl-C). Small and apart
# from each other, so a script can tell "fix your input" (1, 2) from "report this" (3).
EXIT_INTERNAL = 3


def guard(ctx: click.Context, fn: Callable[[], T]) -> T:
    """Run fn; a user mistake or a failure of the machine prints one line and exits 1, a bug
    one line and exits 3 (its traceback only with --debug)."""
    try:
        return fn()
    except UserError as exc:
        if exc.where:  # a mistake at a place in a file: reported like every other problem
            say(f"{exc.where}: error: {exc}")
            say("briefgen: 1 error, 0 warnings; failed")
        else:  # clipped: no message may print a whole file or a huge argument
            say(f"error: {clip(str(exc), 1000)}")
        ctx.exit(1)
    except KeyboardInterrupt:
        ctx.exit(130)
    except OSError as exc:  # a full disk, a read-only folder: the machine's, not briefgen's fault
        if ctx.obj.get("debug"):
            raise
        say(f"error: {describe(exc)}")
        ctx.exit(1)
    except Exception as exc:  # a bug in briefgen, not the user's mistake
        if ctx.obj.get("debug"):
            raise
        say(f"internal error: {type(exc).__name__}: {clip(str(exc))} (run with --debug for details, "
            "and please report it)")
        ctx.exit(EXIT_INTERNAL)
