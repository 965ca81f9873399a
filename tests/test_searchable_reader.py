"""The search-entry reader (stages/searchable.py) reads pages with a tokenizer of its own
(text/htmlscan.py), for speed; it must find exactly what Python's own `html.parser` finds.

Here a small reference reader on `html.parser.HTMLParser` (the reader as it was before the
tokenizer) and the real one read every page of real builds (the example project, the hostile
project, a project in Greek, Arabic, Cyrillic and decomposed accents) and hand-written tricky
snippets, and must agree. The tokenizer alone must also give HTMLParser's events, and read
briefgen's own pages itself, not through its fallback (that is where the speed comes from).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import build_ok, make_project
from search_project import CAFE_NFD, FILES
from test_hostile import write_project

from briefgen.stages import searchable
from briefgen.stages.searchable import BLOCKS, HEADINGS, UNSEEN, VOID, entries
from briefgen.text.htmlscan import Attributes, Unsure, read_attributes, scan

# -- the reference: HTMLParser and the marks, as the reader was written first -------------------


@dataclass
class _Entry:
    anchor: str
    title: str
    parts: dict[str, list[str]] = field(default_factory=lambda: {"title": [], "text": [], "": []})
    marked: bool = False
    titled: bool = False

    def done(self, page_title: str) -> tuple[str, str, str]:
        def clean(parts: list[str]) -> str:
            return re.sub(r"\s+", " ", "".join(parts)).strip()
        title = clean(self.parts["title"]) if self.titled else self.title
        return self.anchor, title or page_title, clean(self.parts["text" if self.marked else ""])


class Reference(HTMLParser):
    def __init__(self, page_title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.entries = [_Entry("", page_title)]
        # (tag, skip, entry, role, row, starts)
        self.stack: list[tuple[str, bool, _Entry, str, bool, str | None]] = [("", False, self.entries[0], "", False, None)]

    def space(self) -> None:
        self.stack[-1][2].parts[self.stack[-1][3]].append(" ")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        _, skip, entry, role, row, _ = self.stack[-1]
        if tag in BLOCKS:
            self.space()
        if tag in VOID:
            return
        a = dict(attrs)
        skip = skip or tag in UNSEEN or "data-search-exclude" in a or "hidden" in a \
            or a.get("aria-hidden") == "true" or "bg-sr" in (a.get("class") or "").split()
        starts = None
        if not skip and a.get("id") and "data-bg-entry" in a:
            entry, role, row = _Entry(a["id"] or "", a["data-bg-entry"] or ""), "", True
            self.entries.append(entry)
        elif not skip and a.get("id") and tag in HEADINGS and not row:
            entry, role, starts = _Entry(a["id"] or "", "", titled=True), "title", "section"
            self.entries.append(entry)
        elif not skip and "data-bg-title" in a:
            role, entry.titled = "title", True
        elif not skip and "data-bg-text" in a:
            role, entry.marked, starts = "text", True, "text"
            entry.parts["text"].append(" ")
        self.stack.append((tag, skip, entry, role, row, starts))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.space()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                _, _, entry, _, _, starts = self.stack[i]
                del self.stack[i:]
                if starts == "text":
                    entry.parts["text"].append(" ")
                if starts == "section":
                    self.stack[-1] = (self.stack[-1][0], self.stack[-1][1], entry, "", False, None)
                break
        if tag in BLOCKS:
            self.space()

    def handle_data(self, data: str) -> None:
        _, skip, entry, role, _, _ = self.stack[-1]
        if not skip:
            entry.parts[role].append(data)


def reference(html: str, page_title: str) -> list[tuple[str, str, str]]:
    reader = Reference(page_title)
    reader.feed(html)
    reader.close()
    done = [e.done(page_title) for e in reader.entries]
    return [done[0], *(e for e in done[1:] if e[2])]


def read(html: str, page_title: str) -> list[tuple[str, str, str]]:
    return [(e.anchor, e.title, e.text) for e in entries(html, page_title)]


# -- the tokenizer's events against HTMLParser's ------------------------------------------------

Event = tuple[str, ...]


def _joined(events: list[Event]) -> list[Event]:
    """Text between two tags as one event (both may cut it anywhere)."""
    out: list[Event] = []
    for e in events:
        if e[0] == "data" and out and out[-1][0] == "data":
            out[-1] = ("data", out[-1][1] + e[1])
        elif e != ("data", ""):
            out.append(e)
    return out


class Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, repr(dict(attrs))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("startend", tag))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.events.append(("data", data))


class Recorder:
    """Reads every attribute, so that any reference the tokenizer doubts raises Unsure."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def start(self, tag: str, attrs: Attributes) -> None:
        self.events.append(("start", tag, repr(read_attributes(attrs))))

    def startend(self, tag: str) -> None:
        self.events.append(("startend", tag))

    def end(self, tag: str) -> None:
        self.events.append(("end", tag))

    def data(self, text: str) -> None:
        self.events.append(("data", text))


