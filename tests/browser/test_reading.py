"""The reading experience (issue 12) in headless Chromium: numbered markers, the citation preview
on hover, focus and tap, source pages with sidenotes or counts, share controls that stay out of
the way, navigation, search without page furniture, no third-party requests, and a coverage
matrix that a phone can read.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import AXE_OPTIONS, DESKTOP, PAGE_KINDS, PHONE, Site, _context, settle

pytestmark = pytest.mark.browser


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")


def pop_text(page) -> str:
    pop = page.locator("#bg-pop")
    pop.wait_for(state="visible", timeout=3000)
    return pop.text_content() or ""


# -- markers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["summary", "facts", "questions"])
def test_markers_are_short_and_told_apart(page, site: Site, kind: str):
    open_page(page, site.page(kind))
    groups = page.evaluate("""() => [...document.querySelectorAll('sup.bg-cites')].map(
        g => [...g.querySelectorAll('a.bg-cite')].map(a => a.textContent.trim()))""")
    assert groups, f"{kind}: no citation markers"
    for labels in groups:
        assert all(len(x) <= 12 for x in labels), labels
        assert all(re.fullmatch(r"\[✕?\d+[a-z]?\]", x) for x in labels), labels
        assert len(set(labels)) == len(labels), f"two markers in one statement look alike: {labels}"


def test_marker_numbers_follow_the_sources_list(page, site: Site):
    open_page(page, site.page("summary"))
    listed = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#bg-sources ~ ol li')].map(
        li => [li.querySelector('a').getAttribute('href').split('/').filter(Boolean).pop(),
               li.querySelector('.bg-num').textContent.replace(/\\D/g, '')]))""")
    markers = page.evaluate("""() => [...document.querySelectorAll('a.bg-cite')].map(
        a => [a.getAttribute('href').split('#')[0].split('/').filter(Boolean).pop(), a.textContent])""")
    for source, label in markers:
        assert re.sub(r"\D", "", label) == listed[source], (source, label, listed)


# -- the preview -----------------------------------------------------------------------------------

