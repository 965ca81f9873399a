"""`briefgen serve --open`, `--no-livereload` and `--strict`, each in a real serving process."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import REPO, http_get, wait_for

SERVING = re.compile(r"Serving on (http://127\.0\.0\.1:\d+/)")


def example(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "mkdocs.yml", project)
    return project


@contextmanager
def serving(project: Path, *options: str, environ: dict[str, str] | None = None) -> Iterator[tuple[Path, subprocess.Popen]]:
    """`briefgen serve` on any free port; its terminal output goes to a log the test reads."""
    log = project.parent / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(project), "serve",
                                 "--dev-addr", "127.0.0.1:0", *options], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "PYTHONPATH": str(REPO), **(environ or {})})
    try:
        yield log, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=20)


def url_of(log: Path) -> str:
    assert wait_for(lambda: SERVING.search(log.read_text())), log.read_text()
    return SERVING.search(log.read_text())[1]


def test_open_hands_the_served_address_to_the_browser(tmp_path):
    """webbrowser runs $BROWSER with the URL; this one writes down what it was given."""
    project = example(tmp_path)
    seen = tmp_path / "browser-saw.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{seen}"\n')
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    with serving(project, "--open", environ={"BROWSER": str(browser)}) as (log, _):
        url = url_of(log)
        assert wait_for(lambda: seen.exists() and seen.read_text()), log.read_text()
        assert seen.read_text() == f"{url}\n"
        assert "Russia packs up at Khmeimim" in http_get(url + "khmeimim/")


def test_without_open_no_browser_is_started(tmp_path):
    project = example(tmp_path)
    seen = tmp_path / "browser-saw.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{seen}"\n')
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    with serving(project, environ={"BROWSER": str(browser)}) as (log, _):
        url = url_of(log)
        # By the time the first page is served, --open would have run the browser (it runs
        # before MkDocs' request loop starts).
        assert "Russia packs up at Khmeimim" in http_get(url + "khmeimim/")
        assert not seen.exists()


def test_no_livereload_watches_nothing_and_injects_no_reload_script(tmp_path):
    project = example(tmp_path)
    with serving(project, "--no-livereload") as (log, _):
        url = url_of(log)
        page = http_get(url + "khmeimim/sources/jpost/")
        assert "Russia" in page and "livereload" not in page
        assert "Watching paths" not in log.read_text()
    with serving(project) as (log, _):  # the default, for contrast: the same check can fail
        url = url_of(log)
        assert "livereload" in http_get(url + "khmeimim/sources/jpost/")
        assert "Watching paths" in log.read_text()


def warn(project: Path) -> None:
    """An unknown key: a warning, which only --strict makes fail. Its name is in Cyrillic."""
    yml = project / "content/khmeimim/briefing.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("tags:", "заметки: x\ntags:", 1), encoding="utf-8")


def test_strict_fails_the_first_build_on_a_warning_and_serves_nothing(tmp_path):
    project = example(tmp_path)
    warn(project)
    with serving(project, "--strict") as (log, proc):
        assert proc.wait(timeout=120) == 1
    text = log.read_text()
    assert re.search(r"^content/khmeimim/briefing\.yml:\d+:1: warning: unknown key 'заметки'", text, re.M), text
    assert "briefgen: 0 errors, 1 warning, 5 notes; failed (--strict makes warnings fail)" in text
    assert "error: the first build failed" in text and "Serving on" not in text
    assert not (project / "site").exists()


def test_without_strict_the_same_warning_is_served(tmp_path):
    project = example(tmp_path)
    warn(project)
    with serving(project) as (log, _):
        assert "Russia packs up" in http_get(url_of(log) + "khmeimim/")
        assert "briefgen: 0 errors, 1 warning, 5 notes; passed" in log.read_text()


def test_strict_reports_a_warning_on_a_rebuild_and_keeps_the_last_good_site(tmp_path):
    project = example(tmp_path)
    with serving(project, "--strict") as (log, _):
        url = url_of(log)
        assert "Russia packs up at Khmeimim" in http_get(url + "khmeimim/")
        warn(project)
        yml = project / "content/khmeimim/briefing.yml"
        yml.write_text(yml.read_text(encoding="utf-8").replace(
            "title: Russia packs up at Khmeimim", "title: Россия уходит из Хмеймима"), encoding="utf-8")
        assert wait_for(lambda: "failed (--strict makes warnings fail)" in log.read_text()), log.read_text()
        page = http_get(url + "khmeimim/")
        assert "Russia packs up at Khmeimim" in page and "Россия уходит" not in page
