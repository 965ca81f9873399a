"""One rule for every file the build reads from a project (briefgen/loading/paths.py, issue 20):
a symlink that leads outside the project (or into .git/), dangles or loops, and a FIFO, is an
error at its own path, and nothing from it is read or published: under `briefgen build` and
`check`, the plugin under plain `mkdocs build`, ProperDocs, `mkdocs gh-deploy`, `briefgen serve`.

Every link is made here, at test time: a committed absolute link breaks the sdist. Whatever
could hang (a FIFO opened for reading waits for a writer forever) runs in a subprocess with a
timeout, or under an alarm that turns a hang into a failure.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.diagnostics import UserError
from briefgen.engine.site import build_site
from briefgen.loading.paths import read_bounded, refusal, refused_in

CLEAN = Path(__file__).parent / "cases" / "clean" / "project"
MARKER = f"OUTSIDE-{uuid.uuid4().hex}"  # in every file outside the project, and in .git/config
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
MKDOCS_YML = "site_name: Links\ntheme:\n  name: material\n  font: false\nplugins: [search, briefgen]\n"

# Where a link or FIFO is planted, and what a link there leads to outside the project: a file
# that would be read as a source, a template or a page, or a folder that would be a briefing.
PLACES = {
    "content": "content",
    "content/port": "content/port",
    "content/port/briefing.yml": "briefing.yml",
    "content/port/sources": "content/port/sources",
    "content/port/sources/extra.md": "secret.md",
    "content/port/sources/ledger.md": "secret.md",
    "docs": "content/port/sources",
    "docs/extra.txt": "secret.md",
    "docs/page.md": "secret.md",
    "docs/sub": "content/port/sources",
    "templates": "content/port/sources",
    "templates/theme": "content/port/sources",
    "templates/summary.html": "secret.md",
    "templates/theme/main.html": "secret.md",
    "templates/theme/extra.css": "secret.md",
    "templates/assets/briefgen.css": "secret.md",
}
KINDS = ("absolute", "relative", "dangling", "loop", "fifo", "git")


def make_outside(root: Path) -> Path:
    """A folder beside the project whose every file carries MARKER: a source, a briefing.yml and
    a whole content/ folder, each of which a build would publish if it followed a link to it."""
    outside = root / "outside"
    shutil.copytree(CLEAN / "content", outside / "content")
    ledger = outside / "content/port/sources/ledger.md"
    ledger.write_text(ledger.read_text().replace("Cranes fall silent", MARKER) + f"\n{MARKER}\n")
    briefing = (CLEAN / "content/port/briefing.yml").read_text()
    (outside / "briefing.yml").write_text(briefing.replace("Port Verrin dock strike", MARKER))
    (outside / "secret.md").write_text(f"---\ntitle: {MARKER}\noutlet: {MARKER}\n---\n\n{MARKER}\n")
    return outside


def make_project(root: Path) -> Path:
    """The clean case with a page in docs/, a templates/ folder and a .git/config whose secret
    (MARKER) stands for the token a CI checkout leaves there."""
    project = root / "project"
    shutil.copytree(CLEAN, project)
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    (project / "docs").mkdir()
    (project / "docs/about.md").write_text("# About\n\nA page of the project's own.\n")
    (project / "templates").mkdir()
    (project / ".git").mkdir()
    (project / ".git/config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {MARKER}\n")
    return project


def plant(project: Path, place: str, kind: str, outside: Path) -> None:
    """A link of `kind` (or a FIFO) at `place`, replacing what is there."""
    path = project / place
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    target = outside / PLACES.get(place, "secret.md")
    git = project / ".git" / ("config" if target.is_file() else "")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "absolute":
        path.symlink_to(target)
    elif kind == "relative":  # `../../outside/...`: the same escape, spelt relative
        path.symlink_to(os.path.relpath(target, path.parent))
    elif kind == "dangling":
        path.symlink_to(f"missing-{path.name}")
    elif kind == "loop":
        path.symlink_to(path.name)
    else:
        path.symlink_to(os.path.relpath(git, path.parent))


def files_holding_marker(root: Path) -> list[str]:
    """Regular files under root (links never followed, .git/ left out) whose bytes hold MARKER."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            path = Path(folder, name)
            if stat.S_ISREG(path.lstat().st_mode) and MARKER.encode() in path.read_bytes():
                found.append(path.relative_to(root).as_posix())
    return found


