"""Which kept page each file of the site being replaced holds, so that a page whose key is
unchanged is linked from it without a byte read.

After a one-file edit a build keeps almost every page (pagecache.py), and linked each from the
old site (sitewriter.py) only after reading the kept page and the old file to compare them: 520
kept pages read and sent to the writer were 0.13 s of a 1.1 s build at 400 sources. A build
that writes the site now notes, in `.briefgen-cache/site.json` (sealed, caches/sealed.py), each
page's file with the key of the kept page it holds and the file's identity (inode, device,
size, modification time, taken once the site is in place). The next build links a page's file
when its key is the one noted and the file is still that file: pages are always written as new
files and never written into, so a file whose identity is unchanged holds what was noted.

The note is read only for the site it was written for: it names that site's marker file
(guard.py, by inode and device; every build makes a new one), taken before the swap, so a site
built without the cache, put back from a copy, or swapped in by another build while this one
wrote its note matches none of it. Beyond that, a file's identity is what vouches for its
bytes: a page file is never written into, so one with the same inode, size and time holds what
it held. A file changed within the same tick of the clock as its last write and to the same
size would go unseen, as in git's index, and so would one whose time was set back on purpose
(by someone who could as well edit the sources). A file reached through a link, or on another
disk than the new site, is read as if unnoted. The writer checks the file it links is the one
noted; one it cannot link it copies if it is still that file, else writes from the page
cache's file (sitewriter.py).
"""

from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..caches.sealed import read_regular, read_sealed, write_sealed
from .guard import MARKER

log = logging.getLogger("briefgen")

NAME = "site.json"  # in the cache folder
_STAMP = "site-links/1"


@dataclass(frozen=True)
class Held:
    """A file of the old site that holds the kept page of `key`, and how the writer knows it."""

    key: str
    ino: int
    dev: int
    mtime_ns: int
    search: list[Any] | None  # the page's search entries, as the page cache keeps them ([] or None)


def _identity(path: Path, links: int | None = 1) -> tuple[int, int, int, int] | None:
    """A regular file's (inode, device, size, mtime) when it has `links` names (None: any)."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode) or (links is not None and found.st_nlink != links):
        return None
    return found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns


class SiteLinks:
    def __init__(self, cache: Path, previous: Path) -> None:
        """What the note in `cache` says of `previous`, the site being replaced (nothing when
        the note is missing, broken, or of another site)."""
        self.previous = previous
        self._files: dict[str, list[Any]] = {}
        body = read_sealed(cache / NAME, _STAMP)
        try:
            note = json.loads(bytes(body)) if body is not None else None
        except (ValueError, RecursionError):
            note = None
        if not isinstance(note, dict) or not isinstance(note.get("files"), dict):
            return
        marker = _identity(previous / MARKER)
        if marker is None or note.get("marker") != list(marker[:2]):
            return
        self._files = note["files"]

    def held(self, dest_uri: str, key: str) -> Held | None:
        """The old site's file of this page, if it holds the kept page of this key."""
        row = self._files.get(dest_uri)
        if not (isinstance(row, list) and len(row) == 6 and row[0] == key and row[5] in (None, [])):
            return None
        old = self.previous / dest_uri
        found = _identity(old)
        if found is None or list(found) != row[1:5] or os.path.realpath(old) != str(old):
            return None  # not the file noted, or reached through a link: read, as if unnoted
        return Held(key, found[0], found[1], found[3], row[5])


def marker_of(site: Path) -> tuple[int, int] | None:
    """The site's marker file by inode and device: which site a note is of (every build makes
    its marker anew, and rewrites it in place before the swap)."""
    found = _identity(site / MARKER)
    return (found[0], found[1]) if found is not None else None


def same_disk(building: Path, previous: Path) -> bool:
    """Whether files can be linked from the old site into the one being built."""
    try:
        return os.stat(building).st_dev == os.stat(previous).st_dev
    except OSError:
        return False


def note_site(cache: Path, site: Path, marker: tuple[int, int] | None,
              pages: dict[str, tuple[str, list[Any] | None]]) -> None:
    """After a build put `site` in place: each page's file (by dest_uri) with the key and search
    entries of the kept page it holds, for the site whose marker this build made (`marker`, taken
    before the swap: if another build swapped its site in since, the note names the wrong marker
    for it and is never read). Only pages with no search entries of their own are noted
    (briefgen's are indexed from the render): the others are read, as their entries must be."""
    files: dict[str, list[Any]] = {}
    if marker is not None:
        for dest_uri, (key, search) in pages.items():
            if search not in (None, []):
                continue
            found = _identity(site / dest_uri, None)  # a page linked has the old site's name too, until the swap
            if found is not None:
                files[dest_uri] = [key, *found, search]
    body = json.dumps({"marker": list(marker) if marker else None, "files": files}, separators=(",", ":"))
    write_sealed(cache / NAME, _STAMP, body.encode("utf-8"))  # a cache that cannot be written costs reads


def _old_of(path: str, building: str, previous: str) -> str | None:
    """The replaced site's file of a path being built, if reached through no symbolic link."""
    if not path.startswith(building + os.sep):
        return None
    old = previous + path[len(building):]
    return old if os.path.realpath(old) == old else None  # else a link on the way, or not where written


def _link_as(old: str, path: str, expect: tuple[int, int, int], links: int) -> bool:
    """Link `old` at `path`, kept only if the link is the file expected (inode, device, mtime)
    with `links` names: else it changed between the look and the link, and is removed."""
    try:
        os.link(old, path, follow_symlinks=False)
        linked = os.lstat(path)
        if (linked.st_ino, linked.st_dev, linked.st_mtime_ns) == expect and linked.st_nlink == links \
                and stat.S_ISREG(linked.st_mode):
            return True
        os.unlink(path)
    except OSError:  # another filesystem, a folder that cannot take links: written instead
        if os.path.lexists(path):
            os.unlink(path)
    return False


def link_unchanged(path: str, content: bytes, building: str, previous: str) -> bool:
    """Link the replaced site's file of this page when it holds these very bytes, so nothing is
    written and, when the old site is removed, nothing freed: on the disk of docs/performance.md
    removing a site of 4,000 sources took 1.7 s, half of it freeing its files. Only a regular
    file with no other link, reached through no symbolic link (the old site is one briefgen
    wrote, guard.marked): the new site never shares a file with anything but the site it replaces,
    which is removed once the new one is in place. Nothing is written into a linked file later
    (pages are written as new files), so neither site can change the other."""
    try:
        old = _old_of(path, building, previous)
        got = read_regular(old, lambda found: found.st_nlink == 1 and found.st_size == len(content),
                           follow=False) if old is not None else None
    except OSError:
        return False
    if old is None or got is None or got[1] != content:
        return False
    found = got[0]
    return _link_as(old, path, (found.st_ino, found.st_dev, found.st_mtime_ns), 2)


def link_held(path: str, held: tuple[int, int, int], building: str, previous: str) -> bool:
    """Link the replaced site's file of this page when it is still the file noted (inode,
    device, mtime), with no other name: linked unread. Where it cannot be linked, its bytes are
    copied, if it is still that file."""
    try:
        old = _old_of(path, building, previous)
    except OSError:
        return False
    if old is None:
        return False
    if _link_as(old, path, held, 2):
        return True
    try:
        got = read_regular(old, lambda found: found.st_nlink == 1
                           and (found.st_ino, found.st_dev, found.st_mtime_ns) == held, follow=False)
        if got is None:
            return False
        with open(path, "wb") as f:
            f.write(got[1])
    except OSError:
        return False
    return True
