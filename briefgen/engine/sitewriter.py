"""The pages' files, and the kept pages of the cache folder, written by a process forked for it
while this one themes the next page.

A build writes every page into a folder of its own (`<page>/index.html`), and on some disks
creating a folder or a file is slow: on ext4 mounted with `discard` about 0.3 ms each, so a
400-source build after a one-file edit waited 0.2 s on the 570 folders and 660 files it made.
A thread cannot take that wait: it needs the interpreter back after each system call, and the
theming holds it, so its writes ran after the theming, not beside it (measured: no gain; the
page cache's own writing thread fell 20 MB of pages behind). A process does not share the
interpreter: fed through a pipe, it writes while this one works (the folders first, all of
them, before the first page arrives), and the build waits only for what is left at the end.

MkDocs writes a page after every plugin's on_post_page; the plugin's own, last, hands the output
here and returns "", so MkDocs writes nothing ("Page skipped", a log line dropped for these pages
only). Chosen where the theming worker is (paralleltheme.py): a one-shot build that forks, with
only the plugins whose page events are known, so no other plugin's on_post_page comes after ours
or reads the files before on_post_build, when the writer has finished.
"""

from __future__ import annotations

import logging
import os
import signal
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..caches.parallel import reap, signals_held
from ..caches.sealed import write_atomically
from .pagecache import kept_output
from .sitelinks import Held, link_held, link_unchanged

_HEAD = struct.Struct("<BIQ")  # what (PAGE, KEPT, LINK), length of the path, of the content; a path of 0: the end
PAGE, KEPT, LINK = 0, 1, 2  # a page of the site; a file of the cache folder, written atomically; a page linked
_HELD = struct.Struct("<QQq")  # a LINK's old file as noted (inode, device, mtime), then the kept page's file
_PIPE = 1 << 20  # bytes the pipe holds, so this process rarely waits for the writer


class WriteFailed(OSError):
    """The writer could not write a page (its error, as if this process had met it), or ended
    before it wrote them all."""

    @classmethod
    def said(cls, words: bytes, fallback: str) -> WriteFailed:
        number, _, rest = words.decode("utf-8", "surrogateescape").partition("\0")
        strerror, _, filename = rest.partition("\0")
        if not number.isdigit() or not strerror:
            return cls(fallback)
        return cls(int(number), strerror, filename or None) if int(number) else cls(strerror)


class _Said(Exception):
    """What the writer says of a page it could not write, as it is to be read."""


class SiteWriter:
    """start() once, write() per page, finish() after the last (or abort() on failure)."""

    def __init__(self) -> None:
        self._pid = 0
        self._fd = -1  # the pipe to the writer
        self._status = -1  # the writer's last words, when it fails
        self._mine: set[str] = set()  # the pages (src) handed to the writer, for the log filter
        self._filter: _Skipped | None = None

    @property
    def running(self) -> bool:
        return self._pid != 0

    def start(self, paths: Sequence[str], beside: tuple[str, str] | None = None) -> None:
        """Fork the writer for a build that will write these files (every page's, in MkDocs'
        order): it makes their folders while this process is still on its way to the first page.
        `beside`: the folder being built and the site it replaces, whose file of a page is linked
        where it holds the very bytes of the page (sitelinks.link_unchanged)."""
        notes, status = os.pipe(), os.pipe()
        try:
            import fcntl

            fcntl.fcntl(notes[1], fcntl.F_SETPIPE_SZ, _PIPE)
        except (ImportError, AttributeError, OSError):  # a smaller pipe only waits more often
            pass
        with signals_held():
            pid = os.fork()
        if pid == 0:  # the writer: never returns, whatever happens
            try:
                os.close(notes[1])
                os.close(status[0])
                _write_all(notes[0], status[1], paths, beside)
            finally:
                os._exit(1)
        os.close(notes[0])
        os.close(status[1])
        self._pid, self._fd, self._status = pid, notes[1], status[0]
        self._filter = _Skipped(self._mine)
        logging.getLogger("mkdocs.commands.build").addFilter(self._filter)

    def write(self, src: str, path: str, content: bytes) -> None:
        """Hand one page's file to the writer: the page (its src), where, and its bytes."""
        self._hand(PAGE, path, content)
        self._mine.add(src)

    def link(self, src: str, path: str, held: Held, kept: Path) -> None:
        """Hand over a page whose file in the site being replaced holds its output (sitelinks.py):
        linked from there when it is still the file noted, else written from `kept`, the page
        cache's file of it."""
        self._hand(LINK, path, _HELD.pack(held.ino, held.dev, held.mtime_ns) + os.fsencode(kept))
        self._mine.add(src)

    def keep(self, path: str, *parts: bytes) -> None:
        """Hand a file of the cache folder to the writer, written whole and atomically as
        caches/sealed.py writes one; if it cannot be, it is left out, as a cache may be."""
        self._hand(KEPT, path, b"".join(parts))

    def _hand(self, kind: int, path: str, content: bytes) -> None:
        name = os.fsencode(path)
        try:
            _send(self._fd, _HEAD.pack(kind, len(name), len(content)) + name, content)
        except BrokenPipeError:
            raise WriteFailed.said(self._last_words(), "the process writing the site ended early") from None

    def finish(self) -> None:
        """Wait for every file handed over to be written; WriteFailed if one was not."""
        if not self._pid:
            return
        try:
            _send(self._fd, _HEAD.pack(PAGE, 0, 0), b"")
        except BrokenPipeError:
            pass  # said below: the writer's status
        os.close(self._fd)
        self._fd = -1
        _, code = os.waitpid(self._pid, 0)
        self._pid = 0
        words = self._last_words()
        self._release()
        if code != 0:
            raise WriteFailed.said(words, f"the process writing the site ended with status {code}")

    def abort(self) -> None:
        """After a failed build: the writer stopped, whatever it was writing (into the staging folder)."""
        if self._pid:
            reap(self._pid, stop=True)
            self._pid = 0
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        self._release()

    def _last_words(self) -> bytes:
        """What the writer said before it ended: "errno\\0strerror\\0filename" (errno 0: no OSError)."""
        if self._status < 0:
            return b""
        chunks = []
        while chunk := os.read(self._status, 4096):
            chunks.append(chunk)
        return b"".join(chunks)

    def _release(self) -> None:
        if self._status >= 0:
            os.close(self._status)
            self._status = -1
        if self._filter is not None:
            logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)
            self._filter = None
        self._mine = set()


