"""Hostile text stays inert: a project whose every user-controlled string is an attack is built
for real, and every generated page is parsed and searched for anything that would run.

Also: ids and `file:` values never become paths outside the project, a failed build leaves
site/ byte for byte as it was, and problem messages cannot forge lines or send terminal codes.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.pipeline import check

XSS = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
IFRAME = '<iframe src="https://evil.example/"></iframe>'
TITLE = "</title><script>alert(1)</script>"
JS_LINK = "[x](javascript:alert(1))"
DATA_LINK = "[y](data:text/html,<script>alert(1)</script>)"
JS_IMAGE = "![z](javascript:alert(1))"

q = json.dumps  # a JSON string is a valid YAML scalar, whatever it holds

MKDOCS = "site_name: Hostile\ntheme:\n  name: material\nplugins:\n  - search\n"

EVIL_MD = f"""\
---
title: "{TITLE}"
outlet: '{SVG}'
author: "{IMG}"
published: 2024-11-05
url: 'https://example.com/a"><script>alert(1)</script>'
---

# Heading {XSS}

The harbour body holds {XSS} inline and more words.

{IMG}

{IFRAME}

A {JS_LINK} link and a {DATA_LINK} link.

{JS_IMAGE}

<a href="javascript:alert(1)" onclick="alert(1)">raw anchor</a>

<svg onload=alert(1)>svg text</svg>

* a list item with {IMG} in it

| head {XSS} | cell |
| --- | --- |
| table <b onmouseover=alert(1)>cell</b> | two |

A plain passage the analysts quote for their facts.

Another passage about the ships waiting offshore.

Pilots said the harbour stays shut.
"""

EVIL_TXT = f"""\
Wire line one {XSS} with pilots.
Wire line two {IMG} about tugs.
Wire line three {JS_LINK} on cranes.
"""

BRIEFING = f"""\
title: {q(TITLE + ' Port <b>bold</b>')}
as_of: 2024-11-06
tags: [{q(XSS)}, {q(SVG)}]

sources:
  wire:
    file: sources/wire.txt
    outlet: {q(XSS + ' Wire')}
    title: {q(SVG + ' pilots')}
    author: {q(IMG)}
    publish: excerpts

summary:
  - text: {q('Summary ' + XSS + ' ' + IMG + ' ' + JS_LINK + ' ' + DATA_LINK + ' ' + JS_IMAGE + ' <svg onload=alert(1)>')}
    cite:
      - evil: {q('holds ' + XSS + ' inline')}
        origin: {q(XSS + ' origin')}
        note: {q(IFRAME + ' ' + JS_LINK)}
      - wire: {q('Wire line one ' + XSS + ' with pilots')}
        origin: {q(SVG)}
  - id: judged
    text: {q(IMG + ' judged')}
    assessment: low

facts:
  - id: ships
    fact: {q(XSS + ' ships')}
    value: {q(IMG + ' value ' + JS_LINK)}
    cite:
      - evil: "A plain passage the analysts quote"
        origin: {q(IMG)}
      - source: wire
        quote: {q('Wire line two ' + IMG + ' about tugs')}
        origin: {q(TITLE)}
        disputes: true
        note: {q(XSS)}

questions:
  - id: open
    question: {q(XSS + ' question?')}
    status: leaning
    hypotheses:
      - id: one
        label: {q(IMG + ' label')}
      - id: two
        label: {q('</td></tr></table>' + XSS)}
    evidence:
      - text: {q(XSS + ' evidence ' + JS_LINK)}
        cite:
          - evil: "Another passage about the ships"
            origin: {q(SVG)}
        bears: {{one: for, two: against}}
    watch:
      - {q(XSS + ' watch')}
      - {q(JS_LINK + ' ' + DATA_LINK)}

timeline:
  - date: 2024-11-04
    text: {q(XSS + ' event ' + IMG)}
    cite:
      - evil: "Pilots said the harbour stays shut"
        origin: {q(XSS)}
      - evil: "svg text"
      - evil: {q('a list item with ' + IMG + ' in it')}
      - evil: "table <b onmouseover=alert(1)>cell</b>"
      - evil: {q('Heading ' + XSS)}
