"""The pages' files written by a forked process (engine/sitewriter.py): what it writes, what it
leaves, how its failure reaches the build, and that MkDocs' "Page skipped" line is dropped only
for the pages it wrote. Builds with it against builds without: tests/test_parallel.py."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer is forked (Linux, macOS)")


def _writer():  # type: ignore[no-untyped-def]
    from briefgen.engine.sitewriter import SiteWriter

    return SiteWriter()


def test_every_file_handed_over_is_on_disk_when_finish_returns(tmp_path: Path) -> None:
    # More than the pipe holds (1 MB): the build waits for the writer instead of losing a page.
    paths = [str(tmp_path / "site" / f"b{i % 7}" / f"p{i}" / "index.html") for i in range(60)]
    writer = _writer()
    writer.start(paths)
    for i, path in enumerate(paths):
        writer.write(f"p{i}.md", path, f"page {i} ".encode() * 5000 + "é Ω ب".encode())
    writer.finish()
    for i, path in enumerate(paths):
        assert Path(path).read_bytes() == f"page {i} ".encode() * 5000 + "é Ω ب".encode()
    assert not writer.running


def test_a_cache_file_is_written_whole_and_one_that_cannot_be_is_left_out(tmp_path: Path) -> None:
    from briefgen.caches.sealed import read_sealed, seal

    folder = tmp_path / "cache/pages"
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache/blocked").write_text("a file where a folder should be")
    writer = _writer()
    writer.start([])
    body = [b'{"meta":null}\n', "Ω page".encode()]
    writer.keep(str(folder / "k.page"), seal("page/2/k", *body), *body)
    writer.keep(str(tmp_path / "cache/blocked/k.page"), b"x")  # cannot be written: no error
    writer.finish()
    assert bytes(read_sealed(folder / "k.page", "page/2/k") or b"") == b"".join(body)
    assert [p.name for p in folder.iterdir()] == ["k.page"], "no temporary file is left"


def test_a_folder_made_ahead_for_a_page_not_written_is_removed(tmp_path: Path) -> None:
    # MkDocs writes no file for a page whose output is empty, so makes no folder for it either.
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    written, skipped = site / "a/x/index.html", site / "b/deep/index.html"
    beside_asset = site / "assets/page/index.html"
    writer = _writer()
    writer.start([str(written), str(skipped), str(beside_asset)])
    writer.write("a/x.md", str(written), b"<p>kept</p>")
    (site / "assets/page").mkdir(exist_ok=True)
    (site / "assets/page/logo.svg").write_text("<svg/>")  # put there by someone else meanwhile
    writer.finish()
    assert written.read_bytes() == b"<p>kept</p>"
    assert not (site / "b").exists()
    assert (site / "assets/page/logo.svg").is_file()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "a", "a/x", "a/x/index.html", "assets", "assets/page", "assets/page/logo.svg"]


def test_a_file_the_writer_cannot_write_fails_the_build_with_its_path_and_reason(tmp_path: Path) -> None:
    from briefgen.engine.sitewriter import WriteFailed
    from briefgen.oserrors import describe

    site = tmp_path / "site"
    site.mkdir()
    (site / "blocked").write_text("a file where a folder should be")
    target = site / "blocked" / "index.html"
    writer = _writer()
    writer.start([str(site / "fine/index.html")])
    writer.write("fine.md", str(site / "fine/index.html"), b"ok")
    with pytest.raises(WriteFailed) as caught:
        writer.write("blocked.md", str(target), b"x")
        writer.finish()  # the error may arrive with the next page, or at the end
    assert caught.value.errno == errno.EEXIST  # as os.makedirs says it when MkDocs writes the page
    assert str(site / "blocked") in describe(caught.value)
    assert not writer.running
    writer.abort()  # after a failure the build aborts too: nothing left to stop, no error


def test_abort_stops_the_writer_and_leaves_no_process(tmp_path: Path) -> None:
    writer = _writer()
    writer.start([str(tmp_path / "site/a/index.html")])
    pid = writer._pid
    writer.write("a.md", str(tmp_path / "site/a/index.html"), b"x")
    writer.abort()
    assert not writer.running
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_the_writer_ends_when_the_build_is_killed(tmp_path: Path) -> None:
    # The build process dies with SIGKILL mid-build: its writer reads the end of the pipe and
    # exits, rather than waiting for ever.
    script = f"""
