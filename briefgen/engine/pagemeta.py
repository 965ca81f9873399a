"""A rendered page's meta as both engines take it: MkDocs (plugin.py) as the page's meta,
Zensical (zensical_stage.py) as the staged page's front matter."""

from __future__ import annotations

import datetime
import html
from typing import Any

from ..stages.render import Page

EARLIER_TEMPLATE = "briefgen-earlier.html"  # templates/theme/: an earlier version, without the site nav


def page_meta(page: Page, tags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Meta other plugins read: `date` (feeds, blogs) on a briefing's pages, its `tags` (Material's
    tags index and search) on its summary. Neither engine's theme templates nor Material's tag
    listings (and search results, by innerHTML) escape: text goes in escaped, tags with `<` alone
    escaped (only it opens markup in text), so 'Q&A' is the same tag a Markdown page names."""
    meta: dict[str, Any] = {"title": html.escape(page.title), "description": html.escape(page.description),
                            "hide": ["toc"]}
    if "as_of" in page.meta:  # a date, as YAML front matter `date: 2024-12-14` would give
        meta["date"] = datetime.date.fromisoformat(page.meta["as_of"])
    if page.kind == "summary" and tags:
        meta["tags"] = [t.replace("<", "&lt;") for t in tags]
    if page.kind == "version":  # an earlier version as it was: never a search hit, nor in the sitemap
        meta["search"], meta["robots"] = {"exclude": True}, "noindex"
        meta["template"] = EARLIER_TEMPLATE
    return meta