"""


def write_project(root: Path) -> Path:
    folder = root / "content" / "harbour"
    (folder / "sources").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (folder / "briefing.yml").write_text(BRIEFING, encoding="utf-8")
    (folder / "sources" / "evil.md").write_text(EVIL_MD, encoding="utf-8")
    (folder / "sources" / "wire.txt").write_text(EVIL_TXT, encoding="utf-8")
    return root


def build(root: Path, *args: str):
    result = CliRunner().invoke(main, ["-C", str(root), "build", *args])
    assert not (result.exception and not isinstance(result.exception, SystemExit)), result.exception
    assert "Traceback" not in result.stderr
    return result


class Page(HTMLParser):
    """What a browser would make of a page: elements with attributes, script bodies, visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self.title = ""
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append((dict(attrs), ""))
        if tag not in ("meta", "link", "img", "br", "hr", "input", "source", "wbr"):
            self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        where = self._in[-1] if self._in else ""
        if where == "script":
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        elif where == "title":
            self.title += data
        elif where != "style":
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc", "background")


def assert_inert(html: str, where: str) -> Page:
    page = parse(html)
    for tag, attrs in page.elements:
        assert tag not in ("iframe", "object", "embed", "frame", "frameset", "base"), f"{where}: <{tag}>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in URL_ATTRS and value:
                v = "".join(value.split()).lower()
                assert not v.startswith(("javascript:", "data:", "vbscript:")), f"{where}: <{tag} {name}={value!r}>"
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            raise AssertionError(f"{where}: meta refresh")
    for attrs, body in page.scripts:
        assert "alert(1)" not in body, f"{where}: our text ran as a script: {body[:80]!r}"
        src = attrs.get("src")
        if src is not None:
            # Only the theme's and briefgen's own files, by relative path or the same folder.
            assert "assets/" in src and "alert" not in src and not src.lower().startswith(("javascript:", "data:")), \
                f"{where}: <script src={src!r}>"
    head = html.split("</head>", 1)[0]
    assert "<script>alert" not in head and "<svg onload" not in head and "<img src=x" not in head, \
        f"{where}: hostile markup in the raw <head>"
    for bad in ("<script>alert", "<img src=x onerror", "<svg onload", "<iframe", "<b onmouseover", "javascript:alert"):
        # Raw HTML must hold these only escaped; `javascript:alert` may appear only as text.
        if bad == "javascript:alert":
            continue
        assert bad not in html, f"{where}: raw {bad!r} in the page"
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("hostile"))
    result = build(root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_kind_of_page_was_built(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in html_pages(site)}
    for want in ("index.html", "404.html", "harbour/index.html", "harbour/facts/index.html",
                 "harbour/questions/index.html", "harbour/sources/evil/index.html",
                 "harbour/sources/wire/index.html"):
        assert want in names
    assert (site / "search" / "search_index.json").is_file()
    assert (site / "harbour" / "briefing.json").is_file()


def test_no_page_runs_hostile_text(site: Path) -> None:
    pages = html_pages(site)
    assert len(pages) >= 7
    for path in pages:
        assert_inert(path.read_text(encoding="utf-8"), path.relative_to(site).as_posix())


# Text that must stay visible as text on each page (proof it was escaped, not dropped).
VISIBLE = {
    "404.html": [TITLE + " Port <b>bold</b>"],  # the navigation names the briefing
    "index.html": [TITLE + " Port <b>bold</b>", XSS, SVG, "Summary " + XSS],
    "harbour/index.html": [TITLE + " Port <b>bold</b>", "Summary " + XSS, IMG, "<svg onload=alert(1)>",
                           IMG + " judged", XSS + " question?", XSS + " ships", XSS + " event",
                           SVG + ": " + TITLE, XSS + " Wire"],
    "harbour/facts/index.html": [XSS + " ships", IMG + " value"],
    "harbour/questions/index.html": [XSS + " question?", IMG + " label", "</td></tr></table>" + XSS,
                                     XSS + " evidence", XSS + " watch"],
    "harbour/sources/evil/index.html": [TITLE, SVG, IMG, "holds " + XSS + " inline", IFRAME,
                                        "<svg onload=alert(1)>svg text", "</svg>", "Heading " + XSS,
                                        "head " + XSS, "table <b onmouseover=alert(1)>cell</b>",
                                        '<a href="javascript:alert(1)" onclick="alert(1)">raw anchor</a>'],
    # An excerpts page (`publish: excerpts`): only the quoted words, still as text.
    "harbour/sources/wire/index.html": [XSS + " Wire", SVG + " pilots", "Wire line one " + XSS,
                                        "Wire line two " + IMG],
}


def test_excerpts_page_leaves_out_the_rest(site: Path) -> None:
    page = parse((site / "harbour" / "sources" / "wire" / "index.html").read_text(encoding="utf-8"))
    assert "on cranes" not in page.visible


@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_hostile_text_is_shown_as_text(site: Path, name: str) -> None:
    page = parse((site / name).read_text(encoding="utf-8"))
    visible = " ".join(page.visible.split())
    for text in VISIBLE[name]:
        assert " ".join(text.split()) in visible, f"{name}: {text!r} is not visible as text"


def test_nothing_is_escaped_twice(site: Path) -> None:
    """Escaped once is inert; escaped twice shows readers '&lt;' (the hostile strings hold no '&')."""
    for path in html_pages(site):
        page = parse(path.read_text(encoding="utf-8"))
        shown = [page.title, page.visible] + [v or "" for _, a in page.elements for k, v in a.items()
                                              if k in ("content", "title", "aria-label", "alt")]
        for text in shown:
            for entity in ("&lt;", "&gt;", "&quot;", "&#34;", "&amp;"):
                assert entity not in text, f"{path.relative_to(site)}: {entity} shown as text in {text[:120]!r}"


@pytest.mark.parametrize("name", ["harbour/sources/evil/index.html", "harbour/index.html",
                                  "harbour/questions/index.html", "harbour/facts/index.html"])
def test_links_to_javascript_and_data_keep_their_words(site: Path, name: str) -> None:
    """A `javascript:`/`data:` link is not a link; its Markdown stays readable as text."""
    page = parse((site / name).read_text(encoding="utf-8"))
    visible = " ".join(page.visible.split())
    assert "javascript:alert(1)" in visible
    hrefs = [a.get("href") or "" for t, a in page.elements if t == "a"]
    assert not [h for h in hrefs if "javascript:" in h.lower() or h.lower().lstrip().startswith("data:")]


def test_source_page_title_and_meta_are_escaped(site: Path) -> None:
    html = (site / "harbour" / "sources" / "evil" / "index.html").read_text(encoding="utf-8")
    page = assert_inert(html, "source page")
    # The whole hostile title reached <title> as text: the first </title> did not close it.
    assert TITLE in page.title and SVG in page.title
    metas = {a.get("property") or a.get("name"): a.get("content") or "" for t, a in page.elements if t == "meta"}
    assert TITLE in metas["og:title"] and SVG in metas["og:title"]
    assert "&lt;" not in metas["og:title"], "escaped twice: a link preview would show '&lt;'"
    assert "&lt;" not in page.title, "escaped twice: the browser tab would show '&lt;'"


def test_summary_title_and_meta_are_escaped(site: Path) -> None:
    html = (site / "harbour" / "index.html").read_text(encoding="utf-8")
    page = assert_inert(html, "summary page")
    assert TITLE + " Port <b>bold</b>" in page.title
    metas = {a.get("property") or a.get("name"): a.get("content") or "" for t, a in page.elements if t == "meta"}
    assert (TITLE + " Port <b>bold</b>") in metas["og:title"]
    assert "Summary " + XSS in metas["og:description"]


def test_original_url_is_an_attribute_not_markup(site: Path) -> None:
    page = parse((site / "harbour" / "sources" / "evil" / "index.html").read_text(encoding="utf-8"))
    hrefs = [a["href"] for t, a in page.elements if t == "a" and (a.get("href") or "").startswith("https://example.com/")]
    assert hrefs and all(h.startswith('https://example.com/a"><script>alert(1)</script>') for h in hrefs)


def test_search_index_is_inert(site: Path) -> None:
    """Material renders search titles and texts as HTML: they must hold no live markup."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert docs
    seen_alert = False
    for doc in docs:
        for key in ("title", "text"):
            value = doc.get(key) or ""
            seen_alert |= "alert(1)" in value
            assert_inert(f"<html><head></head><body>{value}</body></html>", f"search {doc['location']} {key}")
    assert seen_alert, "the hostile text should be searchable (as text)"


def test_briefing_json_keeps_text_verbatim(site: Path) -> None:
    data = json.loads((site / "harbour" / "briefing.json").read_text(encoding="utf-8"))
    assert data["title"] == TITLE + " Port <b>bold</b>"
    outlets = {s["outlet"] for s in data["sources"]}
    assert SVG in outlets and XSS + " Wire" in outlets
    assert all(not (s.get("url") or "").lower().startswith(("javascript:", "data:")) for s in data["sources"])


def test_no_file_outside_site(site: Path) -> None:
    root = site.parent
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    # Besides the site: the project's files and the cache (parse cache, kept briefings, pages,
    # compiled templates, and the note of which kept page each file of the site holds).
    kept = re.compile(r"\.briefgen-cache/(briefings/[0-9a-f]{32}\.briefing|pages/[0-9a-f]{32}\.page"
                      r"|templates/[0-9a-f]{40}\.code|sources/[0-9a-f]{32}\.json|site\.json)")
    others = {f for f in files if not f.startswith("site/") and not kept.fullmatch(f)}
    assert others == {"mkdocs.yml", "content/harbour/briefing.yml", "content/harbour/sources/evil.md",
                      "content/harbour/sources/wire.txt"}
    assert any(f.startswith(".briefgen-cache/pages/") for f in files)


@pytest.mark.parametrize("snippet", [
    "<title></title><script>alert(1)</script></title>",
    '<img src=x onerror="alert(1)">',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg onload=alert(1)>",
    '<script src="https://evil.example/x.js"></script>',
])
def test_the_checker_catches_live_markup(snippet: str) -> None:
    """The page checker itself: each of these must be caught, or the tests above prove nothing."""
    with pytest.raises(AssertionError):
        assert_inert(f"<html><head><title>t</title></head><body>{snippet}</body></html>", "self-test")


# -- paths -------------------------------------------------------------------------------------

def _snapshot(root: Path) -> dict[str, str]:
    """Every file but the parse cache, which a failed run keeps up to date on purpose."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*")) if ".briefgen-cache" not in p.parts}


