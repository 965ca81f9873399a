"""A page's citation markers and their previews, all made before its template runs.

A template asks for `markers(statement.citations)` and prints `previews()`; both look up what
`page_markers` made in the order the page shows its statements, so the numbers of the previews
(r1, r2, ...) never depend on the order a template happens to ask in.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jinja2 import TemplateRuntimeError

from ..model import Citation, Source, statements
from ..text import citeview
from ..text.citeview import Marker, Preview
from ..text.direction import strong_direction
from ..text.fragments import fragment_context, original_link
from ..text.markup import plain
from ..urls import Urls, page_of
from .resolve import Resolved

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


# What makes two citations one preview: the same passage, label, origin, note and stance.
PreviewKey = tuple[str, str, str, str, str, bool]


@dataclass(frozen=True)
class Markers:
    """A page's markers by statement (its citations) and their previews, in page order."""

    table: dict[tuple[Citation, ...], list[Marker]]
    previews: list[Preview]

    def of(self, cites: Sequence[Citation]) -> list[Marker]:
        """What the templates' `markers(citations)` returns."""
        found = self.table.get(tuple(cites))
        if found is None:
            raise TemplateRuntimeError("markers() takes the citations of a statement shown on this page")
        return found


def day(d: datetime.date | str | None) -> str:
    """14 Dec 2024: the one way pages print a date (of a date, or of an ISO date as versions keep it)."""
    if isinstance(d, str):
        d = datetime.date.fromisoformat(d[:10]) if d else None
    return f"{d.day} {d:%b %Y}" if d else ""


def page_markers(urls: Urls, md: MarkdownIt, r: Resolved, here: str, kind: str, numbers: dict[str, int]) -> Markers:
    """The markers of every statement on the page of `kind` and their previews, numbered in
    the order the page shows the statements (model.statements), before any template runs: a
    preview's number never depends on the order a template asks for markers in."""
    refs: dict[PreviewKey, Preview] = {}
    table: dict[tuple[Citation, ...], list[Marker]] = {}
    for st in statements(r.briefing):
        if st.page == kind and st.citations not in table:
            table[st.citations] = _markers(urls, md, r, here, st.citations, refs, numbers)
    return Markers(table, list(refs.values()))


def _markers(urls: Urls, md: MarkdownIt, r: Resolved, here: str, cites: tuple[Citation, ...],
             refs: dict[PreviewKey, Preview], numbers: dict[str, int]) -> list[Marker]:
    """Numbered markers for all of one statement's citations (a template picks the ones it
    shows, so a label never depends on which); their previews are collected in refs."""
    b, out = r.briefing, []
    for c, label in zip(cites, citeview.labels(cites, numbers)):
        s, anchor = b.sources[c.source], r.anchor_of.get(c, "")
        origin = r.analysis.origins[c]
        origin = "" if origin.casefold() == s.outlet.strip().casefold() else origin
        href = urls.rel(here, page_of(b.id, "source", c.source), anchor)
        key = (c.source, anchor, label, origin, c.note or "", c.disputes)
        if key not in refs:
            refs[key] = _preview(md, r, c, s, anchor, f"r{len(refs) + 1}", label, href, origin)
        out.append(citeview.Marker(refs[key].key, label, href, c.source, s.outlet, origin, c.quote,
                                   c.disputes))
    return out


def _preview(md: MarkdownIt, r: Resolved, c: Citation, s: Source, anchor: str, key: str, label: str, href: str,
             origin: str) -> Preview:
    p = r.by_anchor.get((c.source, anchor))
    words = p.words if p else c.quote
    # An excerpts-only source publishes its quoted words and nothing around them.
    block_text = r.docs[c.source].blocks[p.block].text if p else ""
    before, after = (citeview.context(block_text, words) if p and s.publish != "excerpts" else ("", ""))
    around = fragment_context(block_text, words, r.docs[c.source].blocks) if p else ("", "")
    return Preview(key, label, href, original_link(s, words, around) or s.url or "", before, words, after,
                   s.outlet, s.title, origin, day(s.published),
                   plain(md, c.note) if c.note else "", c.disputes, s.lang or "", r.directions[c.source],
                   _other_way(block_text, r.directions[c.source]))


def _other_way(block_text: str, source_dir: str) -> str:
    """The direction of a quote's paragraph when it runs against its source's (sourcetext.py lays
    that paragraph out in its own), else ""."""
    own = strong_direction(block_text)
    return own if own is not None and own != source_dir else ""
