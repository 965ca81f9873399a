"""Earlier versions and one baseline at a time, in a real browser.

Two committed versions: the versions page opens the earlier one as it was. Three: a reader whose
last visit was the first sees what changed since then, said so, on the box and the badges, and
can switch to the previous version and back. Expectations are written from tests/gitrepo.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitrepo import git, history_project

from .conftest import DESKTOP, PHONE, _context, require_chromium, settle
from .test_changes import _served

pytestmark = [pytest.mark.browser, pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]

VISITED_FIRST = json.dumps({"velmor": {"shown": "2024-12-01", "before": None}})
# Light and dark palettes, each chosen by the browser's preference, and no web fonts (offline).
PALETTES = """site_name: Test briefings
theme:
  name: material
  font: false
  palette:
    - {media: "(prefers-color-scheme: light)", scheme: default, toggle: {icon: material/brightness-7, name: Dark}}
    - {media: "(prefers-color-scheme: dark)", scheme: slate, toggle: {icon: material/brightness-4, name: Light}}
plugins: [search]
"""


def test_the_versions_page_opens_an_earlier_version_as_it_was(chromium, tmp_path: Path):
    require_chromium()
    from playwright.sync_api import expect

    project = tmp_path / "project"
    history_project(project, commits=2)
    git(project, "checkout", "--", "content")  # the working tree at version 2: two versions in all
    with _served(project) as url:
        context = _context(chromium, SimpleNamespace(url=url), viewport=DESKTOP)
        page = context.new_page()
        page.goto(url + "velmor/")
        page.locator(".bg-tabs").get_by_role("link", name="Versions (2)").click()
        page.get_by_role("link", name="Open the version of 1 Dec 2024 as it was").click()
        expect(page).to_have_url(url + "velmor/versions/2024-12-01/")
        banner = page.locator(".bg-earlier")
        expect(banner).to_contain_text("This is the version of 1 Dec 2024, as it was then")
        statements = page.locator(".bg-statement .bg-text")
        expect(statements).to_have_text(["The port of Velmor is closed.", "Ships go to the northern harbour."])
        expect(page.locator("#bg-facts").locator("xpath=..")).to_contain_text("Damaged cranes: Two cranes damaged")
        expect(page.locator(".bg-tabs")).to_have_count(0)  # the tabs are the current version's
        expect(page.locator(".bg-change")).to_have_count(0)
        banner.get_by_role("link", name="See the current briefing").click()
        expect(page).to_have_url(url + "velmor/")
        expect(page.locator("#bg-facts").locator("xpath=..")).to_contain_text("Damaged cranes: Three cranes damaged")
        context.close()


def _remember(context, url: str, visits: str) -> None:
    page = context.new_page()
    page.goto(url + "velmor/changes/")  # no badges, no box: this page records no visit
    page.evaluate("v => localStorage.setItem('briefgen-visits', v)", visits)
    page.close()


def test_a_remembered_last_visit_is_the_one_baseline_and_can_be_switched(chromium, tmp_path: Path):
    require_chromium()
    from playwright.sync_api import expect

    project = tmp_path / "project"
    history_project(project)
    with _served(project) as url:
        context = _context(chromium, SimpleNamespace(url=url), viewport=DESKTOP)
        _remember(context, url, VISITED_FIRST)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "velmor/")
        box = page.locator(".bg-whatchanged")
        heading = box.locator("h2")
        expect(heading).to_have_text("What changed since your last visit (version of 1 Dec 2024)")
        expect(box.locator(".bg-changes-body:visible")).to_have_count(1)  # one list, never both
        # Since 1 Dec: the crane fact (changed on 2 Dec) and the question (3 Dec), in one account.
        expect(box.locator(".bg-changes-body:visible h3")).to_have_text(
            ["Bottom line", "Key facts", "Questions", "Evidence", "Sources"])
        expect(box.locator(".bg-changes-body:visible del")).to_contain_text(
            ["Ships go to the northern harbour.", "Two cranes damaged", "single source", "open"])
        expect(box.get_by_role("link", name="Damaged cranes")).to_have_attribute(
            "href", url + "velmor/facts/#fact-cranes")
        facts_badges = page.locator("#bg-facts").locator("xpath=..").locator(".bg-change")
        expect(facts_badges).to_have_text(["corroboration: single source → corroborated · value changed", "new"])
        visit = box.get_by_role("button", name="your last visit (1 Dec 2024)")
        previous = box.get_by_role("button", name="the previous version (2 Dec 2024)")
        expect(visit).to_have_attribute("aria-pressed", "true")

        previous.click()
        expect(heading).to_have_text("What changed since the previous version (2 Dec 2024)")
        expect(previous).to_have_attribute("aria-pressed", "true")
        expect(box.locator(".bg-changes-body:visible h3")).to_have_text(["Bottom line", "Questions", "Evidence"])
        expect(facts_badges.filter(visible=True)).to_have_count(0)  # the crane fact did not change on 3 Dec
        page.goto(url + "velmor/facts/")  # the choice is remembered
        expect(page.locator("#bg-baseline-note")).to_contain_text("since the previous one (2 Dec 2024)")
        expect(page.locator("#fact-cranes .bg-change")).to_be_hidden()
        page.get_by_role("button", name="Show changes since your last visit").click()
        expect(page.locator("#bg-baseline-note")).to_contain_text("since your last visit (version of 1 Dec 2024)")
        expect(page.locator("#fact-cranes .bg-change")).to_have_text(
            "corroboration: single source → corroborated · value changed")
        page.goto(url + "velmor/")
        expect(heading).to_have_text("What changed since your last visit (version of 1 Dec 2024)")
        assert errors == []
        context.close()


def test_without_what_changed_since_the_last_visit_the_page_stays_as_built(chromium, tmp_path: Path):
    """since.json missing (a site copied without it, a failed request): the previous version
    stays the one baseline, nothing offers a switch to what cannot be shown, no error."""
    require_chromium()
    from playwright.sync_api import expect

    project = tmp_path / "project"
    history_project(project)
    with _served(project) as url:
        (project / "site/velmor/versions/2024-12-01/since.json").unlink()
        context = _context(chromium, SimpleNamespace(url=url), viewport=DESKTOP)
        _remember(context, url, VISITED_FIRST)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        with page.expect_response(lambda r: r.url.endswith("/2024-12-01/since.json")) as response:
            page.goto(url + "velmor/")
        assert response.value.status == 404
        expect(page.locator("#bg-whatchanged")).to_have_text("What changed since the previous version (2 Dec 2024)")
        expect(page.locator(".bg-baseline")).to_be_visible()  # a visit is remembered: it can be forgotten
        expect(page.locator(".bg-baseline-choice")).to_be_hidden()
        expect(page.locator("#q-reopening .bg-change, .bg-list .bg-change").first).to_have_text(
            "status: open → leaning · leans to In weeks · +1 more")
        assert errors == []
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["390", "1280"])
def test_screenshots_of_versions_earlier_page_and_the_box(chromium, tmp_path: Path, screenshot_dir: Path,
                                                          scheme: str, width: str):
    """For a person to look at: the versions page, an earlier version, and the box with a last
    visit, at a phone's and a desktop's width, in both palettes. Each shot must show its page."""
    require_chromium()
    from playwright.sync_api import expect

    project = tmp_path / "project"
    history_project(project, mkdocs=PALETTES)
    with _served(project) as url:
        viewport = PHONE if width == "390" else DESKTOP
        context = _context(chromium, SimpleNamespace(url=url), viewport=viewport, color_scheme=scheme)
        _remember(context, url, VISITED_FIRST)
        page = context.new_page()
        for name, path, ready in (("versions", "velmor/changes/", ".bg-version-open"),
                                  ("earlier", "velmor/versions/2024-12-01/", ".bg-earlier"),
                                  ("whatchanged", "velmor/", ".bg-changes-since")):
            page.goto(url + path)
            expect(page.locator(ready).first).to_be_visible()
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme",
                                                           "slate" if scheme == "dark" else "default")
            settle(page)
            target = page.locator(".bg-whatchanged") if name == "whatchanged" else page
            shot = screenshot_dir / f"versions-{name}-{width}-{scheme}.png"
            if name == "whatchanged":
                target.screenshot(path=str(shot))
            else:
                page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 5_000
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at {width}"
        context.close()