GOOD_SOURCE = "---\ntitle: Cranes\noutlet: Ledger\n---\n\nDock workers walked out on Monday.\n"


@pytest.mark.parametrize("entry", [
    "  ../../evil:\n    outlet: O\n    title: T\n",
    "  ../../evil:\n    file: sources/ledger.md\n    outlet: O\n    title: T\n",
    "  evil:\n    file: ../../evil.md\n    outlet: O\n    title: T\n",
    "  evil:\n    file: /tmp/evil.md\n    outlet: O\n    title: T\n",
    "  evil:\n    file: sources/../../../evil.md\n    outlet: O\n    title: T\n",
])
def test_path_like_ids_and_files_write_nothing_outside(tmp_path: Path, entry: str) -> None:
    root = tmp_path / "project"
    folder = root / "content" / "port"
    (folder / "sources").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS)
    (folder / "sources" / "ledger.md").write_text(GOOD_SOURCE)
    (tmp_path / "evil.md").write_text(GOOD_SOURCE)
    (folder / "briefing.yml").write_text(
        "title: T\nas_of: 2024-11-06\nsources:\n" + entry +
        "summary:\n  - id: ../../x\n    text: t\n    cite:\n      - ledger: \"Dock workers walked out\"\n")
    before = _snapshot(tmp_path)
    result = build(root)
    assert result.exit_code == 1
    assert "content/port/briefing.yml:" in result.stderr and ": error: " in result.stderr
    assert "'id' must be a slug" in result.stderr
    assert _snapshot(tmp_path) == before, "a failed build wrote files"


