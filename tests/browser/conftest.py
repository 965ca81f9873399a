"""Fixtures for the browser tests: one build of the example, one local server, one Chromium.

The example project (content/ and mkdocs.yml of this repository) is copied to a temporary
directory, given `site_url: http://127.0.0.1:<port>/`, built with briefgen and served by the
standard library on 127.0.0.1. Chromium is Debian's, at /usr/bin/chromium; Playwright never
downloads a browser here. Every request that is not for 127.0.0.1 is aborted, so the tests
work without a network. The example sets `theme.font: false`, so it asks for nothing elsewhere
(tests/browser/test_reading.py checks that).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BRIEFGEN_CHROMIUM") or "/usr/bin/chromium")  # override only to test the gate
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium); "
                "`playwright install` is not used")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'playwright is not installed (pip install -e ".[test]")'
    return None


def require_chromium() -> None:
    """Skip without Chromium, except in CI (env CI set), where that is a failure."""
    problem = chromium_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser tests cannot run: {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


# -- the site ---------------------------------------------------------------------------------

class SiteHandler(SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's own 404.html with status 404 (as on GitHub Pages)."""

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass
class Site:
    project: Path  # the copied project
    root: Path  # its built site/
    url: str  # the site_url, ending in "/"
    briefing: str  # id of the example briefing, e.g. "khmeimim"
    source: str  # id of one of its sources, e.g. "jpost"
    data: dict  # the briefing.yml, parsed

    def page(self, kind: str) -> str:
        """Absolute URL of one page of each kind."""
        return self.url + {
            "index": "",
            "summary": f"{self.briefing}/",
            "facts": f"{self.briefing}/facts/",
            "questions": f"{self.briefing}/questions/",
            "source": f"{self.briefing}/sources/{self.source}/",
            "changes": f"{self.briefing}/changes/",
            "404": "no-such-page/",
        }[kind]


PAGE_KINDS = ["index", "summary", "facts", "questions", "source", "changes", "404"]


def _serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=f"serve {directory}", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _set_site_url(mkdocs_yml: Path, url: str) -> None:
    lines = [line for line in mkdocs_yml.read_text(encoding="utf-8").splitlines()
             if not line.startswith("site_url:")]
    lines.insert(1, f"site_url: {url}")
    mkdocs_yml.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _build(project: Path) -> None:
    from briefgen.engine.site import build_site as build

    outcome = build(project)
    assert not outcome.report.failed(False), f"briefgen build of {project} failed: {outcome.report}"
    assert (project / "site" / "index.html").is_file(), f"no site built in {project / 'site'}"


@contextmanager
def _served_project(tmp: Path, fill: Callable[[Path], None]) -> Iterator[tuple[Path, str]]:
    """Copy or write a project with `fill`, serve its site/ on 127.0.0.1:<free port>, build it."""
    project = tmp / "project"
    project.mkdir()
    server, url = _serve(project / "site")  # the port must be known before the build
    try:
        fill(project)
        _set_site_url(project / "mkdocs.yml", url)
        _build(project)
        yield project, url
    finally:
        server.shutdown()
        server.server_close()


# The example as it was a day earlier: what its first committed version says. Each pair is
# (today's text, that version's), so the second version changes a fact's value, a statement's
# assessment and a question's status, and adds a fact and a timeline event.
EARLIER_EXAMPLE = [
    ("as_of: 2024-12-14", "as_of: 2024-12-13"),
    ("value: Two An-124s at Khmeimim with their nose cones raised for loading", "value: Two An-124s at Khmeimim"),
    ("    assessment: moderate", "    assessment: low"),
    ("    status: leaning           # open | leaning | resolved", "    status: open"),
    ("""  - id: hts-contacts
    fact: Contacts with HTS
    value: Moscow is in touch with HTS and calls the talks constructive
    cite:
      - jpost: "hoped the group would keep its word and called the talks constructive"
        origin: Mikhail Bogdanov
""", ""),
    ("""  - date: 2024-12-13
    text: Maxar imagery shows An-124s with nose cones raised at Khmeimim.
    cite: [{jpost: "In the Friday imagery", origin: Maxar}, {japantimes: "near Latakia, taken on Friday", origin: Maxar}]
""", ""),
]


