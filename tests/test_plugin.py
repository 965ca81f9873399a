"""briefgen as an MkDocs plugin (`plugins: [search, briefgen]`): plain `mkdocs build`,
`mkdocs serve` and ProperDocs build the briefing site, a check error fails them with its
`path:line:col` line, and other plugins (Material's tags, mkdocs-rss-plugin) see the
briefings, under `mkdocs build` and under `briefgen build` alike."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, http_get, tree_hash, wait_for

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
QUOTE_LINE = re.compile(r"^(?:ERROR\s+-\s+)?content/khmeimim/briefing\.yml:\d+:\d+: error: quote not found", re.M)


def _example(root: Path, plugins: str = "  - search\n  - briefgen\n", extra: str = "") -> Path:
    """The example project (content/, docs/, mkdocs.yml) with the given plugins list."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    (root / "docs").mkdir()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text[:text.index("plugins:")] + "plugins:\n" + plugins + extra
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def _run(tool: str, project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=300)


def _break_a_quote(project: Path) -> None:
    yml = project / "content/khmeimim/briefing.yml"
    text = yml.read_text(encoding="utf-8")
    quote = re.search(r'quote: "([^"]{12,})"', text).group(1)
    yml.write_text(text.replace(quote, "words that are in no source at all", 1), encoding="utf-8")


def _assert_briefing_site(site: Path) -> None:
    for page in ("index.html", "khmeimim/index.html", "khmeimim/facts/index.html",
                 "khmeimim/questions/index.html", "khmeimim/briefing.json", "assets/briefgen/briefgen.css"):
        assert (site / page).is_file(), page
    assert "Russia packs up at Khmeimim" in (site / "khmeimim/index.html").read_text(encoding="utf-8")
    assert json.loads((site / "khmeimim/briefing.json").read_text(encoding="utf-8"))


def test_plain_mkdocs_build_builds_the_briefing_site(tmp_path):
    project = _example(tmp_path / "p")
    result = _run("mkdocs", project, "build")
    assert result.returncode == 0, result.stderr
    _assert_briefing_site(project / "site")
    # The same findings `briefgen check` prints, as MkDocs INFO lines (a note is no mistake).
    assert re.search(r"^INFO\s+-\s+content/khmeimim/briefing\.yml:\d+:\d+: note: fact 'heavy-lift' rests on "
                     r"one origin \(Maxar\), reported by 2 sources$", result.stderr, re.M)
    assert "WARNING" not in result.stderr


def test_a_check_error_fails_mkdocs_build_with_its_line_and_leaves_site_alone(tmp_path):
    project = _example(tmp_path / "p")
    assert _run("mkdocs", project, "build").returncode == 0
    before = tree_hash(project / "site")
    _break_a_quote(project)
    result = _run("mkdocs", project, "build")
    assert result.returncode == 1
    assert QUOTE_LINE.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(project / "site") == before


def test_mkdocs_build_strict_fails_on_briefgens_warnings(tmp_path):
    project = _example(tmp_path / "p")
    # A source no statement cites is a mistake in the files: a warning.
    (project / "content/khmeimim/sources/unused.md").write_text(
        "---\ntitle: Nobody cites this\noutlet: Nowhere Daily\n---\nSome words.\n", encoding="utf-8")
    result = _run("mkdocs", project, "build", "--strict")
    assert result.returncode == 1
    assert re.search(r"^WARNING\s+-\s+content/khmeimim/sources/unused\.md:1:1: warning: source 'unused' is not "
                     r"cited by any statement$", result.stderr, re.M), result.stderr
    assert not (project / "site").exists()