def test_preview_on_hover_is_readable_and_moves_nothing(page, site: Site):
    open_page(page, site.page("summary"))
    layout = "() => [document.documentElement.scrollHeight, document.querySelector('#summary-2').getBoundingClientRect().top]"
    before = page.evaluate(layout)
    marker = page.locator("#summary-1 a.bg-cite").first
    marker.hover()
    text = pop_text(page)
    assert page.evaluate(layout) == before, "opening the preview moved the page"
    sizes = page.evaluate("() => [...document.querySelectorAll('#bg-pop, #bg-pop *')].map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 14, f"preview text as small as {min(sizes)} px"
    outlet = page.evaluate("(m) => m.getAttribute('aria-label').split(': ')[1].split(/[.,]/)[0]", marker.element_handle())
    assert outlet in text, f"preview {text!r} does not name the outlet {outlet!r}"
    links = page.locator("#bg-pop a")
    assert links.first.get_attribute("href").endswith(marker.get_attribute("href").split("/")[-1]) or \
        marker.get_attribute("href").split("#")[1] in links.first.get_attribute("href")


def test_preview_shows_context_note_and_dispute(page, site: Site):
    open_page(page, site.page("facts"))
    disputing = page.locator("a.bg-cite--disputes").first
    disputing.hover()
    assert "disputes" in pop_text(page).lower()
    page.keyboard.press("Escape")
    noted = [c for f in site.data["facts"] for c in f.get("cite", []) if c.get("note")]
    assert noted, "the example has no citation with a note"
    page.mouse.move(0, 0)
    for i in range(page.locator("a.bg-cite").count()):
        page.locator("a.bg-cite").nth(i).focus()
        if "note" in pop_text(page).lower():
            assert noted[0]["note"][:30] in pop_text(page)
            break
    else:
        pytest.fail("no preview on the facts page shows the citation's note")


def test_preview_is_dismissed_by_escape_and_by_a_click_outside(page, site: Site):
    open_page(page, site.page("summary"))
    page.locator("a.bg-cite").first.focus()
    pop_text(page)
    page.keyboard.press("Escape")
    assert not page.locator("#bg-pop").is_visible()
    page.locator("a.bg-cite").first.hover()
    pop_text(page)
    page.mouse.click(5, 400)
    assert not page.locator("#bg-pop").is_visible()


def test_on_touch_first_tap_previews_and_the_preview_link_navigates(chromium, site: Site):
    context = _context(chromium, site, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        open_page(page, site.page("summary"))
        marker = page.locator("#summary-1 a.bg-cite").first
        marker.tap()
        text = pop_text(page)
        assert page.url == site.page("summary"), "the first tap navigated instead of previewing"
        assert len(text) > 40
        page.locator("#bg-pop a", has_text="passage").tap()
        page.wait_for_url(re.compile(re.escape(site.url + site.briefing + "/sources/")))
        assert page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').matches('.bg-hl')")
    finally:
        context.close()


def test_preview_links_to_the_original_words(page, tiny_site: Site):
    open_page(page, tiny_site.page("summary"))
    page.locator("#summary-2 a.bg-cite").first.focus()
    text = pop_text(page)
    assert "one witness" in text, "the citation's note is not shown"
    assert "*" not in text, "the note's Markdown is shown raw"
    original = page.locator("#bg-pop a", has_text="Original").get_attribute("href")
    assert original.startswith("https://wire.example/harbour-empties#:~:text=")


# -- share controls ----------------------------------------------------------------------------

def test_share_controls_appear_on_hover_and_focus(page, site: Site):
    open_page(page, site.page("summary"))
    share = page.locator("#summary-2 .bg-share")
    assert share.evaluate("e => getComputedStyle(e).opacity") == "0"
    page.locator("#summary-2 .bg-text").hover()
    expect(share).to_have_css("opacity", "1")  # once its fade-in has run
    page.mouse.move(0, 0)
    page.locator("#summary-3 .bg-permalink").focus()
    expect(page.locator("#summary-3 .bg-share")).to_have_css("opacity", "1")


# The controls a reader can see: inside a share box that is not clipped down to a pixel (as it
# is at rest on a phone), laid out at their full 24 px.
VISIBLE_CONTROLS = """() => [...document.querySelectorAll('.bg-share')]
    .filter(s => s.getBoundingClientRect().width > 1 && getComputedStyle(s).opacity !== '0')
    .flatMap(s => [...s.querySelectorAll('a, button')])
    .filter(e => { const r = e.getBoundingClientRect(); return r.width >= 24 && r.height >= 24; })
    .map(e => e.dataset.anchor || e.getAttribute('href').slice(1))"""  # the rows they link to

# page kind -> (a row's id, what a reader taps in it, another row's id)
PHONE_ROWS = {"summary": ("summary-2", "#summary-2 .bg-text", "timeline-1"),
              "facts": ("fact-helicopter", '#fact-helicopter td[data-label="What is known"]', "fact-tartus"),
              "questions": ("q-exit-or-drawdown-e2", "#q-exit-or-drawdown-e2 .bg-text", "q-convoy-destination"),
              "changes": ("v-2024-12-14", "#v-2024-12-14-h time", "v-2024-12-13")}


@pytest.mark.parametrize("kind", list(PHONE_ROWS))
def test_phone_rows_show_one_control_only_when_tapped_or_focused(chromium, site: Site, kind: str):
    row, tap, other = PHONE_ROWS[kind]
    context = _context(chromium, site, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        open_page(page, site.page(kind))
        assert page.evaluate(VISIBLE_CONTROLS) == [], "controls show on a phone before any tap"
        gutters = page.evaluate("""() => [...document.querySelectorAll(
            '.bg-statements > li, .bg-timeline > li > div, .bg-table tbody th[scope=row]')]
            .map(e => getComputedStyle(e).paddingRight).filter(p => p !== '0px')""")
        assert gutters == [], f"rows keep a gutter for controls on a phone: {gutters}"
        page.locator(tap).first.tap()
        page.wait_for_function(VISIBLE_CONTROLS.replace("() =>", "() => (") + ").length > 0")
        shown = page.evaluate(VISIBLE_CONTROLS)
        assert shown == [row], f"after a tap on #{row}, controls show in {shown}"
        copy = page.locator(f'#{row} button.bg-copy[data-anchor="{row}"]')
        assert copy.is_visible() and copy.text_content() == "copy"
        page.locator(f'button.bg-copy[data-anchor="{other}"]').focus()  # a keyboard on a phone
        assert other in page.evaluate(VISIBLE_CONTROLS), "focus in a row does not show its control"
        page.locator("h1").tap()  # elsewhere: the tapped row's control goes away
        page.wait_for_function(f"() => !document.querySelector('#{row} .bg-share--open')")
    finally:
        context.close()


# -- search ------------------------------------------------------------------------------------

def test_search_index_holds_no_back_link_labels_or_controls(site: Site):
    """Words that occur only in back-link labels and controls are found on no source page."""
    docs = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    sources = [d for d in docs if "/sources/" in d["location"]]
    assert sources
    # Back-links say "Supports" or "Disputes", then "bottom line", "fact" or "event of"; no source text holds those.
    for word in ("Supports", "Disputes", "bottom line", "event of", "Cited in", "original wording", "copy", "[1]", "✕"):
        hits = [d["location"] for d in sources if word in d["text"] or word in d["title"]]
        assert not hits, f"search finds {word!r} on {hits}"
    summary = next(d for d in docs if d["location"] == f"{site.briefing}/")
    assert "[1]" not in summary["text"] and "copy" not in summary["text"]


def test_browser_search_for_a_back_link_word_finds_no_source_page(page, site: Site):
    open_page(page, site.page("summary"))
    page.wait_for_function("() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=10_000)
    page.locator("input.md-search__input").click()
    # "bottom line" names summary back-links ("Supports bottom line: …"); no source's text holds it.
    page.locator("input.md-search__input").press_sequentially("bottom line", delay=20)
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item a').length > 0")
    links = page.locator(".md-search-result__item a").evaluate_all("as => as.map(a => a.href)")
    assert links, "the search found nothing, not even the summary's Bottom line section"
    assert not [h for h in links if "/sources/" in h], links


# -- no third-party requests ---------------------------------------------------------------------

def test_no_request_leaves_the_site(chromium, site: Site):
    context = chromium.new_context(viewport=DESKTOP)
    elsewhere: list[str] = []

    def route(r):
        if r.request.url.startswith(site.url):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    try:
        page = context.new_page()
        for kind in PAGE_KINDS:
            page.goto(site.page(kind), wait_until="networkidle")
        page.locator("a.bg-cite").count()
        assert elsewhere == [], f"requests to other hosts: {elsewhere}"
    finally:
        context.close()


# -- coverage matrix --------------------------------------------------------------------------------

def test_coverage_matrix_with_eight_sources_breaks_no_word_on_a_phone(phone_page, wide_site: Site):
    open_page(phone_page, wide_site.page("facts"))
    broken = phone_page.evaluate("""() => {
        const out = [];
        for (const cell of document.querySelectorAll('.bg-matrix th, .bg-matrix td')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const re = /\\S+/g; let m;
                while ((m = re.exec(n.textContent))) {
                    const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
                    const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
                    if (lines.size > 1) out.push(m[0]);
                }
            }
        }
        return out;
    }""")
    assert broken == [], f"words broken across lines: {broken}"
    heads = phone_page.locator(".bg-matrix thead th").all_text_contents()
    assert len(heads) == 9 and all(len(h.strip()) <= 12 for h in heads), heads


def test_keyboard_reaches_the_links_in_the_preview_and_goes_on(page, site: Site):
    open_page(page, site.page("summary"))
    markers = page.locator("#summary-1 a.bg-cite")
    markers.first.focus()
    pop_text(page)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('#bg-pop') !== null"), "Tab did not enter the preview"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.matches('a.bg-cite')")
    page.keyboard.press("Tab")
    for _ in range(3):
        if not page.evaluate("() => document.activeElement.closest('#bg-pop') !== null"):
            break
        page.keyboard.press("Tab")
    # Out of the preview: on the next marker of the statement, whose preview is open in turn.
    assert page.evaluate("() => document.activeElement") is not None
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('#summary-1 a.bg-cite')[1]")
    assert page.locator("#bg-pop").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_the_preview_and_a_phone_list_open(chromium, site: Site, scheme: str):
    from axe_playwright_python.sync_playwright import Axe

    context = _context(chromium, site, viewport=PHONE, color_scheme=scheme, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        open_page(page, site.page("summary"))
        page.locator("#summary-2 .bg-text").tap()  # the row's control, out
        page.locator("#summary-2 .bg-share--open").wait_for()
        problems = [v for v in Axe().run(page, options=AXE_OPTIONS).response["violations"] if v["impact"] in ("serious", "critical")]
        open_page(page, site.page("source"))
        page.locator("a.bg-count-link").first.click()
        page.locator("a.bg-count-link--disputes").first.click()
        settle(page)  # Material's header swaps its title with a fade as the page scrolls
        problems += [v for v in Axe().run(page, options=AXE_OPTIONS).response["violations"] if v["impact"] in ("serious", "critical")]
        open_page(page, site.page("facts"))
        page.locator("a.bg-cite--disputes").first.focus()
        pop_text(page)
        settle(page)
        problems += [v for v in Axe().run(page, options=AXE_OPTIONS).response["violations"] if v["impact"] in ("serious", "critical")]
        assert not problems, [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in problems]
    finally:
        context.close()