def test_failed_build_leaves_site_byte_for_byte(tmp_path: Path) -> None:
    root = tmp_path / "project"
    folder = root / "content" / "port"
    (folder / "sources").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS)
    (folder / "sources" / "ledger.md").write_text(GOOD_SOURCE)
    yml = folder / "briefing.yml"
    yml.write_text("title: T\nas_of: 2024-11-06\nsummary:\n  - text: t\n    cite:\n"
                   "      - ledger: \"Dock workers walked out\"\n")
    assert build(root).exit_code == 0
    before = _snapshot(tmp_path)
    assert any(k.startswith("project/site/port/") for k in before)
    yml.write_text(yml.read_text().replace("Dock workers walked out", "Dock workers stayed in"))
    result = build(root)
    assert result.exit_code == 1
    assert "content/port/briefing.yml:6:17: error: quote not found" in result.stderr
    after = _snapshot(tmp_path)
    assert set(after) == set(before), "files appeared or vanished"
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"project/content/port/briefing.yml"}, "site/ changed"


# -- messages ----------------------------------------------------------------------------------

def _messages(tmp_path: Path, briefing: str, source_body: str = "Dock workers walked out on Monday.\n") -> list[str]:
    root = tmp_path / "project"
    folder = root / "content" / "port"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "ledger.md").write_text("---\ntitle: T\noutlet: O\n---\n\n" + source_body)
    (folder / "briefing.yml").write_text(briefing)
    return [str(p) for p in check(root).report.sorted()]


