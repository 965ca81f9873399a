"""What changed between two versions of a briefing, computed on the model, not on text.

A version is reduced to a `Snapshot`: plain JSON-able rows (a statement, a fact, a question, a
source), each with the fields a reader cares about. Two snapshots give a list of `Change`s.
Everything here is pure: no files, no git, no HTML (templates and the feed word it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Briefing
from ..text.citeview import source_numbers
from . import analyse

KINDS = ("summary", "fact", "evidence", "timeline", "question", "source")
# Anchors briefgen made up from a position (no `id:` written): such rows are matched by text
# first and by position only after, since inserting one statement shifts all the numbers.
_POSITIONAL = re.compile(r"^(summary-\d+|timeline-\d+|q-.+-e\d+)$")


@dataclass(frozen=True)
class Row:
    id: str  # the anchor on the page
    kind: str
    label: str  # plain words naming it: a fact's name, a question, a statement's text
    fields: dict[str, Any]  # what is compared, JSON-able


@dataclass(frozen=True)
class Snapshot:
    as_of: str  # ISO date
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Change:
    id: str
    kind: str
    change: str  # added | changed | removed
    label: str
    before: dict[str, Any] | None  # the fields that differ (all of them for added / removed)
    after: dict[str, Any] | None
    names: dict[str, str] = field(default_factory=dict)  # a question's hypothesis ids -> labels, both versions


@dataclass(frozen=True)
class Step:
    """The changes that led from version `since` to version `as_of`."""

    as_of: str
    commit: str | None  # None: the working tree
    since: str
    items: tuple[Change, ...]
    since_commit: str | None = None


def snapshot(b: Briefing, a: analyse.Analysis | None = None) -> Snapshot:
    """The rows of a loaded briefing, as changes compare them; `a`: its analysis, when the check
    stage has it already (the current version), so it is not computed twice."""
    rows: list[Row] = []
    for s in b.summary:
        rows.append(Row(s.anchor, "summary", s.text, {"text": s.text, "assessment": s.assessment}))
    for f in b.facts:
        status: str | None
        if a is not None:
            status = a.facts[f.id].status
        else:
            status = analyse.corroboration(f, b).status if _sources_known(f.citations, b) else None
        rows.append(Row(f.anchor, "fact", f.fact, {"fact": f.fact, "value": f.value,
                                                   "corroboration": status}))
    for q in b.questions:
        lean = a.leaning[q.id] if a is not None else analyse.leaning(q)
        tallies = a.tallies[q.id] if a is not None else analyse.tallies(q)
        rows.append(Row(q.anchor, "question", q.question, {
            "question": q.question, "status": q.status, "leaning": lean.label if lean else None,
            "answer": h.label if (h := q.answer_hypothesis) and q.settled else None,
            "hypotheses": {h.id: h.label for h in q.hypotheses},
            "tallies": {t.hypothesis: [t.for_, t.against, t.neutral] for t in tallies}}))
        for e in q.evidence:
            rows.append(Row(e.anchor, "evidence", e.text, {"text": e.text, "question": q.question}))
    for t in b.timeline:
        rows.append(Row(t.anchor, "timeline", t.text, {"date": t.date.isoformat(), "text": t.text}))
    # In the order the version numbers them, so later versions can keep those numbers.
    for sid in source_numbers(b):
        src = b.sources[sid]
        rows.append(Row(src.id, "source", f"{src.outlet}: {src.title}", {"outlet": src.outlet, "title": src.title}))
    return Snapshot(b.as_of.isoformat(), tuple(rows))


def numbering(versions: Iterable[Snapshot]) -> dict[str, int]:
    """Source id -> its number, kept from the first version (oldest first) that had the source:
    "[2]" in last week's message still means the same outlet; a new source takes the next number,
    and a withdrawn one leaves its number unused."""
    numbers: dict[str, int] = {}
    for shot in versions:
        for row in shot.rows:
            if row.kind == "source" and row.id not in numbers:
                numbers[row.id] = len(numbers) + 1
    return numbers


def _sources_known(citations: Iterable[Any], b: Briefing) -> bool:
    return all(c.source in b.sources for c in citations)


def _by_kind(rows: Iterable[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {kind: [] for kind in KINDS}
    for r in rows:
        out[r.kind].append(r)
    return out


def _pair(old: list[Row], new: list[Row]) -> tuple[list[tuple[Row, Row | None]], list[Row]]:
    """Rows of one kind paired by id; rows with positional ids by text first, then position.
    Returns the pairs (None: removed) and the rows added."""
    fixed = {r.id: r for r in new if not _POSITIONAL.match(r.id)}
    pairs: list[tuple[Row, Row | None]] = []
    old_loose: list[Row] = []
    for r in old:
        if _POSITIONAL.match(r.id):
            old_loose.append(r)
        else:
            pairs.append((r, fixed.pop(r.id, None)))
    new_loose = [r for r in new if _POSITIONAL.match(r.id)]
    taken: set[int] = set()  # positions in new_loose already paired
    keys: tuple[Callable[[Row], str], ...] = (lambda r: r.label, lambda r: r.id)
    for key in keys:
        free: dict[str, list[int]] = {}  # key -> positions in new_loose, first first
        for i in range(len(new_loose) - 1, -1, -1):
            if i not in taken:
                free.setdefault(key(new_loose[i]), []).append(i)
        left = []
        for r in old_loose:  # each takes the first unpaired new row with the same key
            spots = free.get(key(r))
            if spots:
                i = spots.pop()
                taken.add(i)
                pairs.append((r, new_loose[i]))
            else:
                left.append(r)
        old_loose = left
    pairs += [(r, None) for r in old_loose]
    return pairs, list(fixed.values()) + [r for i, r in enumerate(new_loose) if i not in taken]


def moves(versions: list[Snapshot]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """Where a link shared from an earlier version should land now, for every row whose anchor
    changed since (a positional `#summary-3` that became `#summary-2`) or that was removed:
    page kind -> that version's as_of -> {its anchor: ["to", anchor now] | ["removed", as_of]}.
    `versions` oldest first, the current one last. Rows are followed step by step as `compare`
    pairs them, so a statement is followed through every renumbering."""
    if len(versions) < 2:
        return {}
    # now[anchor in version k] -> the row's anchor in the current version, or ("", as_of removed)
    now: dict[tuple[str, str], tuple[str, str]] = {(r.kind, r.id): (r.id, "") for r in versions[-1].rows}
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for old, new in zip(reversed(versions[:-1]), reversed(versions[1:])):
        step: dict[tuple[str, str], tuple[str, str]] = {}
        old_rows, new_rows = _by_kind(old.rows), _by_kind(new.rows)
        for kind in KINDS:
            if kind == "source":  # a source is its own page; nothing on it moves
                continue
            for before, after in _pair(old_rows[kind], new_rows[kind])[0]:
                there = now.get((kind, after.id), ("", new.as_of)) if after is not None else ("", new.as_of)
                step[(kind, before.id)] = there
                if there[0] != before.id:
                    page = PAGE_OF_KIND[kind]
                    out.setdefault(page, {}).setdefault(old.as_of, {})[before.id] = (
                        ["to", there[0]] if there[0] else ["removed", there[1]])
        now = step
    return out


def compare(old: Snapshot, new: Snapshot) -> tuple[Change, ...]:
    """What changed from `old` to `new`, in the order of `new` (removed rows last)."""
    out: list[Change] = []
    removed: list[Change] = []
    old_rows, new_rows = _by_kind(old.rows), _by_kind(new.rows)
    for kind in KINDS:
        pairs, added = _pair(old_rows[kind], new_rows[kind])
        order = {r.id: i for i, r in enumerate(new_rows[kind])}
        found: list[tuple[int, Change]] = []
        for before, after in pairs:
            if after is None:
                removed.append(Change(before.id, kind, "removed", before.label, before.fields, None))
                continue
            if before is after or before.fields == after.fields:  # most rows (the cache shares them)
                continue
            diff = [k for k in after.fields if before.fields.get(k) != after.fields[k]]
            if diff:
                names = {**before.fields.get("hypotheses", {}), **after.fields.get("hypotheses", {})}
                found.append((order[after.id], Change(after.id, kind, "changed", after.label,
                                                      {k: before.fields.get(k) for k in diff},
                                                      {k: after.fields[k] for k in diff}, names)))
        found += [(order[r.id], Change(r.id, kind, "added", r.label, None, r.fields)) for r in added]
        out += [c for _, c in sorted(found, key=lambda x: x[0])]
    return tuple(out + removed)


def steps(versions: list[tuple[Snapshot, str | None]]) -> tuple[Step, ...]:
    """Each version's changes against the one before it, newest first; `versions` oldest first."""
    out = [Step(new.as_of, commit, old.as_of, compare(old, new), old_commit)
           for (old, old_commit), (new, commit) in zip(versions, versions[1:])]
    return tuple(reversed(out))


