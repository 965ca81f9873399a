"""A link copied last week opens on the same row today, or says the row was removed (real Chromium).

The project is tests/test_moves.py's: version 2 dropped the first statement and added an earlier
timeline event, so version 1's #summary-2 is #summary-1 now and its #summary-1 is gone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_moves import moves_project

from .conftest import DESKTOP, Site, _context, _served_project, wait_until_wired

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def moves_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with _served_project(tmp_path_factory.mktemp("moves"), moves_project) as (project, url):
        yield Site(project, project / "site", url, "port", "wire", {})


@pytest.fixture
def browse(chromium, moves_site: Site):
    context = _context(chromium, moves_site, viewport=DESKTOP)
    page = context.new_page()

    def go(path: str):
        page.goto(moves_site.url + path, wait_until="load")
        return page

    yield go
    context.close()


def _target_text(page) -> str:
    page.wait_for_function("() => document.querySelector(':target') !== null", timeout=5000)
    return page.evaluate("() => document.querySelector(':target').innerText")


def test_a_versioned_link_to_a_renumbered_statement_lands_on_it(browse):
    page = browse("port/?v=2025-03-01#summary-2")
    page.wait_for_function("() => location.hash === '#summary-1'", timeout=5000)
    assert "Ships were diverted." in _target_text(page)
    page = browse("port/?v=2025-03-01#timeline-1")
    page.wait_for_function("() => location.hash === '#timeline-2'", timeout=5000)
    assert "A storm hit." in _target_text(page)


def test_a_versioned_link_to_a_removed_statement_says_so(browse):
    page = browse("port/?v=2025-03-01#summary-1")
    note = page.locator("#bg-removed")
    note.wait_for(state="visible", timeout=5000)
    assert note.inner_text().startswith("The row this link pointed to (#summary-1) was removed in the version "
                                        "of 2 Mar 2025.")
    assert note.get_by_role("link", name="See every version").get_attribute("href").endswith("/port/changes/")
    assert page.evaluate("() => location.hash") == "#summary-1"  # not sent elsewhere


def test_a_link_without_a_version_is_looked_up_when_its_row_is_gone(browse):
    page = browse("port/#summary-3")  # no such row now: version 1's third statement is #summary-2
    page.wait_for_function("() => location.hash === '#summary-2'", timeout=5000)
    assert "Cranes were damaged." in _target_text(page)
    page = browse("port/#summary-1")  # exists today: left alone
    wait_until_wired(page)  # the moved-link lookup has run
    assert page.evaluate("() => location.hash") == "#summary-1"
    assert page.locator("#bg-removed").count() == 0


def test_the_copy_button_copies_the_version_with_the_link(browse):
    page = browse("port/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#summary-2").hover()
    page.locator("#summary-2 button.bg-copy").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith("/port/?v=2025-03-02#summary-2")
