"""What `serve` keeps between rebuilds (briefgen/caches/reuse.py, the engine's page outputs): after
each kind of edit, a rebuild that reuses must write exactly the site a fresh build of the same
files writes, while reusing the pages the edit did not touch. Rebuilds run as `serve` runs
them: one SiteBuilder with serve's strategy, plugins started once with command "serve"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, tree_hash

from briefgen.caches.reuse import serving
from briefgen.engine.site import SiteBuilder


class Served:
    """Rebuilds as `briefgen serve` makes them, each required to pass."""

    def __init__(self, project: Path) -> None:
        self.strategy = serving()
        self.reuse = self.strategy.reuse
        self.builder = SiteBuilder(project, self.strategy, command="serve")

    def build(self):
        outcome = self.builder.build()
        errors = [str(p) for p in outcome.report.errors]
        assert not errors, "build failed:\n" + "\n".join(errors)
        return outcome

    @property
    def page_hits(self) -> int:
        return self.reuse.engine["pages"].hits


@pytest.fixture(name="rebuilds")
def rebuilds_fixture():
    """Served(project) for a test; the plugins' on_shutdown runs at its end, as serve's does."""
    made: list[Served] = []

    def make(project: Path) -> Served:
        made.append(Served(project))
        return made[-1]

    yield make
    for served in made:
        served.builder.close()


def _copy_example(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _site(project: Path) -> dict[str, str]:
    return tree_hash(project / "site")


def _fresh_build_of(project: Path, tmp_path: Path, name: str) -> dict[str, str]:
    twin = tmp_path / name
    shutil.copytree(project, twin, ignore=shutil.ignore_patterns("site", ".briefgen-cache"))
    # Serve's first build, with nothing to reuse: serve's pages differ from `build`'s (they carry
    # select-to-cite's source text and the error overlay's script, #27).
    fresh = Served(twin)
    try:
        fresh.build()
    finally:
        fresh.builder.close()
    return _site(twin)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    # (what, file, old, new, pages the edit changes: None = all of them)
    ("a sentence added to a source", "content/khmeimim/sources/jpost.md", "\n\n",
     "\n\nA sentence the analyst added while serving.\n\n", 1),
    ("a briefing title (it is in the nav of every page)", "content/khmeimim/briefing.yml",
     "title: ", "title: Revised - ", None),
    ("the site name in mkdocs.yml", "mkdocs.yml", "site_name: ", "site_name: Renamed ", None),
]


@pytest.mark.parametrize("what,file,old,new,changed", EDITS, ids=[e[0] for e in EDITS])
def test_a_rebuild_that_reuses_writes_what_a_fresh_build_writes(rebuilds, tmp_path, what, file, old, new, changed):
    project = _copy_example(tmp_path / "served")
    served = rebuilds(project)
    served.build()
    _edit(project / file, old, new)
    outcome = served.build()
    assert _site(project) == _fresh_build_of(project, tmp_path, "fresh")
    if changed is None:
        assert served.page_hits == 0
    else:
        assert served.page_hits == len(outcome.pages) - changed


def test_an_override_template_added_while_serving_renders_every_page_again(rebuilds, tmp_path):
    project = _copy_example(tmp_path / "served")
    served = rebuilds(project)
    served.build()
    theme = project / "templates" / "theme"
    theme.mkdir(parents=True)
    (theme / "main.html").write_text('{% extends "base.html" %}\n'
                                     '{% block announce %}Edited while serving{% endblock %}\n')
    served.build()
    assert served.page_hits == 0
    assert "Edited while serving" in (project / "site/khmeimim/facts/index.html").read_text()
    assert _site(project) == _fresh_build_of(project, tmp_path, "fresh")


def test_with_a_plugin_it_does_not_know_nothing_is_kept(rebuilds, tmp_path):
    project = _copy_example(tmp_path / "served")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n  - search", "plugins:\n  - search\n  - tags"))
    served = rebuilds(project)
    served.build()
    _edit(project / "content/khmeimim/sources/jpost.md", "\n\n", "\n\nAnother added sentence.\n\n")
    served.build()
    assert served.page_hits == 0
    assert _site(project) == _fresh_build_of(project, tmp_path, "fresh")


def _two_briefings(root: Path) -> Path:
    project = _copy_example(root)
    shutil.copytree(project / "content/khmeimim", project / "content/second")
    return project


def _problems(outcome) -> list[str]:
    return [str(p) for p in outcome.report.sorted()]


def test_an_unchanged_briefing_is_neither_checked_nor_rendered_again_and_its_warnings_stay(rebuilds, tmp_path):
    project = _two_briefings(tmp_path / "served")
    served = rebuilds(project)
    first = served.build()
    assert any("one origin" in p and "content/second/" in p for p in _problems(first))
    _edit(project / "content/khmeimim/sources/jpost.md", "\n\n", "\n\nOne more sentence.\n\n")
    again = served.build()
    assert (served.reuse.reused_checks, served.reuse.reused_renders) == (1, 1)
    assert _problems(again) == _problems(first)
    assert _site(project) == _fresh_build_of(project, tmp_path, "fresh")


def test_a_template_edit_renders_every_briefing_again_without_checking_them_again(rebuilds, tmp_path):
    project = _two_briefings(tmp_path / "served")
    served = rebuilds(project)
    served.build()
    (project / "templates").mkdir()
    summary = (REPO / "templates/summary.html").read_text()
    (project / "templates/summary.html").write_text(summary.replace("</h1>", "</h1><p>Draft</p>", 1))
    served.build()
    assert (served.reuse.reused_checks, served.reuse.reused_renders) == (2, 0)
    assert "<p>Draft</p>" in (project / "site/second/index.html").read_text()
    assert _site(project) == _fresh_build_of(project, tmp_path, "fresh")
