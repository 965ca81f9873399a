"""No page makes a request that fails (#24), and none asks another host for anything.

Every response and every failed request of each page kind is recorded: on the example with
history, on a project without history, and on the example built beside other plugins
(mkdocs-static-i18n, Material's tags, mkdocs-rss-plugin), whose language menu and feeds add
links that Material follows (there only the sitemap lookups that Markdown pages make too fail). Requests to other hosts are aborted (the tests run offline) and
recorded as such: there must be none. Search is opened and used on each site, so its worker,
its index and its language files are fetched too."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO, Site, _served_project, require_chromium

pytestmark = pytest.mark.browser

KINDS = ["index", "summary", "facts", "questions", "source"]

BESIDE_PLUGINS = """\
site_name: Briefings beside plugins
theme:
  name: material
  font: false
plugins:
  - search
  - tags
  - briefgen
  - rss:
      date_from_meta: {as_creation: date, as_update: date}
      use_git: false
  - i18n:
      docs_structure: suffix
      languages:
        - {locale: en, default: true, name: English}
        - {locale: fr, name: Français}
"""

BESIDE_PAGES = ["", "khmeimim/", "khmeimim/facts/", "khmeimim/sources/jpost/", "tags/", "about/",
                "fr/", "fr/khmeimim/", "fr/khmeimim/questions/", "fr/about/"]


def _beside_plugins(project: Path) -> None:
    shutil.copytree(REPO / "content", project / "content")
    (project / "docs").mkdir()
    (project / "docs/about.md").write_text("---\ntags: [russia]\n---\n# About\n\nWho writes these.\n", encoding="utf-8")
    (project / "docs/about.fr.md").write_text("# À propos\n\nQui les écrit.\n", encoding="utf-8")
    (project / "docs/tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(BESIDE_PLUGINS, encoding="utf-8")


@pytest.fixture(scope="module")
def beside_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_chromium()
    with _served_project(tmp_path_factory.mktemp("beside"), _beside_plugins) as (project, url):
        yield Site(project, project / "site", url, "khmeimim", "jpost", {})


class Recorder:
    """Every request a page makes: those that failed or got an error status, and those that
    went to another host (aborted before they leave the machine, then recorded here)."""

    def __init__(self, page, site_url: str) -> None:
        self.origin = site_url.rstrip("/")
        self.failed: list[str] = []
        self.elsewhere: list[str] = []
        self.seen = 0
        page.route("**/*", self._route)
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("requestfailed", lambda r: self.failed.append(f"failed ({r.failure}) {r.url}"))

    def _route(self, route) -> None:
        if route.request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            route.abort()

    def _request(self, request) -> None:
        self.seen += 1
        if not request.url.startswith((self.origin + "/", "data:", "blob:")):
            self.elsewhere.append(request.url)

    def _response(self, response) -> None:
        if response.status >= 400 and response.url != self.expected_404:
            self.failed.append(f"{response.status} {response.url}")

    expected_404 = ""


def _open_and_search(page, recorder: Recorder, url: str, word: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => !/Initializing/i.test(document.querySelector('.md-search-result__meta').textContent)")
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(word, delay=20)
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item a').length > 0")
    page.wait_for_load_state("networkidle")


def _visit(chromium, site: Site, urls: list[str], word: str) -> Recorder:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        recorder = Recorder(page, site.url)
        for url in urls:
            _open_and_search(page, recorder, url, word)
        recorder.expected_404 = site.url + "no-such-page/"  # its own status; what it loads must not fail
        page.goto(recorder.expected_404, wait_until="networkidle")
        return recorder
    finally:
        context.close()


@pytest.mark.parametrize("which", ["with history", "without history"])
def test_no_page_kind_makes_a_failing_or_outside_request(chromium, site, tiny_site, which):
    chosen = site if which == "with history" else tiny_site
    kinds = KINDS + (["changes"] if chosen is site else [])
    recorder = _visit(chromium, chosen, [chosen.page(k) for k in kinds], "Russia" if chosen is site else "harbour")
    assert recorder.seen > len(kinds) * 5  # pages, styles, scripts and the search index were all seen
    assert recorder.failed == []
    assert recorder.elsewhere == []


def test_beside_i18n_only_materials_sitemap_lookups_fail_and_markdown_pages_make_them_too(chromium, beside_site):
    """Material looks for sitemap.xml beside each link of its language menu, and i18n writes
    one for no language folder and fills the menu with each page's own copies: every page, a
    Markdown page as much as a briefing page, asks for sitemap.xml where there is none (docs/publishing.md,
    "Beside other plugins"). Nothing else may fail."""
    recorder = _visit(chromium, beside_site, [beside_site.url + p for p in BESIDE_PAGES], "Khmeimim")
    assert recorder.elsewhere == []
    base = beside_site.url
    assert [f for f in recorder.failed if not (f.startswith(f"404 {base}") and f.endswith("/sitemap.xml"))] == []
    # The Markdown page About asks as the briefing does: the lookups are not briefgen's doing.
    assert {f"404 {base}about/sitemap.xml", f"404 {base}fr/about/sitemap.xml",
            f"404 {base}khmeimim/sitemap.xml", f"404 {base}fr/khmeimim/sitemap.xml"} <= set(recorder.failed)
