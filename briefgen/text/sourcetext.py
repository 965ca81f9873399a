"""Source bodies as markdown-it token streams, and the blocks a quote may be matched in.

A `.txt` source becomes the same tokens a Markdown paragraph would, so highlighting and
rendering have one path. The reader text of a block is what a reader sees: emphasis and link
syntax gone, entities decoded, images and code blocks left out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..diagnostics import Pos
from ..model import Source
from .direction import source_direction, strong_direction
from .markup import markdown
from .normalise import normalised
from .quotes import SourceIndex

if TYPE_CHECKING:
    from markdown_it.token import Token

_TEXTLIKE = {"text", "text_special", "code_inline"}
_SPACES = {"softbreak", "hardbreak"}



class ParseMemo(Protocol):
    """What parsing asks of a cache handed in (caches/parsecache.py is one): an entry by key,
    None when there is none, and a new entry to keep."""

    def get(self, key: str) -> Any: ...

    def put(self, key: str, entry: Any) -> None: ...


def source_key(kind: str, body: str, drops: list[str]) -> str:
    """What a parse of a source depends on: its kind, its drop strings and its text."""
    h = hashlib.blake2b(digest_size=16)
    for part in (kind, *drops, body):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()

@dataclass
class Block:
    """One inline run a quote can be found in: a paragraph, heading, list item or table cell."""

    token: int  # index of its `inline` token in SourceDoc.tokens
    element: int  # index of the open token that carries its id
    anchor: str  # the element id: p<n>, stable while earlier text is not added or removed
    text: str
    line: int  # file line, for messages


@dataclass(frozen=True)
class Dropped:
    """A top-level block a `drop` string left out: said when a drop takes more than one, and
    when a quote is found only there."""

    drop: str  # the drop string as written
    line: int  # file line of the block
    text: str  # what a reader would have seen of it


@dataclass
class SourceDoc:
    """A parsed source. Its blocks, their index and its token stream are all made from the
    source alone, so `release()` can forget them and a later use makes them again, equal."""

    source: Source
    unused_drops: list[tuple[str, Pos]] = field(default_factory=list)
    _blocks: list[Block] | None = None
    _index: SourceIndex | None = None
    _tokens: list[Token] | None = None
    dropped: list[Dropped] = field(default_factory=list)

    @property
    def blocks(self) -> list[Block]:
        if self._blocks is None:
            self._parse()
        assert self._blocks is not None
        return self._blocks

    @property
    def index(self) -> SourceIndex:
        if self._index is None:
            self._index = SourceIndex([b.text for b in self.blocks])
        return self._index

    @property
    def tokens(self) -> list[Token]:
        """The token stream, parsed again when the blocks came from the cache: the same md and
        text give the same tokens, so block indices still point at the right ones."""
        if self._tokens is None:
            self._parse()
        assert self._tokens is not None
        return self._tokens

    def _parse(self) -> None:
        # The blocks are taken from this parse too: those the cache gave are equal, and holding
        # both would keep the source's text twice.
        self._tokens, _, _ = token_stream(self.source)
        self._blocks = _blocks(self._tokens, self.source)
        self._index = None  # it holds the blocks replaced; made again from these if asked for

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a check run ahead sends its outcome: commands/ahead.py) without what is made
        again from the source when asked for: a third of the size, and rendering parses anew."""
        return {**self.__dict__, "_blocks": None, "_index": None, "_tokens": None}

    def forget_tokens(self) -> None:
        """Checked: the blocks say all a check needs; the tokens, several times the text, are
        parsed again when the source is rendered, as they are when the blocks came from the cache."""
        self._tokens = None

    def release(self) -> None:
        """Rendered: only the HTML is needed from here on. The text of a large source is held
        by its blocks, its index and its tokens; forgetting them before MkDocs builds the pages
        keeps the peak down (a 20 MB source: 60 MB less)."""
        self._tokens = self._blocks = self._index = None


def reader_text(children: list[Token]) -> str:
    return "".join(c.content if c.type in _TEXTLIKE else " " if c.type in _SPACES else ""
                   for c in children)


def _txt_tokens(body: str) -> list[Token]:
    from markdown_it.token import Token

    tokens = []
    for n, line in enumerate(body.split("\n")):
        if not line.strip():
            continue
        text = Token("text", "", 0, content=line.strip())
        tokens += [Token("paragraph_open", "p", 1, map=[n, n + 1], block=True),
                   Token("inline", "", 0, map=[n, n + 1], content=line.strip(), children=[text]),
                   Token("paragraph_close", "p", -1, block=True)]
    return tokens


def _top_level(tokens: list[Token]) -> list[tuple[int, int]]:
    """[start, end) token ranges of the top-level blocks."""
    spans, start, depth = [], 0, 0
    for i, t in enumerate(tokens):
        if depth == 0:
            start = i
        depth += t.nesting
        if depth == 0:
            spans.append((start, i + 1))
    return spans


