"""One way to keep a cache file: written whole and atomically, sealed to the code that wrote it,
and checked before a byte of it is trusted. sources.json (parsecache.py), history.json
(history/cache.py), the kept briefings (rendermemo.py), the compiled templates
(templatecache.py) and the themed pages (engine/pagecache.py) all go through here.

A sealed file is a header line of JSON, `{"stamp": ..., "digest": ...}`, then the body. The
stamp names the format and code that wrote it; the digest is blake2b over the body's exact
bytes keyed with the stamp. A reader passes the stamp its own code would write: a file that is
missing, unreadable, of another stamp, cut short, or changed by a single byte reads as None,
which every caller treats as a miss. A cache can make a run slower, never different.

The digest is not a secret: it catches damage and hand edits, not someone who recomputes it
on purpose. Such a person can write into the project folder and could as well edit the sources;
so each caller also checks that what it reads back has the shape it writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable, Container
from pathlib import Path
from typing import Any

log = logging.getLogger("briefgen")


def digest(stamp: str, body: bytes | memoryview) -> str:
    """The seal of a body written by the code `stamp` names."""
    return hashlib.blake2b(body, digest_size=16, key=stamp.encode("utf-8")[-64:]).hexdigest()


def read_sealed(path: Path, stamp: str) -> memoryview | None:
    """The body of a sealed file written with this stamp, or None (missing, stale, broken, or a
    link: a repository may commit its cache folder, and a link there could lead anywhere).

    A view, not a copy: a parse cache's body can be many megabytes."""
    try:
        found = read_regular(path, follow=False)  # a link planted in the cache is a miss
    except OSError:
        return None
    if found is None:
        return None
    data = found[1]
    cut = data.find(b"\n")
    if cut == -1:
        return None
    try:
        head = json.loads(data[:cut])
    except (ValueError, RecursionError):
        return None
    body = memoryview(data)[cut + 1:]
    if not isinstance(head, dict) or head.get("stamp") != stamp or head.get("digest") != digest(stamp, body):
        return None
    return body


def read_regular(path: Path | str, wanted: Callable[[os.stat_result], bool] | None = None,
                 follow: bool = True) -> tuple[os.stat_result, bytes] | None:
    """A regular file (what fstat says of it) and its bytes, if `wanted` takes it; None for
    anything else. Opened without waiting: a FIFO planted under a file's name would otherwise
    hold the run until someone wrote to it. `follow` False: never through a link at its name."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags)
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or (wanted is not None and not wanted(found)):
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return found, f.read()
    finally:
        os.close(fd)


def seal(stamp: str, *body: bytes) -> bytes:
    """The header line that seals the body (its parts, in order) as written by `stamp`'s code."""
    h = hashlib.blake2b(digest_size=16, key=stamp.encode("utf-8")[-64:])
    for part in body:
        h.update(part)
    return json.dumps({"stamp": stamp, "digest": h.hexdigest()}).encode("utf-8") + b"\n"


def write_sealed(path: Path, stamp: str, *body: bytes) -> bool:
    """Seal the body (the parts, in order, never joined into a copy) and write it atomically;
    False, with a debug line, when it cannot be written (a read-only checkout still builds)."""
    try:
        write_atomically(path, seal(stamp, *body), *body)
    except OSError as exc:
        log.debug(f"could not write {path}: {exc}")
        return False
    return True


def pack(meta: Any, texts: list[str]) -> list[bytes]:
    """A body of a JSON line (`meta`, and the byte length of each text) then the texts as they
    are: a page's HTML read back without JSON's escapes costs a tenth of decoding it."""
    data = [t.encode("utf-8", "surrogatepass") for t in texts]
    head = json.dumps({"meta": meta, "sizes": [len(d) for d in data]}, ensure_ascii=False, separators=(",", ":"))
    return [head.encode("utf-8", "surrogatepass") + b"\n", *data]


def unpack(body: memoryview) -> tuple[Any, list[str]] | None:
    """What `pack` wrote, or None when the body is not of that shape."""
    raw = bytes(body)
    cut = raw.find(b"\n")
    try:
        head = json.loads(raw[:cut]) if cut != -1 else None
        if not isinstance(head, dict):
            return None
        sizes = head.get("sizes")
        if not isinstance(sizes, list) or not all(type(n) is int and n >= 0 for n in sizes) \
                or cut + 1 + sum(sizes) != len(raw):
            return None
        texts, at = [], cut + 1
        for n in sizes:
            texts.append(raw[at:at + n].decode("utf-8", "surrogatepass"))
            at += n
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return head.get("meta"), texts


def own_folder(cache: Path, name: str, otherwise: str) -> Path | None:
    """A folder of the cache folder, or None, with a warning ending in `otherwise`, when it is a
    link or not a folder: a link would make a run write where it points."""
    folder = cache / name
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        log.warning(f"{name} in the cache folder is not a folder of its own; {otherwise}")
        return None
    return folder


def prune(folder: Path, named: re.Pattern[str], used: Container[str]) -> None:
    """Remove the files of `folder` a cache names (`named`, the whole name: a key, a dot, a
    suffix) whose key this run did not use; nothing else in the folder is the cache's."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if named.fullmatch(name) and name.split(".")[0] not in used:
            try:
                (folder / name).unlink()
            except OSError as exc:
                log.debug(f"could not remove {folder / name}: {exc}")


def write_atomically(path: Path, *data: bytes) -> None:
    """Write a cache file through a new temporary file in its folder, renamed over it: readers
    never see half a file, and the temporary file is created afresh (O_EXCL, a random name), so
    nothing planted under a predictable name is followed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in data:
                out.write(part)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
