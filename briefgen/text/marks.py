"""Wrap quoted words of an inline token run in a <mark>, without breaking the HTML around them.

Offsets are in the block's reader text (see sourcetext.reader_text). A mark is placed only
where it nests properly with emphasis, links and other marks; a quote that crosses one of their
edges is marked in pieces cut at those edges (`insert_marks`), so overlapping quotes are each
highlighted exactly as quoted. Only if a piece still cannot nest does the caller anchor the
whole block, which still contains the quoted words.
"""

from __future__ import annotations

from markdown_it.token import Token

_TEXT = {"text", "text_special"}
_WIDE = {"text", "text_special", "code_inline", "softbreak", "hardbreak"}
# A stretch of a text token's content, kept as (content, start, end) and sliced only when it is
# rendered (markup.py): splitting a text around a mark copies none of it, so a mark in a 20 MB
# paragraph does not hold a second copy of that paragraph for as long as the build runs.
PIECE = "bg_text"


def _piece(of: Token, text: str, start: int, end: int) -> Token:
    return Token(PIECE, "", 0, level=of.level, meta={"text": text, "start": start, "end": end})


def _stretch(t: Token) -> tuple[str, int, int]:
    """(content, start, end) of a splittable token."""
    if t.type == PIECE:
        return t.meta["text"], t.meta["start"], t.meta["end"]
    return t.content, 0, len(t.content)


def _width(t: Token) -> int:
    if t.type in ("softbreak", "hardbreak"):
        return 1
    if t.type == PIECE:
        start: int = t.meta["start"]  # set where the piece was made (split below)
        end: int = t.meta["end"]
        return end - start
    return len(t.content) if t.type in _WIDE else 0


def _split(children: list[Token], at: int) -> tuple[list[Token], int]:
    """Split the text token that straddles `at`; widen `at` to the edge of an unsplittable one."""
    pos = 0
    for i, t in enumerate(children):
        w = _width(t)
        if pos < at < pos + w:
            if t.type not in _TEXT and t.type != PIECE:
                return children, pos if at - pos < pos + w - at else pos + w
            text, start, end = _stretch(t)
            cut = start + at - pos
            return children[:i] + [_piece(t, text, start, cut), _piece(t, text, cut, end)] + children[i + 1:], at
        pos += w
    return children, at


def _gaps_at(children: list[Token], offset: int) -> list[int]:
    """Indices of the gaps between children that lie at reader offset `offset`."""
    out, pos = [], 0
    for i in range(len(children) + 1):
        if pos == offset:
            out.append(i)
        if i < len(children):
            pos += _width(children[i])
            if pos > offset:
                break
    return out


def _outer(children: list[Token], gaps: list[int]) -> int:
    # After the tags that close at this point, before those that open: the mark hugs the words.
    g = gaps[0]
    while g < gaps[-1] and children[g].nesting == -1:
        g += 1
    return g


def _balanced(run: list[Token]) -> bool:
    depth = 0
    for t in run:
        depth += t.nesting
        if depth < 0:
            return False
    return depth == 0


def _top_level_after(children: list[Token], i: int) -> int:
    """The first gap at or after i where no inline element is open: links must not nest."""
    depth: int = sum(t.nesting for t in children[:i])
    while depth > 0 and i < len(children):
        depth += children[i].nesting
        i += 1
    return i


def insert_mark(children: list[Token], start: int, end: int, attrs: dict[str, str],
                after: list[Token]) -> list[Token] | None:
    """Children with a mark around reader text [start, end), or None where it cannot nest.

    `after` (the back-links) follows the mark, or the element the mark sits in, such as a
    link of the source or a longer quote's mark, so it never splits quoted words."""
    children, start = _split(children, start)
    children, end = _split(children, end)
    starts, ends = _gaps_at(children, start), _gaps_at(children, end)
    if not starts or not ends:
        return None
    for a, b in ((_outer(children, starts), _outer(children, ends)), (starts[-1], ends[0])):
        if a <= b and _balanced(children[a:b]):
            open_ = Token("bg_mark_open", "mark", 1, attrs=dict(attrs))
            close = Token("bg_mark_close", "mark", -1)
            marked = children[:a] + [open_] + children[a:b] + [close] + children[b:]
            at = _top_level_after(marked, b + 2)
            return marked[:at] + after + marked[at:]
    return None


def _boundaries(children: list[Token], start: int, end: int) -> list[int]:
    """Reader offsets strictly inside (start, end) where an element opens or closes."""
    out: list[int] = []
    pos = 0
    for t in children:
        if t.nesting and start < pos < end and (not out or out[-1] != pos):
            out.append(pos)
        pos += _width(t)
        if pos >= end:
            break
    return out


def insert_marks(children: list[Token], start: int, end: int, attrs: dict[str, str],
                 after: list[Token]) -> list[Token] | None:
    """Like insert_mark, but a quote that crosses an element's edge (another quote's mark, a
    link, emphasis) is marked in pieces split at those edges, so each quote is highlighted
    exactly as quoted however quotes overlap. The first piece carries the id; the others name
    it in data-bg-of (the page's script lights them up with it on arrival). None only when a
    piece still cannot nest; the caller then anchors the whole block."""
    whole = insert_mark(children, start, end, attrs, after)
    if whole is not None:
        return whole
    cuts = [start, *_boundaries(children, start, end), end]
    rest = {k: v for k, v in attrs.items() if k != "id"}
    if "id" in attrs:
        rest["data-bg-of"] = attrs["id"]
    out = children
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        last = i == len(cuts) - 2
        piece = insert_mark(out, a, b, attrs if i == 0 else rest, after if last else [])
        if piece is None:
            return None
        out = piece
    return out
