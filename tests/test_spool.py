"""A one-shot build keeps its rendered pages' HTML in a spool file until the engine prints them
(briefgen/caches/spool.py): each page reads back as it was rendered, the site is the one a
build holding every page in memory makes, and no spool file is left behind."""

from __future__ import annotations

import gzip
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import REPO, build_ok, tree_hash

from briefgen.caches.spool import Spool, SpooledPage
from briefgen.engine.site import build_site
from briefgen.stages.render import Page
from briefgen.stages.searchable import SearchEntry
from briefgen.strategy import Strategy


def _page(name: str, html: str, apparatus: str = "") -> Page:
    return Page(name, "Zürich: “a title”", html, "a description", "source", {"briefing": "b", "empty": False},
                apparatus, (SearchEntry("", "Zürich", "text"),))


def test_a_spooled_page_reads_back_as_it_was_rendered(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    pages = [_page("b/sources/one", "<p>ascii only</p>", "<script>[1]</script>"),
             _page("b/sources/two", "<p>“Curly” quotes, עברית, 😀 and a lone \udc80 surrogate</p>"),
             _page("b/sources/empty", "")]
    spooled = [spool.page(spool.put(p)) for p in pages]
    assert all(isinstance(p, SpooledPage) for p in spooled)
    for before, after in zip(pages, spooled):
        assert (after.html, after.apparatus) == (before.html, before.apparatus)
        assert asdict(after) == asdict(before)  # every field, as the memo keeps a page
        assert after.html is after.html  # read again in a row: the same text, not a copy
    assert spooled[0].html == pages[0].html  # back to the first after the others
    assert list(tmp_path.iterdir()) == []  # the spool is an anonymous file: nothing to see or leave behind
    spool.close()


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _site(project: Path) -> dict[str, str]:
    out = tree_hash(project / "site")
    out["sitemap.xml.gz"] = gzip.decompress((project / "site/sitemap.xml.gz").read_bytes()).decode()
    return out


def test_a_spooled_build_makes_the_site_an_in_memory_build_makes(tmp_path: Path) -> None:
    spooled, in_memory = _project(tmp_path / "spooled"), _project(tmp_path / "in-memory")
    outcome = build_ok(spooled, strategy=Strategy(parse_cache=False))
    assert any(isinstance(p, SpooledPage) for p in outcome.pages)
    build_ok(in_memory, strategy=Strategy(parse_cache=False, spool=False))
    assert _site(spooled) == _site(in_memory)


@pytest.mark.parametrize("cache", [True, False])
def test_no_spool_is_left_behind_by_a_build_or_a_failed_build(tmp_path: Path, monkeypatch, cache: bool) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where a run without the cache spools
    project = _project(tmp_path / "project")
    build_ok(project, strategy=Strategy(parse_cache=cache))
    (project / "templates").mkdir()
    (project / "templates/facts.html").write_text("{{ b.no_such_thing() }}\n")
    failed = build_site(project, strategy=Strategy(parse_cache=cache))
    assert failed.report.errors
    assert list(temporary.iterdir()) == []
    kept = {p.name for p in (project / ".briefgen-cache").iterdir()} if cache else set()
    assert kept <= {"briefings", "pages", "site.json", "sources", "templates"}  # the cache's own, nothing spooled
