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

The parts: generate.py writes the projects, drive.py runs and times child processes,
measure.py and stages.py measure, report.py formats; this file reads the command line and
runs the sections in order.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import engines  # noqa: E402
import report  # noqa: E402
import stages  # noqa: E402
from drive import TIMEOUT, Driver, Projects, Series, bg_build, briefgen_nav_bound, say, twin_build  # noqa: E402
from measure import (  # noqa: E402
    measure_incremental,
    measure_memory,
    measure_pair,
    measure_scale,
    measure_serve,
    median_kb,
    site_sizes,
    source_pages,
)
from report import emit  # noqa: E402


def parser() -> argparse.ArgumentParser:
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
    ap.add_argument("--no-engines", action="store_true",
                    help="skip building with Zensical beside MkDocs (skipped anyway when it is not installed)")
    ap.add_argument("--workdir", type=Path, help="keep the generated projects here (default: a temp dir)")
    ap.add_argument("--stages-child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    ap.add_argument("--profile-child", nargs=2, metavar=("KIND", "PROJECT"), help=argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    args = ap.parse_args(argv)
    if args.stages_child:
        stages.stages_child(args.stages_child[0], Path(args.stages_child[1]))
        return 0
    if args.profile_child:
        stages.profile_child(args.profile_child[0], Path(args.profile_child[1]), args.top)
        return 0
    if args.quick:
        args.briefings, args.sources, args.repeat, args.scale_repeat = 2, 2, 1, 1
        args.scales, args.memory_sources, args.no_warmup = "1,2", 0, True
    if min(args.briefings, args.sources, args.repeat, args.scale_repeat) < 1:
        ap.error("--briefings, --sources, --repeat and --scale-repeat must be at least 1")
    drv = Driver(args.timeout, briefgen_nav_bound() if args.twin_nav is None else (args.twin_nav or None))
    scales = sorted({int(x) for x in args.scales.split(",") if x.strip()} | {1})
    work = args.workdir or Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return bench(args, drv, scales, work)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def bench(args: argparse.Namespace, drv: Driver, scales: list[int], work: Path) -> int:
    B, S, n = args.briefings, args.sources, args.repeat
    emit(report.header(B, S, n, drv.twin_nav))
    made = drv.make_pair(work, "x1", B, S, args.seed)
    bg, twin = made.bg, made.twin
    if not args.no_warmup:
        say("warm-up builds (not counted)")
        drv.run(bg_build(bg))
        for each_twin in made.paths()[1:]:
            drv.run(twin_build(each_twin))
    say(f"1x: {B * S} sources, {n} interleaved runs")
    b1, t1, p1, cold, chk = measure_pair(drv, made, n, with_check=True)
    sizes = site_sizes(bg, twin)
    lines, results, verdicts = report.first_scale(b1, (t1, p1), cold, chk, sizes, B * S)
    emit(lines)
    diagnose(args, bg, twin)
    verdicts += incremental_section(args, drv, bg, results)
    if not args.no_engines and engines.available():
        say(f"engines: {n} rounds of briefgen and its twin on MkDocs and on Zensical")
        lines, found = engines.engine_lines(engines.measure_engines(drv, bg, twin, n), B * S, n)
        emit(lines)
        results.update(found)
    if args.serve:
        verdicts += serve_section(args, drv, work, results)
    if args.memory_sources:
        verdicts += memory_section(args, drv, work, results)
    verdicts += scaling_section(args, drv, work, scales, (made, (b1, t1, p1), sizes.src_kb), results)
    emit(report.footer(verdicts, B, S))
    clean = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in results.items()}
    emit("json: " + json.dumps(clean))
    return 0


def diagnose(args: argparse.Namespace, bg: Path, twin: Path) -> None:
    """The per-stage table and, if asked, cProfile output."""
    if not args.no_stages:
        say(f"stage timing: {args.repeat} more builds of each, with timers")
        emit(["", report.stages_table(*stages.measure_stages(bg, twin, args.repeat), args.repeat)])
    if args.profile:
        say("profiling one briefgen build in a fresh process")
        emit(["", stages.run_profile("briefgen", bg, args.top)])
        if args.profile_twin:
            emit(["", stages.run_profile("twin", twin, args.top)])


