"""Search in headless Chromium (issue 23): typing in Material's search box finds a fact, a piece of
evidence or a statement as a hit of its own, whose snippet is the row's own words, and clicking it
lands on the row (its anchor, highlighted as :target), in English, Greek and Arabic."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from search_project import fill

from .conftest import DESKTOP, Site, _context, _served_project, write_files

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[Site]:
    with _served_project(tmp_path_factory.mktemp("search"), fill) as (project, url):
        yield Site(project, project / "site", url, "harbour", "greek", {})


@pytest.fixture
def search_page(chromium, search_site: Site):
    context = _context(chromium, search_site, viewport=DESKTOP)
    yield context.new_page()
    context.close()


def _search(page, site: Site, words: str) -> None:
    page.goto(site.url + "harbour/", wait_until="load")
    page.wait_for_function("() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(words, delay=20)
    # Playwright inserts Greek and Arabic letters as text, without the key events a keyboard
    # sends; Material searches on those, so one key that sends them follows.
    page.keyboard.press("End")


# (words typed, the row's anchor, the page it is on, the words its snippet shows, where the page shows them)
HITS = [
    ("weekend", "fact-ships", "harbour/facts/", "Left the port before the weekend", "#fact-ships td[data-label='What is known']"),
    ("Δευτέρα", "fact-port", "harbour/facts/", "Κλειστό από τη Δευτέρα", "#fact-port td[data-label='What is known']"),
    ("متوقفة", "q-reopen-e1", "harbour/questions/", "قالت السلطات إن الرافعات متوقفة", "#q-reopen-e1 .bg-text"),
    ("αρχές", "summary-2", "harbour/", "Οι αρχές λένε ότι το λιμάνι είναι κλειστό.", "#summary-2 .bg-text"),
]


@pytest.mark.parametrize(("words", "anchor", "page_url", "snippet", "shown"), HITS, ids=[h[1] for h in HITS])
def test_a_search_hit_lands_on_its_row(search_page, search_site: Site, words, anchor, page_url, snippet, shown):
    page = search_page
    _search(page, search_site, words)
    hit = page.locator(f".md-search-result__item a[href$='#{anchor}']")
    hit.wait_for(state="visible")
    # The snippet is the row's words: no table header, no badges, no screen-reader words.
    assert " ".join(hit.inner_text().split()[-len(snippet.split()):]) == snippet
    hit.click()
    page.wait_for_function("id => location.hash === '#' + id && document.querySelector(':target')?.id === id", arg=anchor)
    assert page.url == search_site.url + page_url + "#" + anchor
    assert page.locator(shown).inner_text().strip() == snippet, "the snippet is not what the row shows"
    box = page.locator(f"#{anchor}").bounding_box()
    assert box is not None and 0 <= box["y"] < DESKTOP["height"], "the row is not in view"


# -- on Zensical: its own search dialog, over the index briefgen rewrote (engine/zensical_search.py)

def _fill_for_zensical(project) -> None:
    fill(project)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "extra:\n  briefgen:\n    engine: zensical\n", encoding="utf-8")


@pytest.fixture(scope="module")
def zensical_search_site(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[Site]:
    pytest.importorskip("zensical", reason="the test extra installs Zensical (briefgen[zensical])")
    with _served_project(tmp_path_factory.mktemp("zsearch"), _fill_for_zensical) as (project, url):
        assert (project / "site" / "search.json").is_file(), "not built by Zensical"
        yield Site(project, project / "site", url, "harbour", "greek", {})


@pytest.mark.parametrize(("words", "anchor", "page_url", "snippet", "shown"), HITS, ids=[h[1] for h in HITS])
def test_on_zensical_a_search_hit_lands_on_its_row(chromium, zensical_search_site: Site, words, anchor, page_url,
                                                  snippet, shown):
    site = zensical_search_site
    context = _context(chromium, site, viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(site.url + "harbour/", wait_until="load")
        page.locator("button.md-search__button").click()
        page.keyboard.type(words)
        hit = page.locator(f"a[href$='/{page_url}#{anchor}']")
        hit.wait_for(state="visible")
        assert snippet in " ".join(hit.inner_text().split())
        hit.click()
        page.wait_for_function("id => document.querySelector(':target')?.id === id", arg=anchor)
        assert page.url == site.url + page_url + "#" + anchor
        assert page.locator(shown).inner_text().strip() == snippet
    finally:
        context.close()


JAPANESE_SOURCE = """\
---
title: 港の閉鎖
outlet: 港湾新聞
lang: ja
---

港湾当局によると、港は月曜日から閉鎖されており、船舶は北の港へ向かった。
"""


def _japanese_on_zensical(project) -> None:
    write_files(project, {
        "content/port/sources/nhk.md": JAPANESE_SOURCE,
        "content/port/briefing.yml": ("title: Port strike\nas_of: 2024-11-06\nsummary:\n"
                                      "  - text: The port has been closed since Monday.\n"
                                      "    cite:\n      - nhk: \"港は月曜日から閉鎖されており\"\n"),
        "mkdocs.yml": ("site_name: ja\ntheme:\n  name: material\n  font: false\nplugins: [search]\n"
                       "extra:\n  briefgen:\n    engine: zensical\n")})


def test_on_zensical_a_word_inside_a_japanese_sentence_is_found(chromium, tmp_path_factory):
    """Japanese is written without spaces: Zensical's search splits it into words only when its
    index names the language, which briefgen adds from the source's `lang:`."""
    pytest.importorskip("zensical", reason="the test extra installs Zensical (briefgen[zensical])")
    with _served_project(tmp_path_factory.mktemp("zja"), _japanese_on_zensical) as (project, url):
        site = Site(project, project / "site", url, "port", "nhk", {})
        context = _context(chromium, site, viewport=DESKTOP)
        try:
            page = context.new_page()
            page.goto(url + "port/", wait_until="load")
            page.locator("button.md-search__button").click()
            page.keyboard.type("船舶")  # "ships", in the middle of the sentence
            page.locator("a[href$='/port/sources/nhk/']").wait_for(state="visible")
        finally:
            context.close()
