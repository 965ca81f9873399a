"""`build` and `serve` touch nothing but their own output (issue 11): every site_dir that names
the user's files is refused with one line naming `site_dir`, exit 1, before anything is
written; a folder a previous build wrote is replaced; a killed build leaves nothing that
outlives the next build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, build_ok, tree_hash

from briefgen.cli import main

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _project(parent: Path, site_dir: str | None = None, docs_dir: str | None = None) -> Path:
    """The example (content/, templates/, docs/ with a page) inside `parent`/project."""
    project = parent / "project"
    shutil.copytree(REPO / "content", project / "content")
    (project / "templates").mkdir()
    (project / "templates" / "notes.txt").write_text("the user's template notes\n")
    (project / "docs").mkdir()
    (project / "docs" / "about.md").write_text("# About\n\nThe user's own page.\n")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for key, value in (("site_dir", site_dir), ("docs_dir", docs_dir)):
        if value is not None:
            text += f"{key}: {value!r}\n"
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    return project


def _refused(project: Path, watched: Path, setting: str = "site_dir", command: str = "build") -> str:
    before = tree_hash(watched)
    result = CliRunner().invoke(main, ["-C", str(project), command])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {setting} '"), result.stderr
    assert tree_hash(watched) == before  # nothing written, moved or deleted, not even a cache
    return lines[0]


@pytest.mark.parametrize("site_dir,why", [
    ("content", "inside content/"),
    ("content/khmeimim", "inside content/"),
    (".", "project folder"),
    ("..", "project folder or a folder that contains it"),
    ("docs", "docs_dir"),
    ("docs/site", "docs_dir"),
    ("templates", "inside templates/"),
    ("mkdocs.yml", "configuration file"),
    (".git", "inside .git/"),
])
def test_a_site_dir_that_names_the_users_files_is_refused(tmp_path, site_dir, why):
    project = _project(tmp_path / "parent", site_dir=site_dir)
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    line = _refused(project, tmp_path / "parent")
    assert f"site_dir '{site_dir}'" in line and why in line


def test_site_dir_docs_is_refused_even_before_the_docs_folder_exists(tmp_path):
    project = _project(tmp_path, site_dir="docs")
    shutil.rmtree(project / "docs")
    assert "docs_dir" in _refused(project, project)


def test_a_docs_dir_that_contains_the_sources_is_refused(tmp_path):
    for docs_dir in ("content", "."):
        project = _project(tmp_path / docs_dir.strip(".") / "p", docs_dir=docs_dir)
        line = _refused(project, project, "docs_dir")
        assert "content/" in line


def test_a_plain_file_named_site_is_refused(tmp_path):
    project = _project(tmp_path)
    (project / "site").write_text("the user's file called site\n")
    assert "existing file" in _refused(project, project)


def test_a_folder_with_the_users_files_is_refused_even_beside_a_previous_build(tmp_path):
    project = _project(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "draft.html").write_text("<p>the user's draft</p>\n")
    assert "draft.html" in _refused(project, project)
    shutil.rmtree(project / "site")
    build_ok(project)
    (project / "site" / "extra-notes.txt").write_text("added by hand after the build\n")
    assert "extra-notes.txt" in _refused(project, project)


@pytest.mark.parametrize("tool", ["briefgen", "mkdocs"])
def test_a_file_added_deep_inside_a_previous_build_is_refused_too(tmp_path, tool):
    """A note kept in a briefing's folder of site/ was deleted without a word by the next build."""
    project = _project(tmp_path)
    build_ok(project)
    (project / "site/khmeimim/facts/my-notes.txt").write_text("the analyst's notes\n")
    (project / "site/khmeimim/drafts").mkdir()
    if tool == "briefgen":
        line = _refused(project, project)
    else:
        before = tree_hash(project)
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=ENV, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 1 and tree_hash(project) == before, done.stderr
        line = done.stderr
    assert "holds files briefgen did not write (khmeimim/drafts, khmeimim/facts/my-notes.txt)" in line
    assert (project / "site/khmeimim/facts/my-notes.txt").read_text() == "the analyst's notes\n"


