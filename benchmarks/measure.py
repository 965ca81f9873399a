"""The measurements: builds of briefgen and its twin, checks, serve reloads, sizes of the output.

Each function returns numbers; report.py turns them into lines.
"""

from __future__ import annotations

import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from drive import ENV, Driver, Projects, Run, Series, bg_build, bg_check, say, twin_build
from generate import generate


def html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


def source_pages(site: Path) -> list[Path]:
    return [p for p in site.glob("*/sources/*/index.html")]


def median_kb(paths: list[Path]) -> float:
    return statistics.median(p.stat().st_size for p in paths) / 1024 if paths else float("nan")


@dataclass(frozen=True)
class Sizes:
    """What the 1x builds wrote: page counts and sizes of briefgen's site and the twin's."""

    pages_bg: int
    pages_twin: int
    src_kb: float
    src_kb_twin: float
    page_kb: float
    page_kb_twin: float
    index_kb: float
    index_kb_twin: float


def site_sizes(bg: Path, twin: Path) -> Sizes:
    b, t = bg / "site", twin / "site"
    return Sizes(len(html_pages(b)), len(html_pages(t)), median_kb(source_pages(b)),
                 median_kb(source_pages(t)), median_kb(html_pages(b)), median_kb(html_pages(t)),
                 (b / "search" / "search_index.json").stat().st_size / 1024,
                 (t / "search" / "search_index.json").stat().st_size / 1024)


def drop_kept_pages(project: Path) -> None:
    """Forget the briefings and themed pages a build keeps (.briefgen-cache/briefings/ and
    pages/), so the next build renders and themes every page: a full build, as before they were
    kept (the parse cache stays, as it did)."""
    for kept in ("briefings", "pages"):
        shutil.rmtree(project / ".briefgen-cache" / kept, ignore_errors=True)


def full_build(drv: Driver, project: Path) -> Run:
    drop_kept_pages(project)
    return drv.run(bg_build(project))


def measure_incremental(drv: Driver, bg: Path, repeat: int) -> tuple[Series, Series, Series]:
    """Full builds against builds after one source of one briefing was edited (a sentence
    appended; the page cache warm from the build before) and builds with nothing changed,
    interleaved. The edited sources are restored at the end."""
    full, edited, same = Series(), Series(), Series()
    sources = sorted(bg.glob("content/*/sources/*.md"))
    originals = {p: p.read_bytes() for p in sources}
    try:
        for i in range(repeat):
            full.runs.append(full_build(drv, bg))
            path = sources[(i * 11 + 3) % len(sources)]
            path.write_bytes(path.read_bytes() + f"\nA sentence the analyst appended, edit {i + 1}.\n".encode())
            edited.runs.append(drv.run(bg_build(bg)))
            same.runs.append(drv.run(bg_build(bg)))
            say(f"  run {i + 1}/{repeat}: full {full.runs[-1].wall:.2f} s, after one edit "
                f"{edited.runs[-1].wall:.2f} s, nothing changed {same.runs[-1].wall:.2f} s")
    finally:
        for p, data in originals.items():
            p.write_bytes(data)
    return full, edited, same


def _twin_runs(drv: Driver, projects: Projects, twin: Series, plain: Series) -> str:
    """One build of the twin and one of the plain-paragraphs twin (if there is one), after
    briefgen's; what they took, for the progress line."""
    twin.runs.append(drv.run(twin_build(projects.twin)))
    if projects.plain is None:
        return f"twin {twin.runs[-1].wall:.2f} s"
    plain.runs.append(drv.run(twin_build(projects.plain)))
    return f"twin {twin.runs[-1].wall:.2f} s, plain twin {plain.runs[-1].wall:.2f} s"


