"""Each page's themed HTML kept and reused while nothing it is made of changed: between `serve`
rebuilds in memory, and between one-shot builds in `.briefgen-cache/pages/`.

Material renders every page through a long template (nav, header, footer, scripts): after a
one-file edit most pages are unchanged, and rendering them again is most of a build. A page's
output is made of the page (HTML, title, meta, URLs, neighbours) and what every page shares
(pagekey.py: the nav, the theme and its files, the effective config, the plugins' settings,
MkDocs', Material's and briefgen's code); a key hashes all of them, so any change renders the
page again. Other plugins and hooks may add to a page in ways no key can see, so the cache is
used only when every plugin is one whose effect on a page is known: briefgen, and search,
which leaves the page alone and indexes it. Its entries for a page depend on the same key, so
they are kept beside the output and a kept page is not parsed again for the index.

On disk each page is one sealed file (caches/sealed.py) named by its key: a build reads only
the pages it reuses and writes only the pages it rendered, and after a build that succeeded the
files it did not use are removed, so the cache never outgrows the site. A file that is missing,
stale or broken is a miss. What the digest does not stop, someone who rewrites a kept page on
purpose, needs write access to the project, where templates/theme/ could as well add a script.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..caches.sealed import own_folder, pack, prune, read_sealed, seal, unpack, write_sealed
from .pagekey import shared_digest

log = logging.getLogger("briefgen")

TEMPLATE = "briefgen-cached.html"  # in templates/theme: prints the kept output as it is
KNOWN_PLUGINS = frozenset({"search", "material/search", "briefgen"})
_FORMAT = 2  # bump when what a kept page holds changes
_NAME = re.compile(r"[0-9a-f]{32}\.page")


def pages_folder(cache: Path) -> Path | None:
    """The kept pages' folder in the cache folder; None when it is a link or not a folder (kept
    pages are written there, and a link would make a build write where it points)."""
    return own_folder(cache, "pages", "pages are not kept")


def kept_in(cache: Path) -> PageOutputCache | None:
    """A one-shot build's page cache, kept in the project's cache folder (None: it may not be)."""
    folder = pages_folder(cache)
    return PageOutputCache(folder) if folder is not None else None


def _entries_of(plugin: Any) -> list[Any] | None:
    """The list a search plugin's index appends a page's entries to (Material: `entries`,
    MkDocs: `_entries`); None if it is neither, and its pages are then indexed as usual."""
    index = getattr(plugin, "search_index", None)
    for name in ("entries", "_entries"):
        found = getattr(index, name, None)
        if isinstance(found, list) and callable(getattr(index, "add_entry_from_context", None)):
            return found
    return None


def _well_formed(kept: Any) -> bool:
    """A kept page as this code reads it: {"output": text, "search": [entry, ...] or null}."""
    if not isinstance(kept, dict) or set(kept) != {"output", "search"} or not isinstance(kept["output"], str):
        return False
    search = kept["search"]
    return search is None or (isinstance(search, list) and all(isinstance(e, dict) for e in search))


class PageOutputCache:
    def __init__(self, folder: Path | None = None) -> None:
        """`folder` None: kept in memory (serve); else kept in that folder between builds."""
        self.folder = folder
        self._outputs: dict[str, dict[str, Any]] = {}  # in memory only: key -> kept page
        self._kept: dict[str, dict[str, Any]] = {}
        self._used: set[str] = set()
        self._base = ""
        self._index: list[Any] | None = None  # the search index's entries, while they are kept too
        self._pending: dict[str, list[Any]] = {}  # key -> entries indexed this build, until its output
        self._reused: dict[str, list[Any] | None] = {}  # key -> entries of a page kept, until indexed
        self._page_keys: dict[str, str] = {}  # page's file -> its key: how the index finds its entries
        self.searched: dict[str, list[Any] | None] = {}  # key -> search entries of a page used this build
        self.hits = 0
        self._writer: ThreadPoolExecutor | None = None
        self._writes: list[Future[bool]] = []
        self._hand: Callable[..., None] | None = None  # another process's writer, when the build has one

    def start(self, config: Any, nav: Any) -> bool:
        """Begin a build; False if some plugin or hook makes this cache unsafe to use for it."""
        self._kept, self._used, self._pending, self._reused, self.hits = {}, set(), {}, {}, 0
        self._page_keys, self._hand, self.searched = {}, None, {}
        if not set(config.plugins) <= KNOWN_PLUGINS or config.get("hooks"):
            self._outputs = {}
            return False
        self._base = shared_digest(config, nav)
        search = [p for name, p in config.plugins.items() if name != "briefgen"]
        self._index = _entries_of(search[0]) if len(search) == 1 else None
        if self._index is not None:
            self._index_through_cache(search[0].search_index)
        return True

    def _index_through_cache(self, index: Any) -> None:
        """The search index, for this build, takes a kept page's entries instead of parsing it."""
        add = index.add_entry_from_context

        def add_entry_from_context(page: Any) -> None:
            key = self._page_keys.get(str(getattr(page.file, "src_uri", "")))
            if key in self._reused and self._reused[key] is not None:
                self._index_extend(self._reused.pop(key))
                return
            before = len(self._index or [])
            add(page)
            if key is not None:
                self._pending[key] = list((self._index or [])[before:])

        index.add_entry_from_context = add_entry_from_context

    def _index_extend(self, entries: list[Any] | None) -> None:
        if self._index is not None and entries:
            self._index.extend(entries)

    def write_through(self, hand: Callable[..., None]) -> None:
        """Kept pages go to this (engine/sitewriter.py: path, then the parts of the file) for the
        rest of the build, not to a thread of this process: a thread that writes while this one
        themes runs only when the theming lets go of the interpreter, and its queue of pages
        grew to 20 MB of a 400-source build."""
        self._hand = hand

    def key(self, page: Any) -> str:
        h = hashlib.blake2b(f"{_FORMAT}/{self._base}".encode(), digest_size=16)
        neighbours = [(p.url, str(p.title)) if p else None for p in (page.previous_page, page.next_page)]
        h.update(repr((page.url, str(page.title), sorted(page.meta.items()), page.canonical_url,
                       page.edit_url, neighbours)).encode("utf-8", "surrogatepass"))
        h.update(page.content.encode("utf-8", "surrogatepass"))
        ours = getattr(page, "ours", None)  # our pages print their apparatus after the content
        h.update((ours.apparatus if ours is not None else "").encode("utf-8", "surrogatepass"))
        self._page_keys[page.file.src_uri] = key = h.hexdigest()
        return key

    def has(self, key: str) -> bool:
        """Whether a page of this key may be kept (read, and checked, only when it is printed)."""
        return key in self._outputs if self.folder is None else (self.folder / f"{key}.page").is_file()

    def get(self, key: str) -> str | None:
        """A kept page's output, or None; its search entries wait for the index to ask."""
        kept = self._outputs.get(key) if self.folder is None else self._read(key)
        if kept is None or (self._index is not None and kept["search"] is None):
            return None
        if self.folder is None:
            self._kept[key] = kept
        self._used.add(key)
        self._reused[key] = self.searched[key] = kept["search"]
        self.hits += 1
        output: str = kept["output"]  # _well_formed: a str
        return output

    def _read(self, key: str) -> dict[str, Any] | None:
        assert self.folder is not None
        return _read(self.folder / f"{key}.page")

    def file_of(self, key: str) -> Path | None:
        """Where the page of this key is kept (None in memory)."""
        return self.folder / f"{key}.page" if self.folder is not None else None

    def held(self, key: str, search: list[Any] | None) -> bool:
        """The page of this key is used without being read (its file in the old site is
        linked, engine/sitelinks.py): kept, with these search entries, as if read; False when
        `get` would not take it (a search index to fill, and no entries kept)."""
        if self._index is not None and search is None:
            return False
        self._used.add(key)
        self._reused[key] = self.searched[key] = search
        self.hits += 1
        return True

    def put(self, key: str, output: str) -> None:
        search = self._pending.pop(key, None) if self._index is not None else None
        kept: dict[str, Any] = {"output": output, "search": search}
        self._used.add(key)
        self.searched[key] = search
        if self.folder is None:
            self._kept[key] = kept
            return
        if self._hand is not None:
            stamp, body = f"page/{_FORMAT}/{key}", pack(search, [output])
            self._hand(str(self.folder / f"{key}.page"), seal(stamp, *body), *body)
            return
        # Written by a thread while MkDocs themes the next page: a write is mostly system calls,
        # which leave the interpreter to the theming (started after the worker forked, on_env).
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="briefgen-pages")
        self._writes.append(self._writer.submit(_write, self.folder / f"{key}.page", key, search, output))

    def close(self) -> None:
        """Every kept page written (a failed write was logged); an error of the writer is raised."""
        writer, writes, self._writer, self._writes = self._writer, self._writes, None, []
        if writer is not None:
            writer.shutdown(wait=True)
            for done in writes:
                done.result()

    def finish(self) -> None:
        """After a build that succeeded: keep only its pages, so the cache never outgrows the site."""
        if self.folder is None:
            self._outputs = self._kept
            return
        self.close()
        prune(self.folder, _NAME, self._used)


def _read(path: Path) -> dict[str, Any] | None:
    """A kept page's file, {"output", "search"}; None if missing, stale or broken."""
    if not _NAME.fullmatch(path.name):
        return None
    body = read_sealed(path, f"page/{_FORMAT}/{path.name[:-5]}")
    found = unpack(body) if body is not None else None
    if found is None or len(found[1]) != 1:
        return None
    kept = {"output": found[1][0], "search": found[0]}
    return kept if _well_formed(kept) else None


def kept_output(path: Path) -> str | None:
    """The output kept in a page cache's file, or None (for the site's writer)."""
    kept = _read(path)
    return kept["output"] if kept is not None else None


def _write(path: Path, key: str, search: list[Any] | None, output: str) -> bool:
    return write_sealed(path, f"page/{_FORMAT}/{key}", *pack(search, [output]))
