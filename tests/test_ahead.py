"""`briefgen build` checks the content in a forked process while it imports MkDocs
(commands/ahead.py): what it prints and builds must be what a check in its own process gives,
a build refused by a guard must still leave the project as it was, and the child must be gone
when the build ends, however it ends.

Each build runs in a fresh Python process: the child is only forked from a process with no
other thread, and a test session has threads of its own."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, tree_hash

import briefgen.commands.ahead as ahead
from briefgen.loading.source import load_source
from briefgen.strategy import Strategy

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2 or not sys.platform.startswith("linux"),
                                reason="the check runs ahead only on Linux with 2+ CPUs")

# The build, with the child's check observed: the patched function is inherited by the fork,
# so the child writes which process checked (and may be told to fail or to hang).
_BUILD = """
import os, sys, time
from pathlib import Path
import briefgen.pipeline as pipeline
real, main_pid, marker, how = pipeline.check_unsaved, os.getpid(), Path(sys.argv[1]), sys.argv[2]
def observed(project, strategy):
    if os.getpid() != main_pid:
        marker.write_text(str(os.getpid()))
        if how == "fail":
            raise RuntimeError("the child fails")
        if how == "hang":
            time.sleep(60)
        if how == "fail late":  # after it checked, and logged what it found
            real(project, strategy)
            raise RuntimeError("the child fails late")
    return real(project, strategy)
pipeline.check_unsaved = observed
from briefgen.cli import run
sys.argv = ["briefgen", *sys.argv[3:]]
run()
"""

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _project(root: Path, extra: str = "") -> Path:
    shutil.copytree(REPO / "content", root / "content")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return root


def _build(project: Path, marker: Path, *args: str, how: str = "ok", jobs: str = "2",
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _BUILD, str(marker), how, "-C", str(project), "build", *args],
                          capture_output=True, text=True, timeout=300, env={**ENV, "BRIEFGEN_JOBS": jobs})


def _said(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """What the build printed, without the seconds it took and the staging folder's name."""
    text = re.sub(r"\d+\.\d\d seconds", "N seconds", proc.stdout + proc.stderr)
    return [line for line in text.splitlines() if "Documentation built" not in line]


def test_a_build_checked_ahead_prints_and_builds_what_one_checked_in_its_own_process_does(tmp_path: Path) -> None:
    ahead_, alone = _project(tmp_path / "ahead"), _project(tmp_path / "alone")
    marker = tmp_path / "child.pid"
    two = _build(ahead_, marker)
    assert two.returncode == 0, two.stderr
    assert marker.is_file(), "the check did not run ahead"
    one = _build(alone, tmp_path / "none.pid", jobs="1")
    assert one.returncode == 0, one.stderr
    assert not (tmp_path / "none.pid").exists()
    assert _said(two) == _said(one)
    assert "note:" in two.stderr  # the example's findings, printed from the outcome sent back
    assert tree_hash(ahead_ / "site") == tree_hash(alone / "site")
    assert tree_hash(ahead_ / ".briefgen-cache/sources") == tree_hash(alone / ".briefgen-cache/sources")


def test_a_failed_check_run_ahead_fails_the_build_with_the_same_lines(tmp_path: Path) -> None:
    projects = []
    for name in ("ahead", "alone"):
        project = _project(tmp_path / name)
        yml = project / "content/khmeimim/briefing.yml"
        yml.write_text(yml.read_text(encoding="utf-8").replace(
            'jpost: "Russia is packing up military hardware at Khmeimim"',
            'jpost: "Russia is packing up its tents at Khmeimim"', 1), encoding="utf-8")
        (project / "site").mkdir()
        (project / "site/index.html").write_text("the last good site\n")
        projects.append(project)
    two, one = _build(projects[0], tmp_path / "a.pid"), _build(projects[1], tmp_path / "b.pid", jobs="1")
    assert (tmp_path / "a.pid").is_file()
    assert two.returncode == one.returncode == 1
    assert _said(two) == _said(one)
    assert "error:" in two.stderr
    assert (projects[0] / "site/index.html").read_text() == "the last good site\n"


@pytest.mark.parametrize("how", ["ok", "fail late"])
def test_what_the_check_ahead_logs_is_printed_once_in_its_place(tmp_path: Path, how: str) -> None:
    """Logged by the build when it takes the outcome; forgotten with the outcome of a child
    that then failed (the build checks again, and logs it once)."""
    project = _project(tmp_path / "p")
    (tmp_path / "elsewhere").mkdir()
    (project / ".briefgen-cache").symlink_to(tmp_path / "elsewhere")
    proc = _build(project, tmp_path / "child.pid", how=how)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "child.pid").is_file()
    lines = proc.stderr.splitlines()
    warned = [i for i, line in enumerate(lines) if ".briefgen-cache is a link" in line]
    checked = [i for i, line in enumerate(lines) if "Checked " in line]
    assert len(warned) == 1 and len(checked) == 1 and warned[0] < checked[0], proc.stderr
    assert not any((tmp_path / "elsewhere").iterdir())