def example_with_history(project: Path) -> None:
    """The repository's example in a git repository with two committed versions: the one of
    EARLIER_EXAMPLE, then today's (also the working tree), so pages show what changed."""
    from gitrepo import git

    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / ".gitignore").write_text("site/\n.briefgen-cache/\n", encoding="utf-8")
    briefing = project / "content" / "khmeimim" / "briefing.yml"
    today = briefing.read_text(encoding="utf-8")
    earlier = today
    for now, then in EARLIER_EXAMPLE:
        assert earlier.count(now) == 1, f"the example no longer holds {now!r}: update EARLIER_EXAMPLE"
        earlier = earlier.replace(now, then)
    git(project, "init", "-q")
    briefing.write_text(earlier, encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "first version")
    briefing.write_text(today, encoding="utf-8")
    git(project, "commit", "-q", "-am", "second version")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The repository's example with two versions in git (so it has a versions page), built once
    with site_url pointing at a local server."""
    require_chromium()
    fill = example_with_history

    with _served_project(tmp_path_factory.mktemp("example"), fill) as (project, url):
        briefing_yml = sorted((project / "content").glob("*/briefing.yml"))[0]
        sources = sorted((briefing_yml.parent / "sources").glob("*.md"))
        # Prefer the source the first summary statement cites, so the citation tests and the
        # "source" page kind look at the same page.
        data = yaml.safe_load(briefing_yml.read_text(encoding="utf-8"))
        ids = [s.stem for s in sources]
        first = cite_of(data["summary"][0]["cite"][0])[0]
        yield Site(project, project / "site", url, briefing_yml.parent.name,
                   first if first in ids else ids[0], data)


TINY_BRIEFING = """\
title: Tiny briefing
as_of: 2024-12-14
summary:
  - text: The harbour was empty on Friday.
    cite:
      - wire: "the harbour was empty on Friday morning"
  - text: The ships left over several days and nobody says where they went.
    cite:
      - wire: "ships left one by one over the course of several days, and no official would say where they had gone"
        note: Only *one* witness saw the last ship leave.
"""

TINY_SOURCE = """\
---
title: Harbour empties
outlet: Example Wire
published: 2024-12-13
url: https://wire.example/harbour-empties
---

Witnesses said the harbour was empty on Friday morning. The ships left one by one over the course of several days, and no official would say where they had gone.
"""


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A one-source project whose source is NOT paraphrased (the example's sources all are)."""
    require_chromium()

    def fill(project: Path) -> None:
        (project / "content" / "tiny" / "sources").mkdir(parents=True)
        (project / "content" / "tiny" / "briefing.yml").write_text(TINY_BRIEFING, encoding="utf-8")
        (project / "content" / "tiny" / "sources" / "wire.md").write_text(TINY_SOURCE, encoding="utf-8")
        (project / "mkdocs.yml").write_text("site_name: tiny\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")

    with _served_project(tmp_path_factory.mktemp("tiny"), fill) as (project, url):
        yield Site(project, project / "site", url, "tiny", "wire", yaml.safe_load(TINY_BRIEFING))


WIDE_OUTLETS = ["Agence Mondiale", "Baltic Ledger", "Caspian Wire", "Danube Post", "Euxine Herald",
                "Fjord Tribune", "Gulf Courier", "Hanseatic Review"]


def _wide_project(project: Path) -> None:
    """Eight sources and facts with long words: the coverage matrix at its most crowded."""
    folder = project / "content" / "wide"
    (folder / "sources").mkdir(parents=True)
    lines = ["title: Eight outlets", "as_of: 2024-12-14", "facts:"]
    for fid, name in (("port", "Decommissioning of the northernmost containerterminal"),
                      ("ships", "Reconnaissance overflights")):
        lines += [f"  - id: {fid}", f"    fact: {name}", "    value: Reported by all.", "    cite:"]
        lines += [f"      - s{n}: \"{fid} report number {n}\"" for n in range(1, 9)]
    (folder / "briefing.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n, outlet in enumerate(WIDE_OUTLETS, 1):
        (folder / "sources" / f"s{n}.md").write_text(
            f"---\ntitle: Story {n}\noutlet: {outlet}\n---\n\nThe port report number {n} is in. "
            f"The ships report number {n} is in.\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: wide\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")


@pytest.fixture(scope="session")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Eight sources citing two facts (coverage matrix legibility on a phone)."""
    require_chromium()
    with _served_project(tmp_path_factory.mktemp("wide"), _wide_project) as (project, url):
        yield Site(project, project / "site", url, "wide", "s1", {})


def cite_of(cite: dict) -> tuple[str, str]:
    """(source id, quote) of a citation in either of briefing.yml's two forms."""
    if "source" in cite:
        return cite["source"], cite["quote"]
    key = next(k for k in cite if k not in {"origin", "note", "disputes"})
    return key, cite[key]


# -- the browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _offline(route) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def write_files(project: Path, files: dict[str, str]) -> None:
    """Fill a project folder (for _served_project): each path relative to it, with its text."""
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")


def _context(chromium, site: Site, **options):
    context = chromium.new_context(**options)
    context.set_default_timeout(10_000)
    context.route("**/*", _offline)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url.rstrip("/"))
    return context


@pytest.fixture(scope="session")
def desktop(chromium, site: Site):
    """One 1280x900 context shared by the tests that change nothing but the page they open."""
    context = _context(chromium, site, viewport=DESKTOP)
    yield context
    context.close()


@pytest.fixture(scope="session")
def phone(chromium, site: Site):
    """One 390x844 context, likewise shared."""
    context = _context(chromium, site, viewport=PHONE)
    yield context
    context.close()


@pytest.fixture(scope="session")
def _desktop_page(desktop):
    return desktop.new_page()


@pytest.fixture(scope="session")
def _phone_page(phone):
    return phone.new_page()


