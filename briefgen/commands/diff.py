"""`briefgen diff`: a briefing's changes as terminal lines, for the analyst before publishing."""

from __future__ import annotations

from pathlib import Path

from ..analysis.changes import compare, snapshot, story
from ..analysis.words import describe
from ..diagnostics import Report, UserError
from ..history.versions import read_history
from ..stages.load import load_project


def diff_lines(project: Path, report: Report, briefing_id: str | None = None,
               since: str | None = None) -> list[str]:
    """`briefgen diff`: the changes as terminal lines (plain text; content is never a format)."""
    briefings = load_project(project, report)
    if briefing_id is not None:
        briefings = [b for b in briefings if b.id == briefing_id]
        if not briefings and not report.errors:
            raise UserError(f"no briefing '{briefing_id}' in content/")
    if report.errors:
        return []
    history = read_history(project, [b.id for b in briefings], None)
    if history.unavailable:
        return [f"History not available: {history.unavailable}"]
    lines = []
    for b in briefings:
        s = story(b, history.of(b.id))
        if since is None:
            pairs = [(step.since, step.items) for step in s.steps[:1]]
        else:
            base = [shot for shot, _ in history.of(b.id) if shot.as_of <= since and shot.as_of < s.as_of]
            pairs = [(base[-1].as_of, compare(base[-1], snapshot(b)))] if base else []
        if not pairs:
            lines.append(f"{b.dir}: as of {s.as_of}; no earlier version"
                         + (f" on or before {since}" if since else "") + " in the git history")
            continue
        for old, items in pairs:
            lines.append(f"{b.dir}: {old} -> {s.as_of}: {len(items)} change{'s' if len(items) != 1 else ''}")
            lines += [f"  {c.change:<8} {c.kind:<9} {_printable(describe(c))}" for c in items]
    return lines


def _printable(text: str) -> str:
    """Content may hold terminal control sequences; they are shown, never sent to the terminal."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)

