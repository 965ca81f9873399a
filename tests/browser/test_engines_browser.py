"""The browser tests of previews, back-links, search and accessibility, run again on the same
example built by Zensical (#26). The tests are test_site.py's and test_reading.py's own,
collected here a second time with this module's `site`: the example with its history, built
with `--engine zensical`. The rest of the browser suite runs on MkDocs only; these are the
behaviours a theme can break (its scripts, its CSS). Search is tested apart: Zensical's search
dialog is its own (other markup than Material's that test_site.py drives), and
test_search_browser.py types in it on Zensical too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import DESKTOP, PHONE, Site, _context, _reset, _served_project, cite_of, example_with_history
from .test_reading import (  # noqa: F401  (collected again, on Zensical's build)
    test_on_touch_first_tap_previews_and_the_preview_link_navigates,
    test_preview_is_dismissed_by_escape_and_by_a_click_outside,
    test_preview_shows_context_note_and_dispute,
)
from .test_site import (  # noqa: F401
    test_axe_no_serious_or_critical_violations,
    test_citation_lands_on_highlighted_passage_and_back_link_returns,
    test_hovering_a_citation_shows_the_quote,
    test_keyboard_focus_on_a_citation_shows_the_quote,
    test_link_preview_tags_and_canonical,
)

pytestmark = [pytest.mark.browser]
pytest.importorskip("zensical", reason="the test extra installs Zensical (briefgen[zensical])")


def _with_zensical(project) -> None:
    example_with_history(project)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "extra:\n  briefgen:\n    engine: zensical\n", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    import yaml

    with _served_project(tmp_path_factory.mktemp("zensical"), _with_zensical) as (project, url):
        assert (project / "site" / "search.json").is_file(), "not built by Zensical"
        briefing_yml = project / "content" / "khmeimim" / "briefing.yml"
        data = yaml.safe_load(briefing_yml.read_text(encoding="utf-8"))
        yield Site(project, project / "site", url, "khmeimim", cite_of(data["summary"][0]["cite"][0])[0], data)


@pytest.fixture(scope="module")
def _zensical_pages(chromium, site: Site):
    contexts = [_context(chromium, site, viewport=DESKTOP), _context(chromium, site, viewport=PHONE)]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


@pytest.fixture
def page(_zensical_pages):
    return _reset(_zensical_pages[0])


@pytest.fixture(scope="module")
def axe_results(chromium, site: Site):
    """As conftest's, for this module's site (its fixture is session-wide, on MkDocs' build)."""
    from .conftest import axe_results as shared

    yield from shared.__wrapped__(chromium, site)