class _Skipped(logging.Filter):
    """Drops MkDocs' "Page skipped" line for a page the writer wrote (the plugin returned "")."""

    def __init__(self, mine: set[str]) -> None:
        super().__init__()
        self._mine = mine

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)  # MkDocs formats it: f"Page skipped: '{src}'. Generated empty output."
        prefix, suffix = "Page skipped: '", "'. Generated empty output."
        if not (message.startswith(prefix) and message.endswith(suffix)):
            return True
        return message[len(prefix):-len(suffix)] not in self._mine


def _send(fd: int, head: bytes, content: bytes) -> None:
    view = memoryview(head + content) if len(content) < 4096 else None
    for part in ([view] if view is not None else [memoryview(head), memoryview(content)]):
        while part:
            part = part[os.write(fd, part):]


def _write_held(path: str, content: bytes, beside: tuple[str, str] | None) -> None:
    """A LINK: the old file linked, or else the kept page's output written."""
    held = _HELD.unpack_from(content)
    if beside is not None and link_held(path, held, *beside):
        return
    kept = os.fsdecode(content[_HELD.size:])
    output = kept_output(Path(kept))
    if output is None:  # the cache changed under the build: nothing here can write the page
        raise _Said(f"{path}: its kept page ({kept}) changed during the build; build again")
    with open(path, "wb") as f:
        f.write(output.encode("utf-8", errors="xmlcharrefreplace"))  # as MkDocs encodes a page


def _make_folders(folders: Iterable[str]) -> list[str]:
    """Each folder made, with its parents; the ones this made, parents first."""
    made: list[str] = []
    for folder in dict.fromkeys(folders):
        missing = []
        while folder and not os.path.isdir(folder):
            missing.append(folder)
            folder = os.path.dirname(folder)
        for path in reversed(missing):
            os.makedirs(path, exist_ok=True)
            made.append(path)
    return made


def _remove_unused(made: list[str], written: set[str]) -> None:
    """A folder made ahead for a page MkDocs did not write after all (its output was empty) is
    removed, as if MkDocs had written the site: only if nothing went into it or under it."""
    used = set()
    for folder in written:
        while folder and folder not in used:
            used.add(folder)
            folder = os.path.dirname(folder)
    for folder in reversed(made):
        if folder not in used:
            try:
                os.rmdir(folder)
            except OSError:  # something else was put there (a copied asset)
                pass


def _read_exactly(fd: int, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        chunk = os.read(fd, min(n - len(data), _PIPE))
        if not chunk:
            raise EOFError("the build ended before it said it had finished")
        data += chunk
    return bytes(data)


def _write_all(notes: int, status: int, paths: Sequence[str], beside: tuple[str, str] | None) -> None:
    """In the writer: each file as MkDocs' utils.write_file writes it, until the end note."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops it; a Ctrl-C reaches both
        made = _make_folders(os.path.dirname(p) for p in paths)
        written: set[str] = set()
        while True:
            kind, size, length = _HEAD.unpack(_read_exactly(notes, _HEAD.size))
            if size == 0:
                break
            path = os.fsdecode(_read_exactly(notes, size))
            content = _read_exactly(notes, length)
            if kind == KEPT:
                try:
                    write_atomically(Path(path), content)
                except OSError:  # a page not kept is themed again next time
                    pass
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if kind == LINK:
                _write_held(path, content, beside)
            elif beside is None or not link_unchanged(path, content, *beside):
                with open(path, "wb") as f:
                    f.write(content)
            written.add(os.path.dirname(path))
        _remove_unused(made, written)
        code = 0
    except BaseException as exc:  # noqa: BLE001  # said to the build, which fails with it
        if isinstance(exc, OSError) and exc.errno:
            words = f"{exc.errno}\0{exc.strerror}\0{exc.filename or ''}"
        elif isinstance(exc, _Said):
            words = f"0\0{exc}\0"
        else:
            words = f"0\0{type(exc).__name__}: {exc}\0"
        try:
            os.write(status, words.encode("utf-8", "surrogateescape"))
        except OSError:
            pass
    finally:
        os._exit(code)