import os, sys
from briefgen.engine.sitewriter import SiteWriter
w = SiteWriter()
w.start([{str(tmp_path / "site/a/index.html")!r}])
print(w._pid, flush=True)
os.kill(os.getpid(), 9)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(proc.stdout.strip())
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail(f"the writer {pid} outlived the build")


def test_only_the_pages_it_wrote_lose_their_page_skipped_line(tmp_path: Path) -> None:
    class Kept(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.lines: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.lines.append(record.getMessage())

    logger, kept = logging.getLogger("mkdocs.commands.build"), Kept()
    level = logger.level
    logger.addHandler(kept)  # on the logger itself: other tests leave its parents not propagating
    logger.setLevel(logging.INFO)
    writer = _writer()
    writer.start([str(tmp_path / "site/a/index.html")])
    try:
        writer.write("a.md", str(tmp_path / "site/a/index.html"), b"x")
        logger.info("Page skipped: 'a.md'. Generated empty output.")
        logger.info("Page skipped: 'empty.md'. Generated empty output.")  # MkDocs' own skip
        logger.info("Building page a.md")
    finally:
        writer.finish()
        logger.removeHandler(kept)
        logger.setLevel(level)
    assert kept.lines == ["Page skipped: 'empty.md'. Generated empty output.", "Building page a.md"]
    assert not logger.filters, "the filter goes with the writer"


_BUILD_WRITTEN_ELSEWHERE = """
import os, sys
from pathlib import Path
import briefgen.engine.sitewriter as sw
real = sw._write_all
def write_all(notes, status, paths, beside):  # forked: records that it wrote this build's pages
    Path(sys.argv[2]).write_text(str(len(paths)))
    real(notes, status, paths, beside)
sw._write_all = write_all
from briefgen.cli import main
main(["-C", sys.argv[1], "build", "--no-cache"], prog_name="briefgen")
"""


def test_a_build_has_its_pages_written_elsewhere_says_nothing_of_it_and_builds_the_same_site(
        tmp_path: Path) -> None:
    import shutil

    from conftest import REPO, tree_hash

    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    alone = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(one), "build", "--no-cache"],
                           capture_output=True, text=True, timeout=300, env={**env, "BRIEFGEN_JOBS": "1"})
    assert alone.returncode == 0, alone.stderr
    marker = tmp_path / "written.txt"
    forked = subprocess.run([sys.executable, "-c", _BUILD_WRITTEN_ELSEWHERE, str(two), str(marker)],
                            capture_output=True, text=True, timeout=300, env={**env, "BRIEFGEN_JOBS": "2"})
    assert forked.returncode == 0, forked.stderr
    pages = len(list((two / "site").rglob("index.html"))) - (two / "site/index.html").is_file()
    assert marker.is_file() and int(marker.read_text()) >= pages, "the writer did not run"
    assert "Page skipped" not in forked.stderr
    assert "Built " in forked.stderr  # the build's own lines are still there
    strip = lambda t: {k: v for k, v in t.items() if not k.startswith("sitemap")}  # noqa: E731
    assert strip(tree_hash(one / "site")) == strip(tree_hash(two / "site"))


def _replaced_site(tmp_path: Path) -> tuple[Path, Path]:
    """A site as an earlier build left it, and the folder the next build writes into."""
    old, new = tmp_path / "site", tmp_path / "staging/site"
    for name, text in (("a/index.html", "<p>a</p>"), ("b/index.html", "<p>b</p>"), ("c/index.html", "<p>c</p>")):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(text)
    new.mkdir(parents=True)
    return old, new


