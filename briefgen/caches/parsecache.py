"""What checking needs from each parsed source, kept between runs in `.briefgen-cache/`.

Parsing is most of the time `briefgen check` takes (about 1 ms a source with markdown-it-py),
and while writing, an analyst edits one file between checks. So each source's citable blocks
are stored under a hash of everything they are computed from; a source whose text changed is
parsed again, the others are read back. A build still parses every source it renders.

Each source's entry is a file of its own, `.briefgen-cache/sources/<key>.json`, sealed JSON
(caches/sealed.py; never pickle: nothing read back can run code): a header with the stamp of
the code that wrote it and of the key it is named by, and a digest of the entry, written whole
and renamed into place. A run reads only the entries it looks up and writes only those it
parsed; after it, entries it did not use are removed. (All of them in one file, as before,
meant rewriting 4 MB after a one-source edit at 400 sources: 0.04 s of a 1 s build.) An entry
that is missing, stale, corrupt or unwritable is a miss: it can make a run slower, never
different.

What the cache trusts: nothing it cannot check. Before a byte of an entry is used, its digest
(blake2b over the stamp and the entry's exact bytes) must match the header, so a truncated file,
a flipped byte or text edited by hand makes that source parsed again; an entry must also have
the shape this code writes. The digest is not a secret: it
catches damage and hand edits, not someone who recomputes it on purpose. Such a person can write
into the project folder, so they could as well edit the sources; CI builds from a clean checkout
have no cache (`.briefgen-*` is in .gitignore), and `--no-cache` ignores it.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import logging
import os
import re
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .sealed import digest, own_folder, prune, read_sealed, write_sealed

__all__ = ["CACHE_DIR", "ParseCache", "cache_dir", "digest"]

log = logging.getLogger("briefgen")

CACHE_DIR = ".briefgen-cache"


def cache_dir(project: Path) -> Path | None:
    """The project's cache folder, or None (no cache) when `.briefgen-cache` is a link or a file:
    a link committed under that name would make every build write where it points."""
    folder = project / CACHE_DIR
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        log.warning(f"{CACHE_DIR} is {'a link' if folder.is_symlink() else 'not a folder'}; "
                    "briefgen works without its cache and writes nothing there (remove it to cache again)")
        return None
    return folder


_FORMAT = 2  # bump when what is stored, or how a source becomes blocks, changes


def _stamp() -> str:
    """Entries are valid for this markdown-it-py and this code: the modules that turn a source
    into blocks are hashed too, so an edited briefgen never reads blocks an older one wrote."""
    from .. import __version__

    # The installed markdown-it-py, told by its package file (cheaper than importlib.metadata,
    # and without importing it: a check served from the cache never needs the parser).
    spec = find_spec("markdown_it")
    origin = spec.origin if spec and spec.origin else "?"
    st = os.stat(origin) if origin != "?" else None
    mdit = f"{origin}:{st.st_mtime_ns}:{st.st_size}" if st else "?"
    h = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent.parent
    for module in ("text/sourcetext.py", "text/quotes.py", "text/normalise.py", "text/markup.py",
                   "caches/parsecache.py"):
        h.update((package / module).read_bytes())
    return f"{_FORMAT}/{__version__}/{mdit}/{h.hexdigest()}"


def _well_formed(entry: Any) -> bool:
    """An entry of the shape `sourcetext` writes: {"blocks": [[token, element, anchor, text,
    line, normalised], ...], "unused": [drop index, ...], "dropped": [[drop index, line, text],
    ...]}, indices never negative."""
    if not isinstance(entry, dict) or set(entry) != {"blocks", "unused", "dropped"}:
        return False
    blocks, unused, dropped = entry["blocks"], entry["unused"], entry["dropped"]
    if not isinstance(blocks, list) or not isinstance(unused, list) or not isinstance(dropped, list):
        return False
    for row in dropped:
        if not (type(row) is list and len(row) == 3 and type(row[0]) is int and row[0] >= 0
                and type(row[1]) is int and row[1] >= 0 and type(row[2]) is str):
            return False
    for row in blocks:  # unrolled: this runs for every block of every source on every check
        if type(row) is not list or len(row) != 6:
            return False
        token, element, anchor, text, line, norm = row
        if not (type(token) is int and type(element) is int and type(line) is int and type(anchor) is str
                and type(text) is str and type(norm) is str and token >= 0 and element >= 0 and line >= 0):
            return False
    return all(type(k) is int and k >= 0 for k in unused)


_KEY = re.compile(r"[0-9a-f]{32}")  # text/sourcetext.source_key
_NAME = re.compile(r"[0-9a-f]{32}\.json")
_FOLDER = "sources"  # in the cache folder: one file a source
_OLD = "sources.json"  # every entry in one file, as briefgen kept them before


class ParseCache:
    def __init__(self, folder: Path | None) -> None:
        """`folder` None: a cache that remembers nothing (`--no-cache`)."""
        self.folder = own_folder(folder, _FOLDER, "sources are not cached") if folder else None
        self._old = folder / _OLD if folder else None
        self.stamp = _stamp() if self.folder else ""  # reads five modules: only for a real cache
        self._read: dict[str, Any] = {}  # key -> entry read back this run
        self._new: dict[str, Any] = {}  # key -> entry parsed this run, written by save()
        self._used: set[str] = set()  # keys read back by another process for this run (adopt)

    def get(self, key: str) -> Any:
        entry = self._new.get(key)
        if entry is None:
            entry = self._read.get(key)
        if entry is None and self.folder is not None and _KEY.fullmatch(key):
            entry = self._read_entry(key)
            if entry is not None:
                self._read[key] = entry
        return entry

    def _read_entry(self, key: str) -> Any:
        assert self.folder is not None
        body = read_sealed(self.folder / f"{key}.json", f"{self.stamp}/{key}")  # bound to its name too
        if body is None:
            return None
        try:
            entry = json.loads(codecs.utf_8_decode(body, "surrogatepass", True)[0])
        except (ValueError, RecursionError):
            return None
        return entry if _well_formed(entry) else None

    def put(self, key: str, entry: Any) -> None:
        self._new[key] = entry

    def adopt(self, read: list[str], new: dict[str, Any]) -> None:
        """Entries another process read back and parsed for this run (caches/checkintwo.py's worker):
        kept by save() as if this cache had."""
        self._used.update(read)
        self._new.update(new)

    def to_save(self) -> ParseCache:
        """What save() needs and no more: the entries parsed this run and the keys of those read
        back (sent from a check run ahead to the build that saves it: commands/ahead.py)."""
        other = copy.copy(self)
        other._read, other._used = {}, self._used | self._read.keys()
        return other

    def save(self) -> None:
        """Write the entries parsed this run, one file each, and remove those of sources this
        run did not look up: the cache never outgrows the project."""
        if self.folder is None:
            return
        for key, entry in self._new.items():
            if _KEY.fullmatch(key):  # a read-only checkout still checks, only slower
                body = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
                write_sealed(self.folder / f"{key}.json", f"{self.stamp}/{key}", body)
        prune(self.folder, _NAME, self._read.keys() | self._new.keys() | self._used)
        assert self._old is not None
        if self._old.is_file() and not self._old.is_symlink():  # an older briefgen's, read by none now
            try:
                self._old.unlink()
            except OSError as exc:
                log.debug(f"could not remove {self._old}: {exc}")
