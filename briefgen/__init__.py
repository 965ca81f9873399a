"""briefgen: a static news-briefing site generator where every statement cites its evidence."""

__version__ = "0.1.0"


def run() -> None:
    """The `briefgen` command (and `python -m briefgen`). A Ctrl-C while its modules are still
    importing (a tenth of a second: click, then the command's own) ends it as a Ctrl-C while it
    runs does, with exit status 130 and no traceback; nothing has been read or written yet."""
    try:
        from .cli import run as command
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    command()
