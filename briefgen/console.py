"""The `briefgen` console script and `python -m briefgen`: the command, imported here so a
Ctrl-C while its modules are still importing (a tenth of a second: click, then the command's
own) ends it as a Ctrl-C while it runs does, with exit status 130 and no traceback; nothing
has been read or written yet."""

from __future__ import annotations


def run() -> None:
    try:
        from .cli import run as command
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    command()
