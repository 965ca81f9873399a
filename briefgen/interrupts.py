"""A stop asked for while a one-shot build runs (Ctrl-C, SIGTERM), remembered even when Python
swallows the exception that it raised.

Python runs a signal's handler between two bytecodes of whatever runs then, and that can be a
finalizer (an object's `__del__`, a weakref callback) or a callback Python calls without a
caller to hand an exception to: there the KeyboardInterrupt or SystemExit is printed as
"Exception ignored" and the build went on, to exit 0 with the new site in place (about once in
a hundred Ctrl-Cs). So the handlers note the signal too, and the build asks before it puts its
site in place of the old one (engine/site.py): a stop asked for is a stop, and site_dir stays
as it was. Once the new site is in place (`settled`), a stop is only noted: the build has
succeeded, and exit status 130 or 143 would say the site was left as it was.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

_asked: list[int] = []  # signals received since the command's handlers were installed
_done: list[bool] = []  # [True] once the build's site is in place (`settled`)


def handle(signum: int, frame: FrameType | None) -> None:
    """The one-shot command's handler for SIGINT and SIGTERM: noted, then raised as Python
    would (Ctrl-C as KeyboardInterrupt; SIGTERM exits through Python, cleaning up); once the
    site is in place, only noted: the build has succeeded, and its exit status says so."""
    _asked.append(signum)
    if not _done:
        raise_for(signum)


def raise_for(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    sys.exit(128 + signum)


def forget() -> None:
    """The command's handlers are installed, or removed: nothing asked for yet."""
    _asked.clear()
    _done.clear()


def settled() -> None:
    """The build's site is in place: a stop asked for from now on ends nothing early (the old
    site's removal and the report are left); with exit status 130 the site would seem untouched."""
    _done[:] = [True]


def stop_if_asked() -> None:
    """Raise again a stop that was asked for, if its exception was swallowed on the way."""
    if _asked:
        raise_for(_asked[0])
