"""What a reader sees of a citation: its numbered marker, its preview, and its back-links.

Markers are numbered per briefing, Wikipedia style: source n of the briefing's sources list is
[n] everywhere, whatever its id, so a marker stays short and two sources never look alike. Two
citations of one source in one statement are told apart by a letter: [2a], [2b]; a citation that
disputes the statement says so in its label: [✕2]. Labels are given once per statement, over all
its citations, so every place that shows one of them (the facts table, its "Disputed by" line,
the coverage matrix, the preview) shows the same label for the same citation.

The preview's data is plain text handed to the template (autoescaped there, into an inert
<template>); nothing here is markup, and nothing ends up in a `title` attribute, which
Material's tooltips would copy into the page with innerHTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from string import ascii_lowercase

from ..model import Briefing, Citation, Statement, statements

CONTEXT_WORDS = 8  # words shown either side of the quote in a preview
CONTEXT_CHARS_PER_WORD = 40  # at most this many characters of context per word shown
GIST_WORDS = 7  # words of a statement that name it beside a passage it cites (a fact: 4 of its value)


@dataclass(frozen=True)
class Marker:
    key: str  # id of its preview data on the page, e.g. "r3"
    label: str  # "2", "2a" or "✕2": the visible text inside the brackets, and its preview's
    href: str  # the passage on its source page
    source: str  # the source id
    outlet: str
    origin: str  # "" when it is the outlet itself
    quote: str
    disputes: bool


@dataclass(frozen=True)
class Preview:
    key: str
    label: str
    href: str
    original: str  # the original article at these words, or ""
    before: str  # a few words of context before the quote
    quote: str  # the words as they stand in the source
    after: str
    outlet: str
    title: str
    origin: str
    date: str
    note: str
    disputes: bool
    lang: str = ""  # the source's language tag, "" when not given
    dir: str = "ltr"  # the source's writing direction: its title's, and the quote's unless
    quote_dir: str = ""  # the quote's paragraph runs the other way (Arabic in an English article)


@dataclass(frozen=True)
class BackLink:
    """A statement named beside a passage it cites, on the source page: what it is and its first
    words, so a reader sees what rests on the passage without following the link."""

    href: str
    disputes: bool  # the passage disputes the statement (it supports it otherwise)
    where: str  # "bottom line", "fact", "evidence", "event of 13 Dec 2024"
    topic: str  # a fact's name; "" for the others
    words: str  # the statement's first words (a fact: its value's), plain text
    text: str = ""  # all its words (a fact: its value), plain text, for its preview
    about: str = ""  # what it is about: a fact's name, the question of a piece of evidence
    key: str = ""  # id of its preview data on the page, e.g. "b2"


_WHERE = {"summary": "bottom line", "fact": "fact", "evidence": "evidence"}


def gist(text: str, n: int = GIST_WORDS) -> str:
    """The first n words of a plain text, with an ellipsis when there were more."""
    words = text.split()
    return " ".join(words) if len(words) <= n else " ".join(words[:n]).rstrip(",;:") + "…"


def backlink(st: Statement, href: str, disputes: bool, plain: Callable[[str], str],
             day: Callable[..., str]) -> BackLink:
    """`plain`: Markdown to the words a reader sees; `day`: a date as pages print it."""
    where = _WHERE.get(st.kind) or f"event of {day(st.date)}"
    fact = st.kind == "fact"  # its name says most; a few words of the value follow it
    text = plain(st.text)
    return BackLink(href, disputes, where, st.topic if fact else "", gist(text, 4 if fact else GIST_WORDS), text,
                    st.topic)


def source_numbers(b: Briefing) -> dict[str, int]:
    """Source id -> its number (1-based) in a briefing without history: sources in the order
    briefing.yml first cites them (so the bottom line opens [1] [2]), then the uncited ones in
    file order. With history, numbers once given are kept (analysis.changes.numbering)."""
    cited = sorted((c for st in statements(b) for c in st.citations), key=lambda c: (c.pos.line, c.pos.col))
    order = dict.fromkeys(c.source for c in cited if c.source in b.sources)
    order.update(dict.fromkeys(b.sources))
    return {sid: n for n, sid in enumerate(order, 1)}


DISPUTES = "✕"  # before the label of a citation that disputes its statement


def labels(cites: Iterable[Citation], numbers: dict[str, int]) -> list[str]:
    """Visible labels for all of one statement's citations: a letter only where a source repeats,
    ✕ before one that disputes the statement."""
    cites = list(cites)
    repeats = Counter(c.source for c in cites)
    seen: Counter[str] = Counter()
    out = []
    for c in cites:
        n = str(numbers.get(c.source, "?"))
        if repeats[c.source] > 1:
            letter = ascii_lowercase[seen[c.source] % 26]
            seen[c.source] += 1
            n += letter
        out.append(DISPUTES + n if c.disputes else n)
    return out


def context(block_text: str, words: str, n: int = CONTEXT_WORDS) -> tuple[str, str]:
    """Up to n words before and after the quoted words within their paragraph, and never more
    than CONTEXT_CHARS characters either side: only that much of the paragraph is looked at
    (a 20 MB paragraph once split into millions of words here), and a script without spaces
    cannot put the whole paragraph into every preview."""
    at = block_text.find(words)
    if at < 0 or not words:
        return "", ""
    end = at + len(words)
    lo, hi = max(0, at - n * CONTEXT_CHARS_PER_WORD), min(len(block_text), end + n * CONTEXT_CHARS_PER_WORD)
    before = block_text[lo:at].split()
    after = block_text[end:hi].split()
    lead = ("… " if len(before) > n or (lo > 0 and before) else "") + " ".join(before[-n:])
    tail = " ".join(after[:n]) + (" …" if len(after) > n or (hi < len(block_text) and after) else "")
    # Keep the space that separates the quote from its neighbours, if the text had one.
    if before and block_text[at - 1:at].isspace():
        lead += " "
    if after and block_text[end:end + 1].isspace():
        tail = " " + tail
    return lead, tail


def disputing(st: Statement, source: str, anchor: str, anchor_of: dict[Citation, str]) -> bool:
    """Whether the statement cites this passage as disputing it."""
    return any(c.disputes and c.source == source and anchor_of.get(c) == anchor for c in st.citations)
