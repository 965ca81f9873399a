"""What templates need to show a briefing's changes: badges, links to changed rows, a page.

Words come from analysis/words.py (plain text); templates print them autoescaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..analysis import words
from ..analysis.changes import PAGE_OF_KIND, Change, Story, row_key

if TYPE_CHECKING:
    from jinja2 import Environment

# What a badge says first when several things moved in a row: a step the reader acts on
# (status, answer, corroboration) before a rewording.
_FIRST = ("status", "answer", "corroboration", "assessment", "leans to", "value", "date")
_SAID = {"wording": "reworded", "name": "renamed", "question": "reworded", "hypothesis": "hypotheses changed"}


def change_href(link: Callable[..., str], c: Change) -> str | None:
    """Where a change can be seen: its row, or the source's page; nothing for a withdrawal."""
    if c.change == "removed":
        return None
    page = PAGE_OF_KIND[c.kind]
    return link("source", source=c.id) if page == "source" else link(page, c.id)


def badge_words(c: Change, day: Callable[[str], str]) -> str:
    """What a badge says, in a few visible words (no hover): "new", "value changed",
    "status: open → leaning"; two things at most, then how many more."""
    if c.change == "added":
        return "new"
    said: list[str] = []
    for p in sorted(words.parts(c), key=lambda p: _FIRST.index(p.what) if p.what in _FIRST else len(_FIRST)):
        if p.what in ("status", "corroboration", "assessment", "date"):
            before, after = (day(p.before), day(p.after)) if p.date else (p.before, p.after)
            phrase = f"{p.what}: {before or 'none'} → {after or 'none'}"
        elif p.what == "leans to":
            phrase = f"leans to {words.short(p.after, 24)}" if p.after else "no longer leaning"
        elif p.what == "answer":
            phrase = "answered" if p.after else "answer withdrawn"
        elif p.what.startswith("evidence on"):
            phrase = "evidence tally changed"
        else:
            phrase = _SAID.get(p.what, f"{p.what} changed")
        if phrase not in said:
            said.append(phrase)
    if len(said) > 2:
        return f"{said[0]} · {said[1]} · +{len(said) - 2} more"
    return " · ".join(said) or "updated"


def versions_base(link: Callable[..., str]) -> str:
    """The briefing's versions/ folder from this page, with or without directory URLs: the
    summary page is the folder's index ('../', or 'index.html' beside this page)."""
    summary = link("summary")
    return summary.removesuffix("index.html") + "versions/"


def baseline_data(story: Story, link: Callable[..., str]) -> dict[str, str]:
    """What changes.js needs to switch to the reader's last visit: the briefing, its version,
    the previous one (the page's own baseline), and where each earlier version's changes are."""
    latest = story.latest
    return {"data-bg-briefing": story.briefing, "data-bg-as-of": story.as_of,
            "data-bg-previous": latest.since if latest else "", "data-bg-base": versions_base(link),
            "data-bg-baselines": " ".join(sorted({s.since for s in story.steps}))}


def history_context(env: Environment, story: Story | None, link: Callable[..., str]) -> dict[str, Any]:
    """`change_badge(anchor[, kind])` for any row of any page, the briefing's story, and how many
    versions it has (0 without history: no versions page, no tab to it)."""
    ctx = {"story": story, "words": words, "describe": words.describe, "change_href": lambda c: change_href(link, c),
           "no_href": lambda c: None, "versions": len(story.steps) + 1 if story is not None and story.steps else 0,
           "old": None, "earlier": ()}
    if story is None or not story.steps:
        return {**ctx, "change_badge": lambda anchor, kind="": Markup("")}
    macros: Any = env.get_template("_changes.html").module  # a template's macros are its attributes
    badge, day = macros.badge, env.filters["day"]
    latest = {row_key(c.kind, c.id): c for c in story.steps[0].items}
    data = baseline_data(story, link)
    first = [True]  # the page's first badge carries what changes.js needs, once

    def change_badge(anchor: str, kind: str = "") -> Markup:
        mark = story.mark(anchor, kind)
        if not mark:
            return Markup("")
        key = row_key(kind, anchor)
        c = latest.get(key)
        out = badge(mark, key, badge_words(c, day) if c is not None else "", story, data if first[0] else None)
        first[0] = False
        return Markup(out)

    return {**ctx, "change_badge": change_badge, "baseline_data": data,
            "badge_words": lambda c: badge_words(c, day)}