def test_a_site_marked_by_an_older_briefgen_with_its_top_level_entries_is_replaced(tmp_path):
    project = _project(tmp_path)
    build_ok(project)
    marker = project / "site/.briefgen-site"
    top = sorted(p.name for p in (project / "site").iterdir() if p.name != ".briefgen-site")
    marker.write_text("# Written by briefgen, which replaces this folder on each build. Top-level entries it "
                      "wrote:\n" + "".join(f"{name}\n" for name in top))
    _edit_a_source(project)
    build_ok(project)
    lines = marker.read_text().splitlines()
    assert lines[0].endswith("Every file and folder it wrote:")
    assert "khmeimim/sources/jpost/index.html" in lines and "khmeimim/sources" in lines


def test_a_symlinked_site_dir_is_refused(tmp_path):
    project = _project(tmp_path)
    (project / "site").symlink_to(project / "content")
    assert "symbolic link" in _refused(project, project)
    (project / "site").unlink()
    (tmp_path / "elsewhere").mkdir()
    (project / "site").symlink_to(tmp_path / "elsewhere")
    assert "symbolic link" in _refused(project, tmp_path)


def test_serve_refuses_too_before_it_serves(tmp_path):
    project = _project(tmp_path, site_dir="content")
    before = tree_hash(project)
    result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(project), "serve",
                             "--dev-addr", "127.0.0.1:0"], env=ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: site_dir 'content'")
    assert tree_hash(project) == before


def test_a_previous_build_and_an_empty_folder_are_replaced(tmp_path):
    project = _project(tmp_path)
    (project / "site").mkdir()
    build_ok(project)
    first = tree_hash(project / "site")
    assert ".briefgen-site" in first
    (project / "content/khmeimim/sources/jpost.md").write_text(
        (project / "content/khmeimim/sources/jpost.md").read_text() + "\nOne more sentence.\n")
    build_ok(project)
    second = tree_hash(project / "site")
    assert second != first and second.keys() == first.keys()
    assert (project / "templates/notes.txt").is_file() and (project / "docs/about.md").is_file()


def test_a_site_dir_outside_the_project_is_built_there(tmp_path):
    project = _project(tmp_path / "work", site_dir=str(tmp_path / "public"))
    build_ok(project)
    assert (tmp_path / "public/khmeimim/index.html").is_file()
    build_ok(project)  # its own output: replaced
    assert sorted(p.name for p in (tmp_path).iterdir()) == ["public", "work"]


@pytest.mark.skipif(not Path("/dev/shm").is_dir() or Path("/dev/shm").stat().st_dev == Path("/tmp").stat().st_dev,
                    reason="needs /dev/shm on a filesystem of its own")
def test_a_site_dir_on_another_filesystem_is_copied_in_and_replaced(tmp_path):
    import tempfile
    with tempfile.TemporaryDirectory(dir="/dev/shm") as shm:
        project = _project(tmp_path, site_dir=f"{shm}/site")
        build_ok(project)
        first = tree_hash(Path(shm) / "site")
        build_ok(project)
        assert tree_hash(Path(shm) / "site") == first and "khmeimim/index.html" in first
        assert sorted(p.name for p in Path(shm).iterdir()) == ["site"]


def _bigger_project(tmp_path: Path) -> Path:
    project = _project(tmp_path)
    for i in range(8):  # long enough a build to be killed in the middle of it
        shutil.copytree(project / "content/khmeimim", project / f"content/copy-{i}")
    return project


def _start_and_kill_mid_build(project: Path, sig: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(project), "-q", "build"],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    staging = project / ".briefgen-build"
    deadline = time.monotonic() + 60
    while not (staging.is_dir() and list(staging.glob(f"{proc.pid}-*/site"))):
        assert proc.poll() is None and time.monotonic() < deadline, "the build never reached MkDocs"
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    return proc


