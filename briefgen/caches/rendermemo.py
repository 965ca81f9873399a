"""Each briefing's rendered pages and files, kept in `.briefgen-cache/briefings/` between builds.

Briefings render independently, and rendering one (resolving its citations, parsing its
sources again, the templates) is most of what briefgen itself does in a build. A briefing is
rendered from its loaded content (every field, source text and position), its story (the
versions history gave it), the templates (briefgen's and the project's), briefgen's code and
three settings (directory URLs, site name, site URL). The key hashes all of them, so a
briefing whose key was kept is not resolved or rendered again: its pages and files are read
back. Nothing else may reach a page: rendering reads no clock and no environment.

One sealed file per briefing (caches/sealed.py), named by its key; a file that is missing,
stale, broken or of another shape is a miss, and after a build the files it did not use are
removed. JSON, never pickle: nothing read back can run code.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from .codedigest import code_digest, tree_digest
from .sealed import own_folder, pack, prune, read_sealed, unpack, write_sealed

log = logging.getLogger("briefgen")

_FORMAT = 2  # bump when what a kept briefing holds changes
_NAME = re.compile(r"[0-9a-f]{32}\.briefing")
_PAGE_FIELDS = {"name": str, "title": str, "html": str, "description": str, "kind": str, "meta": dict,
                "apparatus": str, "search": list}
_ENTRY_FIELDS = {"anchor", "title", "text"}
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def _relative(name: str) -> bool:
    """A page or file name as render makes them (`khmeimim/facts`, `khmeimim/feed.xml`): relative,
    of plain segments, none `..`; a name read back from a kept file becomes a path under
    site_dir or the staged docs folder, so nothing else is taken from it."""
    return all(_SEGMENT.fullmatch(part) and part != ".." for part in name.split("/"))


def _well_formed(kept: Any) -> bool:
    """{"pages": [{name, title, html, description, kind, meta, apparatus}], "files": {path: text}}."""
    if not isinstance(kept, dict) or set(kept) != {"pages", "files"}:
        return False
    pages, files = kept["pages"], kept["files"]
    if not isinstance(pages, list) or not isinstance(files, dict):
        return False
    for page in pages:
        if not isinstance(page, dict) or set(page) != set(_PAGE_FIELDS):
            return False
        if not all(isinstance(page[k], t) for k, t in _PAGE_FIELDS.items()):
            return False
        if not all(isinstance(k, str) and isinstance(v, (str, bool)) for k, v in page["meta"].items()):
            return False
        if not _relative(page["name"]) or not all(
                isinstance(e, dict) and set(e) == _ENTRY_FIELDS and all(isinstance(v, str) for v in e.values())
                for e in page["search"]):
            return False
    return all(isinstance(k, str) and _relative(k) and isinstance(v, str) for k, v in files.items())


class RenderMemo:
    def __init__(self, folder: Path, project_templates: Path, settings: tuple[Any, ...]) -> None:
        """`settings`: what a page shows of the site besides its briefing (URL style, name, URL)."""
        self.folder = folder
        h = hashlib.blake2b(digest_size=16)
        made_with = (_FORMAT, code_digest(), tree_digest(project_templates), settings)
        h.update(repr(made_with).encode("utf-8", "surrogatepass"))
        self._base = h.digest()
        self._used: set[str] = set()
        self.hits = 0

    def key(self, *made_of: Any) -> str:
        """The key of a briefing rendered from `made_of` (its loaded content and its story)."""
        h = hashlib.blake2b(self._base, digest_size=16)
        for part in made_of:
            h.update(repr(part).encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        body = read_sealed(self.folder / f"{key}.briefing", f"briefing/{_FORMAT}/{key}")
        found = unpack(body) if body is not None else None
        if found is None or not isinstance(found[0], dict):
            return None
        meta, texts = found
        pages, files = meta.get("pages"), meta.get("files")
        if not isinstance(pages, list) or not isinstance(files, list) or len(texts) != 2 * len(pages) + len(files) \
                or not all(isinstance(f, str) for f in files):
            return None
        for i, page in enumerate(pages):  # each page's HTML and apparatus are stored as they are
            if isinstance(page, dict):
                page["html"], page["apparatus"] = texts[2 * i], texts[2 * i + 1]
        kept = {"pages": pages, "files": dict(zip(files, texts[2 * len(pages):]))}
        if len(kept["files"]) != len(files) or not _well_formed(kept):
            return None
        self._used.add(key)
        self.hits += 1
        return kept

    def put(self, key: str, kept: dict[str, Any]) -> None:
        self._used.add(key)
        pages = [{k: v for k, v in p.items() if k not in ("html", "apparatus")} for p in kept["pages"]]
        texts = [t for p in kept["pages"] for t in (p["html"], p["apparatus"])] + list(kept["files"].values())
        write_sealed(self.folder / f"{key}.briefing", f"briefing/{_FORMAT}/{key}",
                     *pack({"pages": pages, "files": list(kept["files"])}, texts))

    def keep(self, key: str) -> None:
        """A briefing this build put, perhaps from the forked worker: not removed by `finish`."""
        self._used.add(key)

    def finish(self) -> None:
        """Keep only this build's briefings, so the cache never outgrows the site."""
        prune(self.folder, _NAME, self._used)


def memo_folder(cache: Path) -> Path | None:
    """The kept briefings' folder in the cache folder; None when it is a link or not a folder."""
    return own_folder(cache, "briefings", "briefings are not kept")
