"""Benchmark: briefgen against its plain-MkDocs twin, built in the same run.

    python benchmarks/run.py                         # 40 briefings x 10 sources, median of 3
    python benchmarks/run.py --serve --profile       # also serve reload time and a cProfile
    python benchmarks/run.py --quick                 # a tiny size (the smoke test uses it)

Every build runs as a child process (`python -m briefgen -C P -q build` and
`python -m mkdocs build -q -f P/mkdocs.yml`, both with NO_MKDOCS_2_WARNING=1), briefgen and
twin interleaved, and the median of --repeat runs is reported. Wall time on a shared machine is
noisy; CPU time (user + sys of the child) is printed beside it. Peak memory is the child's
ru_maxrss, read with os.wait4 for that child alone. The twin's nav lists as many briefings as
briefgen's does (briefgen.engine.mkdocs_engine.NAV_BRIEFINGS; --twin-nav), so both build the
same nav. A per-stage table (timers around briefgen, MkDocs and Material functions, in a fresh
child) says where the time goes. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import os
import platform
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, generate_twin  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# (name, target, worst) - a measured value <= target passes, <= worst is marginal, else fails.
TARGETS = {
    "ratio": (1.0, 1.2),
    "check": (0.5, 1.5),
    "scale4": (4.2, None),
    "page_kb": (40.0, None),
    "memory_mb": (500.0, None),
    "serve": (2.0, None),
}


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str = "wall") -> float:
        return statistics.median(getattr(r, attr) for r in self.runs) if self.runs else float("nan")

    def peak(self) -> float:
        return max((r.rss_mb for r in self.runs), default=float("nan"))

    def spread(self) -> str:
        walls = [r.wall for r in self.runs]
        return f"{min(walls):.2f}-{max(walls):.2f}" if walls else "-"


TIMEOUT = 900.0  # seconds a single build may take (set by --timeout)


def run_child(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run cmd to completion; wall time, CPU time and peak RSS of that child alone.

    A build that takes longer than TIMEOUT is killed and reported as NaN (the table says so).
    """
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(TIMEOUT, p.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode == -9 and wall >= TIMEOUT:
            say(f"  timed out after {TIMEOUT:.0f} s: {' '.join(cmd)}")
            return Run(float("nan"), float("nan"), usage.ru_maxrss / 1024)
        if p.returncode != 0:
            out.seek(0)
            sys.stderr.write(out.read().decode("utf-8", "replace")[-4000:])
            raise SystemExit(f"benchmark: {' '.join(cmd)} exited with {p.returncode}")
    rss_kb = usage.ru_maxrss  # kilobytes on Linux
    return Run(wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024)


def bg_build(project: Path) -> list[str]:
    return [sys.executable, "-m", "briefgen", "-C", str(project), "-q", "build"]


def bg_check(project: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "briefgen", "-C", str(project), "-q", "check", *options]


def twin_build(project: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]


def html_pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


def source_pages(site: Path) -> list[Path]:
    return [p for p in site.glob("*/sources/*/index.html")]


def median_kb(paths: list[Path]) -> float:
    return statistics.median(p.stat().st_size for p in paths) / 1024 if paths else float("nan")


def mark(key: str, value: float) -> str:
    target, worst = TARGETS[key]
    if math.isnan(value):
        return "n/a"
    if value <= target:
        return "PASS"
    if worst is not None and value <= worst:
        return "MARGINAL"
    return "FAIL"


def limits(key: str, unit: str = "") -> str:
    target, worst = TARGETS[key]
    return f"<= {target:.1f}{unit}" + (f" ({worst:.1f}{unit} at worst)" if worst else "")


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("briefgen", "mkdocs", "mkdocs-material", "markdown-it-py", "Markdown", "Jinja2"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(out)


def revision() -> str:
    """The briefgen commit measured (read-only git), and whether its code has local changes."""
    import briefgen

    root = Path(briefgen.__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "briefgen", "templates"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (head or "unknown") + (" with uncommitted changes" if dirty else "")


def load() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- measurements ------------------------------------------------------------------------------

def measure_pair(bg: Path, twin: Path, repeat: int, with_check: bool) -> tuple[Series, Series, Series, Series]:
    """Builds of both, interleaved; with_check, also two checks per run: cold (--no-cache: every
    source parsed) and, as while writing, after one source was edited (the others from the cache
    the build left). The edit is undone after, so every build sees the same content."""
    b, t, cold, edit = Series(), Series(), Series(), Series()
    sources = sorted(bg.glob("content/*/sources/*.md"))
    for i in range(repeat):
        b.runs.append(run_child(bg_build(bg)))
        t.runs.append(run_child(twin_build(twin)))
        if with_check:
            cold.runs.append(run_child(bg_check(bg, "--no-cache")))
            path = sources[i * 7 % len(sources)]
            original = path.read_bytes()
            path.write_bytes(original + f"\nA line the analyst just added, edit {i + 1}.\n".encode())
            try:
                edit.runs.append(run_child(bg_check(bg)))
            finally:
                path.write_bytes(original)
        say(f"  run {i + 1}/{repeat}: briefgen {b.runs[-1].wall:.2f} s, twin {t.runs[-1].wall:.2f} s"
            + (f", check cold {cold.runs[-1].wall:.2f} s, after an edit {edit.runs[-1].wall:.2f} s"
               if with_check else ""))
    return b, t, cold, edit


def briefgen_nav_bound() -> int | None:
    """How many briefings briefgen lists in its nav by default (None: all of them)."""
    try:
        from briefgen.engine.mkdocs_engine import NAV_BRIEFINGS
    except ImportError:
        return None
    return NAV_BRIEFINGS


TWIN_NAV: int | None = None  # the twin's nav bound (set in main from --twin-nav)


def make_pair(work: Path, name: str, briefings: int, sources: int, seed: int,
              full_nav: bool = False) -> tuple[Path, Path, Path | None]:
    """The briefgen project, its twin, and (with full_nav) a twin listing every briefing in its nav."""
    started = time.perf_counter()
    bg, twin = work / f"{name}-briefgen", work / f"{name}-twin"
    generate(bg, briefings, sources, seed)
    generate_twin(twin, briefings, sources, seed, nav_briefings=TWIN_NAV)
    full = None
    if full_nav:
        full = work / f"{name}-twin-fullnav"
        generate_twin(full, briefings, sources, seed, nav_briefings=None)
    say(f"generated {name}: {briefings} x {sources} = {briefings * sources} sources "
        f"(briefgen project and twin) in {time.perf_counter() - started:.1f} s")
    return bg, twin, full


def measure_serve(work: Path, seed: int, edits: int = 3, timeout: float = 60.0) -> tuple[list[float], float]:
    """Seconds from a one-line edit of a source until the served page shows it, for each of
    `edits` edits to one running server (a different source each time); and the seconds until
    the server first answered (start-up plus first build)."""
    project = work / "serve-briefgen"
    specs = generate(project, 10, 10, seed)  # 100 sources
    run_child(bg_check(project))  # warm the file cache and .pyc files
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(work / "serve.log", "wb")
    cmd = [sys.executable, "-m", "briefgen", "-C", str(project), "-q", "serve", "-a", f"127.0.0.1:{port}"]
    started = time.perf_counter()
    server = subprocess.Popen(cmd, env=ENV, stdout=log, stderr=subprocess.STDOUT)

    def fetch(url: str) -> str | None:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None

    try:
        home = f"http://127.0.0.1:{port}/"
        deadline = time.perf_counter() + 180
        while fetch(home) is None:
            if server.poll() is not None or time.perf_counter() > deadline:
                raise SystemExit(f"benchmark: briefgen serve did not come up; see {work / 'serve.log'}")
            time.sleep(0.1)
        first = time.perf_counter() - started
        times: list[float] = []
        for i in range(edits):
            b = specs[i % len(specs)]
            s = b.sources[i % len(b.sources)]
            url = f"http://127.0.0.1:{port}/{b.id}/sources/{s.id}/"
            time.sleep(1.0)  # let the watcher settle after the last build
            sentence = f"A correspondent added late note {i + 1} at {int(time.time())} to this report."
            path = project / "content" / b.id / "sources" / f"{s.id}.md"
            edited = time.perf_counter()
            with path.open("a", encoding="utf-8") as f:
                f.write(f"\n{sentence}\n")
            while True:
                page = fetch(url)
                if page is not None and sentence in page:
                    times.append(time.perf_counter() - edited)
                    break
                if time.perf_counter() - edited > timeout or server.poll() is not None:
                    times.append(float("nan"))
                    break
                time.sleep(0.05)
        return times, first
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# -- where the time goes -----------------------------------------------------------------------
# Timers wrapped around functions, in a child process like a real build (no profiler overhead).
# (label, module, attribute path); a row indented under another is a part of it. Patched where
# the caller looks the name up at call time.
STAGES = [
    ("briefgen: load + check", "briefgen.pipeline", "check"),
    ("  load content/ (YAML, files)", "briefgen.pipeline", "load_project"),
    ("  blocks of sources (.briefgen-cache or parse)", "briefgen.check", "parse_source"),
    ("    normalise blocks (SourceIndex)", "briefgen.textmatch", "SourceIndex.__init__"),
    ("  match quotes", "briefgen.check", "_check_citation"),
    ("briefgen: resolve + render", "briefgen.pipeline", "render"),
    ("  resolve (parse sources, mark passages)", "briefgen.resolve", "resolve"),
    ("  render briefing + source pages", "briefgen.render", "Renderer.briefing_pages"),
    ("    of which source pages", "briefgen.render", "Renderer.source_page"),
    ("  briefing.json", "briefgen.export", "briefing_json"),
    ("engine: MkDocs build (check + render inside)", "briefgen.engine.site", "SiteBuilder.build"),
    ("  load_config (plugins, theme)", "mkdocs.config", "load_config"),
    ("  mkdocs build", "mkdocs.commands.build", "build"),
    ("    clean site_dir", "mkdocs.utils", "clean_directory"),
    ("    get_files (+ theme files)", "mkdocs.commands.build", "get_files"),
    ("    on_files (briefgen pages in)", "briefgen.engine.plugin", "BriefgenPlugin.on_files"),
    ("    nav", "mkdocs.commands.build", "get_navigation"),
    ("    populate pages (read + Markdown)", "mkdocs.commands.build", "_populate_page"),
    ("      Page.render (Python-Markdown)", "mkdocs.structure.pages", "Page.render"),
    ("    copy static files (theme assets)", "mkdocs.structure.files", "Files.copy_static_files"),
    ("    404 + sitemap (incl. first compile)", "mkdocs.commands.build", "_build_theme_template"),
    ("    build pages (theme + search + write)", "mkdocs.commands.build", "_build_page"),
    ("      nav/context (get_context)", "mkdocs.commands.build", "get_context"),
    ("      search indexing (HTML parse)", "material.plugins.search.plugin", "SearchIndex.add_entry_from_context"),
    ("      write files", "mkdocs.utils", "write_file"),
    ("    anchor validation", "mkdocs.structure.pages", "Page.validate_anchor_links"),
    ("    search index JSON", "material.plugins.search.plugin", "SearchIndex.generate_search_index"),
    ("  swap into site/", "briefgen.engine.guard", "swap"),
    ("markdown-it parse of sources (any stage)", "briefgen.sourcetext", "token_stream"),
    ("Jinja2 compile (all templates, any stage)", "jinja2.environment", "Environment.compile"),
    ("Jinja2 Template.render (ours + theme)", "jinja2.environment", "Template.render"),
]


def _install_timers(acc: dict[str, float], kind: str) -> None:
    import functools
    import importlib

    for label, module, path in STAGES:
        if kind != "briefgen" and module.startswith("briefgen"):
            continue
        try:
            owner = importlib.import_module(module)
            *parents, name = path.split(".")
            for p in parents:
                owner = getattr(owner, p)
            orig = getattr(owner, name)
        except (ImportError, AttributeError):
            continue  # renamed since: the row is left out
        acc.setdefault(label, 0.0)
        acc.setdefault("cpu:" + label, 0.0)

        def wrap(orig=orig, label=label):
            depth = [0]

            @functools.wraps(orig)
            def timed(*a, **k):
                depth[0] += 1
                started, cpu = time.perf_counter(), time.process_time()
                try:
                    return orig(*a, **k)
                finally:
                    depth[0] -= 1
                    if depth[0] == 0:
                        acc[label] += time.perf_counter() - started
                        acc["cpu:" + label] += time.process_time() - cpu
            return timed

        setattr(owner, name, wrap())


def stages_child(kind: str, project: Path) -> None:
    """Build once with timers installed and print {label: seconds} as JSON (a child process).

    Every row is measured as wall time and as CPU time of this process ("cpu:" + label); CPU
    time is what to compare on a machine that other processes share.
    """
    import gc
    import logging

    started, cpu = time.perf_counter(), time.process_time()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["BRIEFGEN_JOBS"] = "1"  # timers see only this process: render every briefing here
    acc: dict[str, float] = {}
    _install_timers(acc, kind)  # imports (briefgen,) mkdocs, Material and Jinja2 first
    acc["imports (briefgen, mkdocs, Material)"] = time.perf_counter() - started
    acc["cpu:imports (briefgen, mkdocs, Material)"] = time.process_time() - cpu
    gc_started = [0.0, 0.0]
    acc["garbage collector (all stages)"] = acc["cpu:garbage collector (all stages)"] = 0.0

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_started[:] = [time.perf_counter(), time.process_time()]
        else:
            acc["garbage collector (all stages)"] += time.perf_counter() - gc_started[0]
            acc["cpu:garbage collector (all stages)"] += time.process_time() - gc_started[1]

    gc.callbacks.append(on_gc)
    for name in ("mkdocs", "briefgen"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if kind == "briefgen":
        from briefgen.engine.site import build_site

        build_site(project)
    else:
        from mkdocs.commands import build as mb
        from mkdocs.config import load_config

        mb.build(load_config(str(project / "mkdocs.yml")))
    acc["total in process"] = time.perf_counter() - started
    acc["cpu:total in process"] = time.process_time() - cpu
    print(json.dumps(acc))


def measure_stages(bg: Path, twin: Path, repeat: int) -> tuple[dict, dict, float, float]:
    """Median seconds per stage for briefgen and the twin, and the median child wall times."""
    runs: dict[str, list[dict]] = {"briefgen": [], "twin": []}
    walls: dict[str, list[float]] = {"briefgen": [], "twin": []}
    for _ in range(repeat):
        for kind, project in (("briefgen", bg), ("twin", twin)):
            cmd = [sys.executable, str(Path(__file__).resolve()), "--stages-child", kind, str(project)]
            started = time.perf_counter()
            out = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
            walls[kind].append(time.perf_counter() - started)
            if out.returncode != 0:
                raise SystemExit(f"benchmark: stage timing of {kind} failed:\n{out.stderr[-4000:]}")
            runs[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))

    def med(rs: list[dict]) -> dict:
        keys = {k for r in rs for k in r}
        return {k: statistics.median(r.get(k, 0.0) for r in rs) for k in keys}

    return (med(runs["briefgen"]), med(runs["twin"]),
            statistics.median(walls["briefgen"]), statistics.median(walls["twin"]))


def stages_table(bgs: dict, tws: dict, bg_wall: float, tw_wall: float, n: int) -> str:
    w = 46

    def row(label: str, key: str | None = None, b: float | None = None, t: float | None = None) -> str:
        key = key or label
        nan = float("nan")
        bw, tw = (bgs.get(key, nan), tws.get(key, nan)) if b is None else (b, t)
        bc, tc = bgs.get("cpu:" + key, float("nan")), tws.get("cpu:" + key, float("nan"))
        return f"  {label:<{w}} {num(bw, 8)} {num(bc, 8)} {num(tw, 8)} {num(tc, 8)}"

    lines = [f"where the time goes (child processes with timers, median of {n}; seconds of wall "
             "and of CPU time; indented rows are parts of the row above; briefgen renders in one "
             "process here, BRIEFGEN_JOBS=1, so its total is more than its build takes)",
             f"  {'stage':<{w}} {'briefgen':>8} {'bg cpu':>8} {'twin':>8} {'twin cpu':>8}",
             row("process wall time (parent clock)", b=bg_wall, t=tw_wall),
             row("python start-up (wall - in-process total)",
                 b=bg_wall - bgs.get("total in process", 0), t=tw_wall - tws.get("total in process", 0)),
             row("total in process"),
             row("imports (briefgen, mkdocs, Material)")]
    for label, _, _ in STAGES:
        if label not in bgs and label not in tws:
            continue
        if bgs.get(label, 0.0) < 0.005 and tws.get(label, 0.0) < 0.005:
            continue
        lines.append(row(label))
        if label.strip().startswith("build pages"):
            parts = ("      nav/context (get_context)", "      search indexing (HTML parse)", "      write files")
            rest = {k: d.get(label, 0.0) - sum(d.get(p, 0.0) for p in parts) for k, d in (("b", bgs), ("t", tws))}
            cpu = {k: d.get("cpu:" + label, 0.0) - sum(d.get("cpu:" + p, 0.0) for p in parts)
                   for k, d in (("b", bgs), ("t", tws))}
            name = "      theme template render (the rest)"
            lines.append(f"  {name:<{w}} {num(rest['b'], 8)} {num(cpu['b'], 8)} {num(rest['t'], 8)} "
                         f"{num(cpu['t'], 8)}")
    lines.append(row("garbage collector (all stages)"))
    return "\n".join(lines) + "\n"


def profile_child(kind: str, project: Path, top: int) -> None:
    """Build once in-process under cProfile and print the top entries (a child process)."""
    import logging

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["BRIEFGEN_JOBS"] = "1"  # cProfile sees only this process: render every briefing here
    for name in ("mkdocs", "briefgen"):
        logging.getLogger(name).setLevel(logging.WARNING)
    prof = cProfile.Profile()
    started = time.perf_counter()
    prof.enable()
    if kind == "briefgen":
        from briefgen.engine.site import build_site

        build_site(project)
    else:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        build(load_config(str(project / "mkdocs.yml")))
    prof.disable()
    print(f"cProfile of one {kind} build in a fresh process ({time.perf_counter() - started:.2f} s "
          "with the profiler on; imports included)")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(15)


def run_profile(kind: str, project: Path, top: int) -> str:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--profile-child", kind, str(project),
           "--top", str(top)]
    out = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark: profiling {kind} failed:\n{out.stderr[-4000:]}")
    return out.stdout


# -- main ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    global TIMEOUT, TWIN_NAV
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--briefings", type=int, default=40)
    ap.add_argument("--sources", type=int, default=10, help="sources per briefing")
    ap.add_argument("--repeat", type=int, default=3, help="builds of each kind; the median is reported")
    ap.add_argument("--scales", default="1,4,10", help="content multiples (more briefings of the same size)")
    ap.add_argument("--scale-repeat", type=int, default=1, help="builds of each kind at the larger scales")
    ap.add_argument("--twin-nav", type=int, default=None,
                    help="briefings listed in the twin's nav (default: as many as briefgen lists, "
                         "its NAV_BRIEFINGS; 0: all)")
    ap.add_argument("--full-nav-twin", action="store_true",
                    help="also build, at each scale, a twin listing every briefing in its nav")
    ap.add_argument("--memory-sources", type=int, default=1000,
                    help="also build a project of this many sources once for peak memory (0: skip)")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds a single build may take")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-warmup", action="store_true", help="skip the uncounted first build of each")
    ap.add_argument("--quick", action="store_true", help="tiny size, one run: for the smoke test")
    ap.add_argument("--serve", action="store_true",
                    help="also time serve reloads (100 sources, --repeat edits, median)")
    ap.add_argument("--profile", action="store_true",
                    help="also profile one briefgen build (cProfile, in a fresh process)")
    ap.add_argument("--profile-twin", action="store_true", help="with --profile: profile the twin too")
    ap.add_argument("--top", type=int, default=25, help="profile entries to print")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage timing runs")
    ap.add_argument("--workdir", type=Path, help="keep the generated projects here (default: a temp dir)")
    ap.add_argument("--stages-child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    ap.add_argument("--profile-child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stages_child:
        stages_child(args.stages_child[0], Path(args.stages_child[1]))
        return 0
    if args.profile_child:
        profile_child(args.profile_child[0], Path(args.profile_child[1]), args.top)
        return 0
    if args.quick:
        args.briefings, args.sources, args.repeat, args.scale_repeat = 2, 2, 1, 1
        args.scales, args.memory_sources, args.no_warmup = "1,2", 0, True
    if min(args.briefings, args.sources, args.repeat, args.scale_repeat) < 1:
        ap.error("--briefings, --sources, --repeat and --scale-repeat must be at least 1")
    TIMEOUT = args.timeout
    TWIN_NAV = briefgen_nav_bound() if args.twin_nav is None else (args.twin_nav or None)
    scales = sorted({int(x) for x in args.scales.split(",") if x.strip()} | {1})
    work = args.workdir or Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _main(args, scales, work)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


W = 46  # label column


def num(x: float, width: int, unit: str = "", digits: int = 2) -> str:
    """A right-aligned number with its unit, or '-' for one not measured (NaN)."""
    if isinstance(x, float) and math.isnan(x):
        return f"{'-':>{width + len(unit)}}"
    return f"{x:{width}.{digits}f}{unit}"


def emit(lines: list[str] | str) -> None:
    print("\n".join(lines) if isinstance(lines, list) else lines, flush=True)


def _main(args: argparse.Namespace, scales: list[int], work: Path) -> int:
    B, S, n = args.briefings, args.sources, args.repeat
    results: dict[str, float] = {}
    verdicts: list[str] = []
    nav = "all briefings" if TWIN_NAV is None else f"the {TWIN_NAV} newest briefings"
    emit(["", f"briefgen benchmark: {B} briefings x {S} sources = {B * S} sources, median of {n}",
          f"twin: the same pages as plain Markdown; its nav lists {nav}, each with its 3 pages",
          f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {versions()}",
          f"briefgen commit: {revision()}",
          f"load average at start: {load()} (other processes may share the CPUs: wall times are "
          "medians; CPU = user+sys of the child, less sensitive to sharing)"])
    bg, twin, _ = make_pair(work, "x1", B, S, args.seed)
    if not args.no_warmup:
        say("warm-up builds (not counted)")
        run_child(bg_build(bg))
        run_child(twin_build(twin))
    say(f"1x: {B * S} sources, {n} interleaved runs")
    b1, t1, cold, chk = measure_pair(bg, twin, n, with_check=True)
    pages_bg, pages_twin = len(html_pages(bg / "site")), len(html_pages(twin / "site"))
    src_kb, src_kb_twin = median_kb(source_pages(bg / "site")), median_kb(source_pages(twin / "site"))
    index_kb = (bg / "site" / "search" / "search_index.json").stat().st_size / 1024
    index_kb_twin = (twin / "site" / "search" / "search_index.json").stat().st_size / 1024
    ratio, ratio_cpu = b1.median() / t1.median(), b1.median("cpu") / t1.median("cpu")
    results.update(briefgen_s=b1.median(), twin_s=t1.median(), ratio=ratio, ratio_cpu=ratio_cpu,
                   check_s=chk.median(), check_cold_s=cold.median(), source_page_kb=src_kb)
    verdicts += [f"build ratio briefgen/twin {ratio:.2f}x (cpu {ratio_cpu:.2f}x): {mark('ratio', ratio)}",
                 f"briefgen check after a one-source edit {chk.median():.2f} s: {mark('check', chk.median())}",
                 f"briefgen check cold (--no-cache) {cold.median():.2f} s: {mark('check', cold.median())}",
                 f"median source page {src_kb:.1f} KB: {mark('page_kb', src_kb)}"]
    emit(["",
          f"{'briefgen build':<{W}} {b1.median():7.2f} s   (cpu {b1.median('cpu'):.2f} s, runs {b1.spread()} s)",
          f"{'plain MkDocs twin build':<{W}} {t1.median():7.2f} s   (cpu {t1.median('cpu'):.2f} s, runs {t1.spread()} s)",
          f"{'ratio briefgen/twin':<{W}} {ratio:7.2f} x   (cpu {ratio_cpu:.2f} x)   target "
          f"{limits('ratio', 'x')}   {mark('ratio', ratio)}",
          f"{'pages/s briefgen (' + str(pages_bg) + ' pages)':<{W}} {pages_bg / b1.median():7.1f}",
          f"{'pages/s twin (' + str(pages_twin) + ' pages)':<{W}} {pages_twin / t1.median():7.1f}",
          f"{'briefgen check, one source edited':<{W}} {chk.median():7.2f} s   (cpu {chk.median('cpu'):.2f} s, runs "
          f"{chk.spread()} s)   target {limits('check', ' s')}   {mark('check', chk.median())}",
          f"{'briefgen check, cold (--no-cache)':<{W}} {cold.median():7.2f} s   (cpu {cold.median('cpu'):.2f} s, runs "
          f"{cold.spread()} s)   target {limits('check', ' s')}   {mark('check', cold.median())}",
          f"{'peak memory briefgen / twin at ' + str(B * S) + ' sources':<{W}} {b1.peak():7.0f} MB / "
          f"{t1.peak():.0f} MB   (ru_maxrss of each build's child process, via os.wait4)",
          f"{'median source page briefgen':<{W}} {src_kb:7.1f} KB   target {limits('page_kb', ' KB')}   "
          f"{mark('page_kb', src_kb)}",
          f"{'median source page twin':<{W}} {src_kb_twin:7.1f} KB",
          f"{'median page (all pages) briefgen / twin':<{W}} {median_kb(html_pages(bg / 'site')):7.1f} KB / "
          f"{median_kb(html_pages(twin / 'site')):.1f} KB",
          f"{'search index briefgen / twin':<{W}} {index_kb:7.0f} KB / {index_kb_twin:.0f} KB"])

    if not args.no_stages:
        say(f"stage timing: {n} more builds of each, with timers")
        emit(["", stages_table(*measure_stages(bg, twin, n), n)])
    if args.profile:
        say("profiling one briefgen build in a fresh process")
        emit(["", run_profile("briefgen", bg, args.top)])
        if args.profile_twin:
            emit(["", run_profile("twin", twin, args.top)])

    if args.serve:
        say("serve: 100 sources, edit one source, poll the page")
        reloads, first_s = measure_serve(work, args.seed, edits=n)
        reload_s = statistics.median(reloads)
        results["serve_s"] = reload_s
        verdicts.append(f"serve reload {reload_s:.2f} s: {mark('serve', reload_s)}")
        emit(["", f"{'serve: edit -> page shows it (100 sources)':<{W}} {reload_s:7.2f} s   (median of {n} "
                  f"edits: {', '.join(f'{x:.2f}' for x in reloads)})   target {limits('serve', ' s')}   "
                  f"{mark('serve', reload_s)}   (start + first build {first_s:.1f} s)"])

    if args.memory_sources:
        mb = math.ceil(args.memory_sources / S)
        say(f"memory: {mb * S} sources, one build of each")
        bgm, twm, _ = make_pair(work, "mem", mb, S, args.seed)
        rb, rt = run_child(bg_build(bgm)), run_child(twin_build(twm))
        kb = median_kb(source_pages(bgm / "site"))
        shutil.rmtree(bgm, ignore_errors=True)
        shutil.rmtree(twm, ignore_errors=True)
        results.update(peak_mb=rb.rss_mb, peak_sources=mb * S)
        ok = mark("memory_mb", rb.rss_mb) if mb * S >= 1000 else "n/a (fewer than 1000 sources)"
        verdicts.append(f"peak memory at {mb * S} sources {rb.rss_mb:.0f} MB: {ok}")
        emit(["", f"{'peak memory briefgen at ' + str(mb * S) + ' sources':<{W}} {rb.rss_mb:7.0f} MB   "
                  f"target {limits('memory_mb', ' MB')} at 1000 sources   {ok}",
              f"{'peak memory twin at ' + str(mb * S) + ' sources':<{W}} {rt.rss_mb:7.0f} MB",
              f"{'  builds at ' + str(mb * S) + ' sources: briefgen / twin':<{W}} {rb.wall:7.2f} s / "
              f"{rt.wall:.2f} s   (median source page {kb:.1f} KB)"])

    # Scaling: more briefings of the same size. 1x is measured again here with the same
    # repeat count as the other scales, so the ratios compare like with like.
    full = args.full_nav_twin
    emit(["", f"scaling: more briefings of {S} sources each; {args.scale_repeat} run(s) per scale"
              + ("; 'full nav' = twin listing every briefing in its nav" if full else ""),
          f"  {'scale':<6} {'sources':>7} {'briefgen':>9} {'twin':>9} {'full nav':>9} {'bg/twin':>8} "
          f"{'bg vs 1x':>9} {'twin vs 1x':>10} {'full vs 1x':>10} {'bg MB':>6} {'twin MB':>8} {'bg page KB':>10}"])
    base: dict[str, float] = {}
    scale_times: dict[int, float] = {}
    for k in scales:
        if k == 1 and args.scale_repeat == n and not full:
            bk, tk, fk, kb = b1, t1, Series(), src_kb
        else:
            bgk, twk, fnk = ((bg, twin, None) if k == 1
                             else make_pair(work, f"x{k}", B * k, S, args.seed, full_nav=full))
            if k == 1 and full:
                fnk = make_pair(work, "x1f", B, S, args.seed, full_nav=True)[2]
            say(f"{k}x: {B * k * S} sources")
            bk, tk, fk = Series(), Series(), Series()
            for i in range(args.scale_repeat):
                bk.runs.append(run_child(bg_build(bgk)))
                tk.runs.append(run_child(twin_build(twk)))
                if fnk is not None:
                    fk.runs.append(run_child(twin_build(fnk)))
                say(f"  run {i + 1}: briefgen {bk.runs[-1].wall:.2f} s, twin {tk.runs[-1].wall:.2f} s"
                    + (f", full nav {fk.runs[-1].wall:.2f} s" if fk.runs else ""))
            kb = median_kb(source_pages(bgk / "site")) if (bgk / "site").is_dir() else float("nan")
            if k != 1:
                for pth in (bgk, twk, fnk):
                    if pth is not None:
                        shutil.rmtree(pth, ignore_errors=True)
        if k == 1:
            base = {"bg": bk.median(), "twin": tk.median(), "full": fk.median()}
        scale_times[k] = bk.median()
        emit(f"  {str(k) + 'x':<6} {B * k * S:7d} {num(bk.median(), 8, 's')} {num(tk.median(), 8, 's')} "
             f"{num(fk.median(), 8, 's')} {num(bk.median() / tk.median(), 7, 'x')} "
             f"{num(bk.median() / base['bg'], 8, 'x')} {num(tk.median() / base['twin'], 9, 'x')} "
             f"{num(fk.median() / base['full'], 9, 'x')} {num(bk.peak(), 6, '', 0)} "
             f"{num(tk.peak(), 8, '', 0)} {num(kb, 10, '', 1)}")
    results["scales"] = scale_times
    for k in (4, 10):
        if k in scale_times:
            rel = scale_times[k] / base["bg"]
            if k == 4:
                verdicts.append(f"4x content {rel:.2f}x the time: {mark('scale4', rel)}")
            emit(f"{'time ' + str(k) + 'x/1x briefgen':<{W}} {rel:7.2f} x" +
                 (f"   target {limits('scale4', 'x')}   {mark('scale4', rel)}" if k == 4
                  else "   (linear would be 10x)"))

    emit(["", "targets (2-core machine, 40 x 10 sources):"] + [f"  {v}" for v in verdicts]
         + ([f"  note: the targets are set for 40 x 10 sources; this run used {B} x {S}"] if (B, S) != (40, 10) else [])
         + [f"load average at end: {load()}"])
    clean = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in results.items()}
    emit("json: " + json.dumps(clean))
    return 0


if __name__ == "__main__":
    sys.exit(main())