def measure_pair(drv: Driver, projects: Projects, repeat: int,
                 with_check: bool) -> tuple[Series, Series, Series, Series, Series]:
    """Builds of briefgen, its twin and its plain-paragraphs twin, interleaved; with_check, also
    two checks per run: cold (--no-cache: every source parsed) and, as while writing, after one
    source was edited (the others from the cache the build left). The edit is undone after, so
    every build sees the same content. Returns briefgen, twin, plain twin, cold and edit checks."""
    b, t, plain, cold, edit = Series(), Series(), Series(), Series(), Series()
    bg = projects.bg
    sources = sorted(bg.glob("content/*/sources/*.md"))
    for i in range(repeat):
        b.runs.append(full_build(drv, bg))
        twins = _twin_runs(drv, projects, t, plain)
        if with_check:
            cold.runs.append(drv.run(bg_check(bg, "--no-cache")))
            path = sources[i * 7 % len(sources)]
            original = path.read_bytes()
            path.write_bytes(original + f"\nA line the analyst just added, edit {i + 1}.\n".encode())
            try:
                edit.runs.append(drv.run(bg_check(bg)))
            finally:
                path.write_bytes(original)
        say(f"  run {i + 1}/{repeat}: briefgen {b.runs[-1].wall:.2f} s, {twins}"
            + (f", check cold {cold.runs[-1].wall:.2f} s, after an edit {edit.runs[-1].wall:.2f} s"
               if with_check else ""))
    return b, t, plain, cold, edit


def measure_scale(drv: Driver, projects: Projects, repeat: int) -> tuple[Series, Series, Series, Series]:
    """`repeat` interleaved builds of briefgen, the twin, the plain-paragraphs twin and (if there
    is one) the full-nav twin."""
    bk, tk, pk, fk = Series(), Series(), Series(), Series()
    for i in range(repeat):
        bk.runs.append(full_build(drv, projects.bg))
        twins = _twin_runs(drv, projects, tk, pk)
        if projects.full is not None:
            fk.runs.append(drv.run(twin_build(projects.full)))
        say(f"  run {i + 1}: briefgen {bk.runs[-1].wall:.2f} s, {twins}"
            + (f", full nav {fk.runs[-1].wall:.2f} s" if fk.runs else ""))
    return bk, tk, pk, fk


def measure_memory(drv: Driver, work: Path, briefings: int, sources: int,
                   seed: int) -> tuple[Run, Run, float]:
    """One build of each at a larger size: (briefgen run, twin run, median source page KB)."""
    made = drv.make_pair(work, "mem", briefings, sources, seed, with_plain=False)
    bgm, twm = made.bg, made.twin
    rb, rt = full_build(drv, bgm), drv.run(twin_build(twm))
    kb = median_kb(source_pages(bgm / "site"))
    shutil.rmtree(bgm, ignore_errors=True)
    shutil.rmtree(twm, ignore_errors=True)
    return rb, rt, kb


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _time_edit(url: str, path: Path, n: int, server: subprocess.Popen, timeout: float) -> float:
    """Append a sentence to the source at path; seconds until the page at url shows it."""
    sentence = f"A correspondent added late note {n} at {int(time.time())} to this report."
    edited = time.perf_counter()
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n{sentence}\n")
    while True:
        page = _fetch(url)
        if page is not None and sentence in page:
            return time.perf_counter() - edited
        if time.perf_counter() - edited > timeout or server.poll() is not None:
            return float("nan")
        time.sleep(0.05)


def measure_serve(drv: Driver, work: Path, seed: int, edits: int = 3,
                  timeout: float = 60.0) -> tuple[list[float], float]:
    """Seconds from a one-line edit of a source until the served page shows it, for each of
    `edits` edits to one running server (a different source each time); and the seconds until
    the server first answered (start-up plus first build)."""
    project = work / "serve-briefgen"
    specs = generate(project, 10, 10, seed)  # 100 sources
    drv.run(bg_check(project))  # warm the file cache and .pyc files
    port = _free_port()
    log = open(work / "serve.log", "wb")
    cmd = [sys.executable, "-m", "briefgen", "-C", str(project), "-q", "serve", "-a", f"127.0.0.1:{port}"]
    started = time.perf_counter()
    server = subprocess.Popen(cmd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.perf_counter() + 180
        while _fetch(f"http://127.0.0.1:{port}/") is None:
            if server.poll() is not None or time.perf_counter() > deadline:
                raise SystemExit(f"benchmark: briefgen serve did not come up; see {work / 'serve.log'}")
            time.sleep(0.1)
        first = time.perf_counter() - started
        times: list[float] = []
        for i in range(edits):
            b = specs[i % len(specs)]
            s = b.sources[i % len(b.sources)]
            time.sleep(1.0)  # let the watcher settle after the last build
            times.append(_time_edit(f"http://127.0.0.1:{port}/{b.id}/sources/{s.id}/",
                                    project / "content" / b.id / "sources" / f"{s.id}.md", i + 1,
                                    server, timeout))
        return times, first
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
