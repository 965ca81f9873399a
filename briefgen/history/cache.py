"""What history read of each earlier version, kept in .briefgen-cache/history.json.

An old version never changes, so its Snapshot is stored under the git tree id of its folder and
read back instead of loading the version again. Consecutive versions share most rows, so rows
are stored once in a table and each snapshot lists row numbers: the file stays small and is
read fast. JSON, never pickle (nothing read back can run code). As in sources.json, a header
line seals the entries with a digest bound to this code: a cache that is missing, stale
(another briefgen), cut or edited by hand is ignored and rewritten, so it can make a build
slower, never different. Even a forged one (digest recomputed) cannot crash a build or reach
git as anything but object ids: each row, date and version is checked for the shape this code
writes before it is used. Only entries used by the last build are kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from ..analysis.changes import Row, Snapshot
from ..caches.sealed import read_sealed, write_sealed
from ..loading.yamlnodes import as_date

log = logging.getLogger("briefgen")

_FORMAT = 3  # bump when a Snapshot's content or this file's layout changes
_OBJECT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # a git object id (SHA-1 or SHA-256)
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_TEXT, _MAYBE = (str,), (str, type(None))
# The fields of each kind of row, as changes.snapshot writes them: a row read back must have
# exactly these, or a forged cache could crash describe() or a template.
_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "summary": {"text": _TEXT, "assessment": _MAYBE},
    "fact": {"fact": _TEXT, "value": _TEXT, "corroboration": _MAYBE},
    "evidence": {"text": _TEXT, "question": _TEXT},
    "timeline": {"date": _TEXT, "text": _TEXT},
    "question": {"question": _TEXT, "status": _TEXT, "leaning": _MAYBE, "answer": _MAYBE, "hypotheses": (dict,),
                 "tallies": (dict,)},
    "source": {"outlet": _TEXT, "title": _TEXT},
}


def _is_day(value: Any) -> bool:
    """An ISO day that exists (not 2024-02-30), by the loader's own date rule."""
    return isinstance(value, str) and bool(_DAY.fullmatch(value)) and as_date(value) is not None


def _well_formed(kind: Any, fields: Any) -> bool:
    shape = _FIELDS.get(kind) if isinstance(kind, str) else None
    if shape is None or not isinstance(fields, dict) or set(fields) != set(shape):
        return False
    if not all(isinstance(fields[k], types) for k, types in shape.items()):
        return False
    if kind == "timeline" and not _is_day(fields["date"]):
        return False
    if kind == "question":
        hyps, tallies = fields["hypotheses"], fields["tallies"]
        return (all(isinstance(k, str) and isinstance(v, str) for k, v in hyps.items())
                and all(isinstance(k, str) and isinstance(v, list) and len(v) == 3
                        and all(type(n) is int for n in v) for k, v in tallies.items()))
    return True


