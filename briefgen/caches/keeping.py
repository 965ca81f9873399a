"""A one-shot build's rendered briefings, kept between builds in `.briefgen-cache/briefings/`
(caches/rendermemo.py): a briefing whose content, story and templates are those of a kept one
is read back, the others are rendered, in two processes (caches/parallel.py), and kept."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import TYPE_CHECKING

from ..stages.render import Page
from ..stages.searchable import SearchEntry
from .parallel import map_in_two

if TYPE_CHECKING:
    from ..analysis.changes import Story
    from ..pipeline import BriefingRenderer, Rendered
    from ..stages.check import Checked
    from ..stages.resolve import Resolved
    from .rendermemo import RenderMemo
    from .spool import Held, InMemory, Spool


def render_keeping(checked: list[Checked], one: BriefingRenderer, memo: RenderMemo | None,
                    spool: Spool | InMemory, jobs: int) -> list[Rendered]:
    """A one-shot build: a briefing whose content, story and templates are those of a kept one
    is read back; the others are rendered (in two processes when `jobs` says so) and kept. Each
    briefing's pages go into the spool as they are rendered or read back (caches/spool.py)."""
    stories = [one.story(c) for c in checked] if memo is not None else []  # without a memo: where it renders
    keys = [memo.key(c.briefing, s) for c, s in zip(checked, stories)] if memo is not None else []
    results: list[Rendered | None] = [None] * len(checked)
    for i, key in enumerate(keys):
        kept = _kept(memo, key) if memo is not None else None
        if kept is not None:
            results[i] = None, [spool.page(spool.put(p)) for p in kept[0]], kept[1], stories[i]

    def render_and_keep(i: int) -> tuple[Resolved | None, list[Held], dict[str, str], Story]:
        r, pages, files, s = one.render(checked[i], stories[i] if stories else None)  # in the worker for every other
        if memo is not None:
            memo.put(keys[i], {"pages": [asdict(p) for p in pages], "files": files})
        # The worker's Resolved stays there: pickled, it carried its briefing back (a second copy).
        return r if os.getpid() == here else None, [spool.put(p) for p in pages], files, s

    missing, here = [i for i, r in enumerate(results) if r is None], os.getpid()
    for i, (r, held, files, s) in zip(missing, map_in_two(render_and_keep, missing, jobs)):
        if memo is not None:
            memo.keep(keys[i])  # written by the worker, perhaps: this process removes the others
        results[i] = r, [spool.page(h) for h in held], files, s
    if memo is not None:
        memo.finish()
    return [r for r in results if r is not None]


def _kept(memo: RenderMemo, key: str) -> tuple[list[Page], dict[str, str]] | None:
    """A kept briefing's pages and files, or None."""
    kept = memo.get(key)
    if kept is None:
        return None
    return [Page(**{**p, "search": tuple(SearchEntry(**e) for e in p["search"])}) for p in kept["pages"]], kept["files"]