def test_a_build_killed_with_sigkill_leaves_nothing_after_the_next_build(tmp_path):
    project = _bigger_project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    proc = _start_and_kill_mid_build(project, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert list((project / ".briefgen-build").iterdir())  # what SIGKILL leaves behind ...
    (project / ".briefgen-build-x1y2z3/site").mkdir(parents=True)  # ... or an older briefgen left
    assert tree_hash(project / "site") == before  # ... never the site
    result = CliRunner().invoke(main, ["-C", str(project), "-q", "build"])
    assert result.exit_code == 0, result.output
    # ... is gone after the next build
    assert {p.name for p in project.iterdir()} == {"content", "templates", "docs", "mkdocs.yml", "site",
                                                   ".briefgen-cache"}


def test_a_build_stopped_with_sigterm_cleans_up_itself(tmp_path):
    project = _bigger_project(tmp_path)
    proc = _start_and_kill_mid_build(project, signal.SIGTERM)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr.read()
    assert not (project / ".briefgen-build").exists()
    assert not (project / "site").exists()


def test_a_site_from_a_briefgen_that_wrote_no_marker_is_replaced_if_the_build_writes_all_it_holds(tmp_path):
    project = _project(tmp_path)
    build_ok(project)
    (project / "site/.briefgen-site").unlink()  # as briefgen wrote sites before the marker
    build_ok(project)
    assert (project / "site/.briefgen-site").is_file()
    (project / "site/.briefgen-site").unlink()
    (project / "site/notes.txt").write_text("the user's notes\n")
    before = tree_hash(project)
    result = CliRunner().invoke(main, ["-C", str(project), "-q", "build"])
    assert result.exit_code == 1 and "site_dir 'site' holds files this build does not write (notes.txt)" in result.stderr
    assert tree_hash(project) == before


# -- the swap into place: a kill at any step, then a failing build, keeps a site -----------------

KILLED_AT = '''\
import os, pathlib, shutil, signal, sys
from briefgen.engine import guard
from briefgen.engine.site import build_site

step, project = sys.argv[1], pathlib.Path(sys.argv[2])
site = project / "site" if len(sys.argv) < 4 else pathlib.Path(sys.argv[3])


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel would: no finally, no handler


def before(original, when):
    def patched(*args, **kwargs):
        if when(*args):
            die()
        return original(*args, **kwargs)
    return patched


if step == "between-renames":  # the old site moved aside, the build not yet moved in
    pathlib.Path.rename = before(pathlib.Path.rename, lambda path, target: pathlib.Path(target) == site)
elif step == "before-removing-the-old-site":
    shutil.rmtree = before(shutil.rmtree, lambda path, *a: pathlib.Path(path).name.startswith(guard.OLD))
elif step == "copying-beside":  # site_dir on another filesystem: the build copied next to it
    guard._same_filesystem = lambda a, b: False
    copytree = shutil.copytree

    def copied(src, dst, *args, **kwargs):
        copytree(src, dst, *args, **kwargs)
        if pathlib.Path(dst).parent.name.startswith(guard.NEW):
            die()
    shutil.copytree = copied
build_site(project)
'''


def _kill_during_swap(project: Path, step: str, site: Path | None = None) -> None:
    """A build of `project` killed with SIGKILL at `step` of putting its site in place."""
    args = [sys.executable, "-c", KILLED_AT, step, str(project)] + ([str(site)] if site else [])
    done = subprocess.run(args, env=ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr


def _edit_a_source(project: Path) -> None:
    source = project / "content/khmeimim/sources/jpost.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")


def _break_a_quote(project: Path) -> None:
    yml = project / "content/khmeimim/briefing.yml"
    text = yml.read_text(encoding="utf-8")
    start = text.index('quote: "') + len('quote: "')
    yml.write_text(text[:start] + "words that are in no source at all " + text[start:], encoding="utf-8")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".briefgen-old-", ".briefgen-new-")))


