"""What a search finds on a page: the page itself and each of its rows, each with the words a
reader sees there and nothing else.

A search engine that splits a page only at its headings finds a fact as the whole facts table run
together ("FactWhat is knownEvidence…") and opens the top of the page. So templates mark what a
search should tell apart, and this reads the marks from the rendered page (a project's own
templates mark theirs the same way):

- `data-bg-entry` on an element with an `id`: a row of its own, found at `#id`. The attribute's
  value is its title ("Bottom line"), unless a descendant carries `data-bg-title`, whose words are
  the title instead (and are not repeated in its text).
- `data-bg-text`: when a row has any, its text is their words alone (what the row says, not its
  badges and counts); otherwise it is every word of the row.
- Left out everywhere: `data-search-exclude` (the search engines' own mark), visually hidden text
  (`bg-sr`, words for screen readers), `hidden` and `aria-hidden` elements, and what no reader sees
  as text (`template`, `script`, `style`).
- A heading with an `id` outside any row starts a section of the page, as engines split pages (an
  article's own headings); text outside rows and sections belongs to the page.

Neighbouring blocks (cells, list items, paragraphs) are kept apart by a space. Pure: HTML in,
plain text out; the engine adapter writes it in its index's own format (and escapes it there).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..text.htmlscan import Attributes, Unsure, read_attributes, scan, stdlib_scan

if TYPE_CHECKING:
    from .render import Page


@dataclass(frozen=True)
class SearchEntry:
    anchor: str  # "" for the page itself
    title: str  # plain text
    text: str  # plain text


# Elements whose edges separate words: "Fact</th><th>What" reads "Fact What", never "FactWhat".
BLOCKS = frozenset("address article aside blockquote br dd details div dl dt figcaption figure footer form "
                   "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot "
                   "th thead tr ul".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
UNSEEN = frozenset({"template", "script", "style", "noscript"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class _Entry:
    anchor: str
    title: str
    title_parts: list[str] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    marked_parts: list[str] = field(default_factory=list)
    marked: bool = False  # has data-bg-text: its text is those words alone
    titled: bool = False  # has data-bg-title

    def done(self, page_title: str) -> SearchEntry:
        title = _clean(self.title_parts) if self.titled else self.title
        return SearchEntry(self.anchor, title or page_title,
                           _clean(self.marked_parts if self.marked else self.text_parts))


class _Frame:
    """What an open element hands the elements and text inside it (shared by all of them while
    no mark changes it)."""

    __slots__ = ("skip", "entry", "role", "row", "words")

    def __init__(self, skip: bool, entry: _Entry, role: str | None, row: bool) -> None:
        self.skip = skip
        self.entry = entry  # where text inside this element goes
        self.role = role  # "title", "text" or None (the entry's other words)
        self.row = row  # inside a row (data-bg-entry), where headings do not start sections
        self.words = (entry.title_parts if role == "title" else entry.marked_parts if role == "text"
                      else entry.text_parts)  # the entry's parts that role adds to


# An open element: its name, its frame, and what it starts: "section" (a heading that starts one),
# "text" (a marked part) or None.
_Open = tuple[str, _Frame, "str | None"]


def _may_mark(attrs: str) -> bool:
    """Whether a start tag's attributes (unread) spell a mark: a heading's id aside, a tag whose
    attributes do not is read as one without any (a character reference may spell anything)."""
    low = attrs.lower()
    return "data-bg-" in low or "hidden" in low or "data-search-exclude" in low or "bg-sr" in low or "&" in low


_CHUNK = 1 << 20  # characters: a chunk's words are its own small strings only while it is cleaned
_WHITESPACE = re.compile(r"\s")  # what str.split() splits at (both ask Py_UNICODE_ISSPACE)


def _clean(parts: list[str]) -> str:
    """The parts' words, one space apart (as re's \\s+ to " ", then strip()). A long text is
    cleaned a chunk at a time, each cut at whitespace, so no word spans two: split() makes a
    string of every word, and a 20 MB paragraph's 3 million of them held at once cost 160 MB.
    Empties `parts` (an entry is done once): the joined text is then the only copy of its words."""
    text = "".join(parts)
    parts.clear()
    if len(text) <= _CHUNK:
        return " ".join(text.split())
    done: list[str] = []
    start = 0
    while start < len(text):
        cut = _WHITESPACE.search(text, start + _CHUNK)
        end = cut.start() if cut else len(text)
        words = text[start:end].split()
        if words:
            done.append(" ".join(words))
        start = end
    del text, words  # before the join, which makes the last copy
    return " ".join(done)


class _Reader:
    """Follows the marks through a page's start tags, end tags and text (text/htmlscan.py)."""

    def __init__(self, page_title: str) -> None:
        self.page = _Entry("", page_title)
        self.entries = [self.page]
        self.stack: list[_Open] = [("", _Frame(False, self.page, None, False), None)]

    def start(self, tag: str, attrs: Attributes) -> None:
        parent = self.stack[-1][1]
        if tag in BLOCKS:
            parent.words.append(" ")
        if tag in VOID:
            return
        if parent.skip or not attrs or type(attrs) is str and tag not in HEADINGS and not _may_mark(attrs):
            # Nothing inside a left-out element counts.
            frame = parent if tag not in UNSEEN or parent.skip else _Frame(True, parent.entry, parent.role, parent.row)
            self.stack.append((tag, frame, None))
            return
        a = read_attributes(attrs)
        skip = tag in UNSEEN or "data-search-exclude" in a or "hidden" in a \
            or a.get("aria-hidden") == "true" or "bg-sr" in (a.get("class") or "").split()
        entry, role, row, starts = parent.entry, parent.role, parent.row, None
        anchor = a.get("id")
        if not skip and anchor and "data-bg-entry" in a:
            entry, role, row = _Entry(anchor, a.get("data-bg-entry") or ""), None, True
            self.entries.append(entry)
        elif not skip and anchor and tag in HEADINGS and not row:
            entry, role, starts = _Entry(anchor, ""), "title", "section"  # the heading's words are its title
            entry.titled = True
            self.entries.append(entry)
        elif not skip and "data-bg-title" in a:
            role, entry.titled = "title", True
        elif not skip and "data-bg-text" in a:
            role, entry.marked, starts = "text", True, "text"
            entry.marked_parts.append(" ")
        same = skip == parent.skip and entry is parent.entry and role == parent.role and row == parent.row
        self.stack.append((tag, parent if same else _Frame(skip, entry, role, row), starts))

    def startend(self, tag: str) -> None:
        if tag in BLOCKS:
            self.stack[-1][1].words.append(" ")

    def end(self, tag: str) -> None:
        # Close up to the nearest open element of this name; a stray end tag closes nothing.
        stack = self.stack
        if stack[-1][0] == tag and stack[-1][2] is None and len(stack) > 1:  # the common case, quickly
            stack.pop()
            if tag in BLOCKS:
                stack[-1][1].words.append(" ")
            return
        for i in range(len(stack) - 1, 0, -1):
            if stack[i][0] == tag:
                _, frame, starts = stack[i]
                del stack[i:]
                if starts == "text":  # each marked part a phrase of its own
                    frame.entry.marked_parts.append(" ")
                if starts == "section":  # what follows the heading is its section's, until the next one
                    parent_tag, parent, _ = stack[-1]
                    stack[-1] = (parent_tag, _Frame(parent.skip, frame.entry, None, False), None)
                break
        if tag in BLOCKS:
            stack[-1][1].words.append(" ")

    def data(self, data: str) -> None:
        frame = self.stack[-1][1]
        if not frame.skip:
            frame.words.append(data)


def entries(html: str, page_title: str) -> tuple[SearchEntry, ...]:
    """The page's own entry first (its title, the words outside rows), then each row and
    section in page order; a row or section with no words besides its title is left out (a
    heading whose rows are entries of their own)."""
    try:
        reader = _Reader(page_title)
        scan(html, reader)  # our pages are well-formed: read fast
    except Unsure:
        reader = _Reader(page_title)
        stdlib_scan(html, reader)  # markup HTMLParser repairs (a project's own template): read by it
    done = [e.done(page_title) for e in reader.entries]
    return (done[0], *(e for e in done[1:] if e.text))


def searchable(page: Page) -> Page:
    """The page with what a search finds on it (a copy: stages change nothing they are given)."""
    return dataclasses.replace(page, search=entries(page.html, page.title))
