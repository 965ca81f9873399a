"""briefgen's pages in the search index MkDocs' search plugins write (Material's and MkDocs' own
share its format: `search/search_index.json`, `{"config": ..., "docs": [{location, title, text}]}`).

Material's indexer splits a page at headings with ids only: a fact was the whole facts table run
together, screen-reader words showed in snippets, and every hit opened the top of the page. Our
pages are left out of its indexing (front matter `search: {exclude: true}`, which also spares it
parsing them), and once it has written the index, each page's entries from the render stage
(stages/searchable.py) go in: the page, then each statement, fact, question and evidence row at
its anchor. An index written by another plugin, or none, is left as it is.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from ..stages.searchable import SearchEntry
from .beside import page_meta

log = logging.getLogger("mkdocs.briefgen")

INDEX = Path("search") / "search_index.json"


@dataclass(frozen=True)
class Indexed:
    url: str  # the page's URL as the engine gives it ("khmeimim/facts/", "" for the home page)
    entries: tuple[SearchEntry, ...]
    tags: tuple[str, ...] = ()  # the page's tags, on its own entry, escaped as in its meta


def keep(indexed: dict[str, Indexed], made: Any) -> None:
    """A page made for MkDocs (plugin.RenderedPage: `ours`, `tags`): its entries at its URL as
    the search plugin writes it ("" for the home page), with its tags as its meta gives them.
    An earlier version of a page has none: it is never a search hit."""
    if not made.ours.search:
        return
    indexed[made.url] = Indexed(made.url, made.ours.search, tuple(page_meta(made.ours, made.tags).get("tags", ())))


def docs_of(page: Indexed) -> list[dict[str, Any]]:
    """A page's entries as the index holds them: the page's own first (the search groups a page's
    rows under the first entry of its URL), text escaped as the indexer escapes it (results show
    it as HTML)."""
    out = []
    for e in page.entries:
        doc: dict[str, Any] = {"location": page.url + (f"#{e.anchor}" if e.anchor else ""),
                               "title": html.escape(e.title, quote=False), "text": html.escape(e.text, quote=False)}
        if not e.anchor and page.tags:
            doc["tags"] = list(page.tags)
        out.append(doc)
    return out


def read_index(site_dir: Path, name: str, key: str) -> dict[str, Any] | None:
    """An engine's search index (`name` in the site), whose entries are the list under `key`;
    None when there is none (search is off) or it is not of that shape, which a warning says."""
    try:
        data = json.loads((site_dir / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning(f"briefgen's rows are not in the search index: {name} cannot be read ({exc})")
        return None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        log.warning(f"briefgen's rows are not in the search index: {name} is not in the format known")
        return None
    return data


def replace_index(path: Path, text: str) -> None:
    """Written beside it and moved over it: a reader of the folder never sees half an index."""
    temporary = path.with_name(f".{path.name}.briefgen")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def put_in(site_dir: Path, pages: Iterable[Indexed]) -> bool:
    """Replace whatever the index holds for our pages by their own entries; False if there is
    no index of the known format (the user's search plugin is off, or another kind)."""
    data = read_index(site_dir, INDEX.as_posix(), "docs")
    if data is None:
        return False
    pages = list(pages)
    ours = {p.url for p in pages}
    docs = [d for d in data["docs"] if not (isinstance(d, dict) and str(d.get("location", "")).split("#")[0] in ours)]
    for page in pages:
        docs += docs_of(page)
    data["docs"] = docs
    replace_index(site_dir / INDEX, json.dumps(data, separators=(",", ":"), default=str))
    return True


@event_priority(-50)  # after the search plugin writes its index, before Material's `offline` copies it
def on_post_build(plugin: Any, *, config: Any) -> None:
    """The plugin's post-build step for search: its pages' entries (`plugin.indexed`, by URL)."""
    put_in(Path(config.site_dir), plugin.indexed.values())
