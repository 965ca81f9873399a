"""Driving the builds: child processes timed one at a time, and the projects they build.

Every build runs as a child process with NO_MKDOCS_2_WARNING=1, and with bytecode written and
read (PYTHONDONTWRITEBYTECODE unset), as after `pip install`: in a shell that sets it, every
briefgen build compiled briefgen's modules again (an editable install has no bytecode until a
run writes it) while the twins' MkDocs was read compiled. Its wall time is taken by this
process's clock; its CPU time (user + sys) and peak memory (ru_maxrss) come from os.wait4 for
that child alone, so other processes on the machine do not count.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from generate import generate, generate_twin

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_MKDOCS_2_WARNING": "1"}
TIMEOUT = 900.0  # seconds a single build may take, unless --timeout says otherwise


def say(msg: str) -> None:
    """Progress, on stderr: stdout carries only the report."""
    print(msg, file=sys.stderr, flush=True)


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


def bg_build(project: Path) -> list[str]:
    return [sys.executable, "-m", "briefgen", "-C", str(project), "-q", "build"]


def bg_check(project: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "briefgen", "-C", str(project), "-q", "check", *options]


def twin_build(project: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]


@dataclass(frozen=True)
class Projects:
    """What one size builds: briefgen's project and the plain-MkDocs twins of it."""

    bg: Path
    twin: Path  # the same pages as Markdown (tables, lists, links, emphasis)
    plain: Path | None = None  # the same words as plain paragraphs only
    full: Path | None = None  # like `twin`, listing every briefing in its nav

    def paths(self) -> list[Path]:
        return [p for p in (self.bg, self.twin, self.plain, self.full) if p is not None]


@dataclass(frozen=True)
class Driver:
    """How this benchmark run builds: the time limit of one build and the twin's nav bound."""

    timeout: float = TIMEOUT
    twin_nav: int | None = None  # briefings listed in the twin's nav (None: all)

    def run(self, cmd: list[str], cwd: Path | None = None) -> Run:
        """Run cmd to completion: wall time, CPU time and peak RSS of that child alone.

        A build that takes longer than the timeout is killed and reported as NaN.
        """
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            p = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT)
            timer = threading.Timer(self.timeout, p.kill)
            timer.start()
            try:
                _, status, usage = os.wait4(p.pid, 0)
            finally:
                timer.cancel()
            wall = time.perf_counter() - started
            p.returncode = os.waitstatus_to_exitcode(status)
            if p.returncode == -9 and wall >= self.timeout:
                say(f"  timed out after {self.timeout:.0f} s: {' '.join(cmd)}")
                return Run(float("nan"), float("nan"), usage.ru_maxrss / 1024)
            if p.returncode != 0:
                out.seek(0)
                sys.stderr.write(out.read().decode("utf-8", "replace")[-4000:])
                raise SystemExit(f"benchmark: {' '.join(cmd)} exited with {p.returncode}")
        rss_kb = usage.ru_maxrss  # kilobytes on Linux
        return Run(wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024)

    def make_pair(self, work: Path, name: str, briefings: int, sources: int, seed: int,
                  full_nav: bool = False, with_plain: bool = True) -> Projects:
        """The briefgen project, its twin, (with_plain) the twin with plain paragraphs only, and
        (full_nav) a twin listing every briefing in its nav."""
        started = time.perf_counter()
        made = Projects(work / f"{name}-briefgen", work / f"{name}-twin",
                        work / f"{name}-twin-plain" if with_plain else None,
                        work / f"{name}-twin-fullnav" if full_nav else None)
        generate(made.bg, briefings, sources, seed)
        generate_twin(made.twin, briefings, sources, seed, nav_briefings=self.twin_nav)
        if made.plain is not None:
            generate_twin(made.plain, briefings, sources, seed, nav_briefings=self.twin_nav, plain=True)
        if made.full is not None:
            generate_twin(made.full, briefings, sources, seed, nav_briefings=None)
        say(f"generated {name}: {briefings} x {sources} = {briefings * sources} sources "
            f"(briefgen project and {len(made.paths()) - 1} twins) in {time.perf_counter() - started:.1f} s")
        return made


def briefgen_nav_bound() -> int | None:
    """How many briefings briefgen lists in its nav by default (None: all of them)."""
    try:
        from briefgen.engine.mkdocs_engine import NAV_BRIEFINGS
    except ImportError:
        return None
    return NAV_BRIEFINGS