@pytest.mark.parametrize("then", ["briefgen build", "mkdocs build"])
def test_a_build_killed_between_the_renames_then_a_failing_build_keeps_the_old_site(tmp_path, then):
    project = _project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    _edit_a_source(project)  # the killed build's site differs from the one it replaces
    _kill_during_swap(project, "between-renames")
    assert not (project / "site").exists() and len(_leftovers(project)) == 1  # the window
    _break_a_quote(project)
    tool, *args = then.split()
    done = subprocess.run([sys.executable, "-m", tool, *args], cwd=project, env=ENV, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1 and "quote not found" in done.stderr, done.stderr
    assert tree_hash(project / "site") == before  # put back first, then left alone by the failure
    assert _leftovers(project) == []


def test_a_build_killed_after_the_swap_leaves_its_site_and_the_old_one_is_removed_next_time(tmp_path):
    project = _project(tmp_path)
    build_ok(project)
    old = tree_hash(project / "site")
    _edit_a_source(project)
    _kill_during_swap(project, "before-removing-the-old-site")
    new = tree_hash(project / "site")
    assert new != old and "One more sentence." in (project / "site/khmeimim/sources/jpost/index.html").read_text()
    assert len(_leftovers(project)) == 1
    _break_a_quote(project)
    result = CliRunner().invoke(main, ["-C", str(project), "-q", "build"])
    assert result.exit_code == 1
    assert tree_hash(project / "site") == new and _leftovers(project) == []


def test_a_copy_beside_a_site_dir_on_another_filesystem_left_by_a_kill_is_removed_next_time(tmp_path):
    project = _project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    _edit_a_source(project)
    _kill_during_swap(project, "copying-beside")
    left = _leftovers(project)
    assert len(left) == 1 and left[0].startswith(".briefgen-new-") and left[0].endswith("-site")
    assert (project / left[0] / "site/khmeimim/index.html").is_file()  # a whole copy of the build
    assert tree_hash(project / "site") == before
    _break_a_quote(project)
    result = CliRunner().invoke(main, ["-C", str(project), "-q", "build"])
    assert result.exit_code == 1
    assert tree_hash(project / "site") == before and _leftovers(project) == []


@pytest.mark.skipif(not Path("/dev/shm").is_dir() or Path("/dev/shm").stat().st_dev == Path("/tmp").stat().st_dev,
                    reason="needs /dev/shm on a filesystem of its own")
def test_a_kill_while_copying_to_a_real_other_filesystem_is_cleaned_by_the_next_build(tmp_path):
    import tempfile
    with tempfile.TemporaryDirectory(dir="/dev/shm") as shm:
        project = _project(tmp_path, site_dir=f"{shm}/site")
        build_ok(project)
        before = tree_hash(Path(shm) / "site")
        _edit_a_source(project)
        _kill_during_swap(project, "copying-beside", Path(shm) / "site")
        assert [p.name.startswith(".briefgen-new-") for p in Path(shm).iterdir() if p.name != "site"] == [True]
        _break_a_quote(project)
        assert CliRunner().invoke(main, ["-C", str(project), "-q", "build"]).exit_code == 1
        assert sorted(p.name for p in Path(shm).iterdir()) == ["site"]
        assert tree_hash(Path(shm) / "site") == before


def test_an_interrupt_between_the_renames_puts_the_old_site_back_at_once(tmp_path, monkeypatch):
    """Ctrl-C or SIGTERM (an exception here) right as the build moves in: the old site stays."""
    project = _project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    _edit_a_source(project)
    rename = Path.rename

    def interrupted(path: Path, target) -> Path:
        if Path(target) == (project / "site").resolve() and path.name == "site":
            raise KeyboardInterrupt
        return rename(path, target)

    monkeypatch.setattr(Path, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_ok(project)
    assert tree_hash(project / "site") == before and _leftovers(project) == []


def test_a_killed_builds_leftovers_beside_another_site_dir_are_not_touched(tmp_path):
    """Only this site_dir's own leftovers are settled: another project's beside it stay."""
    project = _project(tmp_path)
    build_ok(project)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # a pid that has ended
    for name in (f".briefgen-old-{dead}-0a1b2c3d-public", f".briefgen-new-{dead}-x1y2z3w4-public",
                 f".briefgen-old-{os.getpid()}-0a1b2c3d-site"):  # a live build's
        (project / name / "index.html").parent.mkdir()
        (project / name / "index.html").write_text("another build's page\n")
    shutil.rmtree(project / "site")
    build_ok(project)
    assert (project / "site/khmeimim/index.html").is_file()
    assert len(_leftovers(project)) == 3


_SWALLOWED = """
import os, signal, sys, time
import briefgen.engine.guard as guard
real = guard.write_marker
class Finalizer:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # Ctrl-C's handler runs here, in a finalizer: Python prints and carries on
def write_marker(site):
    Finalizer()  # dropped at once
    return real(site)
guard.write_marker = write_marker
from briefgen.cli import run
sys.argv = ["briefgen", "-C", sys.argv[1], "build"]
run()
"""


def test_a_ctrl_c_python_swallowed_still_stops_the_build_before_it_replaces_the_site(tmp_path):
    """A signal handled inside a finalizer raises there, and Python only prints it: the build
    went on and replaced site/ with exit 0. The stop is remembered (interrupts.py)."""
    project = _project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    yml = project / "content/khmeimim/briefing.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("title: Russia packs up at Khmeimim",
                                                           "title: Russia packs up at Khmeimim, edited"),
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _SWALLOWED, str(project)], capture_output=True, text=True,
                          timeout=300, env=ENV)
    assert "Exception ignored" in proc.stderr and "KeyboardInterrupt" in proc.stderr  # swallowed, as Python does
    assert proc.returncode == 130, proc.stderr
    assert tree_hash(project / "site") == before
    assert not (project / ".briefgen-build").exists()