def test_mkdocs_build_strict_passes_on_findings(tmp_path):
    project = _example(tmp_path / "p")  # single-origin, single-source and contested facts: notes
    result = _run("mkdocs", project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "note: fact 'heavy-lift' rests on one origin (Maxar), reported by 2 sources" in result.stderr


def test_mkdocs_refuses_a_site_dir_that_would_empty_content(tmp_path):
    project = _example(tmp_path / "p", extra="site_dir: content\n")
    before = tree_hash(project)
    result = _run("mkdocs", project, "build")
    assert result.returncode == 1
    assert "site_dir 'content'" in result.stderr
    assert tree_hash(project) == before


NO_PROPERDOCS = pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                                   reason="ProperDocs is not installed (the test extras bring it with mkdocs-rss-plugin)")
PLUGIN_BUILDS = ["mkdocs build", "mkdocs build --dirty", pytest.param("properdocs build", marks=NO_PROPERDOCS),
                 pytest.param("properdocs build --dirty", marks=NO_PROPERDOCS)]
# What a build of the example writes at the top of site_dir: MkDocs' 404 page and sitemaps,
# Material's assets, the search index, briefgen's index, feed and briefing folder.
EXAMPLE_TOP = {"404.html", "assets", "feed.xml", "index.html", "khmeimim", "search", "sitemap.xml", "sitemap.xml.gz"}


@pytest.fixture(scope="module")
def built_by_briefgen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, git-ignoring site/, built once by `briefgen build` (so site/ has the marker)."""
    project = _example(tmp_path_factory.mktemp("built") / "p")
    (project / ".gitignore").write_text("site/\n.briefgen-cache/\n", encoding="utf-8")
    result = _run("briefgen", project, "-q", "build")
    assert result.returncode == 0, result.stderr
    return project


def _copy(project: Path, to: Path) -> Path:
    shutil.copytree(project, to, symlinks=True)
    return to


def _one_error(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.mark.parametrize("command", PLUGIN_BUILDS)
@pytest.mark.parametrize("marked", [True, False], ids=["marked", "from-before-the-marker"])
def test_plugin_builds_refuse_a_site_dir_holding_the_users_file_as_briefgen_build_does(
        tmp_path, built_by_briefgen, command, marked):
    """Plain MkDocs empties site_dir (or with --dirty writes into it) after on_config: the guard
    runs there, so the user's file is never deleted, nor listed as briefgen's for the next
    `briefgen build` to delete."""
    project = _copy(built_by_briefgen, tmp_path / "p")
    if not marked:  # as briefgen wrote sites before the marker
        (project / "site/.briefgen-site").unlink()
    (project / "site/notes.txt").write_text("the user's notes\n", encoding="utf-8")
    before = tree_hash(project)
    tool, *args = command.split()
    result = _run(tool, project, *args)
    assert result.returncode == 1
    error = _one_error(result.stderr)
    if marked:
        assert "site_dir 'site' holds files briefgen did not write (notes.txt)" in error
    else:  # MkDocs cannot compare it with the build, as briefgen build does, before emptying it
        assert "site_dir 'site' holds a site from a briefgen older than its marker file" in error
    assert tree_hash(project) == before
    result = _run("briefgen", project, "-q", "build")
    assert result.returncode == 1 and "(notes.txt)" in result.stderr
    assert tree_hash(project) == before


@pytest.mark.parametrize("tool", ["mkdocs", pytest.param("properdocs", marks=NO_PROPERDOCS)])
def test_a_dirty_plugin_build_into_briefgens_own_folder_lists_only_what_briefgen_wrote(
        tmp_path, built_by_briefgen, tool):
    project = _copy(built_by_briefgen, tmp_path / "p")
    shutil.copytree(project / "content/khmeimim", project / "content/second")  # so --dirty writes a new folder
    result = _run(tool, project, "build", "--dirty")
    assert result.returncode == 0, result.stderr
    assert (project / "site/second/index.html").is_file()
    listed = (project / "site/.briefgen-site").read_text(encoding="utf-8").splitlines()[1:]
    assert {name for name in listed if "/" not in name} == EXAMPLE_TOP | {"second"}
    assert "second/index.html" in listed and "khmeimim/facts/index.html" in listed  # every file, at any depth
    (project / "site/notes.txt").write_text("the user's notes\n", encoding="utf-8")
    before = tree_hash(project)
    for command in (f"{tool} build --dirty", "briefgen build"):
        name, *args = command.split()
        result = _run(name, project, *args)
        assert result.returncode == 1 and "(notes.txt)" in result.stderr, result.stderr
        assert tree_hash(project) == before


def test_the_unmarked_site_mkdocs_refuses_is_taken_over_by_one_briefgen_build(tmp_path, built_by_briefgen):
    project = _copy(built_by_briefgen, tmp_path / "p")
    (project / "site/.briefgen-site").unlink()
    assert _run("mkdocs", project, "build").returncode == 1
    result = _run("briefgen", project, "-q", "build")  # compares it with its own build: all of it is briefgen's
    assert result.returncode == 0, result.stderr
    result = _run("mkdocs", project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "site/.briefgen-site").is_file()


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "from-before-the-marker"])
def test_mkdocs_gh_deploy_refuses_before_it_builds_or_commits_anything(tmp_path, built_by_briefgen, marked):
    """gh-deploy builds through the same on_config guard; refused, it writes no gh-pages branch
    (a repository without a remote: nothing could be pushed anywhere)."""
    project = _copy(built_by_briefgen, tmp_path / "p")
    if not marked:
        (project / "site/.briefgen-site").unlink()
    git_env = {**ENV, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "briefings"]):
        subprocess.run(["git", *args], cwd=project, env=git_env, check=True)
    (project / "site/notes.txt").write_text("the user's notes\n", encoding="utf-8")
    before = tree_hash(project)  # .git included
    result = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--force"], cwd=project,
                            env=git_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "site_dir 'site' holds " in _one_error(result.stderr)
    assert tree_hash(project) == before
    branches = subprocess.run(["git", "branch", "--list"], cwd=project, capture_output=True, text=True).stdout
    assert "gh-pages" not in branches


TAGS_AND_RSS = """\
  - search
  - tags
  - briefgen
  - rss:
      date_from_meta: {as_creation: date, as_update: date}
      use_git: false
