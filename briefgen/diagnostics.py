"""Problems a user can fix, reported as `path:line:col: severity: message`.

Every stage appends to a `Report` instead of raising, so one run shows every problem.
Errors and warnings are mistakes in the files; a note is a finding about the evidence (a fact
resting on one origin), which is true of an honest briefing, so it never fails a run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True, order=True)
class Pos:
    """Where a user wrote something: path relative to the project root, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    pos: Pos
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{inert(str(self.pos))}: {self.severity}: {inert(self.message)}"


# Bidirectional controls (embeddings, overrides, isolates, LRM/RLM/ALM): they reorder or reverse
# the text after them. Escaped in messages; removed from plain-text fields (loading/yamlfields.py).
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def inert(text: str) -> str:
    """User text in a message, with control, line-separator and bidi characters shown as escapes,
    so a scraped article cannot forge a `path:line:col:` line, send terminal escapes or reorder
    what the terminal shows."""
    return "".join(f"\\u{ord(c):04x}" if c in BIDI else repr(c)[1:-1]
                   if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def error(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, "error", message))

    def warning(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, "warning", message))

    def note(self, pos: Pos, message: str) -> None:
        self.problems.append(Problem(pos, "note", message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    def counts(self) -> str:
        """"2 errors, 1 warning", with ", 3 notes" when there are any."""
        def n(k: int, word: str) -> str:
            return f"{k} {word}{'s' if k != 1 else ''}"
        notes = len(self.notes)
        return (f"{n(len(self.errors), 'error')}, {n(len(self.warnings), 'warning')}"
                + (f", {n(notes, 'note')}" if notes else ""))

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        # Sorted by file and position so a reader can fix a file top to bottom; stable for ties.
        unique = list(dict.fromkeys(self.problems))  # the same problem twice is said once
        return sorted(unique, key=lambda p: (p.pos.path, p.pos.line, p.pos.col))


class UserError(Exception):
    """A mistake the user can fix (bad argument, existing file); shown without a traceback.
    `where`: `path:line:col` when the mistake is at a place in a file (shown before "error:")."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.where = where
