"""Where the time goes: one build in a fresh child process with timers around named functions
(no profiler overhead), or under cProfile. run.py starts these children with --stages-child and
--profile-child; the functions named *_child run inside them.
"""

from __future__ import annotations

import cProfile
import functools
import gc
import importlib
import json
import logging
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drive import ENV

RUN = Path(__file__).resolve().with_name("run.py")

# (label, module, attribute path); a row indented under another is a part of it. Patched where
# the caller looks the name up at call time.
STAGES = [
    ("briefgen: load + check", "briefgen.pipeline", "check"),
    ("  load content/ (YAML, files)", "briefgen.pipeline", "load_briefing"),
    ("  blocks of sources (.briefgen-cache or parse)", "briefgen.stages.check", "parse_source"),
    ("    normalise blocks (SourceIndex)", "briefgen.text.quotes", "SourceIndex.__init__"),
    ("  match quotes", "briefgen.stages.check", "_check_citation"),
    ("  analyse (corroboration, tallies)", "briefgen.stages.check", "analyse"),
    ("briefgen: resolve + render", "briefgen.pipeline", "render"),
    ("  resolve (parse sources, mark passages)", "briefgen.stages.resolve", "resolve"),
    ("  render briefing + source pages", "briefgen.stages.render", "Renderer.briefing_pages"),
    ("    of which source pages", "briefgen.stages.render", "Renderer.source_page"),
    ("  briefing.json", "briefgen.stages.export", "briefing_json"),
    ("engine: MkDocs build (check + render inside)", "briefgen.engine.site", "SiteBuilder.build"),
    ("  load_config (plugins, theme)", "mkdocs.config", "load_config"),
    ("  mkdocs build", "mkdocs.commands.build", "build"),
    ("    clean site_dir", "mkdocs.utils", "clean_directory"),
    ("    get_files (+ theme files)", "mkdocs.commands.build", "get_files"),
    ("    on_files (briefgen pages in)", "briefgen.engine.plugin", "BriefgenPlugin._add_files"),
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
    ("markdown-it parse of sources (any stage)", "briefgen.text.sourcetext", "token_stream"),
    ("Jinja2 compile (all templates, any stage)", "jinja2.environment", "Environment.compile"),
    ("Jinja2 Template.render (ours + theme)", "jinja2.environment", "Template.render"),
]
IMPORTS = "imports (briefgen, mkdocs, Material)"
GC = "garbage collector (all stages)"


def _timed(orig: Callable, label: str, acc: dict[str, float]) -> Callable:
    """orig, adding its wall and CPU time to acc[label]; a recursive call counts once."""
    depth = [0]

    @functools.wraps(orig)
    def timed(*a: Any, **k: Any) -> Any:
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


def _install_timers(acc: dict[str, float], kind: str) -> None:
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
        setattr(owner, name, _timed(orig, label, acc))


def _time_gc(acc: dict[str, float]) -> None:
    started = [0.0, 0.0]
    acc[GC] = acc["cpu:" + GC] = 0.0

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter(), time.process_time()]
        else:
            acc[GC] += time.perf_counter() - started[0]
            acc["cpu:" + GC] += time.process_time() - started[1]

    gc.callbacks.append(on_gc)


def _build_once(kind: str, project: Path) -> None:
    for name in ("mkdocs", "briefgen"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if kind == "briefgen":
        from briefgen.engine.site import build_site

        build_site(project)
    else:
        from mkdocs.commands import build as mb
        from mkdocs.config import load_config

        mb.build(load_config(str(project / "mkdocs.yml")))


def stages_child(kind: str, project: Path) -> None:
    """Build once with timers installed and print {label: seconds} as JSON (a child process).

    Every row is measured as wall time and as CPU time of this process ("cpu:" + label); CPU
    time is what to compare on a machine that other processes share.
    """
    started, cpu = time.perf_counter(), time.process_time()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    acc: dict[str, float] = {}
    _install_timers(acc, kind)  # imports (briefgen,) mkdocs, Material and Jinja2 first
    acc[IMPORTS] = time.perf_counter() - started
    acc["cpu:" + IMPORTS] = time.process_time() - cpu
    _time_gc(acc)
    _build_once(kind, project)
    acc["total in process"] = time.perf_counter() - started
    acc["cpu:total in process"] = time.process_time() - cpu
    print(json.dumps(acc))


def measure_stages(bg: Path, twin: Path, repeat: int) -> tuple[dict, dict, float, float]:
    """Median seconds per stage for briefgen and the twin, and the median child wall times."""
    runs: dict[str, list[dict]] = {"briefgen": [], "twin": []}
    walls: dict[str, list[float]] = {"briefgen": [], "twin": []}
    for _ in range(repeat):
        for kind, project in (("briefgen", bg), ("twin", twin)):
            cmd = [sys.executable, str(RUN), "--stages-child", kind, str(project)]
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


def profile_child(kind: str, project: Path, top: int) -> None:
    """Build once in-process under cProfile and print the top entries (a child process)."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    prof = cProfile.Profile()
    started = time.perf_counter()
    prof.enable()
    _build_once(kind, project)
    prof.disable()
    print(f"cProfile of one {kind} build in a fresh process ({time.perf_counter() - started:.2f} s "
          "with the profiler on; imports included)")
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(15)


def run_profile(kind: str, project: Path, top: int) -> str:
    cmd = [sys.executable, str(RUN), "--profile-child", kind, str(project), "--top", str(top)]
    out = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark: profiling {kind} failed:\n{out.stderr[-4000:]}")
    return out.stdout
