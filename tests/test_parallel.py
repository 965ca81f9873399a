"""`briefgen build` renders every other briefing in a forked worker (caches/parallel.py): the
site must be the same as in one process, and a failure must surface here as it would there.

Each case runs in a fresh Python process: the worker is only forked from a process with no
other thread, and a test session has threads of its own (browser tests, local servers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, tree_hash

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2 or not sys.platform.startswith("linux"),
                                reason="the second process is used only on Linux with 2+ CPUs")


def _python(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "BRIEFGEN_JOBS": "2"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_every_other_item_goes_to_a_second_process() -> None:
    out = _python("""
        import os
        from briefgen.caches.parallel import map_in_two
        pids = map_in_two(lambda _: os.getpid(), list(range(6)), 2)
        main = os.getpid()
        print(pids[0::2] == [main] * 3, len(set(pids[1::2])) == 1 and pids[1] != main,
              map_in_two(lambda _: os.getpid(), [1, 2], 1) == [main] * 2)
    """)
    assert out == "True True True"


def test_a_failing_worker_has_its_share_done_here_and_errors_are_raised_here() -> None:
    out = _python("""
        import os
        from briefgen.caches.parallel import map_in_two
        main = os.getpid()
        def fails_in_worker(x):
            if os.getpid() != main:
                raise RuntimeError("only the worker fails")
            return x * 10
        print(map_in_two(fails_in_worker, [1, 2, 3, 4], 2))
        def always(x):
            raise ValueError(f"item {x}")
        try:
            map_in_two(always, [0, 1], 2)
        except ValueError as exc:
            print(exc)
    """)
    assert out.splitlines() == ["[10, 20, 30, 40]", "item 0"]


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "content/khmeimim", root / "content/second")  # one briefing each
    return root


def _build(project: Path, jobs: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", "-C", str(project), "build", "--no-cache"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BRIEFGEN_JOBS": jobs, "NO_MKDOCS_2_WARNING": "1"})


_IN_TWO = """
import os, sys
from pathlib import Path
import briefgen.caches.parallel as parallel
real = parallel._run
def run(indices):  # the worker records that it ran (it is forked, so it sees this patch)
    Path(sys.argv[2]).write_text(str(os.getpid()))
    return real(indices)
parallel._run = run
from briefgen.engine.site import build_site
from briefgen.strategy import Strategy
outcome = build_site(Path(sys.argv[1]), strategy=Strategy(parse_cache=False, jobs=2))
assert not outcome.report.errors, outcome.report.sorted()
print(os.getpid())
"""


def _build_in_two(project: Path, tmp_path: Path) -> None:
    """Build with the forked worker, and check that it did render its share."""
    marker = tmp_path / "worker.pid"
    proc = subprocess.run([sys.executable, "-c", _IN_TWO, str(project), str(marker)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    assert marker.is_file() and marker.read_text() != proc.stdout.strip(), "no worker rendered"


def _same_sites(one: Path, two: Path) -> None:
    strip = lambda t: {k: v for k, v in t.items() if not k.startswith("sitemap")}  # noqa: E731
    assert strip(tree_hash(one / "site")) == strip(tree_hash(two / "site"))


def test_two_processes_build_the_same_site_as_one(tmp_path: Path) -> None:
    one, two = _project(tmp_path / "one"), _project(tmp_path / "two")
    assert _build(one, "1").returncode == 0
    _build_in_two(two, tmp_path)
    _same_sites(one, two)


def test_history_read_in_two_processes_gives_the_same_site(tmp_path: Path) -> None:
    from gitrepo import git, history_project

    one = tmp_path / "one"
    one.mkdir()
    history_project(one)
    shutil.copytree(one / "content" / "velmor", one / "content" / "second")  # one briefing each
    git(one, "add", "-A")
    git(one, "commit", "-q", "-m", "second briefing")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    assert _build(one, "1").returncode == 0
    _build_in_two(two, tmp_path)
    _same_sites(one, two)
    assert (two / "site/velmor/changes/index.html").is_file()


def test_a_template_error_is_located_with_two_processes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "templates").mkdir()
    (root / "templates/facts.html").write_text("{% import '_macros.html' as m %}\n{{ b.no_such_thing() }}\n")
    result = _build(root, "2")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2].startswith("templates/facts.html:2:1: error: template error"), result.stderr
    assert not (root / "site").exists()


# Theming (engine/paralleltheme.py): a worker forked at on_env themes part of the pages.

_THEMED_IN_TWO = """
import os, sys
from pathlib import Path
import mkdocs.commands.build as mkbuild
import briefgen.engine.paralleltheme as pt
main, fail_after = os.getpid(), int(sys.argv[3])
real_context, real_work = mkbuild.get_context, pt._work
themed = []
def get_context(nav, files, config, page=None, base_url=""):
    if os.getpid() != main and page is not None:  # the worker: record its pages, and fail after `fail_after` of them
        themed.append(page.file.src_uri)
        Path(sys.argv[2]).write_text("\\n".join(themed))
        if 0 <= fail_after < len(themed):
            raise RuntimeError("the worker fails")
    return real_context(nav, files, config, page, base_url)
