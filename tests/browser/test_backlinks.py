"""Back-links on source pages preview the statement they name (issue 23), as markers preview their
passage: on hover and focus on a wide screen, on the first tap on a phone (where the list opens
after the paragraph). Expected words are written from content/khmeimim/briefing.yml."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from search_project import fill

from .conftest import DESKTOP, PHONE, Site, _context, _served_project
from .test_reading import open_page, pop_text
from .test_source_pages import AFTER_PARAGRAPH, OPENED_AFTER

pytestmark = pytest.mark.browser


def _back(page, quote: str):
    """The first back-link beside the passage that holds `quote`."""
    mark = page.locator("mark.bg-hl", has_text=quote)
    return page.locator(f"#bg-by-{mark.get_attribute('id')} a.bg-backlink").first


def test_hovering_a_back_link_previews_its_statement_whole(page, site: Site):
    open_page(page, site.page("source"))
    back = _back(page, "toppled President Bashar Assad last weekend")
    back.hover()
    text = pop_text(page)
    assert text == "This passage supportsEvent of 8 Dec 2024Assad is ousted by an HTS-led offensive.Go to the statement →"
    pop = page.locator("#bg-pop")
    assert pop.get_attribute("role") == "dialog" and pop.get_attribute("aria-label") == "Statement preview"
    assert back.get_attribute("aria-describedby") == "bg-pop"
    assert pop.locator("a").get_attribute("href") == site.page("summary") + "#timeline-1"
    # Beside its back-link: just below it, and within the screen.
    link, box = back.bounding_box(), pop.bounding_box()
    assert link and box and 0 <= box["y"] - (link["y"] + link["height"]) <= 12 and box["x"] + box["width"] <= 1280


def test_a_disputing_back_link_previews_the_fact_it_disputes(page, site: Site):
    open_page(page, site.page("source"))
    _back(page, "leaving both Tartus and Khmeimim was likely").hover()
    assert pop_text(page) == ("✕ This passage disputesFact: Status of Russia's Syrian bases"
                              "Moscow says the bases stay where they are and no other decision has been taken"
                              "Go to the statement →")
    assert "bg-pop--disputes" in (page.locator("#bg-pop").get_attribute("class") or "")


def test_focusing_a_back_link_previews_it_and_escape_closes(page, site: Site):
    open_page(page, site.page("source"))
    back = _back(page, "a Ka-52 attack helicopter was being taken apart")
    back.focus()
    assert pop_text(page).startswith("This passage supportsFact: Attack helicopterA Ka-52 is being dismantled")
    page.keyboard.press("Escape")
    page.wait_for_selector("#bg-pop", state="hidden")
    assert back.get_attribute("aria-describedby") is None


def test_on_a_phone_the_first_tap_previews_and_the_list_stays_after_the_paragraph(chromium, site: Site):
    context = _context(chromium, site, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        open_page(page, site.page("source"))
        mark = page.locator("mark.bg-hl", has_text="toppled President Bashar Assad last weekend")
        count = page.locator(f'a.bg-count-link[href="#bg-by-{mark.get_attribute("id")}"]')
        count.tap()
        assert count.evaluate(AFTER_PARAGRAPH) == OPENED_AFTER
        back = page.locator(f"#{count.get_attribute('aria-controls')} a.bg-backlink").first
        before = page.url
        back.tap()
        assert pop_text(page) == ("This passage supportsEvent of 8 Dec 2024Assad is ousted by an HTS-led offensive."
                                  "Go to the statement →")
        assert page.url == before, "the first tap navigated instead of previewing"
        page.locator("#bg-pop a", has_text="Go to the statement").tap()
        page.wait_for_url(site.page("summary") + "#timeline-1")
    finally:
        context.close()


@pytest.fixture(scope="module")
def harbour_site(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[Site]:
    """tests/search_project.py: an English briefing with Greek and Arabic statements."""
    with _served_project(tmp_path_factory.mktemp("harbour"), fill) as (project, url):
        yield Site(project, project / "site", url, "harbour", "arabic", {})


def test_an_arabic_statement_reads_right_to_left_in_an_english_briefing(chromium, harbour_site: Site):
    context = _context(chromium, harbour_site, viewport=DESKTOP)
    try:
        page = context.new_page()
        open_page(page, harbour_site.url + "harbour/sources/arabic/")
        back = _back(page, "الرافعات توقفت عن العمل منذ يوم الاثنين")
        words = back.locator(".bg-backlink-words")
        assert words.inner_text() == "توقفت الرافعات عن العمل منذ يوم الاثنين."
        assert words.evaluate("e => getComputedStyle(e).direction") == "rtl", "the margin's words are not isolated"
        back.hover()
        assert pop_text(page) == ("This passage supportsBottom line"
                                  "توقفت الرافعات عن العمل منذ يوم الاثنين.Go to the statement →")
        statement = page.locator("#bg-pop .bg-pop__statement")
        assert statement.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert page.locator("#bg-pop a").get_attribute("href") == harbour_site.url + "harbour/#summary-3"
    finally:
        context.close()