"""


@pytest.mark.parametrize("command", ["mkdocs build", "briefgen build"])
def test_briefings_reach_the_tags_index_and_the_feed(tmp_path, command):
    project = _example(tmp_path / "p", TAGS_AND_RSS, extra="site_url: https://example.org/briefings/\n")
    (project / "docs/tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    yml = project / "content/khmeimim/briefing.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace("tags: [russia,", 'tags: ["<img src=x onerror=alert(1)>", russia,', 1), encoding="utf-8")
    tool, *args = command.split()
    result = _run(tool, project, *args)
    assert result.returncode == 0, result.stderr
    tags = (project / "site/tags/index.html").read_text(encoding="utf-8")
    for tag in ("russia", "syria", "khmeimim", "tartus"):
        assert re.search(rf">\s*{tag}\s*<", tags), tag
    assert "Russia packs up at Khmeimim" in tags and "../khmeimim/" in tags
    # Material's tag listings print tags as they are: a hostile tag shows as text, never as markup
    # (its `<` is escaped, the one character that opens markup in text).
    assert "&lt;img src=x onerror=alert(1)>" in tags
    assert not [p for p in (project / "site").rglob("*.html") if "<img src=x" in p.read_text(encoding="utf-8")]
    feed = ET.parse(project / "site/feed_rss_created.xml").getroot()
    items = {i.findtext("link"): i for i in feed.iter("item")}
    summary = items["https://example.org/briefings/khmeimim/"]
    assert "14 Dec 2024" in summary.findtext("pubDate")  # the briefing's as_of
    assert summary.findtext("title") == "Russia packs up at Khmeimim"  # its title, not its nav label
    assert items["https://example.org/briefings/khmeimim/facts/"].findtext("title") == "Key facts · Russia packs up at Khmeimim"
    assert "Russia" in summary.findtext("description")


@pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                    reason="ProperDocs is not installed (the test extras bring it with mkdocs-rss-plugin)")
def test_properdocs_builds_the_example(tmp_path):
    project = _example(tmp_path / "p")
    result = _run("properdocs", project, "build")
    assert result.returncode == 0, result.stderr
    _assert_briefing_site(project / "site")
    _break_a_quote(project)
    result = _run("properdocs", project, "build")
    assert result.returncode == 1 and QUOTE_LINE.search(result.stderr), result.stderr


def test_plain_mkdocs_serve_serves_and_rebuilds_the_briefings(tmp_path):
    project = _example(tmp_path / "p")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (tmp_path / "serve.log").open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
    page = f"http://127.0.0.1:{port}/khmeimim/sources/jpost/"
    try:
        assert wait_for(lambda: "livereload" in http_get(page)), (tmp_path / "serve.log").read_text()
        source = project / "content/khmeimim/sources/jpost.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nAdded while mkdocs serves.\n", encoding="utf-8")
        assert wait_for(lambda: "Added while mkdocs serves." in http_get(page)), (tmp_path / "serve.log").read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert not (project / "site").exists()  # mkdocs serve builds into a folder of its own


def test_mkdocs_gh_deploy_publishes_the_briefings(tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    project = _example(tmp_path / "p")
    git_env = {**ENV, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["remote", "add", "origin", str(remote)], ["add", "-A"],
                 ["commit", "-q", "-m", "briefings"]):
        subprocess.run(["git", *args], cwd=project, env=git_env, check=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--force"], cwd=project,
                            env=git_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=remote,
                            capture_output=True, text=True, check=True).stdout.split()
    assert {"khmeimim/index.html", "khmeimim/facts/index.html", "khmeimim/briefing.json"} <= set(listed)


RECORDER = '''\
from pathlib import Path

LOG = Path(__file__).with_name("events.log")


def _note(line):
    with LOG.open("a") as f:
        f.write(line + "\\n")


def on_startup(command, dirty):
    _note(f"startup {command} dirty={dirty}")


def on_shutdown():
    _note("shutdown")


def on_config(config):
    _note("config")


def on_pre_build(config):
    _note("pre_build")


def on_files(files, config):
    _note("files " + ("with" if files.get_file_from_path("khmeimim/index.md") else "without") + " briefings")


def on_post_build(config):
    _note("post_build")
'''


def _with_recorder(root: Path) -> Path:
    project = _example(root, extra="hooks: [hooks/record.py]\n")
    (project / "hooks").mkdir()
    (project / "hooks/record.py").write_text(RECORDER, encoding="utf-8")
    return project


def test_briefgen_build_runs_every_event_in_mkdocs_order(tmp_path):
    seen = {}
    for tool in ("mkdocs", "briefgen"):
        project = _with_recorder(tmp_path / tool)
        result = _run(tool, project, "build")
        assert result.returncode == 0, result.stderr
        seen[tool] = (project / "hooks/events.log").read_text().splitlines()
    assert seen["briefgen"] == seen["mkdocs"] == [
        "startup build dirty=False", "config", "pre_build", "files with briefings", "post_build", "shutdown"]


def test_serve_rebuilds_start_plugins_once_and_shut_them_down_at_the_end(tmp_path):
    from briefgen.caches.reuse import serving
    from briefgen.engine.site import SiteBuilder

    project = _with_recorder(tmp_path / "p")
    builder = SiteBuilder(project, serving(), command="serve")
    for _ in range(2):
        assert not builder.build().report.errors
    builder.close()
    once = ["config", "pre_build", "files with briefings", "post_build"]
    assert (project / "hooks/events.log").read_text().splitlines() == [
        "startup serve dirty=False", *once, *once, "shutdown"]


def test_a_project_from_init_builds_with_plain_mkdocs(tmp_path):
    assert _run("briefgen", tmp_path, "init", "site-project").returncode == 0
    project = tmp_path / "site-project"
    result = _run("mkdocs", project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "site/first-briefing/index.html").is_file()
    assert (project / "site/.briefgen-site").is_file()


def test_under_mkdocs_serve_rebuilds_reuse_unchanged_pages(tmp_path):
    """The sequence of mkdocs/commands/serve.py, in this process: on_startup("serve") once,
    then every rebuild from a freshly loaded config; MkDocs keeps our plugin instance, and the
    plugin keeps serve's reuse in it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = _example(tmp_path / "p")
    site = tmp_path / "served"  # mkdocs serve builds into a temporary folder of its own
    first = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        build(first, serve_url="http://127.0.0.1:8000/")
        source = project / "content/khmeimim/sources/jpost.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nAdded while serving.\n", encoding="utf-8")
        again = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        plugin = again.plugins["briefgen"]
        assert plugin is first.plugins["briefgen"]
        build(again, serve_url="http://127.0.0.1:8000/")
        pages = plugin.strategy.reuse.engine["pages"]
        assert pages.hits == len(plugin.pages) - 1  # all but the edited source's page
        assert "Added while serving." in (site / "khmeimim/sources/jpost/index.html").read_text(encoding="utf-8")
    finally:
        first.plugins.on_shutdown()


