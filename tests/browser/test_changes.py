""""What changed" in a real browser: a reader sees version 2, the analyst publishes version 3, the
reader comes back. Local storage only (no cookie); JavaScript off shows the page as built, whose
baseline is the previous version. (tests/browser/test_versions.py: an older last visit.)"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from gitrepo import V3, git, history_project

from .conftest import AXE_OPTIONS, _build, _context, _serve, _set_site_url, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]


@contextmanager
def _served(project: Path) -> Iterator[str]:
    """The project's site/ served on 127.0.0.1 (a free port), built with that address as site_url."""
    server, url = _serve(project / "site")
    try:
        _set_site_url(project / "mkdocs.yml", url)
        _build(project)
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _badge(page, row: str):
    return page.locator(f"#{row} .bg-change").first


QUESTION_BADGE = "status: open → leaning · leans to In weeks · +1 more"  # tests/gitrepo.py: V2 -> V3


def test_a_last_visit_at_the_previous_version_is_named_and_forgotten_on_request(chromium, tmp_path):
    require_chromium()
    from playwright.sync_api import expect

    project = tmp_path / "project"
    history_project(project, commits=2)
    git(project, "checkout", "--", "content")  # the working tree back at version 2
    with _served(project) as url:
        context = _context(chromium, SimpleNamespace(url=url))
        page = context.new_page()
        # First visit, version 2: the badges of version 2, in words.
        page.goto(url + "velmor/facts/")
        expect(_badge(page, "fact-repairs")).to_have_text("new")
        expect(_badge(page, "fact-repairs")).to_be_visible()

        (project / "content/velmor/briefing.yml").write_text(V3, encoding="utf-8")
        _build(project)  # version 3 is published
        page.goto(url + "velmor/questions/")
        badge = page.locator("#q-reopening-h .bg-change")
        expect(badge).to_have_text(QUESTION_BADGE)
        expect(page.locator("#q-reopening-e2 .bg-change")).to_have_text("new")
        expect(page.locator("#bg-baseline-note")).to_have_count(0)  # last visit = previous version: one baseline
        page.goto(url + "velmor/facts/")  # seen on the last visit: not marked again
        expect(_badge(page, "fact-repairs")).to_be_hidden()
        page.reload()  # the marks stay until the next version
        expect(_badge(page, "fact-repairs")).to_be_hidden()

        page.goto(url + "velmor/")
        heading = page.locator("#bg-whatchanged")
        expect(heading).to_have_text("What changed since your last visit (version of 2 Dec 2024)")
        expect(page.locator(".bg-baseline-choice")).to_be_hidden()  # nothing to switch between
        page.get_by_role("button", name="Forget my last visit").click()
        expect(page.locator(".bg-baseline")).to_be_hidden()
        expect(heading).to_have_text("What changed since the previous version (2 Dec 2024)")
        assert page.evaluate("localStorage.getItem('briefgen-visits')") == "{}"
        page.goto(url + "velmor/questions/")  # a first visit again: the page as built
        expect(badge).to_have_text(QUESTION_BADGE)
        assert context.cookies() == []
        context.close()

        plain = _context(chromium, SimpleNamespace(url=url), java_script_enabled=False)
        page = plain.new_page()
        page.goto(url + "velmor/questions/")
        assert page.locator("#q-reopening-h .bg-change").inner_text() == QUESTION_BADGE
        assert page.locator("#q-reopening-h .bg-change").is_visible()
        page.goto(url + "velmor/facts/")
        assert not _badge(page, "fact-repairs").is_visible()  # an older version's change
        page.goto(url + "velmor/")
        assert page.locator("#bg-whatchanged").inner_text() == "What changed since the previous version (2 Dec 2024)"
        plain.close()


