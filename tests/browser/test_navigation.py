"""Finding one's way in a briefing (issues 12 and 23): its tabs (Versions among them, aria-current
only where it is true, one line on a phone), the sidebar on pages outside the nav, and the row a
link lands on."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, PHONE, Site
from .test_reading import open_page

pytestmark = pytest.mark.browser


# -- navigation -------------------------------------------------------------------------------

def test_source_page_shows_where_the_reader_is(page, site: Site):
    open_page(page, site.page("source"))
    active = page.locator(".md-nav--primary a.md-nav__link--active")
    assert active.count() >= 1 and active.first.is_visible(), "the briefing's section is not open in the sidebar"


HONEST_TABS = """() => [...document.querySelectorAll('.bg-tabs a')].map(a => ({
    text: a.textContent, current: a.getAttribute('aria-current'),
    here: a.href === location.href.split('#')[0], kind: a.dataset.kind}))"""


@pytest.mark.parametrize("kind", ["summary", "facts", "questions", "source", "changes"])
def test_tabs_lead_to_the_versions_and_mark_only_the_page_they_link_to(page, site: Site, kind: str):
    open_page(page, site.page(kind))
    tabs = page.evaluate(HONEST_TABS)
    assert [t["text"] for t in tabs] == ["Summary", "Key facts (7)", "Questions (3)", "Sources (2)", "Versions (2)"]
    assert [t["kind"] for t in tabs if t["current"]] == ([] if kind == "source" else [kind])
    for t in tabs:
        assert (t["current"] == "page") == t["here"], f"{kind}: tab {t['text']!r} says current={t['current']} wrongly"
    page.locator(".bg-tabs a", has_text="Versions").click()
    page.wait_for_url(site.page("changes"))


def test_empty_tabs_are_hidden(page, tiny_site: Site):
    open_page(page, tiny_site.page("summary"))
    tabs = page.locator(".bg-tabs a").all_text_contents()
    assert not any("(0)" in t for t in tabs), tabs
    assert not any("Versions" in t for t in tabs), f"a Versions tab without history: {tabs}"


@pytest.mark.parametrize("kind", ["summary", "source", "changes"])
def test_tabs_keep_to_one_line_on_a_phone_with_the_current_one_in_view(phone_page, site: Site, kind: str):
    open_page(phone_page, site.page(kind))
    boxes = phone_page.evaluate("""() => { const nav = document.querySelector('.bg-tabs').getBoundingClientRect();
        return {nav: nav.toJSON(), tabs: [...document.querySelectorAll('.bg-tabs a')].map(a => ({
            current: a.hasAttribute('aria-current'), box: a.getBoundingClientRect().toJSON()}))}; }""")
    assert len({round(t["box"]["top"]) for t in boxes["tabs"]}) == 1, "the tabs wrap onto more lines"
    assert boxes["nav"]["right"] <= PHONE["width"], "the tabs push the page wider than the phone"
    for t in boxes["tabs"]:
        assert t["box"]["height"] >= 24, t
        if t["current"]:
            assert boxes["nav"]["left"] - 1 <= t["box"]["left"] and t["box"]["right"] <= boxes["nav"]["right"] + 1, \
                f"the current tab is scrolled out of view: {boxes}"


CONTRAST = """(el) => {
    const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const page = getComputedStyle(document.querySelector('.md-main')).backgroundColor !== 'rgba(0, 0, 0, 0)'
        ? getComputedStyle(document.querySelector('.md-main')).backgroundColor : getComputedStyle(document.body).backgroundColor;
    const cell = el.matches('tr') ? el.firstElementChild : el;
    return {outline: ratio(getComputedStyle(el).outlineColor, page), style: getComputedStyle(el).outlineStyle,
            tint: getComputedStyle(cell).backgroundColor !== page && getComputedStyle(cell).backgroundColor !== 'rgba(0, 0, 0, 0)'};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_row_a_link_lands_on_stands_out_in_either_scheme(new_page, site: Site, scheme: str):
    tab = new_page(DESKTOP, color_scheme=scheme)
    for kind, anchor in (("facts", "fact-convoy"), ("questions", "q-warships-in-port"), ("summary", "summary-2"),
                         ("questions", "q-exit-or-drawdown-e2")):
        open_page(tab, site.page(kind) + "#" + anchor)
        target = tab.locator(f"#{anchor}")
        if kind == "questions" and not anchor.endswith("e2"):
            target = tab.locator(f"#{anchor}-h")  # a question's heading carries the mark
        seen = target.evaluate(CONTRAST)
        assert seen["style"] == "solid" and seen["outline"] >= 3, f"#{anchor} ({scheme}): outline {seen}"
        assert seen["tint"], f"#{anchor} ({scheme}): no tint"


def test_question_counts_agree_with_statuses(page, site: Site):
    statuses = [q["status"] for q in site.data["questions"]]
    want = f"{len(statuses)} questions: " + ", ".join(f"{statuses.count(s)} {s}" for s in ("open", "leaning", "resolved") if s in statuses)
    for kind in ("index", "summary"):
        open_page(page, site.page(kind))
        assert want in page.locator("article").text_content(), f"{kind}: no {want!r}"


def test_badges_are_explained_in_words(page, site: Site):
    for kind in ("summary", "facts"):
        open_page(page, site.page(kind))
        text = page.locator("article").text_content()
        for badge in set(page.locator(".bg-badge, .bg-status").all_text_contents()):
            legend = " ".join(page.locator(".bg-legend").all_text_contents())
            assert badge.strip() in legend, f"{kind}: badge {badge!r} is not explained"
        if "grade " in text:
            assert re.search(r"grade [A-F] · \w+", text), "a grade is shown without its meaning"
