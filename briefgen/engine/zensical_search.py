"""briefgen's pages in the search index Zensical writes (`search.json`: `{"config": ...,
"items": [{location, level, title, text, path, tags}]}`), as searchindex.py does for MkDocs'.

Zensical indexes each staged page itself, at headings with ids only, and every page, `search:
exclude` or not. So after it built: the pages of earlier versions are taken out (a search lands
on the current version), and our other pages' items are replaced by their entries from the
render stage (stages/searchable.py): the page, then each statement, fact, question and evidence
row at its anchor, a hit of its own as under MkDocs. Each keeps the breadcrumb (`path`) and tags
Zensical gave the page, the breadcrumb escaped as its dialog shows it. The content's languages
join the index's `lang`: Zensical's search splits Chinese, Japanese and Korean text into words
only for a language it is told of. An index of another shape is left as it is, with a warning.
"""

from __future__ import annotations

import html
import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..stages.render import Page
from ..urls import Urls
from .pagemeta import page_meta
from .searchindex import Indexed, docs_of, read_index, replace_index

INDEX = "search.json"


def _shown(segment: Any) -> str:
    """A breadcrumb segment as Zensical's dialog needs it: HTML with only `<`, `>` and `&`
    escaped, as our titles are (it shows an escaped quote as `&quot;`, and nav titles come with
    their quotes escaped)."""
    return html.escape(html.unescape(str(segment)), quote=False)


def _page_of(item: Any) -> str | None:
    return str(item.get("location", "")).split("#")[0] if isinstance(item, dict) else None


def index_for_search(site: Path, pages: list[Page], urls: Urls, languages: Collection[str] = ()) -> bool:
    """Rewrite Zensical's index for our pages and languages; False if there is none of the known shape."""
    data = read_index(site, INDEX, "items")
    if data is None:
        return False
    hidden = {urls.url(p.name) for p in pages if page_meta(p).get("search") == {"exclude": True}}
    ours = {urls.url(p.name): p for p in pages if p.search and urls.url(p.name) not in hidden}
    kept: list[Any] = []
    theirs: dict[str, dict[str, Any]] = {}  # our page's URL -> the first item Zensical made of it
    for item in data["items"]:
        at = _page_of(item)
        if at in ours:
            theirs.setdefault(at, item)
        elif at not in hidden:
            kept.append(item)
    for url, page in ours.items():
        first = theirs.get(url, {})
        for doc in docs_of(Indexed(url, page.search)):
            anchored = "#" in doc["location"]
            kept.append({**doc, "level": 2 if anchored else 1,
                         "path": [_shown(p) for p in first.get("path") or [doc["title"]]],
                         "tags": first.get("tags") or []})
    data["items"] = kept
    config = data.get("config")
    if isinstance(config, dict) and isinstance(config.get("lang"), list):
        config["lang"] = config["lang"] + sorted(set(languages) - set(config["lang"]))
    replace_index(site / INDEX, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return True
