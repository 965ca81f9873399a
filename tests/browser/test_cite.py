"""Select-to-cite (#27): select words on a source page, press Cite, paste a citation that
`briefgen check` verifies. Each selection and the line it must copy are written by hand from
the source below; check's verdict on the same lines is asked separately."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import http_get, wait_for

from briefgen import pipeline

from .conftest import DESKTOP, REPO, Site, _context, _served_project

pytestmark = pytest.mark.browser

SOURCE = """\
---
title: Λιμάνι σε απεργία
outlet: Harbour Wire
drop: ["Subscribe"]
---

The port is closed. The port is closed to ships — “for now”, officials said.

Subscribe to our newsletter for more.

Οι λιμενεργάτες απεργούν από τη Δευτέρα.

أضرب عمّال الميناء يوم الاثنين.

No comment.

No comment.

Капи\u00adтан порта – «пока»\u00a0молчит. Le cafe\u0301 du port reste ouvert.

قال المسؤولُ\u200f إن الرصيف مغلق.
"""

BRIEFING = """\
title: Port strike
as_of: 2024-11-06
summary:
  - text: The port is closed.
    cite:
      - agora: "port is closed to"
      - agora: "απεργούν από"
"""

MKDOCS = "site_name: cite\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n  - briefgen:\n      select_to_cite: true\n"


def write_project(project: Path, mkdocs: str = MKDOCS, source: str = SOURCE) -> None:
    folder = project / "content" / "port"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "agora.md").write_text(source, encoding="utf-8")
    (folder / "briefing.yml").write_text(BRIEFING, encoding="utf-8")
    (project / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")


@pytest.fixture(scope="module")
def cite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with _served_project(tmp_path_factory.mktemp("cite"), write_project) as (project, url):
        yield Site(project, project / "site", url, "port", "agora", {})


@pytest.fixture
def source_page(chromium, cite_site: Site):
    context = _context(chromium, cite_site, viewport=DESKTOP)
    page = context.new_page()
    page.goto(cite_site.url + "port/sources/agora/", wait_until="load")
    yield page
    context.close()


# Selects from the start of the n-th `start` in one block to the end of `end` in another (or the
# same), counting only the article's words: the "Cited in" notes inside a block are left out.
SELECT = """([fromId, start, n, toId, end]) => {
  const points = (el) => {
    const nodes = [];
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {acceptNode: (t) =>
      t.parentElement.closest('[data-search-exclude]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    while (walk.nextNode()) nodes.push(walk.currentNode);
    return nodes;
  };
  const at = (el, index) => {
    for (const t of points(el)) {
      if (index <= t.data.length) return [t, index];
      index -= t.data.length;
    }
    throw new Error('offset past the end');
  };
  const text = (el) => points(el).map((t) => t.data).join('');
  const from = document.getElementById(fromId), to = document.getElementById(toId);
  let i = -1;
  for (let k = 0; k <= n; k++) i = text(from).indexOf(start, i + 1);
  if (i < 0) throw new Error('no ' + start);
  const j = text(to).indexOf(end, to === from ? i : 0);
  if (j < 0) throw new Error('no ' + end);
  const range = document.createRange();
  range.setStart(...at(from, i));
  range.setEnd(...at(to, j + end.length));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""

# (first block, first words, which occurrence, last block, last words) -> the line, and what the
# note must say (None: no note).
GROWN = "Grown to the shortest stretch"
ACROSS = "crosses a paragraph"
ACROSS_DROP = "crosses a block left out by `drop` and a paragraph"
SELECTIONS = {
    # "is closed" occurs twice; one word more on the right makes the first one unique.
    "first of two": (("p1", "is closed", 0, "p1", "is closed"), '- agora: "is closed."', GROWN),
    # The second begins inside the mark of "port is closed to"; "to" makes it unique.
    "second of two, in a mark": (("p1", "is closed", 1, "p1", "is closed"), '- agora: "is closed to"', GROWN),
    # The words as the page spells them (a spaced em dash, curly quotes), which check folds.
    "dash and quotes": (("p1", "to ships", 0, "p1", "now”"), '- agora: "to ships — “for now”"', None),
    "Greek": (("p3", "απεργούν", 0, "p3", "απεργούν"), '- agora: "απεργούν"', None),
    # The shadda is one of the marks check leaves out; the copy keeps it.
    "Arabic with a shadda": (("p4", "عمّال", 0, "p4", "الميناء"), '- agora: "عمّال الميناء"', None),
    # Selected up to the letter under a damma: the mark comes with its letter.
    "Arabic, the mark on the last letter": (("p8", "المسؤول", 0, "p8", "المسؤول"), '- agora: "المسؤولُ"', None),
    # A right-to-left mark between the words: left out, as check would remove it with a warning.
    "Arabic across a bidi mark": (("p8", "المسؤول", 0, "p8", "إن"), '- agora: "المسؤولُ إن"', None),
    "across the dropped block": (("p1", "officials", 0, "p3", "Οι λιμενεργάτες"), '- agora: "officials said."',
                                 ACROSS_DROP),
    "across a paragraph": (("p3", "Δευτέρα", 0, "p4", "أضرب"), '- agora: "Δευτέρα."', ACROSS),
    # A soft hyphen (left out); the spaced en dash, guillemets and no-break space as printed.
    "Cyrillic": (("p7", "Капи", 0, "p7", "молчит"), '- agora: "Капитан порта – «пока»\u00a0молчит"', None),
    # Written decomposed (NFD) in the file; the page, the quote and check read it composed.
    "NFD accent": (("p7", "caf\u00e9", 0, "p7", "port"), '- agora: "caf\u00e9 du port"', None),
}


def cite(page, selection) -> tuple[str, str]:
    page.evaluate(SELECT, list(selection))
    panel = page.locator(".bg-citer")
    panel.wait_for(state="visible")
    return page.locator(".bg-citer__line").text_content(), page.locator(".bg-citer__note").text_content()


@pytest.mark.parametrize("name", list(SELECTIONS))
def test_cite_copies_the_line_hand_written_for_each_selection(source_page, name):
    selection, line, said = SELECTIONS[name]
    shown, note = cite(source_page, selection)
    assert shown == line
    assert (said in note) if said else note == ""
    if said == ACROSS:
        assert "drop" not in note
    source_page.get_by_role("button", name="Cite").click()
    source_page.get_by_role("status").filter(has_text="Copied").wait_for()
    assert source_page.evaluate("navigator.clipboard.readText()") == line


def test_words_that_occur_twice_whatever_is_added_cannot_be_cited(source_page):
    shown, note = cite(source_page, ("p5", "comment", 0, "p5", "comment"))
    assert shown == "" and "occur 2 times" in note
    assert source_page.get_by_role("button", name="Cite").is_disabled()


def test_check_agrees_with_every_line_the_page_copied(cite_site: Site, tmp_path: Path):
    """Check's verdict on the same selections: every copied line verifies; the twice-found words
    are an error that says so."""
    write_project(tmp_path)
    lines = "\n".join("      " + line for _, line, _ in SELECTIONS.values())
    briefing = tmp_path / "content" / "port" / "briefing.yml"
    briefing.write_text(BRIEFING + "  - text: Selected.\n    cite:\n" + lines + "\n", encoding="utf-8")
    assert [len(c) for c in yaml.safe_load(briefing.read_text(encoding="utf-8"))["summary"][1]["cite"]] == [1] * len(SELECTIONS)
    report = pipeline.check(tmp_path).report
    assert report.errors == [] and report.warnings == [], "\n".join(map(str, report.sorted()))
    briefing.write_text(BRIEFING + '  - text: Twice.\n    cite:\n      - agora: "comment"\n', encoding="utf-8")
    (error,) = pipeline.check(tmp_path).report.errors
    assert "2 times" in error.message


def test_the_panel_closes_and_pages_without_the_data_offer_nothing(source_page, cite_site: Site):
    cite(source_page, ("p3", "Δευτέρα", 0, "p3", "Δευτέρα"))
    source_page.keyboard.press("Escape")
    source_page.locator(".bg-citer").wait_for(state="hidden")
    source_page.goto(cite_site.url + "port/", wait_until="load")  # the summary: no source text
    source_page.evaluate("getSelection().selectAllChildren(document.querySelector('article'))")
    assert source_page.locator(".bg-citer").count() == 0


def _cite_data(project: Path) -> bool:
    return 'id="bg-cite-data"' in (project / "site" / "port" / "sources" / "agora" / "index.html").read_text(
        encoding="utf-8")


def test_published_sites_carry_no_source_text_for_it_unless_asked(tmp_path: Path):
    from briefgen.engine.site import build_site

    write_project(tmp_path, MKDOCS.replace("  - briefgen:\n      select_to_cite: true\n", "  - briefgen\n"))
    assert not build_site(tmp_path).report.failed()
    assert not _cite_data(tmp_path)


def test_serve_turns_it_on_and_an_excerpts_source_never_gets_it(tmp_path: Path):
    from briefgen.caches.reuse import serving
    from briefgen.engine.site import SiteBuilder

    write_project(tmp_path / "a", MKDOCS.replace("  - briefgen:\n      select_to_cite: true\n", ""))
    builder = SiteBuilder(tmp_path / "a", serving(), command="serve")
    try:
        assert not builder.build().report.failed()
    finally:
        builder.close()
    assert _cite_data(tmp_path / "a")
    write_project(tmp_path / "b", source=SOURCE.replace("drop:", "publish: excerpts\ndrop:"))
    from briefgen.engine.site import build_site

    assert not build_site(tmp_path / "b").report.failed()
    page = (tmp_path / "b" / "site" / "port" / "sources" / "agora" / "index.html").read_text(encoding="utf-8")
    assert not _cite_data(tmp_path / "b") and "Οι λιμενεργάτες" not in page


# -- serve: a broken quote on the page being written ---------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serving(tmp_path: Path, chromium) -> Iterator[tuple[Path, str]]:
    write_project(tmp_path, MKDOCS.replace("  - briefgen:\n      select_to_cite: true\n", "  - briefgen\n"))
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with (tmp_path / "serve.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(tmp_path), "serve", "--dev-addr",
                                 f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=log, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "agora" in http_get(url + "port/sources/agora/")), "serve never came up"
        yield tmp_path, url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_shows_a_broken_quote_on_the_page_and_clears_it_when_fixed(chromium, serving):
    from playwright.sync_api import expect

    project, url = serving
    context = _context(chromium, Site(project, project / "site", url, "port", "agora", {}), viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(url + "port/sources/agora/", wait_until="load")
        assert page.locator(".bg-overlay").count() == 0
        # Under serve, select-to-cite is on without asking.
        page.evaluate(SELECT, ["p3", "απεργούν", 0, "p3", "απεργούν"])
        assert page.locator(".bg-citer__line").text_content() == '- agora: "απεργούν"'
        briefing = project / "content" / "port" / "briefing.yml"
        briefing.write_text(BRIEFING.replace("port is closed to", "port is shut to"), encoding="utf-8")
        overlay = page.get_by_role("alert")
        expect(overlay).to_contain_text("content/port/briefing.yml:6:16", timeout=30_000)
        expect(overlay).to_contain_text("error: quote not found in content/port/sources/agora.md")
        # The page under it is still the last good build.
        assert page.locator("mark.bg-hl").first.text_content() == "port is closed to"
        briefing.write_text(BRIEFING, encoding="utf-8")
        page.locator(".bg-overlay").wait_for(state="detached", timeout=30_000)
    finally:
        context.close()


def test_mkdocs_serve_offers_it_too_and_says_what_the_last_rebuild_found(tmp_path: Path):
    """Plain `mkdocs serve` runs the plugin with command "serve": the source text for select-to-cite
    is in the page, and problems.json says what the last rebuild found (a failed one reloads no
    page there, which is why the overlay asks again)."""
    write_project(tmp_path, MKDOCS.replace("  - briefgen:\n      select_to_cite: true\n", "  - briefgen\n"))
    (tmp_path / "docs").mkdir()  # MkDocs refuses to start without it
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    with (tmp_path / "serve.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=log, env=env)
    try:
        assert wait_for(lambda: 'id="bg-cite-data"' in http_get(url + "port/sources/agora/")), \
            (tmp_path / "serve.log").read_text()
        assert json.loads(http_get(url + "__briefgen__/problems.json")) == {"problems": []}
        briefing = tmp_path / "content" / "port" / "briefing.yml"
        briefing.write_text(BRIEFING.replace("port is closed to", "port is shut to"), encoding="utf-8")
        assert wait_for(lambda: "briefing.yml:6:16" in http_get(url + "__briefgen__/problems.json"))
        (problem,) = json.loads(http_get(url + "__briefgen__/problems.json"))["problems"]
        assert problem["where"] == "content/port/briefing.yml:6:16" and problem["severity"] == "error"
        assert problem["message"].startswith("quote not found in content/port/sources/agora.md")
        briefing.write_text(BRIEFING, encoding="utf-8")
        assert wait_for(lambda: http_get(url + "__briefgen__/problems.json") == '{"problems": []}')
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_last_rebuild_is_answered_as_json_for_the_overlay():
    from briefgen.diagnostics import Pos, Report
    from briefgen.engine.overlay import LastRebuild

    last, report = LastRebuild(), Report()
    report.warning(Pos("content/port/briefing.yml", 3, 1), "unknown key 'x'")
    last.record(report)
    assert json.loads(last.body()) == {"problems": []}  # a warning alone builds
    report.error(Pos("content/port/briefing.yml", 6, 16), "quote not found\n::forged Λιμάνι")
    last.record(report)
    assert json.loads(last.body()) == {"problems": [
        {"where": "content/port/briefing.yml:6:16", "severity": "error", "message": "quote not found\\n::forged Λιμάνι"}]}
    last.failed("invalid YAML: mapping values are not allowed here", "mkdocs.yml:2:7")
    (row,) = json.loads(last.body())["problems"]
    assert row == {"where": "mkdocs.yml:2:7", "severity": "error",
                   "message": "invalid YAML: mapping values are not allowed here"}
    last.record(Report())
    assert json.loads(last.body()) == {"problems": []}
