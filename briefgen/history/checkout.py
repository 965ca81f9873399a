"""An earlier version of a briefing, written from git to a staging folder and loaded there with
the normal loader: never from or into the user's tree, and never by a name that could leave
that folder (a hostile commit can hold any tree).

The staging folder is the project's own `.briefgen-build/<pid>-history-<random>/`, the place
builds stage in, and nothing is held in memory or written elsewhere on the way: each blob is
streamed from git into a file there, and a version's files are hard links to those. A run that
is killed leaves its folder behind, which the next history read (or build) removes once that
pid is dead; nothing is left in /dev/shm or /tmp, where a kill once left a 306 MB copy.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..analysis.changes import snapshot
from ..caches.parallel import map_in_two
from ..diagnostics import Report
from ..model import Briefing
from .gitcli import batch, blobs_into, tree_entries

log = logging.getLogger("briefgen")

_MAX_DEPTH = 4  # folders below a briefing's (sources/ is one); deeper ones are not read
_MAX_NAME = 255  # bytes: longer names cannot be files on the usual file systems
STAGING = ".briefgen-build"  # where builds stage (engine/guard.py), in the project
_MINE = "-history-"  # this module's folders there: <pid>-history-<random>


def _safe_name(name: str) -> bool:
    """A tree entry name that stays a single entry inside its folder. git refuses others on
    checkout, but a hand-made tree (or a hostile commit) can hold any bytes; history writes
    these names to a temporary folder, so '..', '/' or an absolute name must never get there."""
    return (name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\0" not in name
            and name.casefold() != ".git" and len(name.encode("utf-8", "surrogateescape")) <= _MAX_NAME)


def _version_files(project: Path, trees: dict[str, tuple[str, bytes]]) -> dict[str, list[tuple[str, str]] | None]:
    """(path in the briefing's folder, blob id) of each version's .yml/.md/.txt files, one
    cat-file round per folder depth; None for a version holding a name that is not safe."""
    files: dict[str, list[tuple[str, str]] | None] = {tid: [] for tid in trees}
    pending = [(tid, "", data) for tid, (_, data) in trees.items()]
    for depth in range(_MAX_DEPTH + 1):
        subtrees = []
        for tid, base, data in pending:
            listed = files[tid]
            if listed is None:
                continue
            for mode, name, oid in tree_entries(data):
                if not _safe_name(name):
                    files[tid] = None
                    break
                if mode == "40000" and depth < _MAX_DEPTH:
                    subtrees.append((tid, f"{base}{name}/", oid))
                elif mode in ("100644", "100755") and name.endswith((".yml", ".md", ".txt")):
                    listed.append((base + name, oid))
        got = batch(project, [oid for _, _, oid in subtrees])
        pending = [(tid, base, obj[2]) for (tid, base, _), obj in zip(subtrees, got) if obj and obj[1] == "tree"]
    return files


def load_versions(project: Path, trees: dict[str, tuple[str, bytes]], jobs: int = 1,
                  make: Callable[[Briefing], Any] = snapshot) -> dict[str, Any]:
    """Write each version's folder to the project's staging folder and load it with the normal
    loader; briefings load independently, so with jobs=2 a forked worker takes every other one.
    What is kept of each loaded version is `make`'s: its Snapshot, or (history/earlier.py) its
    summary page rendered as it was."""
    files = _version_files(project, trees)
    for tid, listed in files.items():
        if listed is None:
            log.info(f"History: a version of {trees[tid][0]} (git tree {tid[:12]}) holds a file name that "
                     "is not safe to write; that version is left out")
    by_briefing: dict[str, list[str]] = {}
    for tid, (bid, _) in trees.items():
        if files[tid] is not None:
            by_briefing.setdefault(bid, []).append(tid)
    if not by_briefing:
        return {}
    oids = sorted({oid for fs in files.values() if fs for _, oid in fs})
    out: dict[str, Any] = {}  # only versions not yet in .briefgen-cache/ load here
    try:
        with staging(project) as tmp:
            blobs = tmp / "blobs"
            blobs.mkdir()
            have = blobs_into(project, oids, blobs)

            def load(item: tuple[str, list[str]]) -> dict[str, Any]:
                bid, tids = item
                return _load_briefing_versions(tmp, bid, [(tid, files[tid] or []) for tid in tids], blobs, have,
                                               make)

            for part in map_in_two(load, sorted(by_briefing.items()), jobs):
                out.update(part)
    except OSError as exc:  # no staging folder (a read-only project, a link), a full disk
        log.info(f"History: earlier versions could not be written to {STAGING}/ ({exc.strerror or exc}); "
                 "they are left out")
        return {}
    return out


def _load_briefing_versions(tmp: Path, bid: str, versions: list[tuple[str, list[tuple[str, str]]]],
                            blobs: Path, have: set[str], make: Callable[[Briefing], Any]) -> dict[str, Any]:
    """Load each version of one briefing with the normal loader from a folder of its own. An old
    version that cannot be written or read is left out with an INFO line: it is in the history
    for good, and the build must not stop on it."""
    from ..stages.load import load_briefing

    out: dict[str, Any] = {}
    root = Path(tempfile.mkdtemp(prefix=f"{bid}-", dir=tmp))  # a forked worker's too
    folder = root / "content" / bid
    state: dict[str, str] = {}  # path -> blob now in the folder
    # One folder reused from version to version: most files stay the same, and creating
    # files and folders is what costs (a few ms each on a busy disk).
    for tid, files in versions:
        try:
            try:
                _write_version(folder, state, dict(files), blobs, have)
            except OSError:  # a file where a folder was (or the reverse): start afresh
                shutil.rmtree(folder, ignore_errors=True)
                state.clear()
                _write_version(folder, state, dict(files), blobs, have)
            b = load_briefing(root, folder, Report())  # an old version's own problems are old news
            if b is not None:
                out[tid] = make(b)
        except Exception as exc:  # noqa: BLE001 - whatever an old commit holds, the build goes on
            log.info(f"History: a version of content/{bid} (git tree {tid[:12]}) could not be read "
                     f"({type(exc).__name__}); it is left out")
            shutil.rmtree(folder, ignore_errors=True)
            state.clear()
    shutil.rmtree(root, ignore_errors=True)
    return out


def _write_version(folder: Path, state: dict[str, str], wanted: dict[str, str], blobs: Path,
                   have: set[str]) -> None:
    for rel in [r for r in state if r not in wanted]:
        (folder / rel).unlink()
        del state[rel]
    for rel, oid in wanted.items():
        if state.get(rel) != oid:
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
            if oid not in have:  # git could not give it: an empty file, as before
                path.touch()
            else:
                try:
                    os.link(blobs / oid, path)  # no second copy of a large source
                except OSError:  # a file system without hard links
                    shutil.copyfile(blobs / oid, path)
            state[rel] = oid


@contextmanager
def staging(project: Path) -> Iterator[Path]:
    """A fresh folder of this process under the project's .briefgen-build/, removed after;
    first, those a killed process left (its pid is gone) are removed. A link or a file of that
    name is never followed: builds delete in there."""
    root = project / STAGING
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise OSError(f"{STAGING} is {'a link' if root.is_symlink() else 'not a folder'}")
    root.mkdir(exist_ok=True)
    for entry in root.iterdir():
        pid, mine, _ = entry.name.partition(_MINE)
        if mine and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}{_MINE}", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        try:
            root.rmdir()  # when no build is staging there
        except OSError:
            pass


def _alive(pid: int) -> bool:
    """Whether a process of that id runs (someone else's counts: it is not ours to judge)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
