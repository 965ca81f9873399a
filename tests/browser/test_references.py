"""Passage links handed out for an earlier version, in real Chromium (issue 21).

The project is tests/test_references_last.py's: Greek, Spanish and English sources, two committed
versions. Version 2 added a quote that overlaps an older one on the English page, and removed
the fact that cited "la reapertura llegará pronto" on the Spanish page.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from test_references_last import references_project

from .conftest import DESKTOP, Site, _context, _served_project, png_pixels

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def refs_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with _served_project(tmp_path_factory.mktemp("refs"), references_project) as (project, url):
        yield Site(project, project / "site", url, "ports", "wire", {})


@pytest.fixture
def browse(chromium, refs_site: Site):
    context = _context(chromium, refs_site, viewport=DESKTOP)
    page = context.new_page()

    def go(path: str, anchor: str):
        page.goto(refs_site.url + path + "#" + quote(anchor), wait_until="load")
        return page

    yield go
    context.close()


def _target(page) -> str:
    page.wait_for_function("() => document.querySelector(':target') !== null", timeout=5000)
    return page.evaluate("() => decodeURIComponent(location.hash.slice(1))")


def test_a_greek_passage_link_of_version_1_opens_on_its_words(browse):
    page = browse("ports/sources/kathimerini/", "q-το-λιμάνι-του-πειραιά-έκλεισε")
    assert _target(page) == "q-το-λιμάνι-του-πειραιά-έκλεισε"
    assert page.locator(":target").inner_text() == "Το λιμάνι του Πειραιά έκλεισε"


def test_a_link_to_a_passage_quoted_longer_then_lands_on_the_passage_now(browse):
    # As if version 1 had quoted "…abandonaron el muelle el martes": its words contain today's.
    page = browse("ports/sources/pais/", "q-los-últimos-compañeros-abandonaron-el-muelle-el-martes")
    page.wait_for_function("() => location.hash.length > 1 && document.querySelector(':target') !== null",
                           timeout=5000)
    assert _target(page) == "q-los-últimos-compañeros-abandonaron-el-muelle"
    note = page.locator("#bg-removed")
    assert note.inner_text() == ("The passage this link pointed to (#q-los-últimos-compañeros-abandonaron-el-muelle-"
                                 "el-martes) is cited in other words now; this is the closest one.")


def test_a_link_to_a_passage_no_longer_cited_says_so(browse):
    page = browse("ports/sources/pais/", "q-la-reapertura-llegará-pronto")
    note = page.locator("#bg-removed")
    note.wait_for(state="visible", timeout=5000)
    assert note.inner_text() == ("The passage this link pointed to (#q-la-reapertura-llegará-pronto) "
                                 "is not cited any more; the source is shown whole.")


def test_a_quote_marked_in_pieces_lights_up_whole_on_arrival(browse):
    page = browse("ports/sources/wire/", "q-the-port-closed-on-monday")
    assert _target(page) == "q-the-port-closed-on-monday"
    page.wait_for_selector("mark.bg-hl--arrived", timeout=5000)
    lit = page.evaluate("""() => [document.querySelector(':target'), ...document.querySelectorAll('mark.bg-hl--arrived')]
        .map(m => [m.textContent, getComputedStyle(m).backgroundColor])""")
    assert "".join(text for text, _ in lit) == "The port closed on Monday"
    assert len({colour for _, colour in lit}) == 1, lit  # every piece in the arrival colour


def _accent_pixels(page, box: dict, colour: tuple[int, int, int]) -> int:
    rows = png_pixels(page.screenshot(clip=box))
    return sum(1 for row in rows for px in row if sum(abs(a - b) for a, b in zip(px, colour)) < 60)


def test_a_quote_marked_in_pieces_has_one_outline_open_where_the_pieces_meet(browse):
    """Two outlines side by side read as two passages: the ring runs along the top across the
    join, and nothing of it is drawn down the join (looked at in the pixels)."""
    page = browse("ports/sources/wire/", "q-the-port-closed-on-monday")
    page.wait_for_selector("mark.bg-hl--arrived", timeout=5000)
    first, second = page.evaluate("""() => [document.querySelector(':target'),
        document.querySelector('mark.bg-hl--arrived')].map(m => { const r = m.getClientRects()[0];
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })""")
    accent = page.evaluate("""() => { const probe = document.createElement('span');
        probe.style.color = 'var(--md-accent-fg-color)'; document.querySelector('.md-typeset').append(probe);
        const rgb = getComputedStyle(probe).color.match(/\\d+/g).map(Number); probe.remove(); return rgb.slice(0, 3); }""")
    join = first["right"]
    assert abs(second["left"] - join) < 3 and abs(second["top"] - first["top"]) < 3  # side by side on one line
    down_the_join = {"x": join - 7, "y": first["top"] + 1, "width": 14, "height": first["bottom"] - first["top"] - 2}
    above_the_join = {"x": join - 7, "y": first["top"] - 6, "width": 14, "height": 5}
    assert _accent_pixels(page, above_the_join, tuple(accent)) >= 14  # the ring's top line crosses it
    assert _accent_pixels(page, down_the_join, tuple(accent)) == 0
