"""Shared helpers: small real projects on disk, one build of the example, and a link follower.

`make_project(tmp_path, files)` writes a site project (a minimal mkdocs.yml unless one is given)
and returns its root. `built_example` copies this repository's content/ and mkdocs.yml to a
temporary folder and builds it once per session. `SiteReader` parses a built site with the
standard library's html.parser and follows links the way a browser would: relative to the page
that holds them, to a file, then to the element with the fragment's id.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefgen import pipeline
from briefgen.text.normalise import normalised

REPO = Path(__file__).resolve().parents[1]

MINIMAL_MKDOCS = "site_name: Test briefings\ntheme: material\nplugins: [search]\n"


# -- projects ----------------------------------------------------------------------------------

def make_project(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """Write a project under tmp_path and return its root.

    `files` maps paths relative to the root to their text (dedented, written as UTF-8 exactly,
    no newline translation) or to raw bytes. A minimal mkdocs.yml (`theme: material`,
    `plugins: [search]`) is added unless `files` has one.
    """
    root, n = tmp_path / "project", 2
    while root.exists():
        root, n = tmp_path / f"project-{n}", n + 1
    files = dict(files)
    files.setdefault("mkdocs.yml", MINIMAL_MKDOCS)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(textwrap.dedent(content).encode("utf-8"))
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(name="make_project")
def make_project_fixture():
    """The `make_project(tmp_path, files)` helper, as a fixture."""
    return make_project


def build_ok(project: Path, **kwargs) -> pipeline.Outcome:
    """A real build; fails the test with every reported error if the build did not pass."""
    from briefgen.engine.site import build_site

    outcome = build_site(project, **kwargs)
    errors = [str(p) for p in outcome.report.errors]
    assert not errors, "build failed:\n" + "\n".join(errors)
    return outcome


def tree_hash(root: Path) -> dict[str, str]:
    """Every file and folder under root with a hash of its bytes: equal means byte-for-byte equal."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "<dir>" for p in sorted(root.rglob("*"))}


@dataclass
class Example:
    project: Path
    site: Path
    outcome: pipeline.Outcome


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    """This repository's example (content/ and mkdocs.yml), copied and built once."""
    project = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    outcome = build_ok(project)
    return Example(project, project / "site", outcome)


# -- reading a built site ------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


def norm(text: str) -> str:
    """Text as the contract compares it: whitespace collapsed, quotes and dashes folded."""
    return normalised(text)


@dataclass
class Link:
    href: str
    classes: set[str]
    attrs: dict[str, str]
    in_nav: bool  # inside a <nav> element (MkDocs/Material navigation, briefgen's tabs)
    text: str = ""


