"""Resolve stage: each matched quote becomes an anchored, highlighted element on its source page.

Identical passages share one anchor; every statement citing it is listed as a back-link there.
Resolve changes nothing it is given: the source token streams belong to `Checked` (serve keeps
them between rebuilds), so the marks are new tokens that replace, by index, the few tokens they
change. Resolve places them to learn each passage's anchor (a quote that crosses another's edge
is marked in pieces) and keeps only the spans; `Resolved.tokens` places them again, the same way, when a
page renders. So nothing marked outlives the page: a marked token holds its paragraph's text,
which for a 20 MB paragraph is 20 MB for as long as the build would keep it. Resolving twice
gives the same pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from markdown_it.token import Token

from ..analysis.analyse import Analysis
from ..model import Briefing, Citation, Statement, statements
from ..text.anchors import unique_slug
from ..text.direction import source_direction
from ..text.marks import insert_marks
from ..text.sourcetext import SourceDoc
from .check import Checked


@dataclass
class Passage:
    """A highlighted element on a source page and the statements that rest on it."""

    anchor: str
    source: str
    words: str  # the quoted words as they stand in the source
    block: int  # index of its block in SourceDoc.blocks
    cited_by: list[Statement] = field(default_factory=list)


Marks = Mapping[int, Token]  # token index in SourceDoc.tokens -> the token that replaces it
Span = tuple[int, int, int]  # (block, start, end) of a match, in the block's reader text


@dataclass(frozen=True)
class Resolved:
    checked: Checked
    anchor_of: dict[Citation, str]
    passages: dict[str, list[Passage]]  # per source id, in document order
    by_anchor: dict[tuple[str, str], Passage]  # (source id, anchor) -> its passage
    spans: dict[str, dict[Span, list[Citation]]] = field(default_factory=dict)  # per source id

    @property
    def briefing(self) -> Briefing:
        return self.checked.briefing

    @property
    def analysis(self) -> Analysis:
        return self.checked.analysis

    def tokens(self, source: str) -> list[Token]:
        """The source's token stream with this briefing's marks and back-links in it, placed
        now as resolve placed them (same stream, spans and order: the same anchors)."""
        doc = self.docs[source]
        _, marks = _place(doc, self.spans.get(source, {}), {blk.anchor for blk in doc.blocks})
        return [marks.get(i, t) for i, t in enumerate(doc.tokens)]

    @property
    def docs(self) -> dict[str, SourceDoc]:
        return self.checked.docs

    def passage(self, source: str, anchor: str) -> Passage:
        return self.by_anchor[(source, anchor)]

    @property
    def citation_count(self) -> int:
        return self.analysis.citations

    @cached_property
    def directions(self) -> dict[str, str]:
        """Source id -> 'rtl' or 'ltr', from its `lang` or else its letters (text/direction.py)."""
        return {sid: source_direction(s.lang, s.title, s.body) for sid, s in self.briefing.sources.items()}


def _anchor_name(words: str, taken: set[str]) -> str:
    # From the quoted words alone (text/anchors.py), so it never moves when another citation of
    # this source is added or removed.
    return unique_slug(words, taken)


_MAX_WIDEN = 64  # characters a quote is widened by, either way, to reach a word's edge


def _whole_words(text: str, start: int, end: int) -> str:
    """The quoted words widened to word edges: text fragments only match whole words. Never by
    more than _MAX_WIDEN: in a script without spaces the "word" can be the whole paragraph."""
    lo, hi = max(0, start - _MAX_WIDEN), min(len(text), end + _MAX_WIDEN)
    while start > lo and text[start - 1].isalnum():
        start -= 1
    while end < hi and text[end].isalnum():
        end += 1
    return text[start:end]


def _cited_by(anchor: str, words: str) -> Token:
    return Token("bg_cited_by", "", 0, meta={"anchor": anchor, "words": words})


def _place(doc: SourceDoc, spans: dict[Span, list[Citation]],
           taken: set[str]) -> tuple[dict[Span, Passage], dict[int, Token]]:
    """One mark per distinct span (in pieces where it crosses another's edge). Returns the
    passages and the replaced tokens (copies: doc.tokens is left as it was)."""
    placed: dict[Span, Passage] = {}
    marks: dict[int, Token] = {}
    # Longer spans first, so a quote inside another quote nests inside its mark.
    for key in sorted(spans, key=lambda k: (k[0], -(k[2] - k[1]), k[1])):
        b, start, end = key
        block = doc.blocks[b]
        words = block.text[start:end]
        name = _anchor_name(words, taken)
        if doc.source.publish == "excerpts":
            placed[key] = Passage(name, doc.source.id, words, b)
            continue  # each excerpt is printed as its own element; the text is never rendered
        inline = marks.get(block.token, doc.tokens[block.token])
        after = [_cited_by(name, _whole_words(block.text, start, end))]
        children = insert_marks(inline.children or [], start, end, {"id": name, "class": "bg-hl"}, after)
        if children is None:
            taken.discard(name)
            name = block.anchor
            holder = marks.get(block.element, doc.tokens[block.element])
            if holder.attrGet("class") != "bg-hl":
                holder = holder.copy(attrs=dict(holder.attrs))  # attrs is a shared dict
                holder.attrJoin("class", "bg-hl")
                marks[block.element] = holder
                children = (inline.children or []) + [_cited_by(name, block.text)]
        if children is not None:
            marks[block.token] = inline.copy(children=children)
        placed[key] = Passage(name, doc.source.id, words, b)
    return placed, marks


def resolve(checked: Checked) -> Resolved:
    """Anchors, marks and back-links for every matched citation; `checked` is not changed."""
    b = checked.briefing
    by_source: dict[str, dict[Span, list[Citation]]] = {sid: {} for sid in b.sources}
    for c, occ in checked.matches.items():
        by_source[c.source].setdefault((occ.block, occ.start, occ.end), []).append(c)
    anchor_of: dict[Citation, str] = {}
    passages: dict[str, list[Passage]] = {}
    for sid, spans in by_source.items():
        doc = checked.docs[sid]
        placed, _ = _place(doc, spans, {blk.anchor for blk in doc.blocks})
        merged: dict[str, Passage] = {}
        for key in sorted(placed):
            p = merged.setdefault(placed[key].anchor, placed[key])
            for c in spans[key]:
                anchor_of[c] = p.anchor
        passages[sid] = list(merged.values())
    by_anchor = {(sid, p.anchor): p for sid, ps in passages.items() for p in ps}
    # A set per passage: asking the list whether it holds a statement cost N² comparisons
    # when N statements cite one passage (20,000 of them: a build took 39 s of CPU, now 6).
    listed: dict[tuple[str, str], set[Statement]] = {at: set() for at in by_anchor}
    for st in statements(b):
        for c in st.citations:
            if c in anchor_of:
                at = (c.source, anchor_of[c])
                if st not in listed[at]:
                    listed[at].add(st)
                    by_anchor[at].cited_by.append(st)
    return Resolved(checked, anchor_of, passages, by_anchor, by_source)
