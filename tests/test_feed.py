"""Atom feeds of briefing versions, read back with a real feed parser (feedparser)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import SiteReader, build_ok
from gitrepo import MKDOCS, VERSIONS, git, history_project

feedparser = pytest.importorskip("feedparser")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feed") / "project"
    history_project(root)
    build_ok(root)
    return root / "site"


def _parse(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_briefing_feed_has_one_entry_per_version(site):
    feed = _parse(site / "velmor/feed.xml")
    assert feed.feed.title == "Port closure at Velmor"
    assert [e.title for e in feed.entries] == [f"Port closure at Velmor · as of 2024-12-0{n}" for n in (3, 2, 1)]
    assert [time.strftime("%Y-%m-%d", e.updated_parsed) for e in feed.entries] == [
        "2024-12-03", "2024-12-02", "2024-12-01"]
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    assert "status moved from open to leaning" in feed.entries[0].summary
    assert "New source: “Northern Courier: Velmor cranes out of action”" in feed.entries[1].summary


def test_feed_links_lead_to_the_version_on_the_changes_page(site):
    feed = _parse(site / "velmor/feed.xml")
    reader = SiteReader(site)
    for entry in feed.entries:
        alternate = next(link.href for link in entry.links if link.rel == "alternate")
        target, text = reader.target_text("velmor/feed.xml", alternate)
        assert target == "velmor/changes/index.html"
        day = time.strftime("%d %b %Y", entry.updated_parsed).lstrip("0")  # as pages print it: 3 Dec 2024
        assert text.strip().startswith("As of " + day)
        related = next(link.href for link in entry.links if link.rel == "related")
        assert reader.resolve("velmor/feed.xml", related) == ("velmor/index.html", "")


def test_site_feed_has_the_versions_of_all_briefings(site):
    feed = _parse(site / "feed.xml")
    assert len(feed.entries) == 3
    alternate = next(link.href for link in feed.entries[0].links if link.rel == "alternate")
    assert SiteReader(site).resolve("feed.xml", alternate) == ("velmor/changes/index.html", "v-2024-12-03")


def test_with_site_url_ids_and_links_are_absolute(tmp_path):
    root = tmp_path / "p"
    history_project(root, mkdocs=MKDOCS + "site_url: https://example.org/briefs/\n")
    build_ok(root)
    feed = _parse(root / "site/velmor/feed.xml")
    assert feed.entries[0].id == "https://example.org/briefs/velmor/changes/#v-2024-12-03"
    assert feed.entries[0].link == "https://example.org/briefs/velmor/changes/#v-2024-12-03"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == "https://example.org/briefs/velmor/feed.xml"
    assert urljoin(self_link, "changes/") == "https://example.org/briefs/velmor/changes/"


def test_hostile_titles_stay_text_in_the_feed(tmp_path):
    root = tmp_path / "p"
    history_project(root, commits=0)
    _, files = VERSIONS[0]
    hostile = files["content/velmor/briefing.yml"].replace(
        "title: Port closure at Velmor", "title: \"</title><script>alert(1)</script> & ]]>\"")
    (root / "content/velmor/briefing.yml").write_text(hostile, "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hostile")
    build_ok(root)
    raw = (root / "site/velmor/feed.xml").read_text("utf-8")
    assert "<script>" not in raw
    feed = _parse(root / "site/velmor/feed.xml")
    assert feed.feed.title == "</title><script>alert(1)</script> & ]]>"
    assert feed.entries[0].title.startswith("</title><script>")


def test_a_right_to_left_title_is_isolated_in_feed_entries():
    """Feed readers show plain text: an Arabic title beside "· as of <date>" is wrapped in
    FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, so the date keeps its place."""
    from briefgen.analysis.changes import Story
    from briefgen.stages.feed import entries

    story = Story("port", "2025-10-15", None, (), {})
    (arabic,) = entries(story, "الميناء يعود إلى العمل")
    assert arabic.title == "\u2068الميناء يعود إلى العمل\u2069 · as of 2025-10-15"
    (english,) = entries(story, "Port reopens")
    assert english.title == "Port reopens · as of 2025-10-15"
