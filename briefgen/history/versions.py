"""Earlier versions of each briefing, read from the project's own git history (read at the edge).

A version is a briefing's content at one `as_of`: the last commit in which its briefing.yml had
that date, with that commit's sources. The working tree is the current version.

Why the git command line and not a library: git is already there wherever the project is a git
repository (GitHub's runners, every analyst's machine), it reads every repository layout
(worktrees whose .git is a file, packed and alternate objects, shallow clones, which it reports)
and a library (pygit2, dulwich) would be a new compiled or slow dependency. Three processes read
everything: `git log` names the commits that touched content/, and one `git cat-file --batch`
per round reads the briefing.yml of each such commit, then the trees and files of the versions
not yet cached. A version is loaded by the normal loader from a temporary copy of its folder
(never from or into the user's tree), and what changes need of it (a Snapshot) is cached in
.briefgen-cache/history.json by the git tree id of the folder: an old version never changes.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..caches.parallel import map_in_two
from ..diagnostics import Report
from ..loading.yamlnodes import as_date, may_be_too_deep
from ..model import Briefing
from .cache import HistoryCache
from .changes import Snapshot, snapshot

log = logging.getLogger("briefgen")

_MAX_YAML = 2_000_000  # bytes of a committed briefing.yml read as YAML to find its as_of
_AS_OF = re.compile(r"^as_of:[ \t]*['\"]?([^'\"#\n]*?)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class History:
    """Committed versions per briefing id, oldest first, as (snapshot, commit)."""

    versions: dict[str, tuple[tuple[Snapshot, str], ...]] = field(default_factory=dict)
    unavailable: str | None = None  # why there is no history at all

    def of(self, briefing_id: str) -> tuple[tuple[Snapshot, str], ...]:
        return self.versions.get(briefing_id, ())


def _git(project: Path, *args: str, data: bytes | None = None) -> bytes | None:
    try:
        # No replace refs: they would show content no commit holds, and the cache (by tree id)
        # would keep it after the ref is gone.
        done = subprocess.run(["git", *args], cwd=project, input=data, capture_output=True,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C",
                                   "GIT_NO_REPLACE_OBJECTS": "1"})
    except OSError:  # git is not installed
        return None
    return done.stdout if done.returncode == 0 else None


def _batch(project: Path, requests: list[str]) -> list[tuple[str, str, bytes] | None]:
    """(object id, type, content) for each `rev:path` or object id; None where it is missing."""
    if not requests:
        return []
    out = _git(project, "cat-file", "--batch", data="".join(r + "\n" for r in requests).encode())
    if out is None:
        return [None] * len(requests)
    found: list[tuple[str, str, bytes] | None] = []
    at = 0
    for _ in requests:
        end = out.index(b"\n", at)
        head = out[at:end].decode().split()
        if len(head) != 3:  # "<request> missing" or "ambiguous"
            found.append(None)
            at = end + 1
            continue
        size = int(head[2])
        found.append((head[0], head[1], out[end + 1:end + 1 + size]))
        at = end + 1 + size + 1
    return found


def _ids(project: Path, requests: list[str]) -> list[str | None]:
    """The object id of each `rev:path` (None where there is none), without reading contents."""
    if not requests:
        return []
    out = _git(project, "cat-file", "--batch-check=%(objectname)",
               data="".join(r + "\n" for r in requests).encode())
    lines = out.decode("utf-8", "replace").split("\n") if out is not None else []
    return [x if x and " " not in x else None for x in (lines + [""] * len(requests))[:len(requests)]]


def _tree_entries(data: bytes) -> list[tuple[str, str, str]]:
    """(mode, name, object id) of a raw git tree object."""
    out, at = [], 0
    while at < len(data):
        space, nul = data.index(b" ", at), data.index(b"\0", at)
        out.append((data[at:space].decode(), data[space + 1:nul].decode("utf-8", "surrogateescape"),
                    data[nul + 1:nul + 21].hex()))
        at = nul + 21
    return out


def _as_of(text: bytes) -> str | None:
    """A committed briefing.yml's `as_of`, by the loader's own date rule (a date-time counts
    as its day), so a version is dated as the loaded briefing would be."""
    m = _AS_OF.search(text.decode("utf-8-sig", "replace"))
    day = as_date(m.group(1)) if m else None
    if day is not None:
        return day.isoformat()
    import yaml  # an unusual layout (flow mapping, anchors): let YAML read it

    decoded = text.decode("utf-8-sig", "replace")
    if len(text) > _MAX_YAML or may_be_too_deep(decoded):
        return None
    try:
        doc = yaml.load(decoded, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:  # noqa: BLE001 - an old commit's file: an impossible date, a huge number...
        return None
    value = doc.get("as_of") if isinstance(doc, dict) else None
    day = as_date(str(value)) if isinstance(value, (str, datetime.date)) else None
    return day.isoformat() if day is not None else None


# (briefing, as_of, commit, git tree id of the briefing's folder at that commit)
Version = tuple[str, str, str, str]


def _log(project: Path, *args: str) -> list[tuple[str, list[str], set[str]]] | None:
    """(commit, its parents, the briefing folders it touched) for each commit that
    `git log --first-parent <args>` lists, newest first; None when git cannot read them."""
    out = _git(project, "log", "--first-parent", "--format=%x01%H %P", "--name-only", "--relative",
               "--no-renames", "-z", *args)
    if out is None:
        return None
    found = []
    for chunk in out.split(b"\x01")[1:]:
        parts = chunk.replace(b"\n", b"\0").split(b"\0")
        commit, *parents = parts[0].decode().split()
        seen = {p.decode("utf-8", "surrogateescape").split("/")[1] for p in parts[1:]
                if p.startswith(b"content/") and p.count(b"/") >= 2}
        found.append((commit, parents, seen))
    return found


def read_history(project: Path, ids: list[str], cache_dir: Path | None, jobs: int = 1) -> History:
    """Every earlier version of the named briefings. Never fails: without a usable git history
    the build goes on and History.unavailable says why."""
    project = project.resolve()
    top = _git(project, "rev-parse", "--is-shallow-repository", "--show-prefix", "HEAD")
    if top is None:  # no commit yet (HEAD names nothing), or no repository at all
        top = _git(project, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if top is None:
        return History(unavailable="the project is not in a git repository (or git is not installed)")
    # Only the line ends are cut: a folder name may start or end with a space.
    shallow, prefix, head = (top.decode("utf-8", "surrogateescape").split("\n") + ["", "", ""])[:3]
    shallow, head = shallow.strip(), head.strip()
    if shallow == "true":
        return History(unavailable="this is a shallow clone (fetch the full history: "
                                   "`git fetch --unshallow`, or `fetch-depth: 0` in CI)")
    cache = HistoryCache(cache_dir)
    # A commit id names its whole ancestry: while HEAD stays, so do the versions, and git is
    # asked nothing more; after a commit, only the commits since the last build are read.
    where = f"{prefix}:{' '.join(sorted(ids))}"
    known = cache.versions_at(where, set(ids))
    if known is not None and known[0] == head:
        wanted = known[1]
    else:
        found = _versions_since(project, prefix, ids, cache, *known) if known and head else None
        if found is None:
            walked = _log(project, "--", "content")
            if walked is None and head:  # a repository with commits whose history git cannot walk
                return History(unavailable="git could not read the history (try `git log -- content` "
                                           "to see why)")
            found = _choose(project, prefix, ids, cache, {}, walked or [])
        wanted = found
        if head:
            cache.keep_versions(head, where, wanted)
    versions = _snapshots(project, wanted, cache, jobs)
    cache.save()
    return History(versions=versions)


def _versions_since(project: Path, prefix: str, ids: list[str], cache: HistoryCache, old_head: str,
                    old: list[Version]) -> list[Version] | None:
    """The versions at HEAD, from those at an earlier HEAD and the commits since; None when that
    HEAD is not on the first-parent line of this one (history rewritten, or it was a branch
    merged in), and everything is read again."""
    since = _log(project, "--end-of-options", f"{old_head}..HEAD")  # a revision, never an option
    if not since or since[-1][1][:1] != [old_head]:  # None: git failed; []: HEAD went back
        return None
    known: dict[str, dict[str, tuple[str, str | None]]] = {}
    for bid, as_of, commit, tree in old:
        known.setdefault(bid, {})[as_of] = (commit, tree)
    return _choose(project, prefix, ids, cache, known, since)


def _choose(project: Path, prefix: str, ids: list[str], cache: HistoryCache,
            known: dict[str, dict[str, tuple[str, str | None]]], log: list[tuple[str, list[str], set[str]]]
            ) -> list[Version]:
    """The version for each as_of is the last commit along the first parents whose briefing.yml
    has that date: the `known` ones (as_of -> (commit, tree)), then the commits of `log` (newest
    first) replacing them. Oldest first per briefing."""
    wanted = set(ids)
    pairs = [(bid, commit) for commit, _, seen in reversed(log) for bid in sorted(seen & wanted)]
    chosen = {bid: dict(known.get(bid, {})) for bid in ids}
    for (bid, commit), as_of in zip(pairs, _dates(project, prefix, pairs, cache)):
        if as_of:
            chosen[bid][as_of] = (commit, None)
    need = [(bid, as_of, c) for bid in ids for as_of, (c, tree) in chosen[bid].items() if tree is None]
    trees = dict(zip([(bid, as_of) for bid, as_of, _ in need],
                     _ids(project, [f"{c}:{prefix}content/{bid}" for bid, _, c in need])))
    out = []
    for bid in ids:
        for as_of, (commit, tree) in sorted(chosen[bid].items()):
            tree = tree or trees.get((bid, as_of))
            if tree:
                out.append((bid, as_of, commit, tree))
    return out


def _dates(project: Path, prefix: str, pairs: list[tuple[str, str]], cache: HistoryCache) -> list[str | None]:
    """The as_of in briefing.yml of each (briefing, commit); texts are read only for blobs the
    cache has not dated before."""
    blobs = _ids(project, [f"{c}:{prefix}content/{bid}/briefing.yml" for bid, c in pairs])
    unknown = sorted({o for o in blobs if o and cache.date(o) is None})
    for oid, obj in zip(unknown, _batch(project, unknown)):
        cache.put_date(oid, (_as_of(obj[2]) if obj else None) or "")
    return [(cache.date(o) or None) if o else None for o in blobs]


def _snapshots(project: Path, wanted: list[Version], cache: HistoryCache,
               jobs: int = 1) -> dict[str, tuple[tuple[Snapshot, str], ...]]:
    missing = {t: bid for bid, _, _, t in wanted if cache.get(t) is None}
    if missing:
        raw = dict(zip(missing, _batch(project, list(missing))))
        found = {t: (bid, obj[2]) for t, bid in missing.items() if (obj := raw[t]) is not None and obj[1] == "tree"}
        for tree_id, shot in _load_versions(project, found, jobs).items():
            cache.put(tree_id, shot)
    out: dict[str, list[tuple[Snapshot, str]]] = {}
    for bid, as_of, commit, t in wanted:
        shot = cache.get(t)
        if shot is not None and shot.as_of == as_of:
            out.setdefault(bid, []).append((shot, commit))
    return {bid: tuple(vs) for bid, vs in out.items()}


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
            for mode, name, oid in _tree_entries(data):
                if not _safe_name(name):
                    files[tid] = None
                    break
                if mode == "40000" and depth < _MAX_DEPTH:
                    subtrees.append((tid, f"{base}{name}/", oid))
                elif mode in ("100644", "100755") and name.endswith((".yml", ".md", ".txt")):
                    listed.append((base + name, oid))
        got = _batch(project, [oid for _, _, oid in subtrees])
        pending = [(tid, base, obj[2]) for (tid, base, _), obj in zip(subtrees, got) if obj and obj[1] == "tree"]
    return files


def _load_versions(project: Path, trees: dict[str, tuple[str, bytes]], jobs: int = 1) -> dict[str, Snapshot]:
    """Write each version's folder to a temporary directory and load it with the normal loader;
    briefings load independently, so with jobs=2 a forked worker takes every other one."""
    files = _version_files(project, trees)
    for tid, listed in files.items():
        if listed is None:
            log.info(f"History: a version of {trees[tid][0]} (git tree {tid[:12]}) holds a file name that "
                     "is not safe to write; that version is left out")
    oids = sorted({oid for fs in files.values() if fs for _, oid in fs})
    content = {oid: obj[2] for oid, obj in zip(oids, _batch(project, oids)) if obj}
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


def history_for(project: Path, briefings: list[Briefing], cache_dir: Path | None, jobs: int = 1) -> History:
    """read_history, saying at INFO when there is none to read (the build goes on without)."""
    history = read_history(project, [b.id for b in briefings], cache_dir, jobs)
    if history.unavailable:
        log.info(f"History not available: {history.unavailable}; pages show no changes")
    else:
        fresh = [b.dir for b in briefings if not history.of(b.id)]
        if fresh:
            log.info(f"History not available for {', '.join(fresh[:3])}{' …' if len(fresh) > 3 else ''}: "
                     "never committed")
    return history


def _memory_dir() -> str | None:
    """A RAM-backed folder for the temporary copies when there is one (Linux /dev/shm): they
    are written, read once and deleted, and on a busy disk each file costs milliseconds."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None
