"""What templates need to show a briefing's changes: badges, links to changed rows, a page.

Words come from analysis/words.py (plain text); templates print them autoescaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..analysis import words
from ..analysis.changes import PAGE_OF_KIND, Change, Story

if TYPE_CHECKING:
    from jinja2 import Environment


def change_href(link: Callable[..., str], c: Change) -> str | None:
    """Where a change can be seen: its row, or the source's page; nothing for a withdrawal."""
    if c.change == "removed":
        return None
    page = PAGE_OF_KIND[c.kind]
    return link("source", source=c.id) if page == "source" else link(page, c.id)


def history_context(env: Environment, story: Story | None, link: Callable[..., str]) -> dict[str, Any]:
    """`change_badge(anchor[, kind])` for any row of any page, the briefing's story, and how many
    versions it has (0 without history: no versions page, no tab to it)."""
    ctx = {"story": story, "words": words, "describe": words.describe, "change_href": lambda c: change_href(link, c),
           "no_href": lambda c: None, "versions": len(story.steps) + 1 if story is not None and story.steps else 0}
    if story is None or not story.steps:
        return {**ctx, "change_badge": lambda anchor, kind="": Markup("")}
    macros: Any = env.get_template("_changes.html").module  # a template's macros are its attributes
    badge = macros.badge

    def change_badge(anchor: str, kind: str = "") -> Markup:
        mark = story.mark(anchor, kind)
        return badge(mark, story) if mark else Markup("")

    return {**ctx, "change_badge": change_badge}
