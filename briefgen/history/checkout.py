"""An earlier version of a briefing, written from git to a temporary folder and loaded there
with the normal loader: never from or into the user's tree, and never by a name that could
leave that folder (a hostile commit can hold any tree)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from ..caches.parallel import map_in_two
from ..diagnostics import Report
from .changes import Snapshot, snapshot
from .gitcli import batch, tree_entries

log = logging.getLogger("briefgen")

_MAX_DEPTH = 4  # folders below a briefing's (sources/ is one); deeper ones are not read
_MAX_NAME = 255  # bytes: longer names cannot be files on the usual file systems


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


def load_versions(project: Path, trees: dict[str, tuple[str, bytes]], jobs: int = 1) -> dict[str, Snapshot]:
    """Write each version's folder to a temporary directory and load it with the normal loader;
    briefings load independently, so with jobs=2 a forked worker takes every other one."""
    files = _version_files(project, trees)
    for tid, listed in files.items():
        if listed is None:
            log.info(f"History: a version of {trees[tid][0]} (git tree {tid[:12]}) holds a file name that "
                     "is not safe to write; that version is left out")
    oids = sorted({oid for fs in files.values() if fs for _, oid in fs})
    content = {oid: obj[2] for oid, obj in zip(oids, batch(project, oids)) if obj}
    by_briefing: dict[str, list[str]] = {}
    for tid, (bid, _) in trees.items():
        if files[tid] is not None:
            by_briefing.setdefault(bid, []).append(tid)

    def load(item: tuple[str, list[str]]) -> dict[str, Snapshot]:
        bid, tids = item
        return _load_briefing_versions(bid, [(tid, files[tid] or []) for tid in tids], content)

    out: dict[str, Snapshot] = {}  # only versions not yet in .briefgen-cache/ load here
    for part in map_in_two(load, sorted(by_briefing.items()), jobs):
        out.update(part)
    return out


def _load_briefing_versions(bid: str, versions: list[tuple[str, list[tuple[str, str]]]],
                            content: dict[str, bytes]) -> dict[str, Snapshot]:
    """Load each version of one briefing with the normal loader from a temporary folder. An old
    version that cannot be written or read is left out with an INFO line: it is in the history
    for good, and the build must not stop on it."""
    from ..stages.load import load_briefing

    out: dict[str, Snapshot] = {}
    with tempfile.TemporaryDirectory(prefix="briefgen-history-", dir=_memory_dir()) as tmp:
        folder = Path(tmp) / "content" / bid
        state: dict[str, str] = {}  # path -> blob now in the folder
        # One folder reused from version to version: most files stay the same, and creating
        # files and folders is what costs (a few ms each on a busy disk).
        for tid, files in versions:
            try:
                try:
                    _write_version(folder, state, dict(files), content)
                except OSError:  # a file where a folder was (or the reverse): start afresh
                    shutil.rmtree(folder, ignore_errors=True)
                    state.clear()
                    _write_version(folder, state, dict(files), content)
                b = load_briefing(Path(tmp), folder, Report())  # an old version's own problems are old news
                if b is not None:
                    out[tid] = snapshot(b)
            except Exception as exc:  # noqa: BLE001 - whatever an old commit holds, the build goes on
                log.info(f"History: a version of content/{bid} (git tree {tid[:12]}) could not be read "
                         f"({type(exc).__name__}); it is left out")
                shutil.rmtree(folder, ignore_errors=True)
                state.clear()
    return out


def _write_version(folder: Path, state: dict[str, str], wanted: dict[str, str], content: dict[str, bytes]) -> None:
    for rel in [r for r in state if r not in wanted]:
        (folder / rel).unlink()
        del state[rel]
    for rel, oid in wanted.items():
        if state.get(rel) != oid:
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.get(oid, b""))
            state[rel] = oid


def _memory_dir() -> str | None:
    """A RAM-backed folder for the temporary copies when there is one (Linux /dev/shm): they
    are written, read once and deleted, and on a busy disk each file costs milliseconds."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None