mkbuild.get_context = get_context
from briefgen.engine.site import build_site
from briefgen.strategy import Strategy
outcome = build_site(Path(sys.argv[1]), strategy=Strategy(parse_cache=False, jobs=2))
assert not outcome.report.errors, outcome.report.sorted()
"""


def _theme_in_two(project: Path, tmp_path: Path, fail_after: int = -1) -> tuple[list[str], list[str]]:
    """Build with the theming worker; the pages it themed (it may fail after `fail_after`) and
    what it left in the temporary folder."""
    marker, tmp = tmp_path / "themed.txt", tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    proc = subprocess.run([sys.executable, "-c", _THEMED_IN_TWO, str(project), str(marker), str(fail_after)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)})
    assert proc.returncode == 0, proc.stderr
    left = [*tmp.iterdir(), *project.rglob(".briefgen-theme-*")]
    return (marker.read_text().splitlines() if marker.exists() else []), sorted(p.name for p in left)


def test_a_theming_worker_builds_the_same_site_as_one_process(tmp_path: Path) -> None:
    one, two = _project(tmp_path / "one"), _project(tmp_path / "two")
    assert _build(one, "1").returncode == 0
    themed, left = _theme_in_two(two, tmp_path)
    _same_sites(one, two)
    # 11 pages (the index; two briefings of summary, facts, questions and 2 sources): the worker
    # themes 55% of them, interleaved (SHARE), so 6, and never the same page twice.
    assert len(set(themed)) == len(themed) == 6, themed
    assert left == [], "the spool is removed"


def test_pages_a_failed_theming_worker_did_not_deliver_are_themed_here(tmp_path: Path) -> None:
    one, two = _project(tmp_path / "one"), _project(tmp_path / "two")
    assert _build(one, "1").returncode == 0
    themed, left = _theme_in_two(two, tmp_path, fail_after=2)
    assert len(themed) == 3  # two delivered, the third failed: the worker stopped there
    _same_sites(one, two)
    assert left == []


def test_a_build_that_fails_while_theming_leaves_no_worker_or_spool(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "templates/theme").mkdir(parents=True)
    (root / "templates/theme/main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{{ page.no_such.thing }}{% endblock %}\n')
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    result = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(root), "build", "--no-cache"],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "BRIEFGEN_JOBS": "2", "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)})
    assert result.returncode != 0 and not (root / "site").exists()
    assert list(tmp.iterdir()) == [] and not list(root.rglob(".briefgen-theme-*")), "the spool is removed"


def test_the_worker_takes_its_share_interleaved() -> None:
    from briefgen.engine.paralleltheme import shares

    assert shares(6, 0.5) == [False, True, False, True, False, True]
    assert sum(shares(20, 0.55)) == 11 and shares(3, 0.0) == [False] * 3


# Checking in two processes (caches/checkintwo.py): every other briefing loaded and checked in a worker.

_CHECKED_IN_TWO = """
import hashlib, os, sys
from pathlib import Path
import briefgen.caches.checkintwo as checkintwo
import briefgen.pipeline as pipeline
import briefgen.text.sourcetext as sourcetext
real_call, real_stream = checkintwo.BriefingChecker.__call__, sourcetext.token_stream
counting = [True]  # the check in two processes, not the one in one that it is compared with
def call(self, folder):  # the worker is forked, so it runs this too: record who checked
    if counting[0]:
        with open(sys.argv[2], "a") as out:
            out.write(f"{os.getpid()}\\n")
    return real_call(self, folder)
