"""The plugin's declared options (#25): `plugins: [briefgen: {nav_briefings: N}]` is checked by
MkDocs like any other setting, a misspelt or mistyped option fails the build naming it, and the
older `extra.briefgen.nav_briefings` keeps working with a note saying where it moved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Three briefings, newest last; titles in three scripts, so the nav's labels are real text.
TITLES = {"alpha": ("Λιμάνι του Πειραιά", "2024-01-01"), "beta": ("Порт Новороссийск", "2024-01-02"),
          "gamma": ("Café à Zürich", "2024-01-03")}


def _project(tmp_path: Path, config_tail: str) -> Path:
    files = {"mkdocs.yml": "site_name: T\ntheme: {name: material}\n" + config_tail, "docs/.keep": ""}
    for bid, (title, day) in TITLES.items():
        files[f"content/{bid}/briefing.yml"] = (f"title: {title}\nas_of: {day}\n"
                                                f"summary: [{{text: Said., cite: [{{s: \"{title} report\"}}]}}]\n")
        files[f"content/{bid}/sources/s.md"] = f"---\ntitle: S\noutlet: O\n---\nThe {title} report.\n"
    return make_project(tmp_path, files)


def _run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=project, env=ENV, capture_output=True,
                          text=True, timeout=300)


def _nav_titles(project: Path) -> list[str]:
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('class="md-nav md-nav--primary"'):page.index('<div class="md-content"')]
    return [title for title, _ in TITLES.values() if title in nav]


@pytest.mark.parametrize("tool", [("mkdocs", "build", "--strict"), ("briefgen", "build", "--strict")])
def test_the_plugin_option_bounds_the_nav(tmp_path: Path, tool: tuple[str, ...]) -> None:
    project = _project(tmp_path, "plugins:\n  - search\n  - briefgen:\n      nav_briefings: 2\n")
    done = _run(project, *tool)
    assert done.returncode == 0, done.stderr
    assert _nav_titles(project) == ["Порт Новороссийск", "Café à Zürich"]  # the two newest
    assert "deprecated" not in done.stderr


@pytest.mark.parametrize("tool", [("mkdocs", "build"), ("briefgen", "build")])
def test_a_misspelt_option_is_a_configuration_error_naming_it(tmp_path: Path, tool: tuple[str, ...]) -> None:
    # MkDocs alone only warns about a name it does not know: the nav would quietly stay at 10.
    project = _project(tmp_path, "plugins:\n  - search\n  - briefgen:\n      nav_briefing: 2\n")
    done = _run(project, *tool)
    assert done.returncode != 0
    assert ("Plugin 'briefgen' option 'nav_briefing': briefgen has no option 'nav_briefing'; "
            "did you mean 'nav_briefings'?") in done.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize("value", ["-1", "yes", "'3'", "[2]"])
def test_a_value_that_is_no_whole_number_is_refused(tmp_path: Path, value: str) -> None:
    project = _project(tmp_path, f"plugins: [search, {{briefgen: {{nav_briefings: {value}}}}}]\n")
    done = _run(project, "mkdocs", "build")
    assert done.returncode != 0
    assert "Plugin 'briefgen' option 'nav_briefings': Expected a whole number (0 or more)" in done.stderr
    assert not (project / "site").exists()


def test_the_old_extra_setting_still_works_with_a_note(tmp_path: Path) -> None:
    project = _project(tmp_path, "plugins: [search, briefgen]\nextra: {briefgen: {nav_briefings: 1}}\n")
    done = _run(project, "briefgen", "build", "--strict")  # a note, so --strict still passes
    assert done.returncode == 0, done.stderr
    assert _nav_titles(project) == ["Café à Zürich"]
    # at the key, line 4 (after site_name, theme and plugins), column 20
    assert ("mkdocs.yml:4:20: note: extra.briefgen.nav_briefings is deprecated: set the plugin's option "
            "instead, `plugins: [briefgen: {nav_briefings: N}]`") in done.stderr + done.stdout


def test_the_plugin_option_wins_over_the_old_setting(tmp_path: Path) -> None:
    project = _project(tmp_path, "plugins: [search, {briefgen: {nav_briefings: 0}}]\n"
                                 "extra: {briefgen: {nav_briefings: 3}}\n")
    done = _run(project, "mkdocs", "build")
    assert done.returncode == 0, done.stderr
    assert _nav_titles(project) == []
    assert "the plugin's option wins" in done.stderr