def site_state(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(site.rglob("*"))}


@contextmanager
def at_most(seconds: int):
    """A hang (a FIFO opened) fails the test instead of stopping the run."""
    def hung(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: something opened a FIFO or walked a loop")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- the rule ------------------------------------------------------------------------------------

def test_refusal_names_each_kind(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "docs").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "content").mkdir()
    (project / "docs/page.md").write_text("ok")
    (tmp_path / "out.txt").write_text("outside")
    links = {"out": tmp_path / "out.txt", "up": "../../out.txt", "gone": "nothing-here", "self": "self",
             "git": "../.git", "src": "../content", "same": "page.md"}
    for name, target in links.items():
        (project / "docs" / name).symlink_to(target)
    os.mkfifo(project / "docs/pipe")
    docs = project / "docs"
    assert refusal(docs / "page.md", project) is None
    assert refusal(docs / "same", project) is None  # a link that stays inside is followed
    assert refusal(docs / "out", project) == "is a symlink that leads outside the project"
    assert refusal(docs / "up", project) == "is a symlink that leads outside the project"
    assert refusal(docs / "gone", project) == "is a symlink to a missing file"
    assert refusal(docs / "self", project) == "is a symlink that loops"
    assert refusal(docs / "git", project).startswith("is a symlink into .git/")
    assert refusal(docs / "src", project).startswith("is a symlink into content/")
    assert refusal(docs / "pipe", project) == "is a named pipe (FIFO), not a regular file or folder"
    assert refusal(project / "content", project) is None  # content/ itself is no way into it
    assert sorted(p.name for p, _ in refused_in(docs, project)) == ["git", "gone", "out", "pipe", "self", "src", "up"]


def test_folder_links_inside_are_walked_and_loops_found_however_they_turn(tmp_path: Path) -> None:
    project = tmp_path / "p"
    for d in ("docs/a", "docs/b", "shared"):
        (project / d).mkdir(parents=True)
    (project / "shared/x.md").write_text("shared")
    (tmp_path / "secret").write_text("outside")
    (project / "shared/leak").symlink_to(tmp_path / "secret")
    (project / "docs/shared").symlink_to("../shared")  # inside the project: walked
    (project / "docs/a/to-b").symlink_to("../b")
    (project / "docs/b/to-a").symlink_to("../a")  # a -> b -> a: round and round
    (project / "docs/a/up").symlink_to("../..")  # the project, which holds docs/a
    found = {p.relative_to(project).as_posix(): why for p, why in refused_in(project / "docs", project)}
    assert found["docs/shared/leak"] == "is a symlink that leads outside the project"
    assert found["docs/a/up"].startswith("is a symlink that loops")
    assert found["docs/a/to-b/to-a"].startswith("is a symlink that loops")
    assert "docs/shared" not in found and "docs/a/to-b" not in found


def test_read_bounded_never_waits_on_a_fifo_nor_follows_a_link(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "file").write_bytes(b"x" * 100)
    (tmp_path / "link").symlink_to("file")
    with at_most(10):
        assert read_bounded(tmp_path / "pipe", 10) is None
    assert read_bounded(tmp_path / "file", 10) == b"x" * 10
    assert read_bounded(tmp_path / "link", 10) is None


# -- every place, every kind: `briefgen build` ---------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("place", list(PLACES))
def test_every_place_and_kind_is_an_error_at_its_path(tmp_path: Path, place: str, kind: str) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    plant(project, place, kind, outside)
    with at_most(60):
        try:
            lines = [str(p) for p in build_site(project).report.errors]
        except UserError as exc:  # a docs_dir MkDocs cannot be handed: one line, before the build
            lines = [f"{exc.where}: error: {exc}"]
    assert any(line.startswith(f"{place}:1:1: error: ") for line in lines), lines
    assert not (project / "site").exists()
    staging = project / ".briefgen-build"
    assert not staging.exists() or not any(staging.iterdir())
    assert files_holding_marker(project) == []