@dataclass
class Parsed:
    """One HTML page: the text of every element with an id, and every <a href>."""

    ids: dict[str, str] = field(default_factory=dict)
    id_classes: dict[str, set[str]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    """Collects element texts by id, leaving out back-link chrome (`.bg-backlinks`). A quote
    marked in pieces (it crosses another quote's or the source's own element edges) is one
    passage: the pieces after the first name it in `data-bg-of`, and their text is added to it.

    Back-links are inserted by briefgen right after a highlighted passage; they are not words
    of the source, so they are left out of the text an anchor is compared on.
    """

    def __init__(self, keep_chrome: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_chrome = keep_chrome
        self.out = Parsed()
        self.stack: list[dict] = []
        self.all_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        classes = set(a.get("class", "").split())
        if tag == "a" and "href" in a:
            in_nav = any(f["tag"] == "nav" for f in self.stack)
            self.out.links.append(Link(a["href"], classes, a, in_nav))
        if tag in VOID:
            return
        chrome = not self.keep_chrome and ("bg-backlinks" in classes or any(f["chrome"] for f in self.stack))
        self.stack.append({"tag": tag, "id": a.get("id"), "of": a.get("data-bg-of"), "classes": classes, "parts": [],
                           "chrome": chrome, "link": self.out.links[-1] if tag == "a" and "href" in a else None})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_data(self, data):
        self.all_text.append(data)
        for f in self.stack:
            if f["link"] is not None:
                f["parts"].append(data)
        if self.stack and self.stack[-1]["chrome"]:
            return
        for f in self.stack:
            if (f["id"] is not None or f["of"] is not None) and f["link"] is None:
                f["parts"].append(data)

    def handle_endtag(self, tag):
        if not any(f["tag"] == tag for f in self.stack):
            return  # a stray end tag
        while self.stack:
            f = self.stack.pop()
            text = "".join(f["parts"])
            if f["link"] is not None:
                f["link"].text = " ".join(text.split())
            if f["id"] is not None:
                self.out.ids.setdefault(f["id"], text)
                self.out.id_classes.setdefault(f["id"], f["classes"])
            elif f["of"] is not None and f["of"] in self.out.ids:
                # A quote split at an element's edge: its later pieces continue the passage
                self.out.ids[f["of"]] += text
            if f["tag"] == tag:
                break


def parse_html(text: str, keep_chrome: bool = False) -> Parsed:
    """Parse a page; `keep_chrome` keeps back-link text in element texts (a browser's textContent)."""
    p = _Parser(keep_chrome)
    p.feed(text)
    p.close()
    while p.stack:
        p.handle_endtag(p.stack[-1]["tag"])
    p.out.text = "".join(p.all_text)
    return p.out


class SiteReader:
    """A built site folder, read like a browser reads it."""

    def __init__(self, site: Path):
        self.site = site
        self._cache: dict[str, Parsed] = {}

    def pages(self) -> list[str]:
        """Every HTML page, relative to the site root (theme assets left out)."""
        return sorted(p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")
                      if not p.relative_to(self.site).as_posix().startswith("assets/"))

    def page(self, rel: str) -> Parsed:
        if rel not in self._cache:
            self._cache[rel] = parse_html((self.site / rel).read_text(encoding="utf-8"))
        return self._cache[rel]

    def resolve(self, from_file: str, href: str) -> tuple[str, str] | None:
        """(target file relative to the site, fragment) for a relative link; None if external."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("/"):
            return None
        if not parts.path:
            return from_file, unquote(parts.fragment)
        base = posixpath.dirname(from_file)
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        assert not target.startswith(".."), f"{from_file}: link {href!r} leaves the site"
        if parts.path.endswith("/") or target == ".":
            target = posixpath.join("" if target == "." else target, "index.html")
        elif (self.site / target).is_dir():
            target = posixpath.join(target, "index.html")
        return target, unquote(parts.fragment)

    def target_text(self, from_file: str, href: str) -> tuple[str, str]:
        """Follow a link: (target file, text of the element with the fragment id). Asserts both exist."""
        resolved = self.resolve(from_file, href)
        assert resolved is not None, f"{from_file}: {href!r} is not a relative link"
        target, fragment = resolved
        assert (self.site / target).is_file(), f"{from_file}: link {href!r} leads to missing {target}"
        assert fragment, f"{from_file}: link {href!r} has no fragment"
        ids = self.page(target).ids
        assert fragment in ids, f"{from_file}: link {href!r}: no element id={fragment!r} in {target}"
        return target, ids[fragment]

    def follow_citation(self, from_file: str, href: str, quote: str) -> None:
        target, text = self.target_text(from_file, href)
        assert "/sources/" in "/" + target, f"{from_file}: citation {href!r} does not lead to a source page"
        assert norm(quote) in norm(text), (
            f"{from_file}: citation {href!r} lands on an element of {target} without the quote\n"
            f"  quote:   {quote!r}\n  element: {' '.join(text.split())[:400]!r}")

    def citation_links(self, rel: str) -> list[tuple[str, str]]:
        """(href, quote) of every citation marker `a.bg-cite` on a page (quote from its aria-label)."""
        out = []
        for link in self.page(rel).links:
            if "bg-cite" in link.classes:
                label = link.attrs.get("aria-label", "")
                assert ". Quote: " in label, f"{rel}: citation {link.href!r} names no quote"
                out.append((link.href, label.split(". Quote: ", 1)[1]))
        return out

    def follow_everything(self) -> dict[str, int]:
        """Follow every citation marker, every briefing.json citation and every back-link.

        Returns how many of each were followed, so callers can assert that there were some.
        """
        counts = {"cite": 0, "json": 0, "backlink": 0, "statement": 0}
        for rel in self.pages():
            for href, quote in self.citation_links(rel):
                self.follow_citation(rel, href, quote)
                counts["cite"] += 1
            for link in self.page(rel).links:
                if "bg-backlink" in link.classes:
                    self.target_text(rel, link.href)
                    counts["backlink"] += 1
        for path in sorted(self.site.rglob("briefing.json")):
            folder = path.parent.relative_to(self.site).as_posix()
            here = posixpath.join(folder, "index.html")  # hrefs are relative to the folder
            doc = json.loads(path.read_text(encoding="utf-8"))
            for st in doc["statements"]:
                self.target_text(here, st["href"])
                counts["statement"] += 1
                for c in st["citations"]:
                    self.follow_citation(here, c["href"], c["quote"])
                    counts["json"] += 1
        return counts


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _site_views(site: Path) -> dict[str, list[str]]:
    """Every file under site/ as text views: raw, JSON decoded, and HTML text (invisibles removed)."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes().decode("utf-8", errors="replace")
        views = [raw]
        if path.suffix == ".json":
            try:
                views.append(json.dumps(json.loads(raw), ensure_ascii=False))
            except ValueError:
                pass
        if path.suffix in (".html", ".json"):
            views += [parse_html(v).text for v in list(views)]
        out[path.relative_to(site).as_posix()] = [v.translate(_INVISIBLE) for v in views]
    return out


def grep_site(site: Path, *needles: str) -> dict[str, list[str]]:
    """For each needle, the files under site/ (any kind, search index included) that contain it.

    Compared after the contract's normalisation, in the raw file and also with JSON escapes and
    HTML markup decoded, so escaping cannot hide published words. Normalising megabytes of theme
    assets is slow, so a view is normalised only if it holds every word of the needle (words are
    letters and digits, which normalisation leaves alone once invisible characters are gone).
    """
    views = _site_views(site)
    normalised: dict[tuple[str, int], str] = {}
    out = {}
    for needle in needles:
        want = norm(needle)
        words = re.findall(r"\w+", want)
        hits = []
        for name, vs in views.items():
            for i, v in enumerate(vs):
                if all(w in v for w in words):
                    key = (name, i)
                    if key not in normalised:
                        normalised[key] = norm(v)
                    if want in normalised[key]:
                        hits.append(name)
                        break
        out[needle] = hits
    return out


def http_get(url: str) -> str:
    """A page from a local server, or "" while it is not up (for polling)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds  # a generous bound, not a performance assertion
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