def test_content_in_a_badge_never_becomes_markup(tmp_path: Path):
    """Badges and the last-visit line take dates and words from briefgen, set with textContent;
    a hostile statement text reaches the page escaped (checked on the built HTML)."""
    project = tmp_path / "project"
    history_project(project, commits=3)
    hostile = V3.replace("The port authority expects weeks of repairs.", "<img src=x onerror=alert(1)>")
    (project / "content/velmor/briefing.yml").write_text(hostile, encoding="utf-8")
    _build(project)
    html = (project / "site/velmor/index.html").read_text("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_pages_with_changes(chromium, tmp_path, scheme: str):
    require_chromium()
    from axe_playwright_python.sync_playwright import Axe

    from .test_site import describe, serious

    project = tmp_path / "project"
    history_project(project, commits=3)
    with _served(project) as url:
        context = _context(chromium, SimpleNamespace(url=url), color_scheme=scheme)
        page = context.new_page()
        for path in ("velmor/", "velmor/facts/", "velmor/questions/", "velmor/changes/",
                     "velmor/sources/courier/", "velmor/versions/2024-12-01/"):
            page.goto(url + path, wait_until="load")
            found = serious(Axe().run(page, options=AXE_OPTIONS).response["violations"])
            assert not found, f"axe-core, {scheme} scheme, {path}:\n{describe(found)}"
        context.close()


@pytest.mark.parametrize("stored", ['{"velmor": {"shown": "<b>x</b>", "before": "\\u202eevil"}}', '[1, 2]', '5',
                                    '{"velmor": {"shown": "2024-12-03", "before": "not a day"}}', "{broken"])
def test_a_tampered_visit_record_counts_as_no_visit(chromium, tmp_path, stored):
    """Whatever another script or a hand edit left in localStorage: the page as built, no error."""
    from playwright.sync_api import expect

    project = tmp_path / "p"
    history_project(project)
    with _served(project) as url:
        context = _context(chromium, SimpleNamespace(url=url))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "velmor/")
        page.evaluate("v => localStorage.setItem('briefgen-visits', v)", stored)
        page.goto(url + "velmor/questions/")
        expect(page.locator("#q-reopening-h .bg-change")).to_have_text(QUESTION_BADGE)
        page.goto(url + "velmor/")
        expect(page.locator("#bg-whatchanged")).to_have_text("What changed since the previous version (2 Dec 2024)")
        expect(page.locator(".bg-baseline")).to_be_hidden()
        assert errors == []
        context.close()


def test_what_changed_is_grouped_in_words_struck_and_marked_and_short_on_a_phone(phone_page, site):
    """The example's second version (tests/browser/conftest.py: EARLIER_EXAMPLE) changed an
    assessment, a fact's value and a question's status, and added a fact and an event."""
    page = phone_page
    page.goto(site.page("summary"))
    box = page.locator(".bg-whatchanged")
    assert box.locator("h3").all_text_contents() == ["Bottom line", "Key facts", "Questions", "Timeline"]
    assert box.locator("del").all_text_contents() == ["low", "Two An-124s at Khmeimim", "open"]
    assert box.locator("ins").all_text_contents()[:1] == ["moderate"]
    assert "leaning" in box.locator("ins").all_text_contents()
    text = box.text_content()
    assert "single-origin" not in text and "exit-or-drawdown" not in text and "drawdown:" not in text
    styles = box.evaluate("""b => ({del: getComputedStyle(b.querySelector('del')).textDecorationLine,
        ins: getComputedStyle(b.querySelector('ins')).backgroundColor,
        page: getComputedStyle(document.body).backgroundColor})""")
    assert styles["del"] == "line-through" and styles["ins"] not in (styles["page"], "rgba(0, 0, 0, 0)"), styles
    height = box.evaluate("b => b.getBoundingClientRect().height")
    # One sentence a change, all links, took 543 px here; grouped, struck and marked, 458 px; with
    # the baseline named in the heading (two lines) and a link to the previous version, 476 px.
    assert height < 480, f"'What changed' takes {height} px on a phone"