def test_the_lines_say_what_and_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`briefgen build` prints each refusal at its path, fails, and keeps the previous site/."""
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    monkeypatch.chdir(project)
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    before = site_state(project / "site")
    (project / "docs/env").symlink_to("/proc/self/environ")
    plant(project, "docs/extra.txt", "relative", outside)
    plant(project, "templates/summary.html", "dangling", outside)
    plant(project, "content/port/sources/extra.md", "fifo", outside)
    plant(project, "docs/sub", "git", outside)
    with at_most(60):
        result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    link_fix = "copy the file into the project instead, or remove the link"
    assert [line for line in result.stderr.splitlines() if not line.startswith("INFO ")] == [
        "content/port/sources/extra.md:1:1: error: source file 'extra.md' is a named pipe (FIFO), not a "
        "regular file; sources are regular files: remove it",
        f"docs/env:1:1: error: 'env' is a symlink that leads outside the project; {link_fix}",
        f"docs/extra.txt:1:1: error: 'extra.txt' is a symlink that leads outside the project; {link_fix}",
        "docs/sub:1:1: error: 'sub' is a symlink into .git/, which holds the repository's credentials "
        "(a CI checkout's token); remove the link",
        "templates/summary.html:1:1: error: 'summary.html' is a symlink to a missing file; point it at "
        "a file in the project, or remove it",
        "briefgen: 5 errors, 0 warnings; failed",
    ]
    assert site_state(project / "site") == before


def test_check_reports_templates_and_content_but_not_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` reads no mkdocs.yml: docs_dir is MkDocs' setting, refused when a build reads it."""
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    plant(project, "templates/theme/extra.css", "absolute", outside)
    plant(project, "content", "relative", outside)
    plant(project, "docs/page.md", "absolute", outside)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "content:1:1: error: content/ is a symlink that leads outside the project; keep the briefings "
        "in a content/ folder inside the project",
        "templates/theme/extra.css:1:1: error: 'extra.css' is a symlink that leads outside the project; "
        "copy the file into the project instead, or remove the link",
    ]


def test_a_template_linked_out_after_the_check_is_refused_by_the_loader(tmp_path: Path) -> None:
    """Under serve a file may change between the check and the render: the Jinja loader asks
    the rule itself, and never falls back to the packaged template of that name."""
    from jinja2 import TemplateError

    from briefgen.stages.render import Renderer, template_problem
    from briefgen.text.markup import markdown
    from briefgen.urls import Urls

    outside, project = make_outside(tmp_path), make_project(tmp_path)
    renderer = Renderer(project, Urls(True), markdown())
    plant(project, "templates/source.html", "absolute", outside)
    os.mkfifo(project / "templates/facts.html")
    for name in ("source.html", "facts.html"):
        with at_most(10), pytest.raises(TemplateError) as caught:
            renderer.env.get_template(name)
        pos, message = template_problem(caught.value, project)
        assert str(pos) == f"templates/{name}:1:1"
        assert message.startswith(f"'{name}' is a ")
    assert renderer.env.get_template("questions.html") is not None  # the packaged one


# -- the plugin under MkDocs itself --------------------------------------------------------------

