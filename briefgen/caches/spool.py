"""Rendered pages' HTML kept in a temporary file while a one-shot build runs, not in memory.

A build renders every briefing before the engine starts, and the engine prints the pages one
at a time afterwards; held in memory in between, their HTML was most of a build's heap (at
4,000 sources about 150 MB, twice over while the render worker's half came back pickled).
So each page is spooled as it is rendered, by the process that rendered it, and the build
keeps per page only what is small (name, title, description, meta, search entries) and where
its HTML and apparatus are; `SpooledPage.html` reads them back when the engine prints the page.

Two files, one for this process and one for the render worker forked from it
(caches/parallel.py), so neither writes where the other does; both are opened before the fork,
so this process reads the worker's pages once it is done. The files are anonymous (unlinked
from the start, in the cache folder or the system's temporary folder): nothing is left behind
by a build, one that failed or one that was killed, and they are gone once no page needs them.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import fields, replace
from pathlib import Path
from typing import IO

from ..stages.render import Page

# Where a page's texts are: which file, from which byte, and the byte length of each text.
Ref = tuple[int, int, int, int]
# A page without its texts, and where they are: what the render worker hands back.
Held = tuple[Page, Ref]


class Spool:
    def __init__(self, folder: Path | None = None) -> None:
        where = str(folder) if folder is not None and folder.is_dir() else None
        self._files: list[IO[bytes]] = [tempfile.TemporaryFile(dir=where) for _ in range(2)]
        self._ends = [0, 0]
        self._owner = os.getpid()
        # MkDocs asks for a page's content several times in a row (to pass it through plugins,
        # to key and print it): the last page read is kept, and given back as the same string.
        self._last: tuple[Ref, tuple[str, str]] | None = None

    def put(self, page: Page) -> Held:
        """Write a page's HTML and apparatus; the page without them, and where they are."""
        mine = 0 if os.getpid() == self._owner else 1
        html, apparatus = (t.encode("utf-8", "surrogatepass") for t in (page.html, page.apparatus))
        ref = (mine, self._ends[mine], len(html), len(apparatus))
        os.pwrite(self._files[mine].fileno(), html + apparatus, self._ends[mine])
        self._ends[mine] += len(html) + len(apparatus)
        return replace(page, html="", apparatus=""), ref

    def read(self, ref: Ref) -> tuple[str, str]:
        if self._last is not None and self._last[0] == ref:
            return self._last[1]
        file, at, n_html, n_apparatus = ref
        data = os.pread(self._files[file].fileno(), n_html + n_apparatus, at)
        if len(data) != n_html + n_apparatus:
            raise OSError(f"the page spool lost a page ({len(data)} of {n_html + n_apparatus} bytes)")
        texts = data[:n_html].decode("utf-8", "surrogatepass"), data[n_html:].decode("utf-8", "surrogatepass")
        self._last = ref, texts
        return texts

    def page(self, held: Held) -> SpooledPage:
        return SpooledPage(held[0], self, held[1])

    def close(self) -> None:
        for f in self._files:
            f.close()


class SpooledPage(Page):
    """A rendered page whose HTML and apparatus wait in a spool: equal to the page it was, each
    text read back when asked for."""

    _spool: Spool
    _ref: Ref

    def __init__(self, head: Page, spool: Spool, ref: Ref) -> None:  # noqa: D107 - frozen, as Page
        for f in fields(Page):
            if f.name not in ("html", "apparatus"):
                object.__setattr__(self, f.name, getattr(head, f.name))
        object.__setattr__(self, "_spool", spool)
        object.__setattr__(self, "_ref", ref)

    @property
    def html(self) -> str:
        return self._spool.read(self._ref)[0]

    @property
    def apparatus(self) -> str:
        return self._spool.read(self._ref)[1]


class InMemory:
    """No spool: pages stay in memory as they are (`Strategy(spool=False)`)."""

    def put(self, page: Page) -> Held:
        return page, (0, 0, 0, 0)

    def page(self, held: Held) -> Page:
        return held[0]
