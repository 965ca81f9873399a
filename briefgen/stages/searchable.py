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
from html.parser import HTMLParser
from typing import TYPE_CHECKING

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
_SPACE = re.compile(r"\s+")


@dataclass
class _Entry:
    anchor: str
    title: str
    title_parts: list[str] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    marked_parts: list[str] = field(default_factory=list)
    marked: bool = False  # has data-bg-text: its text is those words alone
    titled: bool = False  # has data-bg-title

    def add(self, role: str | None, data: str) -> None:
        {"title": self.title_parts, "text": self.marked_parts}.get(role or "", self.text_parts).append(data)

    def done(self, page_title: str) -> SearchEntry:
        title = _clean(self.title_parts) if self.titled else self.title
        return SearchEntry(self.anchor, title or page_title,
                           _clean(self.marked_parts if self.marked else self.text_parts))


@dataclass
class _Frame:
    tag: str
    skip: bool
    entry: _Entry  # where text inside this element goes
    role: str | None  # "title", "text" or None (the entry's other words)
    row: bool  # inside a row (data-bg-entry), where headings do not start sections
    starts: str | None = None  # "section" (a heading that starts one) or "text" (a marked part)


def _clean(parts: list[str]) -> str:
    return _SPACE.sub(" ", "".join(parts)).strip()


class _Reader(HTMLParser):
    def __init__(self, page_title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Entry("", page_title)
        self.entries = [self.page]
        self.stack = [_Frame("", False, self.page, None, False)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        if tag in BLOCKS:
            parent.entry.add(parent.role, " ")
        if tag in VOID:
            return
        a = dict(attrs)
        skip = parent.skip or tag in UNSEEN or "data-search-exclude" in a or "hidden" in a \
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
            entry.add(role, " ")
        self.stack.append(_Frame(tag, skip, entry, role, row, starts))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.stack[-1].entry.add(self.stack[-1].role, " ")

    def handle_endtag(self, tag: str) -> None:
        # Close up to the nearest open element of this name; a stray end tag closes nothing.
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                frame = self.stack[i]
                del self.stack[i:]
                if frame.starts == "text":  # each marked part a phrase of its own
                    frame.entry.add("text", " ")
                if frame.starts == "section":  # what follows the heading is its section's, until the next one
                    parent = self.stack[-1]
                    self.stack[-1] = _Frame(parent.tag, parent.skip, frame.entry, None, False)
                break
        if tag in BLOCKS:
            self.stack[-1].entry.add(self.stack[-1].role, " ")

    def handle_data(self, data: str) -> None:
        frame = self.stack[-1]
        if not frame.skip:
            frame.entry.add(frame.role, data)


def entries(html: str, page_title: str) -> tuple[SearchEntry, ...]:
    """The page's own entry first (its title, the words outside rows), then each row and
    section in page order; a row or section with no words besides its title is left out (a
    heading whose rows are entries of their own)."""
    reader = _Reader(page_title)
    reader.feed(html)
    reader.close()
    done = [e.done(page_title) for e in reader.entries]
    return (done[0], *(e for e in done[1:] if e.text))


def searchable(page: Page) -> Page:
    """The page with what a search finds on it (a copy: stages change nothing they are given)."""
    return dataclasses.replace(page, search=entries(page.html, page.title))
