"""Theme briefgen's pages in two processes: a worker forked when MkDocs has read every page
(on_env) renders part of them through the theme while MkDocs' own loop does the rest.

Theming is the largest part of a full build after briefgen's own render (Material's template is
long: nav, header, footer, scripts, about 2.5 ms a page), and MkDocs renders one page after
another. Forked at on_env the worker has everything a page's theming reads: the nav, the pages
with their content, the theme's environment with every plugin's globals. For each of its pages
it does what MkDocs' `_build_page` does up to the template's output: the page's context, every
plugin's on_page_context, the page's own template. It writes the outputs to a spool file and
says each one down a pipe, in order.

This process then builds those pages as it builds a kept page (pagecache.py): their template is
`briefgen-cached.html`, which prints the worker's output, so every plugin still sees the page in
this process (on_page_context, on_post_page, the search index) exactly once, and the file is
written by MkDocs. If the worker fails or dies, the pages it did not deliver are themed here, in
the late on_page_context, with every plugin's context: same output, slower.

Chosen at the edge (`Strategy.jobs`: a one-shot build on Linux with two CPUs), and only when
every plugin is one whose on_page_context is known not to depend on the pages before it (those
the page cache trusts) and the process has no other thread, as fork needs.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import struct
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..caches.parallel import reap, signals_held
from .pagecache import KNOWN_PLUGINS, TEMPLATE

log = logging.getLogger("briefgen")

_NOTE = struct.Struct("<IQQ")  # page number, offset in the spool, length in bytes
SHARE = 0.55  # of the pages themed here or there, the worker's: this process also writes them all


def parallel_safe(config: Any) -> bool:
    return set(config.plugins) <= KNOWN_PLUGINS and not config.get("hooks") and threading.active_count() == 1


def shares(count: int, share: float = SHARE) -> list[bool]:
    """For each of `count` pages in build order, whether the worker themes it: interleaved, so the
    worker's outputs arrive about when MkDocs' loop reaches them."""
    theirs, owed = [], 0.0
    for _ in range(count):
        owed += share
        theirs.append(owed >= 1.0)
        if owed >= 1.0:
            owed -= 1.0
    return theirs


class ParallelTheming:
    """One build's worker: start() at on_env, delivered() per page it themed, finish() after."""

    def __init__(self) -> None:
        self._pid = 0
        self._spool: Path | None = None
        self._read_fd = -1
        self._number: dict[str, int] = {}  # page file -> its number among the worker's pages
        self._template: dict[str, str] = {}  # page file -> the template it is themed with
        self._arrived: dict[int, tuple[int, int]] = {}
        self._eof = False

    def start(self, pages: Sequence[Any], env: Any, config: Any, nav: Any, doc_files: Sequence[Any]) -> None:
        """Fork the worker for its share of `pages` (in MkDocs' order: doc_files)."""
        mine = [p for p, theirs in zip(pages, shares(len(pages))) if theirs]
        if not mine:
            return
        # Beside site_dir: under `briefgen build` the build's staging folder, which the next
        # build removes if this one is killed.
        self._spool = Path(tempfile.mkdtemp(prefix=".briefgen-theme-", dir=os.path.dirname(config.site_dir)))
        read_fd, write_fd = os.pipe()
        gc.freeze()  # the worker's collections leave the inherited heap alone: no copy of its pages
        with signals_held():
            parent, pid = os.getpid(), os.fork()
        if pid == 0:  # the worker: never returns
            os.close(read_fd)
            _work(mine, env, config, nav, doc_files, self._spool / "pages", write_fd, parent)
        gc.unfreeze()
        os.close(write_fd)
        self._pid, self._read_fd = pid, read_fd
        for i, page in enumerate(mine):
            self._number[page.file.src_uri] = i
            self._template[page.file.src_uri] = page.meta.get("template", "main.html")
            page.meta["template"] = TEMPLATE

    def owns(self, page: Any) -> bool:
        return page.file.src_uri in self._number

    def delivered(self, page: Any) -> tuple[str | None, str]:
        """The worker's output for one of its pages, None if it did not deliver it (then this
        process themes it); and the template the page is themed with."""
        src = page.file.src_uri
        number = self._number.pop(src)
        template = self._template.pop(src)
        while number not in self._arrived and not self._eof:
            self._read_note()
        place = self._arrived.pop(number, None)
        if place is None or self._spool is None:
            return None, template
        with open(self._spool / "pages", "rb") as f:
            f.seek(place[0])
            return f.read(place[1]).decode("utf-8", "surrogatepass"), template

    def _read_note(self) -> None:
        note = b""
        while len(note) < _NOTE.size:
            chunk = os.read(self._read_fd, _NOTE.size - len(note))
            if not chunk:  # the worker ended: what it did not say, this process themes
                self._eof = True
                return
            note += chunk
        number, offset, length = _NOTE.unpack(note)
        self._arrived[number] = (offset, length)

    def finish(self) -> None:
        """After the build, or when it failed: the worker is reaped and the spool removed."""
        if self._pid:
            reap(self._pid, stop=bool(self._number))  # pages left unread: the build failed, stop the worker
            self._pid = 0
        if self._read_fd >= 0:
            os.close(self._read_fd)
            self._read_fd = -1
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None
        self._number, self._template, self._arrived, self._eof = {}, {}, {}, False


def _work(pages: Sequence[Any], env: Any, config: Any, nav: Any, doc_files: Sequence[Any], spool: Path,
          write_fd: int, parent: int) -> None:
    """In the worker: theme each page as MkDocs' `_build_page` does, up to the template's output."""
    from mkdocs.commands.build import get_context

    logging.disable(logging.CRITICAL)  # this process's on_page_context logs what needs saying
    code = 1
    try:
        with open(spool, "wb") as out:
            offset = 0
            for number, page in enumerate(pages):
                if os.getppid() != parent:  # the build was killed: nobody reads what follows
                    break
                config._current_page, page.active = page, True
                context = get_context(nav, doc_files, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
                data = template.render(context).encode("utf-8", "surrogatepass")
                config._current_page, page.active = None, False
                out.write(data)
                out.flush()  # written before it is said
                os.write(write_fd, _NOTE.pack(number, offset, len(data)))
                offset += len(data)
        code = 0
    except BaseException:  # noqa: BLE001  # this process's share is themed by the build instead
        pass
    finally:
        os._exit(code)
