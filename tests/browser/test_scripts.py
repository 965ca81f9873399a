"""Arabic, Russian and Greek sources in a real browser: direction, language, isolation, search.

The project is tests/fixtures/scripts (an Arabic source with `lang: ar`, a Russian one without
`lang`, a Greek one with `lang: el`). Expectations are read off those files.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE, REPO, Site, _context, _served_project, write_files

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scripts_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    def fill(project: Path) -> None:
        shutil.copytree(REPO / "tests" / "fixtures" / "scripts", project, dirs_exist_ok=True)

    with _served_project(tmp_path_factory.mktemp("scripts"), fill) as (project, url):
        yield Site(project, project / "site", url, "sea", "jazeera", {})


@pytest.fixture
def open_in(chromium, scripts_site: Site):
    contexts = []

    def make(path: str, viewport: dict = DESKTOP, **options):
        contexts.append(_context(chromium, scripts_site, viewport=viewport, **options))
        page = contexts[-1].new_page()
        page.goto(scripts_site.url + path, wait_until="load")
        return page

    yield make
    for context in contexts:
        context.close()


def test_an_arabic_source_reads_right_to_left_beside_left_to_right_chrome(open_in):
    page = open_in("sea/sources/jazeera/")
    direction = "el => getComputedStyle(el).direction"
    assert page.locator("article.bg-source").evaluate(direction) == "rtl"
    assert page.locator("article.bg-source").get_attribute("lang") == "ar"
    assert page.locator("h1.bg-title").evaluate(direction) == "rtl"
    assert page.locator("nav.bg-tabs").evaluate(direction) == "ltr"
    assert page.locator("small.bg-side").first.evaluate(direction) == "ltr"
    # The Russian source has no `lang`: its letters make it left to right, with no language claimed.
    ru = open_in("sea/sources/rbc/")
    assert ru.locator("article.bg-source").evaluate(direction) == "ltr"
    assert ru.locator("article.bg-source").get_attribute("lang") is None


@pytest.mark.parametrize("viewport, how", [(DESKTOP, "hover"), (PHONE, "tap")])
def test_an_arabic_preview_is_right_to_left_with_its_outlet_isolated(open_in, viewport, how):
    page = open_in("sea/", viewport=viewport, has_touch=how == "tap")
    marker = page.locator('#summary-1 a.bg-cite').first  # [1]: the Arabic source
    getattr(marker, how)()
    pop = page.locator("#bg-pop")
    pop.wait_for(state="visible")
    quote = pop.locator(".bg-pop__quote")
    assert quote.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert quote.get_attribute("lang") == "ar"
    assert pop.locator(".bg-pop__words").inner_text() == "إن السفن عادت إلى الرصيف صباح الاثنين،"
    assert pop.locator(".bg-pop__meta bdi").all_inner_texts() == ["الجزيرة نت", "الميناء يعود إلى العمل بعد العاصفة"]
    assert pop.locator(".bg-pop__meta").inner_text().startswith("[1] الجزيرة نت · 15 Oct 2025 · ")


def test_sources_list_isolates_each_title_and_outlet(open_in):
    page = open_in("sea/")
    first = page.locator("ol.bg-sources > li").first
    bdis = first.locator("bdi")
    assert bdis.all_inner_texts() == ["الجزيرة نت", "الميناء يعود إلى العمل بعد العاصفة"]
    assert bdis.nth(1).evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"
    # The date stays after the title in reading order: the text runs [1], outlet, title, date.
    text = first.inner_text()
    assert text.index("الجزيرة نت") < text.index("الميناء") < text.index("15 Oct 2025")


@pytest.mark.parametrize("word, source", [("الرافعات", "jazeera"), ("причалу", "rbc"), ("γερανοί", "kathimerini")])
def test_search_finds_one_word_in_each_script(open_in, word, source):
    page = open_in("sea/")
    page.wait_for_function(
        "() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=10_000)
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(word, delay=20)
    # Material searches on keyup; Playwright types letters no US key makes without key events.
    page.locator("input.md-search__input").dispatch_event("keyup")
    hit = page.locator(f'.md-search-result__item a[href*="/sea/sources/{source}/"]').first
    hit.wait_for(state="visible", timeout=5000)
    hit.click()
    page.wait_for_url(f"**/sea/sources/{source}/**")
    assert page.locator("article.bg-source").inner_text().count(word) >= 1


def test_a_greek_outlet_in_capitals_drops_its_accents_as_greek_does(open_in):
    # kathimerini.md: `outlet: Καθημερινή`; the stylesheet sets outlets in capitals, and Greek
    # capitals carry no accent. The Russian and Arabic outlets claim no language for it.
    assert open_in("sea/sources/kathimerini/").locator("p.bg-outlet").inner_text() == "ΚΑΘΗΜΕΡΙΝΗ"
    assert open_in("sea/sources/rbc/").locator("p.bg-outlet").inner_text() == "РБК"
    assert open_in("sea/sources/rbc/").locator("p.bg-outlet bdi").get_attribute("lang") is None


def test_the_origins_chip_names_its_origins_as_the_annotations_spell_them(open_in):
    # sea's bottom line rests on three origins; the chip reads "3 origins" in capitals, but the
    # names it gives screen readers are the outlets as written: Καθημερινή keeps its accent.
    chip = open_in("sea/").locator(".bg-support").first
    assert chip.locator(".bg-sr").inner_text() == ": Port officials, РБК, Καθημερινή"


def _mixed(project: Path) -> None:
    from test_scripts import MIXED_EN

    write_files(project, {
        "content/b/sources/en.md": MIXED_EN,
        "content/b/briefing.yml": ('title: B\nas_of: 2025-01-01\nsummary:\n  - text: Closed until further notice.\n'
                                   '    cite: [{en: "«حتى إشعار آخر»"}]\n'),
        "mkdocs.yml": "site_name: mixed\ntheme:\n  name: material\n  font: false\nplugins: [search, briefgen]\n"})


def test_an_arabic_paragraph_of_an_english_article_ends_on_its_left(chromium, tmp_path_factory):
    """Its full stop sits left of its first letter, where an Arabic reader looks for it (laid
    out left to right, it sat at the right, past the first letter); its preview is right to
    left, with no language claimed, and the article's title beside it stays left to right."""
    with _served_project(tmp_path_factory.mktemp("mixed"), _mixed) as (project, url):
        context = _context(chromium, Site(project, project / "site", url, "b", "en", {}), viewport=DESKTOP)
        try:
            page = context.new_page()
            page.goto(url + "b/sources/en/", wait_until="load")
            first, stop = page.locator("#p2").evaluate("""p => {
                const text = [...p.childNodes].filter(n => n.nodeType === 3);
                const at = (node, i) => { const r = document.createRange(); r.setStart(node, i);
                    r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
                const last = text[text.length - 1];
                return [at(text[0], 0), at(last, last.data.lastIndexOf('.'))].map(r => [r.left, r.right]); }""")
            assert stop[1] <= first[0], (first, stop)
            page.goto(url + "b/", wait_until="load")
            page.locator("#summary-1 a.bg-cite").first.hover()
            pop = page.locator("#bg-pop")
            pop.wait_for(state="visible")
            quote = pop.locator(".bg-pop__quote")
            assert quote.evaluate("el => getComputedStyle(el).direction") == "rtl"
            assert quote.get_attribute("lang") is None
            assert pop.locator(".bg-pop__title").evaluate("el => getComputedStyle(el).direction") == "ltr"
        finally:
            context.close()