@dataclass(frozen=True)
class Story:
    """A briefing's current version and how it got there: what pages and exports show."""

    briefing: str
    as_of: str
    commit: str | None  # the last commit with this as_of; None when never committed
    steps: tuple[Step, ...]  # newest first
    marks: dict[str, tuple[str, str]]  # row key -> ("added" | "changed", as_of of that version)
    numbers: dict[str, int] = field(default_factory=dict)  # source id -> its number, kept across versions
    moves: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)  # see `moves`

    @property
    def latest(self) -> Step | None:
        return self.steps[0] if self.steps else None

    def mark(self, anchor: str, kind: str = "") -> tuple[str, str] | None:
        return self.marks.get(row_key(kind, anchor))


def row_key(kind: str, row_id: str) -> str:
    """Sources have their own id space: a source and a statement may share an id."""
    return f"source:{row_id}" if kind == "source" else row_id


def story(b: Briefing, committed: tuple[tuple[Snapshot, str], ...],
          a: analyse.Analysis | None = None) -> Story:
    """The working tree is the current version; committed versions dated before it precede it
    (one committed at the same date is the current version's commit; later dates are ignored)."""
    current = snapshot(b, a)
    commit = next((c for s, c in committed if s.as_of == current.as_of), None)
    earlier = [(s, c) for s, c in committed if s.as_of < current.as_of]
    history = steps([*earlier, (current, commit)])
    marks: dict[str, tuple[str, str]] = {}
    for step in reversed(history):  # oldest first, so the newest change of a row wins
        for c in step.items:
            if c.change != "removed":
                marks[row_key(c.kind, c.id)] = (c.change, step.as_of)
    versions = [s for s, _ in earlier] + [current]
    return Story(b.id, current.as_of, commit, history, marks, numbering(versions), moves(versions))


PAGE_OF_KIND = {"summary": "summary", "timeline": "summary", "fact": "facts", "evidence": "questions",
                "question": "questions", "source": "source"}