def _drop(tokens: list[Token], source: Source) -> tuple[list[Token], list[tuple[str, Pos]], list[Dropped]]:
    """The tokens kept, the drop strings that dropped nothing, and the blocks left out."""
    if not source.drop:
        return tokens, [], []
    drops = [(normalised(s), s, pos) for s, pos in source.drop]
    kept: list[Token] = []
    dropped: list[Dropped] = []
    for start, end in _top_level(tokens):
        part = tokens[start:end]
        text = " ".join(reader_text(t.children or []) if t.type == "inline" else t.content for t in part)
        norm = normalised(text)
        hit = next((raw for n, raw, _ in drops if n and norm.startswith(n)), None)
        if hit is None:
            kept += part
        else:
            line = next((t.map[0] for t in part if t.map), 0) + source.body_line
            dropped.append(Dropped(hit, line, " ".join(text.split())))
    used = {d.drop for d in dropped}
    return kept, [(raw, pos) for _, raw, pos in drops if raw not in used], dropped


def _id_holder(tokens: list[Token], i: int) -> int:
    """The open token whose element will carry the id of the inline token at i."""
    opener = i - 1
    if tokens[opener].type == "paragraph_open" and tokens[opener].hidden:
        # Tight list items render without <p>: the id goes on the <li>.
        for j in range(opener - 1, -1, -1):
            if tokens[j].type == "list_item_open" and tokens[j].level == tokens[opener].level - 1:
                return j
    return opener


def token_stream(source: Source) -> tuple[list[Token], list[tuple[str, Pos]], list[Dropped]]:
    """The tokens a source page renders: blocks numbered, dropped blocks gone, ids set."""
    tokens = markdown().parse(source.body) if source.kind == "md" else _txt_tokens(source.body)
    numbered = [(i, n) for n, i in enumerate((i for i, t in enumerate(tokens) if t.type == "inline"), 1)]
    for i, n in numbered:
        tokens[i].meta["bg_number"] = n
    tokens, unused, dropped = _drop(tokens, source)
    page = source_direction(source.lang, source.title, source.body)  # the article's, as resolve says
    for i, t in enumerate(tokens):
        if t.type == "inline":
            holder = tokens[_id_holder(tokens, i)]
            if not holder.attrGet("id"):
                holder.attrSet("id", f"p{t.meta['bg_number']}")
            # A paragraph in the other direction (Arabic in an English article, or English in
            # an Arabic one) is laid out in its own: its full stop and quotation marks at its end.
            # Nor is it in the language the source names, as far as anyone said (lang="").
            own = strong_direction(_sample(t.children or []))
            if own is not None and own != page and not holder.attrGet("dir"):
                holder.attrSet("dir", own)
                if source.lang:
                    holder.attrSet("lang", "")
    return tokens, unused, dropped


def _sample(children: list[Token], size: int = 4000) -> str:
    """The first characters of a block's reader text, enough to tell its direction."""
    out, n = [], 0
    for c in children:
        if c.type in _TEXTLIKE:
            out.append(c.content[:size - n])
            n += len(out[-1])
            if n >= size:
                break
    return " ".join(out)


def _blocks(tokens: list[Token], source: Source) -> list[Block]:
    blocks = []
    for i, t in enumerate(tokens):
        if t.type == "inline":
            holder = _id_holder(tokens, i)
            line = (t.map[0] if t.map else 0) + source.body_line
            blocks.append(Block(i, holder, str(tokens[holder].attrGet("id")),
                                reader_text(t.children or []), line))
    return blocks


def _cached_block(row: list[object], body_line: int) -> Block:
    tok, el, anchor, text, rel, norm = row
    if not (isinstance(tok, int) and isinstance(el, int) and isinstance(rel, int)
            and isinstance(anchor, str) and isinstance(text, str) and isinstance(norm, str)):
        raise TypeError("not a cached block")
    return Block(tok, el, anchor, text, rel + body_line)


def parse_source(source: Source, cache: ParseMemo | None = None) -> SourceDoc:
    """Blocks of a source from the cache when its text, kind and drop strings are unchanged."""
    drops = [raw for raw, _ in source.drop]
    key = source_key(source.kind, source.body, drops) if cache is not None else ""
    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        try:
            rows = entry["blocks"]
            blocks = [_cached_block(row, source.body_line) for row in rows]
            index = SourceIndex([b.text for b in blocks], [row[5] for row in rows])
            unused = [source.drop[k] for k in entry["unused"]]
            dropped = [Dropped(drops[k], rel + source.body_line, text) for k, rel, text in entry["dropped"]]
            return SourceDoc(source, unused, blocks, index, dropped=dropped)
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # not what we wrote: parse as if it were not there
    tokens, unused, dropped = token_stream(source)
    blocks = _blocks(tokens, source)
    index = SourceIndex([b.text for b in blocks])
    if cache is not None:
        unused_raw = {raw for raw, _ in unused}
        cache.put(key, {"blocks": [[b.token, b.element, b.anchor, b.text, b.line - source.body_line, index.part(k)]
                                   for k, b in enumerate(blocks)],
                        "unused": [k for k, raw in enumerate(drops) if raw in unused_raw],
                        "dropped": [[drops.index(d.drop), d.line - source.body_line, d.text] for d in dropped]})
    return SourceDoc(source, unused, blocks, index, tokens, dropped=dropped)