def stream(source):  # run in both processes: each parse is a line of the file
    if counting[0]:
        with open(sys.argv[2] + ".parsed", "a") as out:
            out.write(f"{source.path}\\n")
    return real_stream(source)
checkintwo.BriefingChecker.__call__, sourcetext.token_stream = call, stream
from briefgen.strategy import Strategy
def seen(outcome):
    blocks = [(c.briefing.id, sid, [(b.text, b.line, b.anchor) for b in doc.blocks], doc.unused_drops, doc.dropped)
              for c in outcome.checked for sid, doc in sorted(c.docs.items())]
    return [str(p) for p in outcome.report.sorted()], hashlib.sha256(repr(blocks).encode()).hexdigest()
checked = pipeline.check(Path(sys.argv[1]), Strategy(parse_cache=sys.argv[3] == "cache", jobs=2))
counting[0] = False  # reading the blocks below parses the worker's sources again, here
two = seen(checked)
one = seen(pipeline.check(Path(sys.argv[1]), Strategy(parse_cache=False, jobs=1)))
assert two == one, (two[0][:5], one[0][:5])
print(os.getpid(), len(two[0]))
"""


def _many(root: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", root.mkdir() or root / "mkdocs.yml")
    for i in range(36):  # 36 briefings, 72 sources, each its own text
        shutil.copytree(REPO / "content/khmeimim", root / "content" / f"base-{i:02d}")
        for source in (root / "content" / f"base-{i:02d}" / "sources").iterdir():
            source.write_text(source.read_text(encoding="utf-8") + f"\n\nCopy {i}, in Ελληνικά.\n", encoding="utf-8")
    return root


def _check_in_two(root: Path, marker: Path, cache: str) -> tuple[str, int, int]:
    proc = subprocess.run([sys.executable, "-c", _CHECKED_IN_TWO, str(root), str(marker), cache],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    main_pid, problems = proc.stdout.split()
    parsed = Path(f"{marker}.parsed")
    return main_pid, int(problems), len(parsed.read_text().split()) if parsed.exists() else 0


@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_briefings_checked_in_two_processes_check_as_in_one(tmp_path: Path, cache: str) -> None:
    root = _many(tmp_path / "p")
    marker = tmp_path / "checked.txt"
    main_pid, problems, _ = _check_in_two(root, marker, cache)
    checked_by = marker.read_text().split()
    assert problems > 0 and main_pid in checked_by
    assert len(checked_by) == 36 and len(set(checked_by)) == 2, "each briefing checked once, a worker checked its half"
    assert checked_by.count(main_pid) == 18


def test_what_the_worker_parsed_and_read_back_is_kept_by_the_parse_cache(tmp_path: Path) -> None:
    """The worker's cache is a copy: this process saves what it parsed, and keeps what it read."""
    root = _many(tmp_path / "p")
    _, _, parsed = _check_in_two(root, tmp_path / "first.txt", "cache")
    entries = sorted(p.name for p in (root / ".briefgen-cache/sources").iterdir())
    assert parsed == 72 and len(entries) == 72  # every source parsed once, in one process or the other
    _, _, parsed = _check_in_two(root, tmp_path / "second.txt", "cache")
    assert parsed == 0  # all 72 read back, half of them by the worker ...
    assert sorted(p.name for p in (root / ".briefgen-cache/sources").iterdir()) == entries  # ... none pruned