def html_parser_events(html: str) -> list[Event]:
    parser = Events()
    parser.feed(html)
    parser.close()
    return _joined(parser.events)


def tokenizer_events(html: str) -> list[Event] | None:
    """The tokenizer's events, None where it leaves the page to HTMLParser."""
    recorder = Recorder()
    try:
        scan(html, recorder)
    except Unsure:
        return None
    return _joined(recorder.events)


# -- the pages -----------------------------------------------------------------------------------

CYRILLIC = """\
---
title: Порт закрыт
outlet: Новости «Гавань»
published: 2024-12-11
url: https://ru.example/port
lang: ru
---

# Порт & причал

Власти сообщили, что порт <закрыт> с понедельника, а суда "ушли" до выходных.

| Судно | Где |
| --- | --- |
| «Мария» | у *причала* |
"""


def _pages(outcome, site: Path) -> list[tuple[str, str, str]]:
    """(where, html, title): every page briefgen rendered, and the body of every page the engine
    wrote (its own markup around ours: scripts, forms, icons)."""
    own = [(f"{p.name} (rendered)", p.html, p.title) for p in outcome.pages]
    written = []
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        written += [(f"{path.relative_to(site)} (written)", html[html.find("<body"):], "T"),
                    (f"{path.relative_to(site)} (written, with its head)", html, "T")]
    return own + written