def _run(tool: str, project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_plain_mkdocs_build_refuses_docs_links(tmp_path: Path, tool: str) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    (project / "docs/env").symlink_to("/proc/self/environ")
    plant(project, "docs/page.md", "fifo", outside)
    plant(project, "docs/sub", "absolute", outside)
    plant(project, "docs/extra.txt", "dangling", outside)
    result = _run(tool, project, "build")
    assert result.returncode != 0
    errors = [line.split("-  ", 1)[1].split(" error: ")[0] for line in result.stderr.splitlines()
              if line.startswith("ERROR") and ":1:1: error: " in line]
    assert errors == ["docs/env:1:1:", "docs/extra.txt:1:1:", "docs/page.md:1:1:", "docs/sub:1:1:"]
    assert not (project / "site").exists()
    assert files_holding_marker(project) == []


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
@pytest.mark.parametrize("tool", ["briefgen", "mkdocs"])
def test_names_not_utf8_or_with_a_line_break_in_docs_and_the_theme_are_refused_at_their_paths(tmp_path: Path, tool: str) -> None:
    """MkDocs writes them into URLs as UTF-8: an internal error (UnicodeEncodeError), exit 3; a
    line break broke the marker that lists what a build wrote, and the next build refused site/."""
    project = make_project(tmp_path)
    docs, theme = os.fsencode(project / "docs"), os.fsencode(project / "templates" / "theme")
    os.makedirs(theme, exist_ok=True)
    with open(docs + b"/\xff.txt", "wb"), open(theme + b"/caf\xe9.css", "wb"):
        pass
    with open(docs + b"/two\nlines.txt", "wb"):  # the marker of what a build wrote lists a name a line
        pass
    os.makedirs(docs + b"/\xe9t\xe9")
    with open(docs + b"/\xe9t\xe9/index.md", "wb") as page:
        page.write(b"# Summer\n")
    result = _run(tool, project, "build")
    assert result.returncode == 1, result.stderr
    lines = sorted(line.split("-  ", 1)[-1] for line in result.stderr.splitlines() if ":1:1: error: " in line)
    why = "has a name that is not UTF-8, which a site's URLs cannot hold; rename it"
    assert lines == [f"docs/\\udce9t\\udce9:1:1: error: '\\udce9t\\udce9' {why}",
                     f"docs/\\udcff.txt:1:1: error: '\\udcff.txt' {why}",
                     "docs/two\\nlines.txt:1:1: error: 'two\\nlines.txt' has a line break or another control "
                     "character in its name; rename it",
                     f"templates/theme/caf\\udce9.css:1:1: error: 'caf\\udce9.css' {why}"]
    assert "Traceback" not in result.stderr and not (project / "site").exists()


def test_a_file_that_turns_into_a_link_after_the_check_is_dropped(tmp_path: Path) -> None:
    """on_files looks again at what MkDocs collected: a hook plants a link after on_config."""
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    (project / "late.py").write_text(
        "import os\n\n\ndef on_pre_build(config):\n"
        f"    os.symlink({str(outside / 'secret.md')!r}, os.path.join(config.docs_dir, 'late.txt'))\n")
    (project / "mkdocs.yml").write_text(MKDOCS_YML + "hooks: [late.py]\n")
    result = _run("mkdocs", project, "build")
    assert result.returncode != 0
    assert "ERROR   -  docs/late.txt:1:1: error: 'late.txt' is a symlink that leads outside the project" in result.stderr
    assert files_holding_marker(project) == []


def test_gh_deploy_publishes_nothing_when_docs_link_out(tmp_path: Path) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    shutil.rmtree(project / ".git")  # a real repository this time
    remote = tmp_path / "remote.git"
    git_env = {**ENV, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    for args in (["init", "-q"], ["remote", "add", "origin", str(remote)], ["add", "-A"], ["commit", "-q", "-m", "b"]):
        subprocess.run(["git", *args], cwd=project, env=git_env, check=True)
    plant(project, "docs/extra.txt", "absolute", outside)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--force"], cwd=project,
                            env=git_env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "docs/extra.txt:1:1: error: " in result.stderr
    branches = subprocess.run(["git", "branch", "--list"], cwd=remote, capture_output=True, text=True, check=True)
    assert branches.stdout == ""  # nothing was pushed


# -- mkdocs.yml and what it inherits -------------------------------------------------------------

def test_a_config_that_links_out_or_inherits_from_outside_is_refused(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    (outside / "base.yml").write_text(f"site_name: {MARKER}\ntheme:\n  name: material\n")
    monkeypatch.chdir(project)
    (project / "mkdocs.yml").write_text("# a comment first\nINHERIT: ../outside/base.yml\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("mkdocs.yml:2:1: error: INHERIT names "
                                             f"{outside / 'base.yml'}, outside the project; keep the "
                                             "inherited config in the project")
    (project / "base.yml").symlink_to(outside / "base.yml")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n")
    result = CliRunner().invoke(main, ["build"])
    assert result.stderr.startswith("base.yml:1:1: error: 'base.yml' is a symlink that leads outside the project")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").symlink_to(outside / "base.yml")
    result = CliRunner().invoke(main, ["build"])
    assert result.stderr.startswith("mkdocs.yml:1:1: error: 'mkdocs.yml' is a symlink that leads outside")
    assert not (project / "site").exists()
    # Plain MkDocs has read the file by the time the plugin runs; the build still fails first.
    (project / "mkdocs.yml").unlink()
    (project / "base.yml").unlink()
    (project / "base.yml").write_text("INHERIT: mkdocs.yml\n")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\n" + MKDOCS_YML)
    result = CliRunner().invoke(main, ["build"])
    assert result.stderr.startswith("base.yml:1:1: error: INHERIT loops")


def test_docs_dir_outside_and_links_in_the_custom_theme_are_refused(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    (project / "overrides").mkdir()
    (project / "overrides/main.html").symlink_to(outside / "secret.md")
    (project / "mkdocs.yml").write_text(MKDOCS_YML.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
                                        + "docs_dir: ../outside/content/port/sources\n")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if " error: " in line] == [
        f"mkdocs.yml:1:1: error: docs_dir '{outside / 'content/port/sources'}' is outside the project; MkDocs "
        "would publish what it holds: keep the folder in the project",
        "overrides/main.html:1:1: error: 'main.html' is a symlink that leads outside the project; copy the "
        "file into the project instead, or remove the link",
    ]
    assert files_holding_marker(project) == []


def test_a_link_inside_the_project_is_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Links that stay inside (and out of .git/ and, from docs/, out of content/) are fine."""
    project = make_project(tmp_path)
    (project / "shared").mkdir()
    (project / "shared/note.txt").write_text("a shared note\n")
    (project / "docs/note.txt").symlink_to("../shared/note.txt")
    (project / "config").mkdir()
    (project / "config/base.yml").write_text(MKDOCS_YML)
    (project / "mkdocs.yml").write_text("INHERIT: config/base.yml\n")
    (project / "content/port/sources/alias.md").symlink_to("ledger.md")
    (project / "data").mkdir()
    (project / "content").rename(project / "data/content")
    (project / "content").symlink_to("data/content")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.stderr
    assert (project / "site/note.txt").read_text() == "a shared note\n"
    assert (project / "site/port/sources/alias/index.html").is_file()


# -- briefgen serve ------------------------------------------------------------------------------

@pytest.mark.parametrize("tool", ["briefgen", "mkdocs"])
def test_serve_refuses_links_planted_while_it_runs_and_keeps_watching(tmp_path: Path, tool: str) -> None:
    """A link planted while serving fails that rebuild at its path. The watcher follows no link
    out of the project: a `docs/root -> /` once had it walk the whole disk (/proc round and
    round) and never see an edit again."""
    import socket

    from conftest import http_get, wait_for

    outside, project = make_outside(tmp_path), make_project(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = (["briefgen", "-C", str(project), "serve", "--dev-addr"] if tool == "briefgen"
               else ["mkdocs", "serve", "-a"])
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", *command, f"127.0.0.1:{port}"], cwd=project,
                                stdout=subprocess.DEVNULL, stderr=err, env=ENV)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "Port Verrin" in http_get(base + "/port/")), log.read_text()
        plant(project, "docs/extra.txt", "absolute", outside)
        (project / "docs/root").symlink_to("/")
        assert wait_for(lambda: "docs/extra.txt:1:1: error: " in log.read_text()), log.read_text()
        assert "docs/root:1:1: error: 'root' is a symlink that leads outside the project" in log.read_text()
        if tool == "briefgen":  # MkDocs holds every request until a rebuild succeeds
            assert MARKER not in http_get(base + "/extra.txt")
            assert "Port Verrin" in http_get(base + "/port/")  # the last good site stays
        (project / "docs/extra.txt").unlink()
        (project / "docs/root").unlink()
        (project / "docs/about.md").write_text("# About\n\nEdited after the links went.\n")
        assert wait_for(lambda: "Edited after the links went." in http_get(base + "/about/")), log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- add-source ----------------------------------------------------------------------------------

@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text("Dock workers walked out on Monday.\nTalks resume on Thursday.\n")
    return path


def _add(project: Path, article: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", "-C", str(project), "add-source", "port", str(article),
                           "--outlet", "Wire", "--title", "Walkout", "--url", "https://wire.example/walkout", *extra],
                          env=ENV, capture_output=True, text=True, timeout=60)


def test_add_source_neither_hangs_nor_grows_on_what_the_briefing_links_to(tmp_path: Path, article: Path) -> None:
    """Looking for a source of the same url, it reads only regular files inside the briefing,
    at most a bounded prefix of each: /dev/zero and a FIFO are never read."""
    project = make_project(tmp_path)
    briefing = project / "content/port"
    (briefing / "zero.md").symlink_to("/dev/zero")
    (briefing / "sources/zero.md").symlink_to("/dev/zero")
    os.mkfifo(briefing / "pipe.md")
    os.mkfifo(briefing / "sources/pipe.md")
    (briefing / "notes").mkdir()
    (briefing / "notes/big.md").write_bytes(b"---\nurl: https://elsewhere.example/\n---\n" + b"x" * (30 << 20))
    result = _add(project, article)  # the timeout fails the test if it hangs
    assert result.returncode == 0, result.stderr
    assert (briefing / "sources/wire-walkout.md").is_file()
    # the same url again is still found, in a regular source inside the briefing
    result = _add(project, article, "--id", "again")
    assert result.returncode == 1
    assert "content/port/sources/wire-walkout.md already imports https://wire.example/walkout" in result.stderr


@pytest.mark.parametrize("kind", ["absolute", "relative", "dangling", "fifo"])
def test_add_source_writes_nothing_through_a_linked_sources_folder(tmp_path: Path, article: Path, kind: str) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    before = sorted(p.name for p in (outside / "content/port/sources").iterdir())
    plant(project, "content/port/sources", kind, outside)
    result = _add(project, article)
    assert result.returncode == 1
    assert result.stderr.startswith("content/port/sources:1:1: error: "), result.stderr
    assert "Wrote" not in result.stdout
    assert sorted(p.name for p in (outside / "content/port/sources").iterdir()) == before


def test_add_source_refuses_a_briefing_or_content_that_links_out(tmp_path: Path, article: Path) -> None:
    outside, project = make_outside(tmp_path), make_project(tmp_path)
    plant(project, "content/port", "absolute", outside)
    result = _add(project, article)
    assert result.stderr.startswith("content/port:1:1: error: briefing folder is a symlink that leads "
                                    "outside content/"), result.stderr
    plant(project, "content", "relative", outside)
    result = _add(project, article)
    assert result.stderr.startswith("content:1:1: error: content/ is a symlink that leads outside the project")
    assert not (outside / "content/port/sources/wire-walkout.md").exists()


# -- the property: any links, anywhere, under any runner ----------------------------------------

# A refusal here hides what is below it: a briefing folder (or its briefing.yml) that may not be
# read is not loaded, and a folder that may not be read is not walked.
HIDES_BELOW = {"content/port/briefing.yml": "content/port/sources"}


def expected_lines(plants: dict[str, str], runner: str) -> set[str]:
    """The places whose own error line the run must print."""
    if plants.get("docs") in ("dangling", "loop", "fifo"):
        # briefgen refuses a docs_dir that is no folder before it builds; MkDocs refuses it itself.
        return {"docs"} if runner == "briefgen" else set()
    def hidden(place: str) -> bool:
        return any(place.startswith(other + "/") or place.startswith(HIDES_BELOW.get(other, "\0"))
                   for other in plants if other != place)
    return {place for place in plants if not hidden(place)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once (site/ holds the last good site), and the outside folder beside it."""
    root = tmp_path_factory.mktemp("built")
    make_outside(root)
    project = make_project(root)
    result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(project), "build"], env=ENV,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return root


RUNNERS = {"briefgen": ["briefgen", "build"], "mkdocs": ["mkdocs", "build"], "properdocs": ["properdocs", "build"]}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plants=st.dictionaries(st.sampled_from(list(PLACES)), st.sampled_from(KINDS), min_size=1, max_size=5),
       runner=st.sampled_from(list(RUNNERS)))
# Found by Hypothesis: docs/ and content/ both linked into .git/ gave "docs_dir is or contains
# content/" instead of each link's own line.
@example(plants={"docs": "git", "content": "git"}, runner="mkdocs")
def test_no_planted_link_or_fifo_reaches_the_site(built: Path, plants: dict[str, str], runner: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(built, root, dirs_exist_ok=True, symlinks=True)
        project, outside = root / "project", root / "outside"
        before, outside_before = site_state(project / "site"), site_state(outside)
        for place in sorted(plants, key=lambda p: -p.count("/")):  # deepest first: never through a link
            plant(project, place, plants[place], outside)
        result = subprocess.run([sys.executable, "-m", *RUNNERS[runner]], cwd=project, env=ENV,
                                capture_output=True, text=True, timeout=120)  # a hang fails here
        assert result.returncode != 0, result.stderr
        prefix = "" if runner == "briefgen" else "ERROR   -  "
        lines = result.stderr.splitlines()
        for place in expected_lines(plants, runner):
            assert any(line.startswith(f"{prefix}{place}:1:1: error: ") for line in lines), (place, result.stderr)
        assert site_state(project / "site") == before
        assert site_state(outside) == outside_before
        assert files_holding_marker(project) == []