def test_a_build_a_guard_refuses_leaves_no_cache_written_by_the_check_ahead(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", extra="site_dir: content\n")
    before = tree_hash(tmp_path)
    proc = _build(project, tmp_path.parent / f"{tmp_path.name}-child.pid")
    assert proc.returncode == 1
    assert "error: site_dir 'content'" in proc.stderr
    assert (tmp_path.parent / f"{tmp_path.name}-child.pid").is_file()  # the child did check ...
    assert tree_hash(tmp_path) == before  # ... and saved nothing: the build saves, after the guards


@pytest.mark.parametrize("how", ["fail", "killed"])
def test_a_child_that_fails_or_dies_leaves_the_check_to_the_build(tmp_path: Path, how: str) -> None:
    project = _project(tmp_path / "p")
    marker = tmp_path / "child.pid"
    if how == "killed":  # killed while it checks, as the OOM killer would
        proc = subprocess.Popen([sys.executable, "-c", _BUILD, str(marker), "hang", "-C", str(project), "build"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**ENV, "BRIEFGEN_JOBS": "2"})
        deadline = time.monotonic() + 60
        while not (marker.is_file() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(int(marker.read_text()), signal.SIGKILL)
        out, err = proc.communicate(timeout=300)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    else:
        done = _build(project, marker, how=how)
    assert marker.is_file()
    assert done.returncode == 0, done.stderr
    alone = _build(_project(tmp_path / "alone"), tmp_path / "none.pid", jobs="1")
    assert _said(done) == _said(alone)
    assert tree_hash(project / "site") == tree_hash(tmp_path / "alone/site")


def test_the_child_is_gone_when_a_stopped_build_ends(tmp_path: Path) -> None:
    """SIGTERM while the child checks (made to hang): the build kills it on its way out."""
    project = _project(tmp_path / "p")
    marker = tmp_path / "child.pid"
    proc = subprocess.Popen([sys.executable, "-c", _BUILD, str(marker), "hang", "-C", str(project), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**ENV, "BRIEFGEN_JOBS": "2"},
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not (marker.is_file() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # the build is past its imports, waiting for the child
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    child = int(marker.read_text())
    with pytest.raises(ProcessLookupError):  # reaped, not left running (nor a zombie: waited for)
        os.kill(child, 0)
    assert not (project / ".briefgen-build").exists() and not (project / "site").exists()


def test_no_check_runs_ahead_where_it_would_cost_more_than_it_saves(tmp_path: Path, monkeypatch) -> None:
    project = _project(tmp_path / "p")
    strategy = Strategy(jobs=2)
    monkeypatch.setattr(ahead, "AHEAD_UP_TO", 1)  # the example has 2 sources
    with ahead.checked_ahead(project, "mkdocs.yml", strategy) as chosen:
        assert chosen is strategy
    with ahead.checked_ahead(project, "mkdocs.yml", Strategy(jobs=1)) as chosen:
        assert chosen.ahead is None


def test_a_source_pickled_without_what_it_makes_again_reads_the_same(tmp_path: Path) -> None:
    from briefgen.diagnostics import Report
    from briefgen.text.sourcetext import parse_source

    path = tmp_path / "s.md"
    path.write_text("---\ntitle: Ελληνικά\noutlet: Καθημερινή\n---\n\nΠρώτη παράγραφος, «με εισαγωγικά».\n\n"
                    "Вторая строка — по-русски.\n\nالفقرة الثالثة بالعربية.\n", encoding="utf-8")
    source = load_source(tmp_path, "s", path, None, Report())
    assert source is not None
    doc = parse_source(source)
    blocks, found = list(doc.blocks), doc.index
    again = pickle.loads(pickle.dumps(doc))
    assert again._blocks is None and again._index is None and again._tokens is None
    assert again.blocks == blocks
    assert [b.text for b in again.blocks] == ["Πρώτη παράγραφος, «με εισαγωγικά».", "Вторая строка — по-русски.",
                                              "الفقرة الثالثة بالعربية."]
    assert type(again.index) is type(found)


def test_the_outcome_is_taken_only_for_the_project_checked_and_only_once(tmp_path: Path) -> None:
    one, other = _project(tmp_path / "one"), _project(tmp_path / "other")
    script = """
import os, sys
from pathlib import Path
from briefgen.commands.ahead import CheckAhead
from briefgen.strategy import Strategy
one, other = Path(sys.argv[1]), Path(sys.argv[2])
a = CheckAhead(one, Strategy(jobs=2)); a.start(); pid = a._pid
print(a.take(other) is None, a._pid == 0)  # another folder: the child is stopped, the caller checks
try:
    os.kill(pid, 0); print("left")
except ProcessLookupError:
    print("gone")
b = CheckAhead(one, Strategy(jobs=2)); b.start()
taken = b.take(one)
from briefgen.pipeline import check
here = check(one, Strategy(parse_cache=False))  # the same content, checked in this process
print(taken is not None and taken.counts() == here.counts() and taken.report.sorted() == here.report.sorted(),
      b.take(one) is None)
"""
    proc = subprocess.run([sys.executable, "-c", script, str(one), str(other)], capture_output=True, text=True,
                          timeout=120, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["True True", "gone", "True True"]


def test_a_build_stopped_as_it_forks_still_stops_the_child(tmp_path: Path) -> None:
    """SIGTERM while the fork holds it back: raised as the build lets signals through again,
    and the child (made to hang) is stopped on the way out all the same."""
    project = _project(tmp_path / "p")
    forked = tmp_path / "forked.pid"
    slow_fork = f"""
import os, time
real_fork = os.fork
def fork():
    pid = real_fork()
    if pid and not os.path.exists({str(forked)!r}):  # the build, at its first fork (the check ahead)
        open({str(forked)!r}, "w").write(str(pid))
        time.sleep(1.0)  # Ctrl-C and SIGTERM are held here
    return pid
os.fork = fork
"""
    proc = subprocess.Popen([sys.executable, "-c", slow_fork + _BUILD, str(tmp_path / "child.pid"), "hang",
                             "-C", str(project), "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**ENV, "BRIEFGEN_JOBS": "2"})
    deadline = time.monotonic() + 60
    while not (forked.is_file() and forked.read_text()) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    with pytest.raises(ProcessLookupError):
        os.kill(int(forked.read_text()), 0)


@pytest.mark.parametrize("closed", [">&-", "2>&-", ">&- 2>&-"])
def test_a_build_with_its_output_closed_builds(tmp_path: Path, closed: str) -> None:
    project = _project(tmp_path / "p")
    proc = subprocess.run(["sh", "-c", f'"$1" -m briefgen -C "$2" build {closed}', "sh", sys.executable, str(project)],
                          capture_output=True, text=True, timeout=300, env={**ENV, "BRIEFGEN_JOBS": "2"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (project / "site/khmeimim/index.html").is_file()


def _live(group: int) -> list[str]:
    """The processes of a session still running (a zombie is done: it waits for init to reap it)."""
    ps = subprocess.run(["ps", "-o", "stat=,args=", "-g", str(group)], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if line.strip() and not line.strip().startswith("Z")]


_HANG_IN_WORKER = """
import os, sys, time
from pathlib import Path
import briefgen.caches.checkintwo as checkintwo
real, main_pid, marker = checkintwo.BriefingChecker.__call__, os.getpid(), Path(sys.argv[1])
def call(self, folder):
    if os.getpid() != main_pid:  # the pool's worker, forked
        marker.write_text(str(os.getpid()))
        time.sleep(60)
    return real(self, folder)
checkintwo.BriefingChecker.__call__ = call
from briefgen.cli import run
sys.argv = ["briefgen", *sys.argv[2:]]
run()
"""


@pytest.mark.parametrize("helper", ["check ahead", "check worker"])
def test_a_build_killed_with_sigkill_leaves_no_helper_running(tmp_path: Path, helper: str) -> None:
    """A forked helper dies with the process that forked it, even one killed outright."""
    project = _project(tmp_path / "p")
    shutil.copytree(project / "content/khmeimim", project / "content/second")  # two briefings: a worker
    marker = tmp_path / "helper.pid"
    if helper == "check ahead":
        args = [sys.executable, "-c", _BUILD, str(marker), "hang", "-C", str(project), "build"]
    else:  # `check` loads and checks every other briefing in a pool worker
        args = [sys.executable, "-c", _HANG_IN_WORKER, str(marker), "-C", str(project), "check"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**ENV, "BRIEFGEN_JOBS": "2"})
    deadline = time.monotonic() + 60
    while not (marker.is_file() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 5
    while _live(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _live(proc.pid) == []