def incremental_section(args: argparse.Namespace, drv: Driver, bg: Path, results: dict) -> list[str]:
    """A build after one source was edited, against a full build, in the same runs (#28)."""
    say(f"incremental: {args.repeat} rounds of a full build, a build after one edit, a build of nothing changed")
    full, edited, same = measure_incremental(drv, bg, args.repeat)
    ratio, cpu = edited.median() / full.median(), edited.median("cpu") / full.median("cpu")
    results.update(incremental_ratio=ratio, incremental_cpu_ratio=cpu, unchanged_ratio=same.median() / full.median())
    emit(report.incremental_lines(full, edited, same))
    return [f"build after one edit / full build {ratio:.2f}x (CPU {cpu:.2f}x): {report.mark('incremental', ratio)}"]


def serve_section(args: argparse.Namespace, drv: Driver, work: Path, results: dict) -> list[str]:
    say("serve: 100 sources, edit one source, poll the page")
    reloads, first_s = measure_serve(drv, work, args.seed, edits=args.repeat)
    reload_s = statistics.median(reloads)
    results["serve_s"] = reload_s
    emit(["", report.serve_line(reloads, reload_s, first_s, args.repeat)])
    return [f"serve reload {reload_s:.2f} s: {report.mark('serve', reload_s)}"]


def memory_section(args: argparse.Namespace, drv: Driver, work: Path, results: dict) -> list[str]:
    S = args.sources
    mb = math.ceil(args.memory_sources / S)
    say(f"memory: {mb * S} sources, one build of each")
    rb, rt, kb = measure_memory(drv, work, mb, S, args.seed)
    results.update(peak_mb=rb.rss_mb, peak_sources=mb * S)
    ok = report.mark("memory_mb", rb.rss_mb) if mb * S >= 1000 else "n/a (fewer than 1000 sources)"
    emit(report.memory_lines(mb * S, rb.rss_mb, rt.rss_mb, rb.wall, rt.wall, kb, ok))
    return [f"peak memory at {mb * S} sources {rb.rss_mb:.0f} MB: {ok}"]


# The 1x projects, their builds in the first comparison (briefgen, twin, plain twin), and the
# median source page there.
First = tuple[Projects, tuple[Series, Series, Series], float]


def one_scale(args: argparse.Namespace, drv: Driver, work: Path, k: int,
              first: First) -> tuple[tuple[Series, Series, Series, Series], float]:
    """Builds at k times the content (briefgen, twin, plain twin, full-nav twin) and the median
    source page KB."""
    made, (b1, t1, p1), src_kb = first
    B, S, full = args.briefings, args.sources, args.full_nav_twin
    if k == 1 and args.scale_repeat == args.repeat and not full:
        return (b1, t1, p1, Series()), src_kb  # 1x was measured with as many runs already
    if k != 1:
        made = drv.make_pair(work, f"x{k}", B * k, S, args.seed, full_nav=full)
    elif full:
        made = dataclasses.replace(made, full=drv.make_pair(work, "x1f", B, S, args.seed, full_nav=True,
                                                            with_plain=False).full)
    say(f"{k}x: {B * k * S} sources")
    runs = measure_scale(drv, made, args.scale_repeat)
    kb = median_kb(source_pages(made.bg / "site")) if (made.bg / "site").is_dir() else float("nan")
    if k != 1:
        for pth in made.paths():
            shutil.rmtree(pth, ignore_errors=True)
    return runs, kb


def scaling_section(args: argparse.Namespace, drv: Driver, work: Path, scales: list[int],
                    first: First, results: dict) -> list[str]:
    """More briefings of the same size. 1x is measured again here with the same repeat count as
    the other scales, so the ratios compare like with like."""
    B, S = args.briefings, args.sources
    emit(report.scaling_header(S, args.scale_repeat, args.full_nav_twin))
    base: dict[str, float] = {}
    scale_times: dict[int, float] = {}
    verdicts: list[str] = []
    for k in scales:
        runs, kb = one_scale(args, drv, work, k, first)
        if k == 1:
            base = dict(zip(("bg", "twin", "plain", "full"), (r.median() for r in runs)))
        scale_times[k] = runs[0].median()
        emit(report.scaling_row(k, B * k * S, runs, kb, base))
        verdicts += report.scale_ratios(k, runs)
    results["scales"] = scale_times
    lines, growth = report.scale_growth(scale_times, base["bg"])
    for line in lines:
        emit(line)
    return growth + verdicts


if __name__ == "__main__":
    sys.exit(main())