def test_pages_are_backed_by_their_own_files_never_by_an_excerpts_only_source(tmp_path):
    project = _example(tmp_path / "p", extra="hooks: [hooks/files.py]\n")
    (project / "hooks").mkdir()
    # A hook's on_files runs after the plugins': it sees the files briefgen added.
    (project / "hooks/files.py").write_text(
        "import json, pathlib\n"
        "def on_files(files, config):\n"
        "    found = {f.src_uri: f.abs_src_path for f in files if f.src_uri.startswith('khmeimim/')}\n"
        "    pathlib.Path(__file__).with_name('files.json').write_text(json.dumps(found))\n", encoding="utf-8")
    japantimes = project / "content/khmeimim/sources/japantimes.md"
    text = japantimes.read_text(encoding="utf-8")
    japantimes.write_text(text.replace("reliability: B\n", "reliability: B\npublish: excerpts\n", 1), encoding="utf-8")
    result = _run("mkdocs", project, "build")
    assert result.returncode == 0, result.stderr
    found = {k: Path(v) for k, v in json.loads((project / "hooks/files.json").read_text()).items() if v}
    yml = project / "content/khmeimim/briefing.yml"
    assert found["khmeimim/index.md"] == found["khmeimim/facts.md"] == yml
    assert found["khmeimim/sources/jpost.md"] == project / "content/khmeimim/sources/jpost.md"
    assert found["khmeimim/sources/japantimes.md"] == yml  # excerpts only: its text backs no page