def test_an_unchanged_page_is_linked_from_the_site_it_replaces_and_a_changed_one_written(tmp_path: Path) -> None:
    old, new = _replaced_site(tmp_path)
    before = {name: (old / name / "index.html").stat().st_ino for name in "abc"}
    writer = _writer()
    writer.start([str(new / n / "index.html") for n in "abcd"], (str(new), str(old)))
    writer.write("a.md", str(new / "a/index.html"), b"<p>a</p>")  # unchanged: linked
    writer.write("b.md", str(new / "b/index.html"), b"<p>B, edited</p>")  # changed: written
    writer.write("c.md", str(new / "c/index.html"), b"<p>c</p>!")  # one byte longer: written
    writer.write("d.md", str(new / "d/index.html"), b"<p>d</p>")  # new: written
    writer.finish()
    assert [(new / n / "index.html").read_bytes() for n in "abcd"] == [
        b"<p>a</p>", b"<p>B, edited</p>", b"<p>c</p>!", b"<p>d</p>"]
    assert (new / "a/index.html").stat().st_ino == before["a"]
    assert (new / "b/index.html").stat().st_ino != before["b"] and (old / "b/index.html").read_text() == "<p>b</p>"
    assert (new / "c/index.html").stat().st_ino != before["c"]


def test_a_file_shared_with_anything_else_or_reached_through_a_link_is_never_linked(tmp_path: Path) -> None:
    old, new = _replaced_site(tmp_path)
    os.link(old / "a/index.html", tmp_path / "elsewhere.html")  # someone's hard link to the old page
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("<p>b</p>")  # the same bytes, outside the site
    shutil.rmtree(old / "b")
    (old / "b").symlink_to(outside, target_is_directory=True)
    (old / "c/index.html").unlink()
    (old / "c/index.html").symlink_to(outside / "index.html")
    writer = _writer()
    writer.start([str(new / n / "index.html") for n in "abc"], (str(new), str(old)))
    for n in "abc":
        writer.write(f"{n}.md", str(new / n / "index.html"), f"<p>{'b' if n != 'a' else 'a'}</p>".encode())
    writer.finish()
    shared = {(tmp_path / "elsewhere.html").stat().st_ino, (outside / "index.html").stat().st_ino}
    for n in "abc":
        made = new / n / "index.html"
        assert not made.is_symlink() and made.stat().st_nlink == 1 and made.stat().st_ino not in shared, n
    assert (new / "a/index.html").read_text() == "<p>a</p>" and (new / "c/index.html").read_text() == "<p>b</p>"


def test_a_rebuild_keeps_the_files_of_unchanged_pages_and_builds_the_same_site(tmp_path: Path) -> None:
    from conftest import REPO, tree_hash

    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")

    def build(root: Path, jobs: str, *more: str) -> None:
        done = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(root), "-q", "build", *more],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "BRIEFGEN_JOBS": jobs, "NO_MKDOCS_2_WARNING": "1"})
        assert done.returncode == 0, done.stderr

    build(two, "2")
    site = two / "site/khmeimim"
    inode = {p: (site / p).stat().st_ino for p in ("facts/index.html", "sources/jpost/index.html",
                                                   "sources/japantimes/index.html")}
    source = next((two / "content/khmeimim/sources").glob("japantimes.*"))
    source.write_text(source.read_text() + "\nA closing line the analyst added.\n")
    build(two, "2")
    assert (site / "facts/index.html").stat().st_ino == inode["facts/index.html"]
    assert (site / "sources/jpost/index.html").stat().st_ino == inode["sources/jpost/index.html"]
    assert (site / "sources/japantimes/index.html").stat().st_ino != inode["sources/japantimes/index.html"]
    assert "A closing line the analyst added." in (site / "sources/japantimes/index.html").read_text()
    assert all(p.stat().st_nlink == 1 for p in (two / "site").rglob("*") if p.is_file()), "the old site is gone"
    shutil.copy(source, next((one / "content/khmeimim/sources").glob("japantimes.*")))
    build(one, "1", "--no-cache")
    strip = lambda t: {k: v for k, v in t.items() if not k.startswith("sitemap")}  # noqa: E731
    assert strip(tree_hash(one / "site")) == strip(tree_hash(two / "site"))


def _kept_page(folder: Path, key: str, output: str) -> Path:
    """A page cache's file of `key` (engine/pagecache.py), as a build keeps it."""
    from briefgen.caches.sealed import pack, write_sealed

    path = folder / f"{key}.page"
    assert write_sealed(path, f"page/2/{key}", *pack([], [output]))
    return path


