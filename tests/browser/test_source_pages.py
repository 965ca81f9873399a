"""Source pages in headless Chromium (issues 12 and 23): highlighted passages, the statements that
cite each one named in words beside it (in the margin on wide screens, after the paragraph on
phones), and where a reader who followed a marker arrived."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, Site
from .test_reading import open_page

pytestmark = pytest.mark.browser


# -- source pages ----------------------------------------------------------------------------

def test_wide_source_page_puts_back_links_in_the_margin(page, site: Site):
    open_page(page, site.page("source"))
    boxes = page.evaluate("""() => [...document.querySelectorAll('mark.bg-hl')].map(m => {
        const side = document.getElementById('bg-by-' + m.id), p = m.closest('p, li, blockquote');
        return {id: m.id, mark: m.getBoundingClientRect().toJSON(), side: side.getBoundingClientRect().toJSON(),
                text: p.getBoundingClientRect().toJSON(), gap: parseFloat(getComputedStyle(side).marginBottom),
                margin: parseFloat(getComputedStyle(side).marginTop),
                count: getComputedStyle(m.nextElementSibling).display};
    })""")
    for b in boxes:
        assert b["side"]["left"] >= b["text"]["right"], f"sidenote overlaps the text: {b}"
        assert b["side"]["right"] <= DESKTOP["width"], f"sidenote runs off the screen: {b}"
        assert b["side"]["width"] > 200 and b["side"]["height"] > 0, b
        assert b["count"] == "none", "counts show beside sidenotes"
    assert abs(boxes[0]["side"]["top"] - boxes[0]["mark"]["top"]) < 30, "the first sidenote is not beside its passage"
    # Beside its passage: never above it, and below its paragraph only when the notes before it
    # fill the margin down to there (each note follows the one before without a gap).
    order = sorted(boxes, key=lambda b: b["side"]["top"])
    assert [b["id"] for b in order] == [b["id"] for b in boxes], "sidenotes are not in the order of their passages"
    for before, b in zip([None] + boxes, boxes):
        assert b["side"]["top"] >= b["mark"]["top"] - 6, f"#{b['id']}: its note starts above it"
        lowest = max(b["text"]["bottom"], before["side"]["bottom"] + before["gap"] + b["margin"] + 1 if before else 0)
        assert b["side"]["top"] <= lowest, f"#{b['id']}: its note drifted below its paragraph: {b}"


def test_back_links_say_what_cites_the_passage_and_how(page, site: Site):
    """Expected words written from content/khmeimim/briefing.yml: the statement's kind, its first
    seven words (a fact: its name and four words of its value), supports or disputes, and dates
    as the pages print them."""
    open_page(page, site.page("source"))

    def backs(quote: str) -> list[str]:
        mark = page.locator("mark.bg-hl", has_text=quote)
        return page.locator(f"#bg-by-{mark.get_attribute('id')} a.bg-backlink").all_text_contents()

    assert backs("toppled President Bashar Assad last weekend") == [
        "Supports event of 8 Dec 2024: Assad is ousted by an HTS-led offensive."]
    assert backs("leaving both Tartus and Khmeimim was likely") == [
        "✕ Disputes fact Status of Russia's Syrian bases: Moscow says the bases…"]
    assert backs("two unnamed Russian diplomats who conceded") == [
        "Supports evidence: Two Russian diplomats told the Moscow Times…"]
    assert backs("a Ka-52 attack helicopter was being taken apart") == [
        "Supports fact Attack helicopter: A Ka-52 is being…"]
    margin = " ".join(page.locator("small.bg-side").all_text_contents())
    assert not re.search(r"\d{4}-\d\d-\d\d", margin), "a back-link shows an ISO date"
    assert "Summary 1" not in margin and "Timeline" not in margin


AFTER_PARAGRAPH = """count => {
    const list = document.getElementById(count.getAttribute('aria-controls')), p = count.closest('p');
    if (!list || !list.getClientRects().length) return null;
    let at = p.nextElementSibling;  // the lists open for this paragraph come right after it
    while (at && at !== list && at.matches('small.bg-side')) at = at.nextElementSibling;
    return {inside: p.contains(list), after: at === list,
            below: list.getBoundingClientRect().top >= p.getBoundingClientRect().bottom - 1};
}"""
OPENED_AFTER = {"inside": False, "after": True, "below": True}


def test_phone_source_page_has_one_count_per_passage_that_opens_the_list(phone_page, site: Site):
    page = phone_page
    open_page(page, site.page("source"))
    assert page.locator("small.bg-side").first.is_hidden()
    first = page.evaluate("() => document.querySelector('mark.bg-hl').id")
    count = page.locator(f'a.bg-count-link[href="#bg-by-{first}"]')
    assert count.is_visible()
    assert re.fullmatch(r"✕?\d+", count.text_content().strip())
    count.click()
    assert count.get_attribute("aria-expanded") == "true"
    # The list opens after the paragraph, never inside the sentence it cites.
    assert count.evaluate(AFTER_PARAGRAPH) == OPENED_AFTER
    second = page.locator("a.bg-count-link").nth(1)
    second.click()  # a second list of the same paragraph follows the first
    assert second.evaluate(AFTER_PARAGRAPH) == OPENED_AFTER
    count.click()
    assert count.get_attribute("aria-expanded") == "false" and count.evaluate(AFTER_PARAGRAPH) is None
    # Punctuation after a count stays on its line.
    hanging = page.evaluate("""() => [...document.querySelectorAll('sup.bg-count')].filter(s => {
        let n = s.nextSibling; while (n && n.nodeType === 1 && !n.matches('a, mark')) n = n.nextSibling;
        if (!n || n.nodeType !== 3 || !/^[.,;:!?]/.test(n.textContent)) return false;
        const r = document.createRange(); r.setStart(n, 0); r.setEnd(n, 1);
        return Math.abs(r.getBoundingClientRect().top - s.getBoundingClientRect().top) > 12;
    }).length""")
    assert hanging == 0
    # Arriving at a passage opens its list after the paragraph, headed "you came here".
    third = page.evaluate("() => document.querySelectorAll('mark.bg-hl')[2].id")
    open_page(page, site.page("source") + "#" + third)
    arrived = page.locator(f'a.bg-count-link[href="#bg-by-{third}"]')
    page.wait_for_function("c => c.getAttribute('aria-expanded') === 'true'", arg=arrived.element_handle())
    assert arrived.evaluate(AFTER_PARAGRAPH) == OPENED_AFTER
    head = page.locator(f"#{arrived.get_attribute('aria-controls')} .bg-side-head")
    assert "You came here" in head.evaluate("h => getComputedStyle(h, '::before').content")
    assert page.locator(f'a.bg-count-link[href="#bg-by-{first}"]').get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_you_came_here_is_never_inside_the_quoted_words(page, phone_page, site: Site, size: str):
    tab = page if size == "desktop" else phone_page
    open_page(tab, site.page("source"))
    ids = tab.evaluate("() => [...document.querySelectorAll('mark.bg-hl')].map(m => m.id)")
    for anchor in (ids[0], ids[4]):
        open_page(tab, site.page("source") + "#" + anchor)
        tab.wait_for_function("id => document.getElementById('bg-by-' + id).matches('.bg-side--arrived')", arg=anchor)
        inside = tab.locator(f"#{anchor}").evaluate("""m => [m, ...m.querySelectorAll('*')].map(e =>
            getComputedStyle(e, '::before').content + getComputedStyle(e, '::after').content).join('')""")
        assert "came" not in inside.lower(), f"#{anchor}: the arrival label is inside the quote"
        heads = tab.locator(".bg-side--arrived .bg-side-head")
        shown = [h for h in heads.all() if h.is_visible()]
        assert len(shown) == 1 and "You came here" in shown[0].evaluate("h => getComputedStyle(h, '::before').content")


def test_arrived_passage_stands_out_and_disputes_say_so(page, site: Site):
    open_page(page, site.page("source"))
    ids = page.evaluate("() => [...document.querySelectorAll('mark.bg-hl')].map(m => m.id)")
    open_page(page, site.page("source") + "#" + ids[2])
    colours = page.evaluate("""() => [...document.querySelectorAll('mark.bg-hl')].map(m => getComputedStyle(m).backgroundColor + getComputedStyle(m).outlineStyle)""")
    assert colours[2] != colours[1] and colours[2] != colours[3], colours[:4]
    disputes = page.locator("a.bg-backlink--disputes")
    assert disputes.count() >= 1 and disputes.first.text_content().startswith("✕ Disputes")
    plain = page.locator("a.bg-backlink:not(.bg-backlink--disputes)").first
    assert disputes.first.evaluate("e => getComputedStyle(e).color") != plain.evaluate("e => getComputedStyle(e).color")


def test_source_page_does_not_repeat_the_notice_as_its_first_paragraph(page, site: Site):
    open_page(page, site.page("source"))
    first = page.locator("article.bg-source p").first.text_content()
    assert "own words" not in first and "our summary" not in first.lower(), first