def _reset(page):
    """Reuse one page (opening a page per test costs more than the test): blank, screen media."""
    page.goto("about:blank")
    page.emulate_media(media="screen")
    page.mouse.move(0, 0)
    return page


@pytest.fixture
def page(_desktop_page):
    """The shared 1280x900 page, blanked."""
    return _reset(_desktop_page)


@pytest.fixture
def phone_page(_phone_page):
    """The shared 390x844 page, blanked."""
    return _reset(_phone_page)


@pytest.fixture
def new_page(chromium, site: Site):
    """new_page(viewport=DESKTOP, **context options): a page in a context of its own, for tests
    that change state kept per context (the palette choice in localStorage)."""
    contexts = []

    def make(viewport: dict = DESKTOP, **options):
        contexts.append(_context(chromium, site, viewport=viewport, **options))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    where = Path(os.environ.get("BRIEFGEN_SCREENSHOTS") or REPO / "test-output" / "screenshots")
    where.mkdir(parents=True, exist_ok=True)
    return where


# True once three animation frames in a row ran no transition or animation and moved nothing:
# the scroll position and the box of `selector` (or the body) unchanged; false if the page is
# still moving after `frames` frames.
_STILL = """([selector, frames]) => new Promise(resolve => {
    let last = null, still = 0, n = 0;
    const tick = () => {
        const el = (selector && document.querySelector(selector)) || document.body;
        const r = el.getBoundingClientRect();
        const now = [scrollX, scrollY, r.top, r.left, r.width, r.height].join();
        const moving = document.getAnimations().some(a => a.playState === 'running');
        still = !moving && now === last ? still + 1 : 0;
        last = now;
        if (still >= 3) resolve(true);
        else if (++n > frames) resolve(false);
        else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""


def settle(page, selector: str | None = None, frames: int = 600) -> None:
    """Wait until the page is at rest: no transition or animation runs (Material fades its
    drawer's sections in and swaps the header's title with a fade as the page scrolls), and a
    scroll to a fragment has ended. So axe sees colours at rest, and a test measures where
    things stopped, not where they were halfway."""
    assert page.evaluate(_STILL, [selector, frames]), f"the page was still moving after {frames} frames"


def next_frames(page, count: int = 2) -> None:
    """Wait until the browser has drawn `count` more frames: whatever a hover or a tap set off
    in this frame (a handler, a style change) has run and been painted."""
    page.evaluate("""(count) => new Promise(resolve => {
        const step = n => n ? requestAnimationFrame(() => step(n - 1)) : resolve();
        step(count);
    })""", count)


def wait_until_wired(page) -> None:
    """Wait until briefgen.js has started on this page (its `wire`, run when Material's document$
    emits): the copy buttons are wired, and a link to a moved or removed row has been followed,
    in the same step."""
    page.wait_for_function("() => document.querySelector('button.bg-copy[data-wired]') !== null")


# WCAG 2.2 A and AA: these tags switch on axe's target-size rule (24x24 CSS px, or room around),
# which axe leaves off by default.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                      "wcag22a", "wcag22aa"]},
               "resultTypes": ["violations"]}
WIDTHS = {"1280": {"viewport": DESKTOP}, "390": {"viewport": PHONE, "has_touch": True, "is_mobile": True}}


@pytest.fixture(scope="session")
def axe_results(chromium, site: Site) -> Iterator[dict]:
    """axe-core violations of WCAG 2.2 A and AA per (scheme, width, page kind), each run once and
    shared. "light" is the default palette; "dark" a context that prefers a dark colour scheme, so
    Material starts in its slate palette. "390" is a phone (touch, no hover), "1280" a desktop."""
    from axe_playwright_python.sync_playwright import Axe

    axe, pages, contexts = Axe(), {}, []

    class Results(dict):
        def __missing__(self, key: tuple[str, str, str]) -> list[dict]:
            scheme, width, kind = key
            if (scheme, width) not in pages:
                contexts.append(_context(chromium, site, color_scheme=scheme, **WIDTHS[width]))
                pages[scheme, width] = contexts[-1].new_page()
            page = _reset(pages[scheme, width])
            page.goto(site.page(kind), wait_until="load")
            expected = "slate" if scheme == "dark" else "default"
            actual = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
            assert actual == expected, f"{kind} page opened in palette {actual!r}, not {expected!r}"
            settle(page)
            self[key] = axe.run(page, options=AXE_OPTIONS).response["violations"]
            return self[key]

    yield Results()
    for context in contexts:
        context.close()


def png_pixels(data: bytes) -> list[list[tuple[int, int, int]]]:
    """The RGB rows of an 8-bit, non-interlaced PNG (what Chromium's screenshots are), for tests
    that look at what was drawn. The five row filters undone as the PNG specification says."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, head = 8, [], b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + n
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", head)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    step = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(b"".join(chunks)), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b, c = prev[i], prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([(line[i], line[i + 1], line[i + 2]) for i in range(0, stride, step)])
        prev = line
    return rows
