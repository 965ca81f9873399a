"""briefgen beside the plugins MkDocs users run (#24): each test builds a real project with
`--strict` beside another plugin and checks, by hand-written expectations, that the other
plugin did its job on briefing pages. The briefing's title and tags hold `&`, `'` and
Cyrillic, the characters that were escaped twice or split a tag in two.

Material's privacy plugin is built with nothing to download: the theme's fonts are off and
`assets_exclude` names the one external script Material's own bundle mentions (mermaid, on
unpkg.com), so the test needs no network."""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import REPO, SiteReader
from gitrepo import git

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TITLE = "Q&A: Russia's exit from Khmeimim (Хмеймим)"
TAGS = ["Q&A", "Russia's bases", "Хмеймим"]
NOTES = '---\ntags:\n  - Q&A\n  - "Russia\'s bases"\n  - Хмеймим\n---\n# Notes\n\nSome notes.\n'
THEME = "theme:\n  name: material\n  font: false\n"


def _project(root: Path, mkdocs_yml: str, docs: dict[str, str] | None = None) -> Path:
    """The repository's example with TITLE and TAGS, the given mkdocs.yml and docs/ files."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    yml = root / "content/khmeimim/briefing.yml"
    text = yml.read_text(encoding="utf-8")
    assert text.count("\ntitle: Russia packs up at Khmeimim\n") == 1 and text.count("\ntags: [") == 1
    quoted = ", ".join('"' + t.replace('"', '\\"') + '"' for t in TAGS)
    text = text.replace("\ntitle: Russia packs up at Khmeimim\n", f'\ntitle: "{TITLE}"\n')
    yml.write_text(text.replace("\ntags: [", f"\ntags: [{quoted}, ", 1), encoding="utf-8")
    (root / "docs").mkdir()
    for name, body in (docs or {}).items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(body, encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return root


def _build(project: Path, tool: str = "briefgen", *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", tool, "build", "--strict", *args], cwd=project, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _requires(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install -e \".[test]\" installs it")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def _tag_listing(page: str) -> dict[str, list[str]]:
    """Material's tags index: each tag's heading text -> the titles of the pages listed under it."""
    listing: dict[str, list[str]] = {}
    for heading, items in re.findall(r'<h2 id="tag:[^"]*">(.*?)</h2>\s*<ul>(.*?)</ul>', page, re.S):
        tag = _text(heading)
        assert tag not in listing, f"tag {tag!r} is listed twice"
        listing[tag] = [_text(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", items, re.S)]
    return listing


@pytest.mark.parametrize("tool", ["briefgen", "mkdocs"])
def test_material_tags_lists_a_briefing_under_the_same_tag_as_a_markdown_page(tmp_path, tool):
    yml = f"site_name: Tags\n{THEME}plugins:\n  - search\n  - tags\n  - briefgen\n"
    project = _project(tmp_path / "p", yml, {"notes.md": NOTES, "tags.md": "# Tags\n\n<!-- material/tags -->\n"})
    _build(project, tool)
    listing = _tag_listing((project / "site/tags/index.html").read_text(encoding="utf-8"))
    for tag in TAGS:  # one heading each, listing the Markdown page and the briefing together
        assert sorted(listing[tag]) == sorted(["Notes", TITLE]), (tag, listing)
    assert listing["russia"] == [TITLE]
    summary = (project / "site/khmeimim/index.html").read_text(encoding="utf-8")
    shown = [_text(t) for t in re.findall(r'<span class="bg-tag">(.*?)</span>', summary, re.S)]
    assert shown[:3] == TAGS  # the summary shows its tags as written


def test_rss_titles_read_as_written_once_a_feed_reader_unescapes_them(tmp_path):
    _requires("mkdocs_rss_plugin")
    import feedparser

    yml = (f"site_name: Feeds\nsite_url: https://example.org/b/\n{THEME}plugins:\n  - search\n  - briefgen\n"
           "  - rss:\n      date_from_meta: {as_creation: date, as_update: date}\n      use_git: false\n")
    project = _project(tmp_path / "p", yml)
    _build(project)
    _build(project)  # a second build: the feeds rss wrote are briefgen's own output, not foreign files
    raw = (project / "site/feed_rss_created.xml").read_text(encoding="utf-8")
    titles = "".join(t.text or "" for t in ET.fromstring(raw).iter("title"))
    assert "&amp;" not in titles and "&#" not in titles
    items = {e.link: e for e in feedparser.parse(raw).entries}
    assert items["https://example.org/b/khmeimim/"].title == "Q&A: Russia's exit from Khmeimim (Хмеймим)"
    assert items["https://example.org/b/khmeimim/facts/"].title == "Key facts · Q&A: Russia's exit from Khmeimim (Хмеймим)"
    source = ET.fromstring(raw).find(".//item[link='https://example.org/b/khmeimim/sources/jpost/']")
    # A description is HTML to a feed reader (RSS <description>, JSON Feed content_html): escaped
    # once more, it reads as written once the reader takes it as HTML.
    assert html.unescape(source.findtext("description")).startswith(
        "Source of the briefing “Q&A: Russia's exit from Khmeimim (Хмеймим)”")
    # The theme, which does not escape, still gets the title escaped.
    page = (project / "site/khmeimim/index.html").read_text(encoding="utf-8")
    assert "<title>Q&amp;A: Russia&#x27;s exit from Khmeimim (Хмеймим) - Feeds</title>" in page


def _dates(page: str) -> list[str]:
    """The dates git-revision-date-localized printed on a page (updated, then created)."""
    return re.findall(r'git-revision-date-localized-plugin-iso_date"[^>]*>\s*([0-9-]+)', page)


def test_git_revision_dates_of_briefing_pages_are_their_files_commits(tmp_path):
    _requires("mkdocs_git_revision_date_localized_plugin")
    yml = (f"site_name: Dates\n{THEME}plugins:\n  - search\n  - briefgen\n"
           "  - git-revision-date-localized:\n      type: iso_date\n      enable_creation_date: true\n")
    project = _project(tmp_path / "p", yml, {"notes.md": "# Notes\n"})
    (project / ".gitignore").write_text("site/\n.briefgen-cache/\n", encoding="utf-8")
    git(project, "init", "-q")
    when = {"GIT_AUTHOR_DATE": "2024-12-13T12:00:00Z", "GIT_COMMITTER_DATE": "2024-12-13T12:00:00Z"}
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    commit = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false",
              "commit", "-q", "-m"]
    subprocess.run([*commit, "first"], cwd=project, check=True, env={**os.environ, **when})
    yml_path = project / "content/khmeimim/briefing.yml"
    yml_path.write_text(yml_path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    when = {"GIT_AUTHOR_DATE": "2024-12-15T09:30:00Z", "GIT_COMMITTER_DATE": "2024-12-15T09:30:00Z"}
    subprocess.run([*commit, "second", "-a"], cwd=project, check=True, env={**os.environ, **when})
    before = datetime.now(timezone.utc).date().isoformat()
    _build(project)
    build_days = {before, datetime.now(timezone.utc).date().isoformat()}
    site = project / "site"
    for page in ("khmeimim/index.html", "khmeimim/facts/index.html", "khmeimim/questions/index.html"):
        assert _dates((site / page).read_text(encoding="utf-8")) == ["2024-12-15", "2024-12-13"], page
    assert _dates((site / "khmeimim/sources/jpost/index.html").read_text(encoding="utf-8")) == ["2024-12-13"] * 2
    assert _dates((site / "notes/index.html").read_text(encoding="utf-8")) == ["2024-12-13"] * 2
    # The index gathers every briefing and is made by the build: the plugin dates it by the build.
    assert _dates((site / "index.html").read_text(encoding="utf-8"))[0] in build_days


I18N = """\
site_name: Languages
{theme}plugins:
  - search
  - briefgen
  - i18n:
      docs_structure: {structure}
      languages:
        - {{locale: en, default: true, name: English}}
        - {{locale: fr, name: Français}}
