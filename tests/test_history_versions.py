"""Earlier versions opened as they were, badges in words, and what changed since each earlier
version (for a reader whose last visit was then), on a real build of the three committed
versions of tests/gitrepo.py. Every expectation is written out by hand from those versions."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SiteReader, build_ok
from gitrepo import V1, V2, V3, git, history_project

from briefgen.history.earlier import earlier_pages
from briefgen.history.versions import read_history
from briefgen.stages.render import Page

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

SITE_URL = "https://briefings.example/desk/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("versions") / "project"
    commits = history_project(root)
    (root / "mkdocs.yml").write_text(f"site_name: Test briefings\nsite_url: {SITE_URL}\ntheme: material\n"
                                     "plugins: [search]\n", encoding="utf-8")
    build_ok(root)
    return root, commits


def _words(text: str) -> str:
    return " ".join(text.split())


def test_each_earlier_version_opens_as_it_was_under_a_banner(built):
    root, _ = built
    site = SiteReader(root / "site")
    first = site.page("velmor/versions/2024-12-01/index.html")
    text = _words(first.text)
    assert "This is the version of 1 Dec 2024, as it was then" in text
    # That version's own statements and values, not today's.
    assert "Ships go to the northern harbour." in text and "Two cranes damaged" in text
    assert "Three cranes damaged" not in text and "Repair time" not in text
    second = _words(site.page("velmor/versions/2024-12-02/index.html").text)
    assert "This is the version of 2 Dec 2024" in second and "Three cranes damaged" in second
    assert "The port authority expects weeks of repairs." not in second  # evidence added on 3 Dec
    by_text = {link.text: link.href for link in first.links}
    assert site.resolve("velmor/versions/2024-12-01/index.html", by_text["See the current briefing"]) == \
        ("velmor/index.html", "")
    # A row on today's pages is reached with the version it comes from, so a moved row is followed.
    assert by_text["Damaged cranes"] == "../../facts/?v=2024-12-01#fact-cranes"
    # The current version is not an earlier one: no page of its own, and no banner on the summary.
    assert not (root / "site/velmor/versions/2024-12-03").exists()
    assert "This is the version of" not in site.page("velmor/index.html").text


def test_the_versions_page_links_each_earlier_version_in_words(built):
    root, commits = built
    site = SiteReader(root / "site")
    page = site.page("velmor/changes/index.html")
    opened = {link.text: site.resolve("velmor/changes/index.html", link.href) for link in page.links
              if "bg-version-open" in link.classes}
    assert opened == {"Read the current briefing": ("velmor/index.html", ""),
                      "Open the version of 2 Dec 2024 as it was": ("velmor/versions/2024-12-02/index.html", ""),
                      "Open the version of 1 Dec 2024 as it was": ("velmor/versions/2024-12-01/index.html", "")}
    assert not [c for c in commits if c[:7] in page.text]


def test_earlier_versions_stay_out_of_search_sitemap_and_feeds(built):
    root, _ = built
    html = (root / "site/velmor/versions/2024-12-01/index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in html
    assert '<meta name="robots"' not in (root / "site/velmor/index.html").read_text("utf-8")
    docs = json.loads((root / "site/search/search_index.json").read_text("utf-8"))["docs"]
    assert not [d["location"] for d in docs if "versions/" in d["location"]]
    assert any(d["location"] == "velmor/" for d in docs)
    sitemap = (root / "site/sitemap.xml").read_text("utf-8")
    assert f"<loc>{SITE_URL}velmor/</loc>" in sitemap and f"<loc>{SITE_URL}velmor/changes/</loc>" in sitemap
    assert "versions/" not in sitemap
    for feed in ("feed.xml", "velmor/feed.xml"):
        assert "versions/" not in (root / "site" / feed).read_text("utf-8")


def _badges(html: str) -> dict[str, tuple[str, bool, str]]:
    """row key -> (new|updated, shown without JavaScript, words) of every badge on a page."""
    return {m.group(3): (m.group(1), " hidden" not in m.group(0), m.group(4)) for m in re.finditer(
        r'<span class="bg-change bg-change--(\w+)"([^>]*)data-bg-row="([^"]+)"[^>]*>([^<]*)</span>', html)}


def test_badges_say_what_changed_in_visible_words(built):
    root, _ = built
    questions = _badges((root / "site/velmor/questions/index.html").read_text("utf-8"))
    assert questions["q-reopening"] == ("updated", True, "status: open → leaning · leans to In weeks · +1 more")
    assert questions["q-reopening-e2"] == ("new", True, "new")
    facts = _badges((root / "site/velmor/facts/index.html").read_text("utf-8"))
    # Changed in the version before the previous one: no words until a last visit asks for them.
    assert facts["fact-cranes"] == ("updated", False, "")


def test_what_changed_since_each_earlier_version_is_published_in_words(built):
    root, _ = built
    since = json.loads((root / "site/velmor/versions/2024-12-01/since.json").read_text("utf-8"))
    assert (since["since"], since["as_of"]) == ("2024-12-01", "2024-12-03")
    assert since["badges"] == {
        "fact-cranes": ["updated", "corroboration: single source → corroborated · value changed"],
        "fact-repairs": ["new", "new"], "q-reopening": ["updated", "status: open → leaning · leans to In weeks · +1 more"],
        "q-reopening-e2": ["new", "new"], "source:courier": ["new", "new"]}
    groups = {g["heading"]: g["items"] for g in since["groups"]}
    assert list(groups) == ["Bottom line", "Key facts", "Questions", "Evidence", "Sources"]
    cranes = groups["Key facts"][0]
    assert cranes["label"] == "Damaged cranes" and cranes["href"] == "facts/#fact-cranes"
    assert cranes["parts"][0] == {"what": "value", "date": False, "before": "Two cranes damaged",
                                  "after": "Three cranes damaged"}
    assert groups["Bottom line"] == [{"change": "removed", "label": "Ships go to the northern harbour.",
                                      "href": None, "parts": []}]
    previous = json.loads((root / "site/velmor/versions/2024-12-02/since.json").read_text("utf-8"))
    assert set(previous["badges"]) == {"q-reopening", "q-reopening-e2"}


def test_the_page_tells_the_script_where_the_earlier_versions_are(built):
    root, _ = built
    html = (root / "site/velmor/facts/index.html").read_text("utf-8")
    data = re.search(r'<span class="bg-versions-data" hidden([^>]*)>', html).group(1)
    assert 'data-bg-base="../versions/"' in data and 'data-bg-baselines="2024-12-01 2024-12-02"' in data
    assert 'data-bg-previous="2024-12-02"' in data and 'data-bg-as-of="2024-12-03"' in data
    assert (root / "site/velmor/facts/../versions/2024-12-01/since.json").resolve().is_file()


def test_hostile_text_in_an_earlier_version_stays_text(tmp_path):
    root = tmp_path / "p"
    history_project(root, commits=2)
    yml = root / "content/velmor/briefing.yml"
    yml.write_text(V2.replace("The port of Velmor is closed.", "<img src=x onerror=alert(1)> closed"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "a hostile statement")  # 2024-12-02 again: this is that version now
    (root / "content/velmor/briefing.yml").write_text(V3, encoding="utf-8")
    build_ok(root)
    html = (root / "site/velmor/versions/2024-12-02/index.html").read_text("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt; closed" in html


def test_earlier_pages_render_once_and_again_only_when_what_they_show_changes(tmp_path):
    """Kept by git tree id and what they were rendered with: the second build renders nothing."""
    root = tmp_path / "p"
    history_project(root)
    history = read_history(root, ["velmor"], None)
    trees = {a: t for a, t in history.trees["velmor"].items() if a < "2024-12-03"}
    assert sorted(trees) == ["2024-12-01", "2024-12-02"]
    rendered: list[str] = []

    def render(r) -> Page:
        rendered.append(r.briefing.as_of.isoformat())
        return Page(f"velmor/versions/{r.briefing.as_of}", r.briefing.title, r.briefing.summary[-1].text, "",
                    "version", {"version": r.briefing.as_of.isoformat()})

    cache = tmp_path / "cache"
    first = earlier_pages(root, "velmor", trees, render, "stamp", [1], cache)
    assert rendered == ["2024-12-01", "2024-12-02"]
    assert [p.html for p in first] == ["Ships go to the northern harbour.", "Ships go to the northern harbour."]
    again = earlier_pages(root, "velmor", trees, render, "stamp", [1], cache)
    assert rendered == ["2024-12-01", "2024-12-02"] and again == first
    earlier_pages(root, "velmor", trees, render, "stamp", [2], cache)  # e.g. a source withdrawn since
    assert rendered == ["2024-12-01", "2024-12-02"] * 2
    earlier_pages(root, "velmor", trees, render, "other code", [2], cache)
    assert len(rendered) == 6
    earlier_pages(root, "velmor", trees, render, "other code", [2], None)  # no cache: always rendered
    assert len(rendered) == 8


def test_a_project_template_change_renders_earlier_pages_again(tmp_path):
    root = tmp_path / "p"
    history_project(root)
    build_ok(root)
    (root / "templates").mkdir()
    banner = (Path(__file__).resolve().parents[1] / "templates/_earlier.html").read_text("utf-8")
    (root / "templates/_earlier.html").write_text(banner.replace("as it was then", "as it stood"), encoding="utf-8")
    build_ok(root)
    assert "as it stood" in (root / "site/velmor/versions/2024-12-01/index.html").read_text("utf-8")


def test_an_earlier_version_committed_with_errors_has_no_page_and_the_build_passes(tmp_path):
    """It never built as it was: no page is made up for it, the versions page still lists it."""
    root = tmp_path / "p"
    history_project(root, commits=1)
    broken = V1.replace('"the port of Velmor was closed"', '"the port of Velmor was bombed"')
    (root / "content/velmor/briefing.yml").write_text(broken, encoding="utf-8")
    git(root, "commit", "-q", "-am", "a quote that is not in its source")  # the 1 Dec version now
    (root / "content/velmor/briefing.yml").write_text(V2, encoding="utf-8")
    for _ in range(2):  # the second build takes the cache's word that there is no page
        build_ok(root)
        assert not (root / "site/velmor/versions/2024-12-01/index.html").exists()
        page = SiteReader(root / "site").page("velmor/changes/index.html")
        assert "The first version" in page.ids["v-2024-12-01"]
        assert not [link for link in page.links if "versions/" in link.href]
