"""What changed, in a reader's words: each change as the parts that moved (what, old, new), grouped
by kind, and as one plain sentence for the terminal, the feed and briefing.json.

Labels are words, never internal values: "single origin", not 'single-origin'; a hypothesis by
its label, not its id. Everything is plain text (templates escape it; Markdown in a value is
turned into words where it is printed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .changes import Change

NAMES = {"summary": "Statement", "fact": "Fact", "evidence": "Evidence", "timeline": "Event",
         "question": "Question", "source": "Source"}
# How the summary and the versions page head each kind's changes, in the order they show them.
GROUPS = (("summary", "Bottom line"), ("fact", "Key facts"), ("question", "Questions"),
          ("evidence", "Evidence"), ("timeline", "Timeline"), ("source", "Sources"))
# A changed field, as a reader calls it.
_FIELD_WORDS = {"text": "wording", "fact": "name", "value": "value", "corroboration": "corroboration",
                "assessment": "assessment", "question": "question", "status": "status", "leaning": "leans to",
                "answer": "answer", "date": "date", "outlet": "outlet", "title": "title"}
_STEPS = ("status", "corroboration", "assessment", "date")  # said as "moved from … to …"


@dataclass(frozen=True)
class Part:
    """One thing that moved in a changed row: `before` struck, `after` marked ("" for none)."""

    what: str  # "value", "status", "evidence on “Russia leaves”", "hypothesis", …
    before: str
    after: str
    date: bool = False  # before and after are ISO dates (pages print them as they print dates)


def short(value: object, limit: int = 90) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _word(key: str, value: Any) -> str:
    """A field's value in words: 'single-origin' -> 'single origin'; none -> ''."""
    if value is None:
        return ""
    return str(value).replace("-", " ") if key in ("corroboration", "status", "assessment") else str(value)


def _tally(counts: Any) -> str:
    if not isinstance(counts, list) or len(counts) != 3:
        return ""
    for_, against, neutral = counts
    return f"{for_} for, {against} against" + (f", {neutral} neutral" if neutral else "")


def parts(c: Change) -> list[Part]:
    """What moved in a changed row (nothing for one added or withdrawn), in words."""
    if c.change != "changed" or c.before is None or c.after is None:
        return []
    out: list[Part] = []
    for key, after in c.after.items():
        before = c.before.get(key)
        if key == "hypotheses":
            before, after = before or {}, after or {}
            out += [Part("hypothesis", "", after[h]) for h in after if h not in before]
            out += [Part("hypothesis", before[h], "") for h in before if h not in after]
            out += [Part("hypothesis", before[h], after[h]) for h in after if h in before and before[h] != after[h]]
        elif key == "tallies":
            before, after = before or {}, after or {}
            names = c.names or {}
            out += [Part(f"evidence on “{short(names.get(h, h), 50)}”", _tally(before.get(h)), _tally(after[h]))
                     for h in after if h in before and before[h] != after[h]]
        else:
            out.append(Part(_FIELD_WORDS.get(key, key), _word(key, before), _word(key, after), key == "date"))
    return out


def groups(items: tuple[Change, ...] | list[Change]) -> list[tuple[str, list[Change]]]:
    """The changes under their kind's heading, in GROUPS order; kinds without changes left out."""
    return [(heading, [c for c in items if c.kind == kind]) for kind, heading in GROUPS
            if any(c.kind == kind for c in items)]


def describe(c: Change) -> str:
    """One change in plain words (plain text: templates escape it, the terminal prints it)."""
    name = f"{NAMES[c.kind]} “{short(c.label, 70)}”"
    if c.change == "added":
        return f"New {NAMES[c.kind].lower()}: “{short(c.label, 70)}”"
    if c.change == "removed":
        return f"{name} was withdrawn"
    said = []
    for p in parts(c):
        if p.what == "leans to":
            said.append(f"now leans to “{short(p.after)}”" if p.after else "no longer favours a hypothesis")
        elif p.what == "answer":
            said.append(f"answered: “{short(p.after)}”" if p.after else "its answer was withdrawn")
        elif p.what == "hypothesis":
            said.append(f"hypothesis dropped: “{short(p.before, 50)}”" if not p.after
                        else f"hypothesis added: “{short(p.after, 50)}”" if not p.before
                        else f"hypothesis reworded to “{short(p.after, 50)}”")
        elif p.what in _STEPS or p.what.startswith("evidence on"):
            said.append(f"{p.what} moved from {p.before or 'none'} to {p.after or 'none'}")
        else:
            said.append(f"{p.what} changed from “{short(p.before)}” to “{short(p.after)}”")
    return f"{name}: " + ("; ".join(said) or "changed")