def test_briefgen_build_with_materials_optimize_plugin(tmp_path):
    """optimize sets itself up in on_startup: it crashed when briefgen ran no startup event."""
    project = _example(tmp_path / "p", "  - search\n  - optimize:\n      optimize_png: false\n")
    result = _run("briefgen", project, "build")  # briefgen adds itself: mkdocs.yml does not list it
    assert result.returncode == 0, result.stderr
    _assert_briefing_site(project / "site")


@pytest.mark.parametrize("tool", ["briefgen", "mkdocs"])
def test_awesome_nav_builds_the_briefing_nav_from_briefgens_nav_files(tmp_path, tool):
    """mkdocs-awesome-nav replaces any nav a plugin sets and warns, so every --strict build
    failed beside it. briefgen now sets none and writes each briefing folder's .nav.yml."""
    if importlib.util.find_spec("mkdocs_awesome_nav") is None:
        pytest.skip("mkdocs-awesome-nav is not installed: pip install -e \".[test]\" installs it")
    project = _example(tmp_path / "p", plugins="  - search\n  - awesome-nav\n  - briefgen\n")
    (project / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    result = _run(tool, project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "awesome-nav" not in result.stderr
    html = (project / "site/khmeimim/index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):html.index("md-content")]
    labels = re.findall(r'md-ellipsis">\s*([^<]+?)\s*<', nav)
    assert labels[-4:] == ["Russia packs up at Khmeimim", "Summary", "Key facts", "Questions"]
    assert "About" in labels
    assert "sources/" not in nav  # a briefing's sources stay out of the nav, as without awesome-nav
    assert not list((project / "site").rglob(".nav.yml"))  # read by awesome-nav, never published