def test_a_page_noted_as_held_is_linked_unread_and_one_changed_since_is_written_from_its_kept_page(
        tmp_path: Path) -> None:
    from briefgen.engine.pagecache import kept_output
    from briefgen.engine.sitelinks import Held

    old, new = _replaced_site(tmp_path)
    kept = tmp_path / "pages"
    pages = {n: _kept_page(kept, f"{n}" * 32, f"<p>{n} — κέντρο</p>") for n in "abc"}
    assert kept_output(pages["a"]) == "<p>a — κέντρο</p>", "the page cache reads the file written here"

    def held(n: str) -> Held:
        found = (old / n / "index.html").stat()
        return Held(n * 32, found.st_ino, found.st_dev, found.st_mtime_ns, [])

    noted = {n: held(n) for n in "abc"}
    (old / "b/index.html").unlink()  # replaced since the note: another file, whatever it holds
    (old / "b/index.html").write_text("<p>b</p>")
    os.link(old / "c/index.html", tmp_path / "elsewhere.html")  # a second name: never linked
    writer = _writer()
    writer.start([str(new / n / "index.html") for n in "abc"], (str(new), str(old)))
    for n in "abc":
        writer.link(f"{n}.md", str(new / n / "index.html"), noted[n], pages[n])
    writer.finish()
    assert (new / "a/index.html").stat().st_ino == noted["a"].ino
    assert (new / "a/index.html").read_text() == "<p>a</p>", "linked: the old file, not read"
    for n in "bc":  # written from the kept page, as a new file
        made = new / n / "index.html"
        assert made.read_text(encoding="utf-8") == f"<p>{n} — κέντρο</p>" and made.stat().st_nlink == 1, n


def test_a_page_that_can_be_neither_linked_nor_read_fails_the_build_with_its_path(tmp_path: Path) -> None:
    from briefgen.engine.sitelinks import Held
    from briefgen.engine.sitewriter import WriteFailed

    old, new = _replaced_site(tmp_path)
    page = _kept_page(tmp_path / "pages", "a" * 32, "<p>a</p>")
    page.write_bytes(page.read_bytes()[:-2])  # cut short: its seal fails
    writer = _writer()
    writer.start([str(new / "a/index.html")], (str(new), str(old)))
    writer.link("a.md", str(new / "a/index.html"), Held("a" * 32, 1, 1, 1, []), page)  # not the old file
    with pytest.raises(WriteFailed) as failed:
        writer.finish()
    assert str(failed.value) == (f"{new / 'a/index.html'}: its kept page ({page}) changed during the build; "
                                 "build again")
    assert not (new / "a/index.html").exists()


def test_a_page_held_on_another_disk_is_copied_if_it_is_still_the_file_noted(tmp_path: Path) -> None:
    """Where the old site cannot lend its file (another filesystem), the file noted is copied,
    not taken from the kept page: a kept page is never read on this path, so it may be broken."""
    from briefgen.engine.sitelinks import Held

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem at /dev/shm to hold the old site")
    old = Path(tempfile.mkdtemp(dir=shm)) / "site"
    try:
        (old / "a").mkdir(parents=True)
        (old / "a/index.html").write_text("<p>a, Ωμέγα</p>", encoding="utf-8")
        new = tmp_path / "staging/site"
        new.mkdir(parents=True)
        found = (old / "a/index.html").stat()
        broken = tmp_path / "pages" / ("a" * 32 + ".page")
        broken.parent.mkdir()
        broken.write_bytes(b"not a kept page")
        writer = _writer()
        writer.start([str(new / "a/index.html")], (str(new), str(old)))
        writer.link("a.md", str(new / "a/index.html"), Held("a" * 32, found.st_ino, found.st_dev,
                                                            found.st_mtime_ns, []), broken)
        writer.finish()
        assert (new / "a/index.html").read_text(encoding="utf-8") == "<p>a, Ωμέγα</p>"
        assert (new / "a/index.html").stat().st_ino != found.st_ino
    finally:
        shutil.rmtree(old.parent)
