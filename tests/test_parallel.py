"""`briefgen build` renders every other briefing in a forked worker (caches/parallel.py): the
site must be the same as in one process, and a failure must surface here as it would there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen.caches.parallel import map_in_two
from briefgen.engine.site import build_site
from briefgen.strategy import Strategy
from conftest import REPO, tree_hash

MAIN = os.getpid()


def _pid(_: int) -> int:
    return os.getpid()


def _fails_in_the_worker(x: int) -> int:
    if os.getpid() != MAIN:
        raise RuntimeError("only the worker fails")
    return x * 10


def _always_fails(x: int) -> int:
    raise ValueError(f"item {x}")


def test_every_other_item_goes_to_a_second_process() -> None:
    pids = map_in_two(_pid, list(range(6)), jobs=2)
    assert pids[0::2] == [MAIN] * 3 and len(set(pids[1::2])) == 1 and pids[1] != MAIN


def test_one_job_or_one_item_stays_in_this_process() -> None:
    assert map_in_two(_pid, [1, 2, 3], jobs=1) == [MAIN] * 3
    assert map_in_two(_pid, [1], jobs=2) == [MAIN]


def test_a_worker_that_fails_has_its_share_done_here() -> None:
    assert map_in_two(_fails_in_the_worker, [1, 2, 3, 4], jobs=2) == [10, 20, 30, 40]


def test_an_error_is_raised_in_this_process() -> None:
    with pytest.raises(ValueError, match="item 0"):
        map_in_two(_always_fails, [0, 1], jobs=2)


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    # a second briefing, so there is one for each process
    shutil.copytree(REPO / "content/khmeimim", root / "content/second")
    return root


def test_two_processes_build_the_same_site_as_one(tmp_path: Path) -> None:
    one, two = _project(tmp_path / "one"), _project(tmp_path / "two")
    assert not build_site(one, strategy=Strategy(jobs=1)).report.errors
    assert not build_site(two, strategy=Strategy(jobs=2)).report.errors
    strip = lambda t: {k: v for k, v in t.items() if not k.startswith("sitemap")}  # noqa: E731
    assert strip(tree_hash(one / "site")) == strip(tree_hash(two / "site"))


def test_a_template_error_is_located_with_two_processes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "templates").mkdir()
    (root / "templates/facts.html").write_text("{% import '_macros.html' as m %}\n{{ b.no_such_thing() }}\n")
    outcome = build_site(root, strategy=Strategy(jobs=2))
    assert [str(p) for p in outcome.report.errors][0].startswith("templates/facts.html:2:1: error: template error")
    assert not (root / "site").exists()


def test_history_read_in_two_processes_gives_the_same_site(tmp_path: Path) -> None:
    from gitrepo import git, history_project

    one = tmp_path / "one"
    one.mkdir()
    history_project(one)
    # a second briefing with the same history, so each process loads one briefing's versions
    shutil.copytree(one / "content" / "velmor", one / "content" / "second")
    git(one, "add", "-A")
    git(one, "commit", "-q", "-m", "second briefing")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    assert not build_site(one, strategy=Strategy(parse_cache=False, jobs=1)).report.errors
    assert not build_site(two, strategy=Strategy(parse_cache=False, jobs=2)).report.errors
    strip = lambda t: {k: v for k, v in t.items() if not k.startswith("sitemap")}  # noqa: E731
    assert strip(tree_hash(one / "site")) == strip(tree_hash(two / "site"))
    assert (two / "site/velmor/changes/index.html").is_file()
