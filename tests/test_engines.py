"""Both engines build the same site (#26): the example and the hostile project built with MkDocs
and with Zensical give, page by page, the same article text, the same ids and the same links;
citations land on their quotes on both; the guards of `briefgen build` hold under Zensical; and
without Zensical installed, asking for it says how to install it.

A few real builds of each engine (a Zensical build runs `zensical build` in its own process).
"""

from __future__ import annotations

import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SiteReader, make_project, tree_hash
from test_hostile import assert_inert, write_project

from briefgen.cli import main
from briefgen.diagnostics import UserError
from briefgen.engine.site import build_site

pytest.importorskip("zensical", reason="the test extra installs Zensical (briefgen[zensical])")

# Zensical's theme opens every article with a skip-link target of its own (`<a id="__skip">`);
# Material's under MkDocs has none. It is the engine's, not the page's.
ENGINE_IDS = {"zensical": {"__skip"}, "mkdocs": set()}


class _Article(HTMLParser):
    """The text, ids and link targets inside the page's outermost <article>, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
        if self.depth:
            if a.get("id"):
                self.ids.append(a["id"])
            if tag == "a" and a.get("href") is not None:
                self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def article(path: Path, engine: str) -> tuple[str, list[str], list[str]]:
    p = _Article()
    p.feed(path.read_text(encoding="utf-8"))
    ids = [i for i in p.ids if i not in ENGINE_IDS[engine]]
    return " ".join("".join(p.text).split()), ids, p.links


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")
            if not p.relative_to(site).as_posix().startswith("assets/")}


def build_both(project: Path) -> tuple[Path, Path]:
    for engine, site in (("mkdocs", "site"), ("zensical", "zsite")):
        outcome = build_site(project, site_dir=site, engine=engine)
        assert not outcome.report.errors, [str(p) for p in outcome.report.errors]
    return project / "site", project / "zsite"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return build_both(project)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_both(write_project(tmp_path_factory.mktemp("hostile")))


def assert_same_pages(mkdocs_site: Path, zensical_site: Path) -> None:
    assert pages(mkdocs_site) == pages(zensical_site)
    for rel in sorted(pages(mkdocs_site)):
        text_m, ids_m, links_m = article(mkdocs_site / rel, "mkdocs")
        text_z, ids_z, links_z = article(zensical_site / rel, "zensical")
        assert text_z == text_m, f"{rel}: the article's text differs"
        assert ids_z == ids_m, f"{rel}: ids differ: {sorted(set(ids_m) ^ set(ids_z))[:5]}"
        assert links_z == links_m, f"{rel}: links differ: {sorted(set(links_m) ^ set(links_z))[:5]}"


def test_the_example_has_the_same_pages_text_ids_and_links_on_both_engines(example):
    mkdocs_site, zensical_site = example
    assert {"index.html", "khmeimim/index.html", "khmeimim/facts/index.html", "khmeimim/questions/index.html",
            "khmeimim/sources/jpost/index.html", "404.html"} <= pages(zensical_site)
    assert_same_pages(mkdocs_site, zensical_site)
    # Zensical built it: its own search index and theme, not Material's under MkDocs.
    assert (zensical_site / "search.json").is_file() and not (zensical_site / "search").exists()
    assert "zensical" in (zensical_site / "index.html").read_text(encoding="utf-8").lower()


def test_citations_and_back_links_land_on_their_quotes_on_zensical(example):
    counts = SiteReader(example[1]).follow_everything()
    assert counts["cite"] > 20 and counts["backlink"] > 20 and counts["json"] > 20, counts


def test_feeds_assets_and_briefing_data_are_published_by_zensical(example):
    mkdocs_site, zensical_site = example
    for name in ("feed.xml", "khmeimim/feed.xml", "khmeimim/briefing.json", "assets/briefgen/previews.js",
                 "assets/briefgen/briefgen.css", ".briefgen-site"):
        assert (zensical_site / name).is_file(), name
    assert (zensical_site / "khmeimim/briefing.json").read_bytes() == (mkdocs_site / "khmeimim/briefing.json").read_bytes()
    summary = (zensical_site / "khmeimim/index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/briefgen/previews.js"' in summary
    assert '<meta property="og:title" content="Russia packs up at Khmeimim">' in summary
    assert 'rel="alternate feed" type="application/atom+xml" title="This briefing\'s versions" href="./feed.xml"' in summary


def test_the_home_page_is_titled_with_the_site_name_once_on_both_engines(example):
    # Material and Zensical title a page "<its title> - <site name>"; the home page's title is
    # the site's name (the example's mkdocs.yml: "briefgen example briefings").
    for site in example:
        home = (site / "index.html").read_text(encoding="utf-8")
        assert "<title>briefgen example briefings</title>" in home, site
        summary = (site / "khmeimim/index.html").read_text(encoding="utf-8")
        assert "<title>Russia packs up at Khmeimim - briefgen example briefings</title>" in summary, site


def test_briefgen_s_own_templates_in_the_project_override_nothing_under_zensical(tmp_path):
    """In a clone of briefgen the project's templates/ are briefgen's own: their theme/ holds
    MkDocs' main.html and sitemap.xml, which broke Zensical's theme (sitemap.xml:6)."""
    project = tmp_path / "clone"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "templates/theme/extra.css").write_text("p { color: teal }\n", encoding="utf-8")  # the user's own
    outcome = build_site(project, engine="zensical")
    assert not outcome.report.errors, [str(p) for p in outcome.report.errors]
    site = project / "site"
    assert "zensical" in (site / "index.html").read_text(encoding="utf-8").lower()
    assert "<title>briefgen example briefings</title>" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "extra.css").read_text(encoding="utf-8") == "p { color: teal }\n"


def test_hostile_text_stays_inert_and_the_pages_match_on_zensical(hostile):
    mkdocs_site, zensical_site = hostile
    for path in sorted(zensical_site.rglob("*.html")):
        if "assets" not in path.relative_to(zensical_site).parts:
            assert_inert(path.read_text(encoding="utf-8"), str(path.relative_to(zensical_site)))
    assert_same_pages(mkdocs_site, zensical_site)


def test_the_config_chooses_zensical_and_the_option_overrides_it(tmp_path):
    project = make_project(tmp_path, {"mkdocs.yml": "site_name: Ελληνικά\ntheme: material\n"
                                                    "extra:\n  briefgen:\n    engine: zensical\n"})
    shutil.copytree(REPO / "content", project / "content")
    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(project), "build", "-q"])
    assert result.exit_code == 0, result.output
    assert (project / "site" / "search.json").is_file(), "extra.briefgen.engine: zensical builds with Zensical"
    result = runner.invoke(main, ["-C", str(project), "build", "-q", "--engine", "mkdocs"])
    assert result.exit_code == 0, result.output
    assert (project / "site" / "search" / "search_index.json").is_file(), "--engine mkdocs wins over the config"


def test_an_unknown_engine_in_the_config_is_refused(tmp_path):
    project = make_project(tmp_path, {"mkdocs.yml": "site_name: T\nextra:\n  briefgen:\n    engine: hugo\n"})
    result = CliRunner().invoke(main, ["-C", str(project), "build"])
    assert result.exit_code == 1
    assert "extra.briefgen.engine must be one of mkdocs, zensical, not 'hugo'" in result.output


def test_a_failed_check_leaves_the_site_as_it_was_under_zensical(tmp_path):
    project = make_project(tmp_path, {})
    shutil.copytree(REPO / "content", project / "content")
    assert not build_site(project, engine="zensical").report.errors
    before = tree_hash(project / "site")
    yml = project / "content" / "khmeimim" / "briefing.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("quote: ", "quote: Ωμέγα not in the article ", 1),
                   encoding="utf-8")
    outcome = build_site(project, engine="zensical")
    assert outcome.report.errors
    assert tree_hash(project / "site") == before
    assert not (project / ".briefgen-build").exists()


@pytest.mark.parametrize("site_dir", ["content", ".", "templates"])
def test_site_dirs_that_name_the_users_files_are_refused_under_zensical(tmp_path, site_dir):
    project = make_project(tmp_path, {"mkdocs.yml": f"site_name: T\nsite_dir: {site_dir}\n",
                                      "templates/keep.txt": "mine"})
    shutil.copytree(REPO / "content", project / "content")
    before = tree_hash(project)
    result = CliRunner().invoke(main, ["-C", str(project), "build", "--engine", "zensical"])
    assert result.exit_code == 1
    assert f"site_dir '{site_dir}'" in result.output and "nothing was changed" in result.output
    assert tree_hash(project) == before


def test_without_zensical_the_option_says_how_to_install_it(tmp_path, monkeypatch):
    project = make_project(tmp_path, {})
    monkeypatch.setitem(sys.modules, "zensical", None)  # what importlib sees when it is not installed
    with pytest.raises(UserError, match=r'pip install "briefgen\[zensical\]"'):
        build_site(project, engine="zensical")
    assert not (project / "site").exists()


def test_init_for_zensical_writes_a_workflow_config_and_requirement_that_build_with_it(tmp_path):
    import yaml
    from packaging.requirements import Requirement

    from briefgen.commands.installed import Origin
    from briefgen.commands.scaffold import init_project

    target = tmp_path / "νέα"  # a Greek folder name: the site name is written as a YAML string
    init_project(target, Origin("briefgen==1.2.3", "a release"), engine="zensical")
    workflow = yaml.safe_load((target / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    runs = [s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("run", "").startswith("briefgen build")]
    assert runs == ["briefgen build --strict --format github --engine zensical"]
    lines = [ln for ln in (target / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    assert lines == ["briefgen[zensical]==1.2.3"] and Requirement(lines[0]).extras == {"zensical"}
    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert config["extra"]["briefgen"]["engine"] == "zensical" and config["site_name"] == "νέα briefings"
    # and the project it wrote builds with Zensical as it is
    result = CliRunner().invoke(main, ["-C", str(target), "build", "-q"])
    assert result.exit_code == 0, result.output
    assert (target / "site" / "search.json").is_file()


def test_init_for_mkdocs_is_as_before(tmp_path):
    from briefgen.commands.installed import Origin
    from briefgen.commands.scaffold import init_project

    init_project(tmp_path / "site", Origin("briefgen==1.2.3", "a release"))
    assert "engine" not in (tmp_path / "site" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "run: briefgen build --strict --format github\n" in (tmp_path / "site/.github/workflows/pages.yml").read_text(encoding="utf-8")
    assert "\nbriefgen==1.2.3\n" in (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8")


def test_zensical_search_index_holds_the_pages_in_their_languages(example):
    import json

    index = json.loads((example[1] / "search.json").read_text(encoding="utf-8"))
    locations = {item["location"].split("#")[0] for item in index["items"]}
    assert {"khmeimim/", "khmeimim/facts/", "khmeimim/sources/jpost/"} <= locations
    assert any("Khmeimim" in item["text"] for item in index["items"])


def test_serve_on_zensical_serves_rebuilds_on_an_edit_and_keeps_the_last_good_site(tmp_path):
    import subprocess

    from conftest import http_get, wait_for
    from test_serve import free_port

    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(tmp_path), "serve", "--engine",
                                 "zensical", "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    page = base + "/khmeimim/sources/jpost/"
    try:
        assert wait_for(lambda: "Khmeimim" in http_get(page)), "serve never came up"
        first = http_get(page)
        assert "livereload" in first and "zensical" in first.lower(), "not Zensical's page with live reload"
        source = tmp_path / "content" / "khmeimim" / "sources" / "jpost.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nΜια πρόταση, добавленная while serving.\n",
                          encoding="utf-8")
        assert wait_for(lambda: "Μια πρόταση, добавленная while serving." in http_get(page)), "the edit never showed"
        briefing = tmp_path / "content" / "khmeimim" / "briefing.yml"
        briefing.write_text(briefing.read_text(encoding="utf-8").replace("as_of: 2024-12-14", "as_of: not-a-date"),
                            encoding="utf-8")
        assert wait_for(lambda: "content/khmeimim/briefing.yml:10:8: error: 'as_of'" in log.read_text())
        assert "Μια πρόταση" in http_get(page), "the last good site is still served"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("body", [
    '<p id="p1">Ελληνικά, русский, العربية, and e\u0301 in NFD</p>',
    "<pre>\tA tab, and a line of spaces below\n   \nkept *as* <b>it is</b></pre>",
    "<div>\n\n# not a heading\n\n* not a list\n\n</div><p>[x](javascript:alert(1)) stays text</p>",
])
def test_a_staged_page_reaches_zensical_exactly_as_briefgen_rendered_it(body):
    """Python-Markdown with the extensions Zensical always runs: a page marked as ours comes out
    byte for byte as it went in; a page without the mark is Markdown as usual."""
    from markdown import Markdown

    from briefgen.engine.zensical_markdown import MARK

    def convert(text: str) -> str:
        return Markdown(extensions=["toc", "tables", "briefgen.engine.zensical_markdown"]).convert(text)

    assert convert(f"{MARK}\n{body}") == body
    assert convert("# A heading\n\n*emphasis*") == '<h1 id="a-heading">A heading</h1>\n<p><em>emphasis</em></p>'


def test_an_earlier_version_opens_on_zensical_without_nav_search_or_robots(tmp_path: Path):
    from browser.conftest import example_with_history

    project = tmp_path / "p"
    project.mkdir()
    example_with_history(project)  # versions of 2024-12-13 and 2024-12-14
    build_site(project, engine="zensical")
    old = (project / "site" / "khmeimim" / "versions" / "2024-12-13" / "index.html").read_text(encoding="utf-8")
    assert 'This is the version of <time datetime="2024-12-13">13 Dec 2024</time>' in old
    assert '<meta name="robots" content="noindex">' in old
    assert "md-nav--primary" not in old  # briefgen-earlier.html: no site nav on Zensical either
    import json
    index = json.loads((project / "site" / "search.json").read_text(encoding="utf-8"))
    locations = [item["location"] for item in index["items"]]
    assert any(loc.startswith("khmeimim/") for loc in locations)
    assert not [loc for loc in locations if "/versions/" in loc]