class HistoryCache:
    def __init__(self, cache_dir: Path | None):
        self.path = cache_dir / "history.json" if cache_dir else None
        self.stamp = _stamp()
        self.raw: dict[str, Any] = {}  # tree id -> [as_of, [row numbers]] as read
        self.table: list[Any] = []
        self.dates: dict[str, str] = {}  # briefing.yml blob id -> its as_of ("" if it has none)
        self.dates_used: dict[str, str] = {}
        self.shots: dict[str, Snapshot] = {}  # read back or added this run (all used)
        # The versions found at one HEAD: [HEAD, folder:briefings, [[briefing, as_of, commit, tree id]]]
        self.head: list[Any] = []
        self.dirty = False
        body = read_sealed(self.path, self.stamp) if self.path is not None else None
        if body is not None:  # sealed as sources.json is (caches/sealed.py); then the entries
            try:
                doc = json.loads(bytes(body))
                self.raw, self.table, self.dates = doc["snapshots"], doc["rows"], doc["dates"]
                self.head = doc.get("head") or []
                if not (isinstance(self.raw, dict) and isinstance(self.table, list)
                        and isinstance(self.dates, dict)):
                    raise TypeError("not the layout this code writes")
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                self.raw, self.table, self.dates, self.head = {}, [], {}, []  # rebuilt on save
        self._rows: dict[int, Row] = {}

    def get(self, tree_id: str) -> Snapshot | None:
        shot = self.shots.get(tree_id)
        if shot is not None or tree_id not in self.raw:
            return shot
        try:
            as_of, numbers = self.raw[tree_id]
            if not _is_day(as_of):
                raise ValueError(as_of)
            shot = Snapshot(as_of, tuple(self._row(n) for n in numbers))
        except (KeyError, TypeError, ValueError, IndexError):
            self.dirty = True
            return None
        self.shots[tree_id] = shot
        return shot

    def _row(self, n: int) -> Row:
        row = self._rows.get(n)
        if row is None:
            i, kind, label, fields = self.table[n]
            if not (isinstance(i, str) and isinstance(label, str) and _well_formed(kind, fields)):
                raise ValueError(f"row {n}")
            row = self._rows[n] = Row(i, kind, label, fields)
        return row

    def date(self, blob_id: str) -> str | None:
        value = self.dates_used.get(blob_id, self.dates.get(blob_id))
        if value is not None and (value == "" or _is_day(value)):
            self.dates_used[blob_id] = value
            return value
        return None

    def put_date(self, blob_id: str, as_of: str) -> None:
        self.dates_used[blob_id] = as_of
        self.dirty = True

    def versions_at(self, where: str, ids: set[str]) -> tuple[str, list[tuple[str, str, str, str]]] | None:
        """(HEAD, its versions) as an earlier build found them for this folder and briefings."""
        try:
            head, place, found = self.head
            versions = [(b, a, c, t) for b, a, c, t in found]
            # Each value goes to git (a revision on its command line, a request on its stdin): a
            # hand-edited entry must not become an option or a second request.
            if place != where or not _OBJECT.fullmatch(head) or not all(
                    b in ids and _is_day(a) and _OBJECT.fullmatch(c) and _OBJECT.fullmatch(t)
                    for b, a, c, t in versions):
                return None
        except (TypeError, ValueError):  # not a list of four strings where one is expected
            return None
        self.dates_used = dict(self.dates)  # not all asked for this time, still good for the next commit
        return head, versions

    def keep_versions(self, head: str, where: str, versions: list[tuple[str, str, str, str]]) -> None:
        self.head = [head, where, [list(v) for v in versions]]
        self.dirty = True

    def put(self, tree_id: str, shot: Snapshot) -> None:
        self.shots[tree_id] = shot
        self.dirty = True

    def save(self) -> None:
        """Write the snapshots used this run, when anything was added or left unused."""
        if self.path is None or not (self.dirty or set(self.raw) - set(self.shots)
                                     or set(self.dates) - set(self.dates_used)):
            return
        numbers: dict[Any, int] = {}
        table: list[list[Any]] = []
        snapshots = {}
        # A row read back from the table keeps its entry (found by identity: JSON-encoding each
        # row again to find twins was most of a save); only rows new this run are compared.
        read = {id(row): n for n, row in self._rows.items()}
        for tree_id, shot in self.shots.items():
            refs = []
            for r in shot.rows:
                n = read.get(id(r))
                key = n if n is not None else json.dumps([r.id, r.kind, r.label, r.fields], sort_keys=True)
                if key not in numbers:
                    numbers[key] = len(table)
                    table.append(self.table[n] if n is not None else [r.id, r.kind, r.label, r.fields])
                refs.append(numbers[key])
            snapshots[tree_id] = [shot.as_of, refs]
        body = json.dumps({"rows": table, "snapshots": snapshots, "dates": self.dates_used, "head": self.head},
                          ensure_ascii=False).encode("utf-8", "surrogatepass")
        write_sealed(self.path, self.stamp, body)  # unwritable: the next build reads history again


def _stamp() -> str:
    """Entries hold for this briefgen: the modules that turn a version into a Snapshot are hashed."""
    from .. import __version__

    h = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent.parent
    for module in ("analysis/changes.py", "stages/load.py", "loading/statements.py", "loading/yamlfields.py",
                   "analysis/analyse.py", "model.py", "loading/yamlnodes.py", "history/cache.py",
                   "history/versions.py"):  # versions.py dates each committed briefing.yml
        h.update((package / module).read_bytes())
    return f"{_FORMAT}/{__version__}/{h.hexdigest()}"
