"""What checking needs from each parsed source, kept between runs in `.briefgen-cache/`.

Parsing is most of the time `briefgen check` takes (about 1 ms a source with markdown-it-py),
and while writing, an analyst edits one file between checks. So each source's citable blocks
are stored under a hash of everything they are computed from; a source whose text changed is
parsed again, the others are read back. A build still parses every source it renders.

The file is JSON (never pickle: nothing read back can run code), written whole to a temporary
file and renamed into place, and only entries used by the last run are kept. A cache that is
missing, stale, corrupt or unwritable is ignored: it can make a run slower, never different.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Any

log = logging.getLogger("briefgen")

CACHE_DIR = ".briefgen-cache"
_FORMAT = 1  # bump when what is stored, or how a source becomes blocks, changes


def _stamp() -> str:
    """Entries are valid for this markdown-it-py and this code: the modules that turn a source
    into blocks are hashed too, so an edited briefgen never reads blocks an older one wrote."""
    from . import __version__

    # The installed markdown-it-py, told by its package file (cheaper than importlib.metadata,
    # and without importing it: a check served from the cache never needs the parser).
    spec = find_spec("markdown_it")
    origin = spec.origin if spec and spec.origin else "?"
    st = os.stat(origin) if origin != "?" else None
    mdit = f"{origin}:{st.st_mtime_ns}:{st.st_size}" if st else "?"
    h = hashlib.blake2b(digest_size=8)
    for module in ("sourcetext.py", "textmatch.py", "markup.py", "parsecache.py"):
        h.update(Path(__file__).with_name(module).read_bytes())
    return f"{_FORMAT}/{__version__}/{mdit}/{h.hexdigest()}"


def source_key(kind: str, body: str, drops: list[str]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (kind, *drops, body):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class ParseCache:
    def __init__(self, folder: Path | None) -> None:
        """`folder` None: a cache that remembers nothing (`--no-cache`)."""
        self.path = folder / "sources.json" if folder else None
        self.stamp = _stamp() if self.path else ""  # reads four modules: only for a real cache
        self._old: dict[str, Any] = self._read() if self.path else {}
        self._used: dict[str, Any] = {}
        self._changed = False

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("stamp") != self.stamp:
            return {}
        entries = data.get("sources")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> Any:
        entry = self._old.get(key)
        if entry is not None:
            self._used[key] = entry
        return entry

    def put(self, key: str, entry: Any) -> None:
        self._used[key] = entry
        self._changed = True

    def save(self) -> None:
        """Write what this run used, if that differs from what was read."""
        if self.path is None or not (self._changed or len(self._used) != len(self._old)):
            return
        data = json.dumps({"stamp": self.stamp, "sources": self._used}, ensure_ascii=False,
                          separators=(",", ":"))
        tmp = self.path.with_name(f".sources-{os.getpid()}.tmp")  # renamed: readers never see half
        try:
            self.path.parent.mkdir(exist_ok=True)
            tmp.write_text(data, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:  # a read-only checkout still checks, only slower
            log.debug(f"could not write {self.path}: {exc}")
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