def _assert_one_clean_line(lines: list[str]) -> None:
    assert lines
    for line in lines:
        assert "\n" not in line and "\r" not in line, f"a problem spans lines: {line!r}"
        assert not any(ord(c) < 32 or ord(c) == 127 or 0x80 <= ord(c) < 0xA0 for c in line), \
            f"control characters reach the terminal: {line!r}"


def test_messages_are_single_lines(tmp_path: Path) -> None:
    _assert_one_clean_line(_messages(tmp_path, "title: T\nas_of: 2024-11-06\ntitel: x\n"))


@pytest.mark.parametrize("briefing", [
    'title: T\nas_of: 2024-11-06\n"x\\ncontent/port/briefing.yml:1:1: error: forged": 1\n',
    'title: T\nas_of: 2024-11-06\n"x\\u001b[2J\\u001b[31m": 1\n',
    'title: T\nas_of: 2024-11-06\nsummary:\n  - text: t\n    cite:\n      - "led\\nger": "Dock"\n',
])
def test_user_text_in_messages_is_escaped(tmp_path: Path, briefing: str) -> None:
    _assert_one_clean_line(_messages(tmp_path, briefing))


def test_suggested_passage_is_escaped(tmp_path: Path) -> None:
    body = "Dock workers \x1b[2J\x1b[31mwalked out on Monday at the port.\n"
    lines = _messages(tmp_path, 'title: T\nas_of: 2024-11-06\nsummary:\n  - text: t\n    cite:\n'
                      '      - ledger: "Dock workers walked out on Monday at the pier"\n', body)
    assert any("did you mean" in ln for ln in lines)
    _assert_one_clean_line(lines)


def test_control_character_in_yaml_is_located(tmp_path: Path) -> None:
    lines = _messages(tmp_path, "title: T\nas_of: 2024-11-06\ntags: [a\x00]\n")
    _assert_one_clean_line(lines)
    assert lines[0].startswith("content/port/briefing.yml:3:9: error: ")


def test_unknown_tag_is_one_line(tmp_path: Path) -> None:
    lines = _messages(tmp_path, "title: !!python/object:os.system x\nas_of: 2024-11-06\n")
    _assert_one_clean_line(lines)
    assert lines[0].startswith("content/port/briefing.yml:1:8: error: ")


def test_no_title_attribute_carries_content(site: Path) -> None:
    """Material's content.tooltips (and its own cut-off labels) put `title` text into the page as
    HTML: no title attribute may hold text from content, escaped or not. What is left is the
    theme's own ("Clear", "Switch to dark mode") and the site name the user wrote."""
    titles: set[str] = set()
    for path in html_pages(site):
        for _, attrs in parse(path.read_text(encoding="utf-8")).elements:
            if attrs.get("title"):
                titles.add(attrs["title"])
    hostile = [t for t in titles if any(s in t for s in ("alert", "<", ">", "Wire", "Port", "ships", "pilots"))]
    assert titles and not hostile, hostile


def test_preview_data_is_inert_and_holds_no_excerpt_context(site: Path) -> None:
    """Citation previews are read from a <template>: text only, and for an excerpts-only source
    nothing around the quoted words."""
    html = (site / "harbour" / "index.html").read_text(encoding="utf-8")
    store = html[html.index('<template id="bg-previews"'):html.index("</template>")]
    assert_inert(f"<html><head><title>t</title></head><body>{store}</body></html>", "previews")
    assert "data-search-exclude" in store.split(">", 1)[0]
    assert "Wire line one &lt;script&gt;alert(1)&lt;/script&gt; with pilots" in store
    assert "on cranes" not in store and "Wire line three" not in store