"""


def _broken_links(site: Path) -> list[str]:
    reader, broken = SiteReader(site), []
    for rel in reader.pages():
        text = (site / rel).read_text(encoding="utf-8")
        hrefs = [link.href for link in reader.page(rel).links]
        hrefs += re.findall(r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"', text)
        hrefs += re.findall(r'<link\b[^>]*\bhref="([^"]+)"', text)
        for href in hrefs:
            resolved = reader.resolve(rel, href)
            if resolved is not None and not (site / resolved[0]).is_file():
                broken.append(f"{rel}: {href}")
    return broken


@pytest.mark.parametrize("structure,tool", [("suffix", "briefgen"), ("folder", "mkdocs")])
def test_static_i18n_builds_the_briefings_in_every_language(tmp_path, structure, tool):
    _requires("mkdocs_static_i18n")
    about = {"en": "# About\n\nAbout these briefings.\n", "fr": "# À propos\n\nÀ propos de ces notes.\n"}
    docs = ({"about.md": about["en"], "about.fr.md": about["fr"]} if structure == "suffix"
            else {"en/about.md": about["en"], "fr/about.md": about["fr"]})
    project = _project(tmp_path / "p", I18N.format(theme=THEME, structure=structure), docs)
    _build(project, tool)
    site = project / "site"
    for folder, lang, about_title in (("", "en", "About"), ("fr/", "fr", "À propos")):
        for page in ("khmeimim/index.html", "khmeimim/facts/index.html", "khmeimim/sources/jpost/index.html"):
            text = (site / folder / page).read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in text and "Russia&#x27;s exit" in text, folder + page
        assert f"<h1 id=\"{'a-propos' if lang == 'fr' else 'about'}\">{about_title}</h1>" in (
            site / folder / "about/index.html").read_text(encoding="utf-8")
    # Material's language menu on a briefing page leads to the same page in the other language.
    fr_facts = (site / "fr/khmeimim/facts/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./\.\./khmeimim/facts/" hreflang="en"', fr_facts)
    en_summary = (site / "khmeimim/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./fr/khmeimim/" hreflang="fr"', en_summary)
    assert _broken_links(site) == []


def test_blog_privacy_and_search_beside_the_briefings(tmp_path):
    yml = (f"site_name: Blog\nsite_url: https://example.org/b/\n{THEME}plugins:\n  - search\n  - blog\n"
           "  - privacy:\n      assets_exclude: [unpkg.com/*]\n      links_attr_map: {target: _blank}\n  - briefgen\n")
    post = ("---\ndate: 2024-12-16\n---\n# Week in review\n\n"
            "Read [the briefing](../../khmeimim/index.md) and [its key facts](../../khmeimim/facts.md).\n")
    project = _project(tmp_path / "p", yml, {"blog/index.md": "# Blog\n", "blog/posts/review.md": post})
    _build(project)
    site = project / "site"
    reader = SiteReader(site)
    post_page = "blog/2024/12/16/week-in-review/index.html"
    links = {link.text: reader.resolve(post_page, link.href) for link in reader.page(post_page).links}
    assert links["the briefing"] == ("khmeimim/index.html", "")  # MkDocs resolved the link to our page
    assert links["its key facts"] == ("khmeimim/facts/index.html", "")
    assert "Week in review" in (site / "blog/index.html").read_text(encoding="utf-8")
    # privacy marked the source's own link to the original article, in briefgen's HTML.
    jpost = reader.page("khmeimim/sources/jpost/index.html")
    original = [link for link in jpost.links if link.href == "https://www.jpost.com/breaking-news/article-833348"]
    assert original and all(link.attrs.get("target") == "_blank" for link in original)
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {d["location"]: d["title"] for d in index["docs"]}
    assert html.unescape(titles["khmeimim/"]) == TITLE


def test_offline_builds_briefings_that_open_from_files(tmp_path):
    yml = f"site_name: Offline\nuse_directory_urls: false\n{THEME}plugins:\n  - search\n  - offline\n  - briefgen\n"
    project = _project(tmp_path / "p", yml)
    _build(project)
    site = project / "site"
    script = (site / "search/search_index.js").read_text(encoding="utf-8")
    assert '"location":"khmeimim/facts.html"' in script  # the search index a file:// page can load
    assert (site / "khmeimim/sources/jpost.html").is_file()
    assert _broken_links(site) == []


def test_mike_deploys_a_version_that_holds_the_briefings(tmp_path):
    _requires("mike")
    yml = f"site_name: Versions\n{THEME}extra:\n  version: {{provider: mike}}\nplugins:\n  - search\n  - briefgen\n"
    project = _project(tmp_path / "p", yml)
    (project / ".gitignore").write_text("site/\n.briefgen-cache/\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "briefings")
    who = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    mike = [sys.executable, "-c", "import sys; from mike.driver import main; sys.exit(main())"]
    for version in ("1.0", "1.1"):
        done = subprocess.run([*mike, "deploy", version], cwd=project, env={**ENV, **who},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    for version in ("1.0", "1.1"):
        page = git(project, "show", f"gh-pages:{version}/khmeimim/facts/index.html")
        assert "Key facts · Q&amp;A: Russia&#x27;s exit from Khmeimim (Хмеймим)" in page
    assert '"version": "1.1"' in git(project, "show", "gh-pages:versions.json").replace('"version":"', '"version": "')
