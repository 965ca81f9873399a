"""The themed pages a one-shot `briefgen build` keeps in `.briefgen-cache/pages/` (engine/pagecache.py):
after an edit of each kind, a build that reuses them writes, byte for byte, the site a
`--no-cache` build of the same files writes, and reuses pages only where the edit left them alone.

sitemap.xml.gz is compared decompressed: gzip writes a timestamp into its header, so two builds in
different seconds differ there even when the sitemap inside is the same."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, build_ok

from briefgen.strategy import Strategy


def _site_bytes(site: Path) -> dict[str, str]:
    out = {}
    for p in sorted(site.rglob("*")):
        if p.is_file():
            data = gzip.decompress(p.read_bytes()) if p.name.endswith(".gz") else p.read_bytes()
            out[p.relative_to(site).as_posix()] = hashlib.sha256(data).hexdigest()
    return out


def _project(root: Path) -> Path:
    """The example briefing, and a second one whose title is Greek and Cyrillic."""
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(root / "content/khmeimim", root / "content/tartus")
    _edit(root / "content/tartus/briefing.yml", "title: Russia packs up at Khmeimim",
          "title: Ταρτούς — Тартус, the naval base")
    (root / "templates/theme").mkdir(parents=True)
    (root / "templates/theme/main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Entwurf{% endblock %}\n', encoding="utf-8")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _source_text(p: Path) -> None:
    _edit(p / "content/khmeimim/sources/jpost.md", "\n\n", "\n\nA sentence the analyst added — café, Ελλάδα.\n\n")


def _statement(p: Path) -> None:
    _edit(p / "content/tartus/briefing.yml", "US officials say Russia", "US officials now say Russia")


def _new_briefing(p: Path) -> None:
    shutil.copytree(p / "content/khmeimim", p / "content/latakia")
    _edit(p / "content/latakia/briefing.yml", "title: Russia packs up at Khmeimim", "title: Latakia, later")


def _removed_briefing(p: Path) -> None:
    shutil.rmtree(p / "content/tartus")


def _nav_title(p: Path) -> None:  # NFD: the e and its accent are two code points
    _edit(p / "content/khmeimim/briefing.yml", "title: Russia packs up", "title: Russie\u0301 packs up")


def _theme_setting(p: Path) -> None:
    _edit(p / "mkdocs.yml", "primary: blue grey", "primary: teal")


def _override_edited(p: Path) -> None:  # the same file, the same size, the same folders
    _edit(p / "templates/theme/main.html", "Entwurf", "Brouill")


def _override_added(p: Path) -> None:
    (p / "templates/theme/partials").mkdir()
    (p / "templates/theme/partials/copyright.html").write_text("<p>© Προσοχή</p>\n", encoding="utf-8")


def _site_name(p: Path) -> None:
    _edit(p / "mkdocs.yml", "site_name: ", "site_name: Сводки ")


# (edit, whether pages it did not touch are reused: False where every page shows what changed)
EDITS = [(_source_text, True), (_statement, True), (_new_briefing, False), (_removed_briefing, False),
         (_nav_title, False), (_theme_setting, False), (_override_edited, False), (_override_added, False),
         (_site_name, False)]


def _kept_pages(project: Path) -> set[tuple[str, int, int]]:
    """Each kept page file by name (its key), inode and time: a page reused is neither renamed
    nor written again; one themed again is written under its new key, or anew under the same."""
    folder = project / ".briefgen-cache/pages"
    return {(p.name, p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.page")}


def _kept(before: set[tuple[str, int, int]], project: Path) -> tuple[int, int]:
    """(pages reused, pages) of the build since `before` was taken."""
    after = _kept_pages(project)
    return len(before & after), len(after)


_IN_TWO = """
import sys
import time
from pathlib import Path
from briefgen.engine.site import build_site
from briefgen.strategy import Strategy
outcome = build_site(Path(sys.argv[1]), strategy=Strategy(jobs=2))
assert not outcome.report.errors, outcome.report.sorted()
"""


def _build(project: Path, jobs: int) -> None:
    """One process, or two as `briefgen build` on Linux, in a process of its own: forking needs
    a process with no other thread, which a test run's may have by now."""
    if jobs == 1:
        build_ok(project)
        return
    done = subprocess.run([sys.executable, "-c", _IN_TWO, str(project)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr


def _page_files(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("index.html")}


# jobs 2: as `briefgen build` runs on Linux with two CPUs: a worker themes part of the pages, a
# writer process writes the files and links those of unchanged pages from the site it replaces.
@pytest.mark.parametrize("jobs", [1, 2] if hasattr(os, "fork") else [1])
@pytest.mark.parametrize("edit,reuses", EDITS, ids=[e[0].__name__.strip("_") for e in EDITS])
def test_a_build_from_kept_pages_writes_what_a_build_without_the_cache_writes(tmp_path, edit, reuses, jobs):
    project = _project(tmp_path / "cached")
    _build(project, jobs)
    before, files = _kept_pages(project), _page_files(project / "site")
    edit(project)
    _build(project, jobs)
    hits, pages = _kept(before, project)
    linked = set(files.items()) & set(_page_files(project / "site").items())  # the same file, not written again
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site", ".briefgen-*"))
    build_ok(fresh, strategy=Strategy(parse_cache=False))
    assert not (fresh / ".briefgen-cache").exists()
    assert _site_bytes(project / "site") == _site_bytes(fresh / "site")
    if reuses:
        assert 0 < hits < pages
    else:
        assert hits == 0
    if jobs == 2 and reuses:
        assert 0 < len(linked) < len(files), "unchanged pages are linked, changed ones written"
    elif jobs == 1:
        assert not linked, "one process writes every file"


def test_an_unchanged_project_is_built_from_kept_pages_alone(tmp_path):
    project = _project(tmp_path / "p")
    build_ok(project)
    first = _site_bytes(project / "site")
    before = _kept_pages(project)
    build_ok(project)
    hits, pages = _kept(before, project)
    assert hits == pages == len([p for p in (project / "site").rglob("index.html")])
    assert _site_bytes(project / "site") == first
    # One sealed file a page, and none left over from pages the site no longer has.
    assert len(list((project / ".briefgen-cache/pages").glob("*.page"))) == pages
    _removed_briefing(project)
    build_ok(project)
    kept = len(list((project / ".briefgen-cache/pages").glob("*.page")))
    assert kept == len([p for p in (project / "site").rglob("index.html")])


def test_a_damaged_kept_page_is_a_miss_and_is_written_again(tmp_path):
    project = _project(tmp_path / "p")
    build_ok(project)
    first = _site_bytes(project / "site")
    files = sorted((project / ".briefgen-cache/pages").glob("*.page"))
    forged = files[0].read_bytes().replace(b"<body", b"<body data-forged", 1)
    files[0].write_bytes(forged)  # the seal no longer matches
    files[1].write_bytes(files[1].read_bytes()[:100])  # cut short
    (project / ".briefgen-cache/pages/notes.txt").write_text("mine")  # not the cache's
    before = _kept_pages(project)
    build_ok(project)
    hits, pages = _kept(before, project)
    assert hits == pages - 2
    assert _site_bytes(project / "site") == first
    assert (project / ".briefgen-cache/pages/notes.txt").read_text() == "mine"
    assert b"data-forged" not in files[0].read_bytes()


def test_with_a_plugin_it_does_not_know_no_page_is_kept(tmp_path):
    project = _project(tmp_path / "p")
    _edit(project / "mkdocs.yml", "  - search\n", "  - search\n  - tags\n")
    build_ok(project)
    build_ok(project)
    assert not (project / ".briefgen-cache/pages").exists()


def test_no_cache_keeps_no_page(tmp_path):
    project = _project(tmp_path / "p")
    build_ok(project, strategy=Strategy(parse_cache=False))
    assert not (project / ".briefgen-cache").exists()


def _kept_briefings(project: Path) -> set[str]:
    return {p.name for p in (project / ".briefgen-cache/briefings").glob("*.briefing")}


def test_a_briefing_an_edit_did_not_touch_is_read_back_not_rendered_again(tmp_path):
    project = _project(tmp_path / "p")
    build_ok(project)
    before = _kept_briefings(project)
    assert len(before) == 2
    _source_text(project)  # khmeimim's source: tartus is untouched
    build_ok(project)
    after = _kept_briefings(project)
    assert len(after) == 2 and len(before & after) == 1
    _site_name(project)  # every page shows the site's name: both render again
    build_ok(project)
    assert not (after & _kept_briefings(project))


def test_a_damaged_kept_briefing_is_a_miss(tmp_path):
    project = _project(tmp_path / "p")
    build_ok(project)
    first = _site_bytes(project / "site")
    for kept in (project / ".briefgen-cache/briefings").glob("*.briefing"):
        data = kept.read_bytes()
        kept.write_bytes(data.replace(b"Khmeimim", b"Khmeimin"))  # seal broken
    shutil.rmtree(project / ".briefgen-cache/pages")  # so the page cache cannot hide a wrong page
    build_ok(project)
    assert _site_bytes(project / "site") == first
    assert all(b"Khmeimin" not in p.read_bytes() for p in (project / ".briefgen-cache/briefings").iterdir())


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_anew(tmp_path):
    project = _project(tmp_path / "p")
    build_ok(project)
    first = _site_bytes(project / "site")
    kept = sorted((project / ".briefgen-cache/templates").glob("*.code"))
    assert len(kept) > 10  # Material's base.html and partials, our main.html override, briefgen's own
    kept[0].write_bytes(kept[0].read_bytes()[:-7] + b"garbage")  # seal broken
    kept[1].write_bytes(b"")
    shutil.rmtree(project / ".briefgen-cache/pages")
    build_ok(project)
    assert _site_bytes(project / "site") == first
    assert len(kept[0].read_bytes()) > 100 and kept[1].read_bytes()  # written again


def test_a_linked_templates_cache_is_not_followed(tmp_path):
    project = _project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".briefgen-cache").mkdir()
    (project / ".briefgen-cache/templates").symlink_to(elsewhere)
    build_ok(project)
    assert list(elsewhere.iterdir()) == []


_COUNTING = _IN_TWO.replace("from briefgen.engine.site", """import briefgen.engine.pagecache as pagecache
read = []
_real = pagecache._read
def _counting(path):
    read.append(path.name)
    return _real(path)
pagecache._read = _counting
from briefgen.engine.site""") + "print(len(read))\n"


def _reads(project: Path) -> int:
    """A build as on two CPUs; how many kept pages the build's own process read."""
    done = subprocess.run([sys.executable, "-c", _COUNTING, str(project)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer process needs fork")
def test_an_unchanged_page_is_linked_from_the_old_site_without_reading_its_kept_page(tmp_path):
    project = _project(tmp_path / "p")
    site = project / "site"
    _reads(project)
    pages = _page_files(site)
    _source_text(project)
    assert _reads(project) == 0, "every kept page's file was noted: linked, not read"
    after = _page_files(site)
    edited = {uri for uri in pages if pages[uri] != after[uri]}
    assert "khmeimim/sources/jpost/index.html" in edited and "tartus/facts/index.html" not in edited
    assert len(edited) < len(pages) / 2
    # A page file put back by someone since (the same bytes, another file) is not the one noted:
    # its kept page is read, and the file compared before it is linked.
    one = site / "tartus/facts/index.html"
    data = one.read_bytes()
    one.unlink()
    one.write_bytes(data)
    assert _reads(project) == 1
    assert _page_files(site)["tartus/facts/index.html"] == one.stat().st_ino
    (project / ".briefgen-cache/site.json").write_bytes(b"{}\n{}")  # a broken note: every page read
    assert _reads(project) == len(pages)
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site", ".briefgen-*"))
    build_ok(fresh, strategy=Strategy(parse_cache=False))
    assert _site_bytes(site) == _site_bytes(fresh / "site")


def _noted_key(project: Path, dest_uri: str) -> str:
    """The key site.json notes for a page's file (a sealed file: a header line, then JSON)."""
    import json

    note = json.loads((project / ".briefgen-cache/site.json").read_bytes().split(b"\n", 1)[1])
    return str(note["files"][dest_uri][0])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer process needs fork")
def test_a_page_its_old_file_cannot_lend_is_themed_again_when_its_kept_page_is_broken(tmp_path):
    project = _project(tmp_path / "p")
    site = project / "site"
    _reads(project)
    _reads(project)
    kept = project / ".briefgen-cache/pages" / f"{_noted_key(project, 'tartus/facts/index.html')}.page"
    data = kept.read_bytes()
    kept.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # its seal fails now; a build that links never sees it
    moved = tmp_path / "moved"
    (site / "tartus/facts").rename(moved)  # the same file, now reached through a link
    (site / "tartus/facts").symlink_to(moved, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in moved.iterdir()}
    assert _reads(project) == 1, "the page is read from the cache, found broken and themed again"
    assert {p.name: p.read_bytes() for p in moved.iterdir()} == before
    assert not (site / "tartus/facts").is_symlink()
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site", ".briefgen-*"))
    build_ok(fresh, strategy=Strategy(parse_cache=False))
    assert _site_bytes(site) == _site_bytes(fresh / "site")


_PAUSED_AFTER_SWAP = _IN_TWO.replace("from briefgen.engine.site", """import time
from briefgen.engine import guard
_swap = guard.swap
def _paused(built, site):
    replaced = _swap(built, site)
    (Path(sys.argv[1]) / "swapped").touch()
    while not (Path(sys.argv[1]) / "go on").exists():
        time.sleep(0.05)
    return replaced
guard.swap = _paused
from briefgen.engine.site""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer process needs fork")
def test_a_note_written_after_another_build_swapped_its_site_in_is_never_trusted(tmp_path):
    """Build A puts its site in place; before A writes its note, build B (without the cache, of
    other text) puts B's in place. A's note must not pass for a note of B's site: the next build
    would link B's pages as if they held A's."""
    project = _project(tmp_path / "p")
    _build(project, 2)
    _build(project, 2)
    jpost = project / "content/khmeimim/sources/jpost.md"
    original = jpost.read_text(encoding="utf-8")
    a = subprocess.Popen([sys.executable, "-c", _PAUSED_AFTER_SWAP, str(project)], stderr=subprocess.PIPE,
                         text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        for _ in range(6000):
            if (project / "swapped").exists() or a.poll() is not None:
                break
            time.sleep(0.05)
        assert (project / "swapped").exists(), a.stderr.read() if a.stderr else ""
        _edit(jpost, "\n\n", "\n\nΜια πρόταση που άλλαξε — a sentence B's site alone holds.\n\n")
        build_ok(project, strategy=Strategy(parse_cache=False))
    finally:
        (project / "go on").touch()
        a.wait(timeout=300)
    assert a.returncode == 0
    (project / "swapped").unlink()
    (project / "go on").unlink()
    jpost.write_text(original, encoding="utf-8")
    _build(project, 2)
    assert "a sentence B's site alone holds" not in (project / "site/khmeimim/sources/jpost/index.html").read_text(
        encoding="utf-8")
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site", ".briefgen-*"))
    build_ok(fresh, strategy=Strategy(parse_cache=False))
    assert _site_bytes(project / "site") == _site_bytes(fresh / "site")
