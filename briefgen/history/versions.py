"""Earlier versions of each briefing, read from the project's own git history (read at the edge).

A version is a briefing's content at one `as_of`: the last commit in which its briefing.yml had
that date, with that commit's sources. The working tree is the current version.

History is read with the git command line (gitcli.py says why): `git log` names the commits
that touched content/, and `git cat-file` rounds read the briefing.yml of each such commit,
then the trees and files of the versions not yet cached. A version is loaded by the normal
loader from a temporary copy of its folder (checkout.py), and what changes need of it (a
Snapshot) is cached in .briefgen-cache/history.json by the git tree id of the folder: an old
version never changes.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.changes import Snapshot
from ..loading.yamlnodes import as_date, may_be_too_deep
from ..model import Briefing
from .cache import HistoryCache
from .checkout import load_versions
from .gitcli import batch, first_parent_log, git, object_ids

log = logging.getLogger("briefgen")

_MAX_YAML = 2_000_000  # bytes of a committed briefing.yml read as YAML to find its as_of
_AS_OF = re.compile(r"^as_of:[ \t]*['\"]?([^'\"#\n]*?)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class History:
    """Committed versions per briefing id, oldest first, as (snapshot, commit)."""

    versions: dict[str, tuple[tuple[Snapshot, str], ...]] = field(default_factory=dict)
    unavailable: str | None = None  # why there is no history at all
    # briefing id -> as_of -> the git tree id of its folder then, for opening that version as it was
    trees: dict[str, dict[str, str]] = field(default_factory=dict)

    def of(self, briefing_id: str) -> tuple[tuple[Snapshot, str], ...]:
        return self.versions.get(briefing_id, ())


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


def read_history(project: Path, ids: list[str], cache_dir: Path | None, jobs: int = 1) -> History:
    """Every earlier version of the named briefings. Never fails: without a usable git history
    the build goes on and History.unavailable says why."""
    project = project.resolve()
    top = git(project, "rev-parse", "--is-shallow-repository", "--show-prefix", "HEAD")
    if top is None:  # no commit yet (HEAD names nothing), or no repository at all
        top = git(project, "rev-parse", "--is-shallow-repository", "--show-prefix")
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
            walked = first_parent_log(project, "--", "content")
            if walked is None and head:  # a repository with commits whose history git cannot walk
                return History(unavailable="git could not read the history (try `git log -- content` "
                                           "to see why)")
            found = _choose(project, prefix, ids, cache, {}, walked or [])
        wanted = found
        if head:
            cache.keep_versions(head, where, wanted)
    versions = _snapshots(project, wanted, cache, jobs)
    cache.save()
    trees: dict[str, dict[str, str]] = {}
    for bid, as_of, _, tree in wanted:
        if any(shot.as_of == as_of for shot, _ in versions.get(bid, ())):  # left out when unreadable
            trees.setdefault(bid, {})[as_of] = tree
    return History(versions=versions, trees=trees)


def _versions_since(project: Path, prefix: str, ids: list[str], cache: HistoryCache, old_head: str,
                    old: list[Version]) -> list[Version] | None:
    """The versions at HEAD, from those at an earlier HEAD and the commits since; None when that
    HEAD is not on the first-parent line of this one (history rewritten, or it was a branch
    merged in), and everything is read again."""
    since = first_parent_log(project, "--end-of-options", f"{old_head}..HEAD")  # a revision, never an option
    if not since or since[-1][1][:1] != [old_head]:  # None: git failed; []: HEAD went back
        return None
    known: dict[str, dict[str, tuple[str, str | None]]] = {}
    for bid, as_of, commit, tree in old:
        known.setdefault(bid, {})[as_of] = (commit, tree)
    return _choose(project, prefix, ids, cache, known, since)


def _choose(project: Path, prefix: str, ids: list[str], cache: HistoryCache,
            known: dict[str, dict[str, tuple[str, str | None]]], walk: list[tuple[str, list[str], set[str]]]
            ) -> list[Version]:
    """The version for each as_of is the last commit along the first parents whose briefing.yml
    has that date: the `known` ones (as_of -> (commit, tree)), then the commits of `walk` (newest
    first) replacing them. Oldest first per briefing."""
    wanted = set(ids)
    pairs = [(bid, commit) for commit, _, seen in reversed(walk) for bid in sorted(seen & wanted)]
    chosen = {bid: dict(known.get(bid, {})) for bid in ids}
    for (bid, commit), as_of in zip(pairs, _dates(project, prefix, pairs, cache)):
        if as_of:
            chosen[bid][as_of] = (commit, None)
    need = [(bid, as_of, c) for bid in ids for as_of, (c, tree) in chosen[bid].items() if tree is None]
    trees = dict(zip([(bid, as_of) for bid, as_of, _ in need],
                     object_ids(project, [f"{c}:{prefix}content/{bid}" for bid, _, c in need])))
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
    blobs = object_ids(project, [f"{c}:{prefix}content/{bid}/briefing.yml" for bid, c in pairs])
    unknown = sorted({o for o in blobs if o and cache.date(o) is None})
    for oid, obj in zip(unknown, batch(project, unknown)):
        cache.put_date(oid, (_as_of(obj[2]) if obj else None) or "")
    return [(cache.date(o) or None) if o else None for o in blobs]


def _snapshots(project: Path, wanted: list[Version], cache: HistoryCache,
               jobs: int = 1) -> dict[str, tuple[tuple[Snapshot, str], ...]]:
    missing = {t: bid for bid, _, _, t in wanted if cache.get(t) is None}
    if missing:
        raw = dict(zip(missing, batch(project, list(missing))))
        found = {t: (bid, obj[2]) for t, bid in missing.items() if (obj := raw[t]) is not None and obj[1] == "tree"}
        for tree_id, loaded in load_versions(project, found, jobs).items():
            cache.put(tree_id, loaded)
    out: dict[str, list[tuple[Snapshot, str]]] = {}
    for bid, as_of, commit, t in wanted:
        shot = cache.get(t)
        if shot is not None and shot.as_of == as_of:
            out.setdefault(bid, []).append((shot, commit))
    return {bid: tuple(vs) for bid, vs in out.items()}


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


