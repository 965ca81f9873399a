"""A one-shot build's check, run in a forked process while this one imports MkDocs.

`briefgen build` spends its first quarter of a second importing MkDocs, Material and the
plugins and reading mkdocs.yml. None of that needs the content, and the check (load every
briefing, find every quote in its source) needs none of it. So the build forks before those
imports: the child checks, and sends the outcome back, pickled through a pipe; the plugin's
on_config takes it where it would have checked (pipeline.check, handed it as `Strategy.ahead`).
At 400 sources a build after one edit went from 1.01 s to 0.87 s (10 interleaved builds each).

What stays as it was:
- Nothing is unpickled from a file: the pipe comes from this process's own fork.
- The child writes nothing. The parse cache's new entries come back with the outcome and are
  saved by the build, where the check saved them, after the guards: a build refused by a guard
  leaves the project as it was.
- What the child logs (a warning about the cache folder) is sent back and logged when the
  outcome is taken, in its place among the build's lines.
- The outcome is taken only for the project the build then checks (the config file's folder,
  spelled as on_config spells it), and only once. Anything else (a child that failed, was
  killed, or sent something unreadable) and the build checks in its own process, as without
  this, so an error is raised here with its real traceback.
- Stopped, the build kills the child on its way out; killed with SIGKILL, the child dies with
  it (caches/parallel.die_with_parent), having written nothing.

Chosen at the edge, as the render worker is (caches/parallel.py): Linux, two CPUs, no thread
in the process. Above AHEAD_UP_TO sources the pickle costs more than the imports it overlaps:
the child sends about 7 KB a source (a parsed source goes without what is made again from its
text: text/sourcetext.SourceDoc), so at 4,000 sources writing and reading 27 MB took longer
than the imports, and a build after one edit took 5.8-6.2 s against 5.6-5.8 s without.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..caches.parallel import die_with_parent, reap, signals_held
from ..strategy import Strategy
from .oneshot import flush_output

if TYPE_CHECKING:
    from ..pipeline import Outcome

AHEAD_UP_TO = 1500  # sources: about where the gain at 400 (0.14 s) and the loss at 4,000 (0.25 s) meet


class CheckAhead:
    """The forked check of one build: take() its outcome at on_config, close() after the build."""

    def __init__(self, project: Path, strategy: Strategy) -> None:
        self.project, self._strategy = project, strategy
        self._pid, self._fd = 0, -1

    def start(self) -> None:
        from .. import pipeline  # before the fork: the child needs it, the build too

        flush_output()  # nothing buffered is written twice
        read_fd, write_fd = os.pipe()
        with signals_held():
            parent, pid = os.getpid(), os.fork()
            if pid == 0:  # the child: never returns
                os.close(read_fd)
                die_with_parent(parent)
                _child(pipeline, self.project, self._strategy, write_fd)
            # Noted while Ctrl-C and SIGTERM are held: one that arrives as they are let go is
            # raised in this process, which then stops the child (close) on its way out.
            self._pid, self._fd = pid, read_fd
        os.close(write_fd)

    def take(self, project: Path) -> Outcome | None:
        """The outcome of checking `project`, its parse cache saved; None if the child checked
        another folder, was already taken, or failed (then the caller checks)."""
        if not self._pid or project != self.project:
            self.close()
            return None
        sent: Any = None
        try:
            with os.fdopen(self._fd, "rb") as pipe:
                self._fd = -1
                sent = pickle.load(pipe)
        except Exception:  # noqa: BLE001  # a child that died or sent nothing: the caller checks
            sent = None
        self.close(stop=sent is None)
        if not isinstance(sent, tuple) or len(sent) != 3:
            return None
        records, outcome, unsaved = sent
        for record in records:
            logging.getLogger(record.name).handle(record)
        unsaved.save()
        return outcome  # type: ignore[no-any-return]

    def close(self, stop: bool = True) -> None:
        """The child reaped (stopped first, unless it is done); after the build, or instead of taking."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._pid:
            reap(self._pid, stop)
            self._pid = 0


class _Kept(logging.Handler):
    """The child's log records, kept to be sent back with the outcome."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append(record)


def _child(pipeline: Any, project: Path, strategy: Strategy, write_fd: int) -> None:
    """Check, send (log records, outcome, the parse cache's unsaved entries) and end."""
    code = 1
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):  # the build stops it; nothing to clean up here
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        kept = _Kept()
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger) and logger.handlers:
                logger.handlers[:] = [kept]
        # In this process alone: the build imports on the other CPU meanwhile. A worker of its
        # own made a build after one edit 0.08 s slower (0.86-0.91 s against 0.78-0.82 s), and
        # a first build no faster (three processes on two CPUs).
        outcome, unsaved = pipeline.check_unsaved(project, replace(strategy, ahead=None, jobs=1))
        with os.fdopen(write_fd, "wb") as pipe:
            pickle.dump((kept.records, outcome, unsaved), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # noqa: BLE001  # the build checks in its own process instead
        pass
    finally:
        os._exit(code)


def _sources(project: Path) -> int:
    """How many files the briefings' sources/ folders hold (a quick count, not the check's)."""
    n = 0
    try:
        with os.scandir(project / "content") as briefings:
            for b in briefings:
                try:
                    n += len(os.listdir(os.path.join(b.path, "sources")))
                except OSError:
                    pass
    except OSError:
        pass
    return n


@contextmanager
def checked_ahead(project: Path, config_file: str, strategy: Strategy) -> Iterator[Strategy]:
    """The strategy a build runs with: one carrying a check started now in a forked process,
    where that is safe and pays; the child is reaped when the build ends, however it ends."""
    # The folder on_config checks: the config file's, as engine/projectfiles.project_of spells it.
    folder = Path(os.path.abspath(project / config_file)).parent.resolve()
    if (strategy.jobs < 2 or strategy.reuse is not None or threading.active_count() > 1
            or _sources(folder) > AHEAD_UP_TO):
        yield strategy
        return
    ahead = CheckAhead(folder, strategy)
    try:
        ahead.start()
        yield replace(strategy, ahead=ahead)
    finally:
        ahead.close()