@pytest.fixture(scope="module")
def pages(built_example, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    hostile = write_project(tmp_path_factory.mktemp("hostile"))
    scripts = make_project(tmp_path_factory.mktemp("scripts"), {**FILES, "content/harbour/sources/russian.md": CYRILLIC})
    found = _pages(built_example.outcome, built_example.site)
    for project in (hostile, scripts):
        found += _pages(build_ok(project), project / "site")
    return found


def test_the_builds_hold_the_pages_meant(pages):
    text = "".join(html for _, html, _ in pages)
    assert len(pages) > 40
    for words in ("Khmeimim", "λιμάνι", "الرافعات", "Порт &amp; причал", CAFE_NFD, "&lt;script&gt;alert(1)"):
        assert words in text, words


def test_every_page_reads_as_html_parser_reads_it(pages):
    differ = [where for where, html, title in pages if read(html, title) != reference(html, title)]
    assert not differ


def test_the_tokenizer_gives_html_parsers_events(pages):
    differ = [where for where, html, _ in pages
              if (events := tokenizer_events(html)) is not None and events != html_parser_events(html)]
    assert not differ


def test_briefgens_own_pages_are_read_without_the_fallback(pages):
    """Ours and the bodies of the engine's pages; a page's head has a `title`, which HTMLParser
    reads (Python versions read it differently)."""
    unsure = [where for where, html, _ in pages if not where.endswith("head)") and tokenizer_events(html) is None]
    assert not unsure



# -- tricky snippets -----------------------------------------------------------------------------

ROW = '<table><tr id="r" data-bg-entry="Row"><th data-bg-title>Port</th><td data-bg-text>{}</td><td>badge</td></tr></table>'

# Read by the tokenizer itself.
READ = {
    "a > and quotes in attribute values": '<p title="a > b" data-x=\'say "hi" > 1\' class=x>after</p>',
    "references in attribute values": ('<div id="r&amp;1" data-bg-entry="T&eacute;st &#x27;one&#39; &lt;b&gt;">'
                                      '<a href="?a=1&amp;b=2" class="bg&#45;sr">hidden by a reference</a>Row text</div>'),
    "< in text": ROW.format("1 < 2 and 3 <= 4, a<-b, <3, a < b > c, end <"),
    "references in text": ROW.format("&amp; &lt;b&gt; &nbsp;x &#x41;&#65; &copy &notanentity; AT&T &amp"),
    "comments holding tags": ROW.format('a<!-- <div id="x" data-bg-entry="No">hidden</div> -->b<!---->c<!-- - -> -->d'),
    "script holding </div>": ROW.format('a<script>if (a</div>) {"</p>"} x = "<b>"</script>b<SCRIPT type=x></ScRiPt>c'),
    "style holding markup": ROW.format("a<style>p > a::after { content: '</td>' }</style>b"),
    "uppercase tags and attributes": '<DIV ID="r" DATA-BG-ENTRY="Row"><P DATA-BG-TEXT>Text</P><SPAN HIDDEN>no</SPAN></DIV>',
    "unclosed tags": '<div id="r" data-bg-entry="Row"><p>one<p>two<span>three',
    "stray and crossed end tags": '<p>a</span>b</div><div id="r" data-bg-entry="R"><b>x</div>y</b>z</p>w',
    "void elements": '<p>a<br>b<img src=x alt="y">c<hr>d<input type=text value="v">e<wbr>f</p>',
    "self-closing tags": '<p>a<br/>b<br />c<span/>d<div />e<img src="x"/>f</p>',
    "doctype and processing instructions": '<!DOCTYPE html><?xml version="1.0"?><p>a</p><!doctype x>b',
    "what no reader sees": ('<p>a<span class="x bg-sr y">sr</span><b aria-hidden="true">ah</b><b aria-hidden=false>shown</b>'
                            '<template><p>t</p></template><i data-search-exclude>ex</i>b</p>'),
    "headings and sections": ('<h1 id="t">Title</h1><p>Intro</p><h2 id="s1">One <em>1</em></h2><p>Body one</p>'
                              '<h2>No id</h2><p>More</p><h3 id="s2" hidden>Gone</h3><p>After</p><h2 id="s3">Three</h2>'),
    "marks inside marks": ('<div id="a" data-bg-entry="A"><span data-bg-text>x <h2 id="h">in a row</h2></span>'
                           '<div id="b" data-bg-entry="B"><p data-bg-text>inner</p></div>tail</div>'),
    "spaces in tags": '<p\n  id="r"\tdata-bg-entry = "Row"\n>a<br\n/>b</p\n>',
    "empty and bare values": '<div id="" data-bg-entry="x">no anchor</div><div id="r" data-bg-entry="">bare</div><p hidden="">h</p>',
    "scripts of the world": ROW.format(f"Λιμάνι κλειστό · الميناء مغلق · Порт «закрыт» · {CAFE_NFD} · \u200f\u2067x\u2069"),
    "unicode spaces": ROW.format("a\u00a0b\u2003c\u3000d\x1ce\u2028f"),
    "custom elements": '<bg-x data-y="1">a</bg-x><my-el>b</my-el>',
}

# Left to HTMLParser: markup it repairs, or that Python versions read differently.
REPAIRED = {
    "unquoted value ending in a slash": '<div id=r data-bg-entry=Row/>a</div>',
    "attributes without a space": '<div id="r"data-bg-entry="Row">a</div>',
    "a doubtful reference in a value": '<div id="r&copy=1" data-bg-entry="&ampx;">a</div>',
    "title, textarea, noscript": '<p>a<title>b <b>c</b></title><textarea><p>d</textarea>e<noscript>f<p>g</noscript></p>',
    "a comment holding --": '<p>a<!-- b -- c -->d<!--->e</p>',
    "an unclosed comment": '<p>a<!-- b',
    "an unclosed tag": '<p>a<span class="b',
    "an unclosed script": '<p>a<script>b</p>',
    "a self-closing script": '<p>a<script/>b</script>c</p>',
    "an end tag with a space": '<p>a</ p>b</p >c',
    "a bogus declaration": '<p>a<!x>b<![CDATA[c]]>d</p>',
    "unicode space in a tag": '<p\u00a0id="r" data-bg-entry="R">a</p>',
    "a script ended oddly": '<p>a<script>b</ script>c</script >d</p>',
    "a script ended in Unicode's case": '<p>a<script>b</\u017fcript>c</script>d</p>',
    "a script ended with more": '<p>a<script>b</script foo>c</script/>d</p>',
}


@pytest.mark.parametrize("html", list(READ.values()), ids=list(READ))
def test_a_tricky_snippet_is_read_by_the_tokenizer_as_html_parser_reads_it(html):
    assert tokenizer_events(html) == html_parser_events(html)
    assert read(html, "P") == reference(html, "P")


@pytest.mark.parametrize("html", list(REPAIRED.values()), ids=list(REPAIRED))
def test_markup_html_parser_repairs_is_left_to_it(html):
    assert tokenizer_events(html) is None
    assert read(html, "P") == reference(html, "P")


# A long text is cleaned a chunk at a time (searchable._CHUNK characters, cut at whitespace):
# with tiny chunks, every snippet crosses many cuts, words split across tags and runs of every
# kind of space among them, and must read as it does in one piece.
LONG = ROW.format("  ".join(f"w{i}<b>o</b>rd\u00a0\n{'x' * (i % 9)}\u2028\x1c\t" for i in range(300)))


@pytest.mark.parametrize("chunk", [1, 2, 7, 64])
@pytest.mark.parametrize("html", [*READ.values(), LONG], ids=[*READ, "long"])
def test_a_text_cleaned_in_chunks_reads_as_in_one_piece(html, chunk, monkeypatch):
    monkeypatch.setattr(searchable, "_CHUNK", chunk)
    assert read(html, "P") == reference(html, "P")
