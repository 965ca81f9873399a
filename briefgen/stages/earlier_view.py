"""What earlier versions of a briefing publish: each one's summary page as it was (rendered by
the Renderer, from that version's own content), and what changed since it, in words, for
changes.js to show when a reader last visited that version.

An earlier page links into the current site: to a row of the facts or questions page with the
version it comes from (`?v=`, so briefgen.js follows a row that moved or says it was removed),
and to a source the current version no longer has by its original address, or the versions page.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..analysis import words
from ..analysis.changes import Snapshot, Story, compare, row_key
from ..text.citeview import Marker, Preview
from .markers import day
from .render import Page, Renderer, split_apparatus
from .resolve import Resolved
from .versions_view import badge_words, change_href

if TYPE_CHECKING:
    from ..model import Briefing


def earlier_name(briefing: str, as_of: str) -> str:
    return f"{briefing}/versions/{as_of}"


def earlier_summary(renderer: Renderer, r: Resolved, current: Story, sources_now: Collection[str]) -> Page:
    """An earlier version's summary page, as it was: its own statements, facts, questions and
    sources, numbered as the current version numbers them, under a banner saying which it is."""
    b = r.briefing
    as_of = b.as_of.isoformat()
    here = earlier_name(b.id, as_of)
    ctx = renderer.context(r, here, "summary", current)
    link: Callable[..., str] = ctx["link"]
    markers, previews = ctx["markers"], ctx["previews"]
    gone = _gone(b, sources_now, lambda: link("changes", f"v-{as_of}"))
    moved: dict[str, str] = {}  # a marker's href to a source page that no longer exists -> elsewhere

    def old_link(kind: str, fragment: str = "", source: str | None = None) -> str:
        if kind == "source" and source is not None and source not in sources_now:
            return gone(source)
        if kind in ("facts", "questions") and fragment:
            return f"{link(kind)}?v={as_of}#{fragment}"  # briefgen.js: where that row is now
        return link(kind, fragment, source)

    def old_markers(cites: Any) -> list[Marker]:
        out = []
        for m in markers(cites):
            if m.source not in sources_now:
                moved[m.href] = gone(m.source)
                m = dataclasses.replace(m, href=moved[m.href])
            out.append(m)
        return out

    def old_previews() -> list[Preview]:
        return [dataclasses.replace(p, href=moved.get(p.href, p.href)) for p in previews()]

    ctx.update(link=old_link, markers=old_markers, previews=old_previews, story=None, versions=0, moved={},
               change_badge=lambda anchor, kind="": Markup(""),
               old={"as_of": as_of, "current": link("summary"), "versions": link("changes", f"v-{as_of}")})
    html, apparatus = split_apparatus(renderer.page_html("summary.html", **ctx))
    return Page(here, f"{b.title} · version of {day(as_of)}", html,
                f"The briefing “{b.title}” as it was on {day(as_of)}", "version",
                {"briefing": b.id, "version": as_of}, apparatus)


def _gone(b: Briefing, sources_now: Collection[str], versions: Callable[[], str]) -> Callable[[str], str]:
    def href(source: str) -> str:
        s = b.sources.get(source)
        return s.url if s is not None and s.url else versions()  # the loader keeps only http(s) URLs
    return href


def since_files(renderer: Renderer, r: Resolved, committed: tuple[tuple[Snapshot, str], ...], current: Snapshot,
                story: Story) -> dict[str, str]:
    """<briefing>/versions/<as_of>/since.json for each earlier version: what changed from it to
    the current one, grouped and in words as the summary's box says it, and each row's badge
    words. Plain text only (changes.js puts it in with textContent); hrefs are relative to the
    summary page, the only page whose box shows the list."""
    b = r.briefing
    link = renderer.linker(f"{b.id}/index", b)
    plain = renderer.env.filters["plain"]
    out = {}
    for shot, _ in committed:
        if shot.as_of >= story.as_of:
            continue
        items = compare(shot, current)
        groups = [{"heading": heading, "items": [_item(c, link, plain) for c in changes]}
                  for heading, changes in words.groups(items)]
        badges = {row_key(c.kind, c.id): ["new" if c.change == "added" else "updated", badge_words(c, day)]
                  for c in items if c.change != "removed"}
        doc = {"since": shot.as_of, "as_of": story.as_of, "groups": groups, "badges": badges}
        out[f"{earlier_name(b.id, shot.as_of)}/since.json"] = json.dumps(doc, ensure_ascii=False)
    return out


def _item(c: Any, link: Callable[..., str], plain: Callable[[str], str]) -> dict[str, Any]:
    return {"change": c.change, "label": words.short(plain(c.label), 56), "href": change_href(link, c),
            "parts": [{"what": p.what, "date": p.date,
                       "before": p.before if p.date else words.short(plain(p.before), 42),
                       "after": p.after if p.date else words.short(plain(p.after), 42)}
                      for p in words.parts(c)]}