_STOPPED_AFTER = """
import importlib, os, signal, sys, time
module, name = sys.argv[2].rsplit(".", 1)
sent = getattr(signal, sys.argv[3] if len(sys.argv) > 3 else "SIGINT")
owner = importlib.import_module(module)
real = getattr(owner, name)
def stopped_after(*args, **kwargs):
    result = real(*args, **kwargs)
    os.kill(os.getpid(), sent)  # as a Ctrl-C (or a SIGTERM) right then
    time.sleep(0.05)
    return result
setattr(owner, name, stopped_after)
from briefgen.cli import run
sys.argv = ["briefgen", "-C", sys.argv[1], "build"]
run()
"""


@pytest.mark.parametrize("after", ["briefgen.engine.guard.swap", "briefgen.engine.guard.remove_replaced",
                                   "briefgen.commands.output.print_report", "briefgen.commands.oneshot._status",
                                   "logging.shutdown"])
@pytest.mark.parametrize("sent", ["SIGINT", "SIGTERM"])
def test_a_stop_once_the_new_site_is_in_place_ends_nothing_early_and_the_build_passes(tmp_path, after, sent):
    """Exit 130 says site_dir is as it was; a stop after the swap found the new site in place and
    exited 130 (or 1, 'Aborted!', during the report; or with a traceback as the process ended).
    From the swap on, a stop is only noted, to the process's end."""
    project = _project(tmp_path)
    build_ok(project)
    _edit_a_source(project)
    proc = subprocess.run([sys.executable, "-c", _STOPPED_AFTER, str(project), after, sent], capture_output=True,
                          text=True, timeout=300, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert "One more sentence." in (project / "site/khmeimim/sources/jpost/index.html").read_text(encoding="utf-8")
    assert proc.stderr.rstrip().endswith("briefgen: 0 errors, 0 warnings, 5 notes; passed")
    assert _leftovers(project) == [] and not (project / ".briefgen-build").exists()


@pytest.mark.parametrize("after", ["briefgen.engine.guard.write_marker", "briefgen.commands.oneshot.one_shot_process"])
def test_a_ctrl_c_before_the_swap_exits_130_with_the_site_as_it_was(tmp_path, after):
    """Before its handlers are installed too (click's own would say 'Aborted!' and exit 1)."""
    project = _project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    _edit_a_source(project)
    proc = subprocess.run([sys.executable, "-c", _STOPPED_AFTER, str(project), after], capture_output=True,
                          text=True, timeout=300, env=ENV)
    assert proc.returncode == 130, proc.stderr
    assert "Aborted!" not in proc.stderr and "Traceback" not in proc.stderr
    assert tree_hash(project / "site") == before


_STOPPED_WHILE_COPYING = """
import os, shutil, signal, sys, time
from briefgen.engine import guard
guard._same_filesystem = lambda a, b: False  # site_dir on another filesystem: the build is copied beside it
copytree = shutil.copytree
def copied_then_stopped(src, dst, *args, **kwargs):
    copytree(src, dst, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGINT)  # as a Ctrl-C while a big site is copied
    time.sleep(0.05)
shutil.copytree = copied_then_stopped
from briefgen.cli import run
sys.argv = ["briefgen", "-C", sys.argv[1], "build"]
run()
"""


def test_a_ctrl_c_while_the_build_is_copied_to_another_filesystem_stops_it(tmp_path):
    """The copy is not part of the swap: held with it, a stop waited for the copy and the build
    then exited 0 with the new site."""
    project = _project(tmp_path)
    build_ok(project)
    before = tree_hash(project / "site")
    _edit_a_source(project)
    proc = subprocess.run([sys.executable, "-c", _STOPPED_WHILE_COPYING, str(project)], capture_output=True,
                          text=True, timeout=300, env=ENV)
    assert proc.returncode == 130, proc.stderr
    assert tree_hash(project / "site") == before and _leftovers(project) == []


def test_names_that_python_would_split_lines_at_are_one_entry_of_the_marker(tmp_path):
    """The marker lists a name a line; read back with str.splitlines, a docs/ file named with
    U+2028 or U+0085 in it made every later build refuse site/."""
    project = _project(tmp_path)
    (project / "docs").mkdir(exist_ok=True)
    for name in ("a\u2028b.txt", "c\x85d.txt", "e\u2029f.txt"):
        (project / "docs" / name).write_text("x\n", encoding="utf-8")
    build_ok(project)
    _edit_a_source(project)
    build_ok(project)
    assert (project / "site" / "a\u2028b.txt").is_file()
