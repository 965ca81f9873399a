"""Resources bounded by the input: peak memory and time of one child process per case (#20).

    python benchmarks/resources_bench.py [--mb 20] [--history-mb 100] [--citers 2000,4000,8000]
                                         [--only found,ambiguous,missing,citers,history] [--ascii]
                                         [--workdir DIR]

Each case writes a project in a temporary folder (or --workdir) and runs
`python -m briefgen -C P -q check|build` as a child process (BRIEFGEN_JOBS=1: one process), of
this checkout's briefgen or of the one PYTHONPATH names; its wall time, CPU time and peak memory
(`ru_maxrss` from `os.wait4` in a small launcher: that process's, or a larger one's among those
it waited for, such as git) are printed, one row each. Cases:

- found: one source whose body is a single paragraph of --mb megabytes (English-like words with
  curly quotes, dashes and no-break spaces, as scraped text has; --ascii: straight ones, so
  Python holds the text at one byte a character instead of two), cited once by a quote that
  occurs once, half-way through: `check` and `build`, each without the parse cache and then
  with the cache the first one wrote (check) or read (build);
- ambiguous: the same source cited twice by a one-word quote that occurs on every line of
  prose (`check`, which reports it: exit 1 is expected);
- missing: the same source cited by a quote it does not hold (`check`: the suggestion's cost);
- citers: N statements citing one passage of a small source, for each N of --citers: `build`,
  and the time each added statement took since the previous N, as a ratio to the first such
  step (linear: about 1.0x; the time per statement overall also pays the start-up);
- history: a git repository whose first commit holds a source of --history-mb megabytes and
  whose working tree no longer does: `build` reads that old version from git. After it, the
  folders /dev/shm and the project's own staging hold nothing of briefgen's.

Target (#20): found or ambiguous in a 20 MB source under 300 MB peak; citers linear.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
# The briefgen measured: this checkout's, unless PYTHONPATH names another (a "before" run).
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFGEN_JOBS": "1",
       "PYTHONPATH": os.environ.get("PYTHONPATH") or str(HERE.parent)}
MKDOCS_YML = "site_name: resources\ntheme: {name: material, font: false}\nplugins: [search, briefgen]\n"
_WORDS = ("the port authority said that ships were diverted to northern harbour after strike on "
          "cranes engineers reported damage repairs could take weeks officials closed quay "
          "satellite images show aircraft loading equipment base airfield convoy").split()
_DECOR = ["“Velmor”", "harbour’s", "—", "\u00a0and", "quay–side", "it’s"]
_ASCII_DECOR = ['"Velmor"', "harbour's", "--", "and", "quay-side", "it's"]
UNIQUE = "Velmor zebra quokka ledger"  # occurs once, half-way through the big paragraph
AMBIGUOUS = "harbour"  # in every stretch of prose


def prose(n_bytes: int, ascii_only: bool = False, seed: int = 1) -> str:
    """About n_bytes of one paragraph: words, some typographic ones, no line break."""
    rng = random.Random(seed)
    decor = _ASCII_DECOR if ascii_only else _DECOR
    chunk = []
    for _ in range(2000):
        chunk.append(rng.choice(decor) if rng.random() < 0.05 else rng.choice(_WORDS))
    block = " ".join(chunk) + " "
    reps = max(1, n_bytes // len(block.encode()))
    half = reps // 2
    return block * half + UNIQUE + " " + block * (reps - half)


def _write(root: Path, briefing: dict, sources: dict[str, str]) -> Path:
    (root / "content" / "big" / "sources").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    doc = {"title": "Resources", "as_of": "2024-12-14", **briefing}
    (root / "content" / "big" / "briefing.yml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
                                                           encoding="utf-8")
    for sid, body in sources.items():
        front = f"---\ntitle: {sid} report\noutlet: {sid.title()} Times\n---\n\n"
        (root / "content" / "big" / "sources" / f"{sid}.md").write_text(front + body + "\n", encoding="utf-8")
    return root


def big_project(root: Path, mb: float, quotes: list[str], ascii_only: bool = False) -> Path:
    cites = [{"text": f"Statement {i + 1}.", "cite": [{"wire": q}]} for i, q in enumerate(quotes)]
    return _write(root, {"summary": cites}, {"wire": prose(int(mb * 1_000_000), ascii_only)})


def citers_project(root: Path, n: int) -> Path:
    body = "Officials said the port of Velmor was closed on Monday.\n\nShips were diverted north.\n"
    summary = [{"text": f"Statement {i + 1}.", "cite": [{"wire": "the port of Velmor was closed"}]}
               for i in range(n)]
    return _write(root, {"summary": summary}, {"wire": body})


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=root, check=True, capture_output=True)


def history_project(root: Path, mb: float, ascii_only: bool = False) -> Path:
    """Commit 1 holds a big source; commit 2 (and the working tree) a small one in its place."""
    big_project(root, mb, [UNIQUE], ascii_only)
    (root / ".gitignore").write_text("site/\n.briefgen-cache/\n.briefgen-build/\n", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "big")
    citers_project(root, 1)
    yml = root / "content" / "big" / "briefing.yml"
    yml.write_text(yml.read_text("utf-8").replace("2024-12-14", "2024-12-15"), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "small")
    return root


# Runs the measured command and reports its usage. Measured from this process, a child's
# ru_maxrss would start at this process's own peak: Linux carries the old memory's high-water
# mark across fork and exec, and this process held the generated inputs.
_LAUNCH = """import os, subprocess, sys
p = subprocess.Popen(sys.argv[2:], stdout=sys.stdout, stderr=sys.stdout)
_, status, usage = os.wait4(p.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
"""


def run(project: Path, command: str, expect: int = 0) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one `briefgen <command>` process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as tmp:
        usage = Path(tmp) / "usage"
        subprocess.run([sys.executable, "-c", _LAUNCH, str(usage), sys.executable, "-m", "briefgen",
                        "-C", str(project), "-q", *command.split()],
                       env=ENV, cwd=tmp, stdout=out, stderr=subprocess.STDOUT, check=True)
        wall = time.perf_counter() - started
        code, cpu, rss = usage.read_text().split()
        if int(code) != expect:
            out.seek(0)
            raise SystemExit(f"briefgen {command} in {project} exited with {code}, expected {expect}:\n"
                             + out.read().decode("utf-8", "replace")[-3000:])
    return wall, float(cpu), int(rss) / 1024


def row(case: str, command: str, wall: float, cpu: float, mb: float, extra: str = "") -> None:
    print(f"{case:<42}{command:<19}{wall:9.2f}{cpu:8.2f}{mb:10.0f}   {extra}", flush=True)


def leftovers(project: Path) -> set[str]:
    """What briefgen may leave in /dev/shm (the machine's: compare before and after) and in the
    project's staging folder."""
    shm = Path("/dev/shm")
    mine = {str(p) for p in shm.glob("briefgen-*")} if shm.is_dir() else set()
    staging = project / ".briefgen-build"
    return mine | ({str(p) for p in staging.iterdir()} if staging.is_dir() else set())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the big source (megabytes)")
    ap.add_argument("--history-mb", type=float, default=100.0, help="size of the old commit's source")
    ap.add_argument("--citers", default="2000,4000,8000", help="statements citing one passage")
    ap.add_argument("--only", default="found,ambiguous,missing,citers,history")
    ap.add_argument("--ascii", action="store_true", help="sources without typographic characters")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    cases = set(args.only.split(","))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="briefgen-resources-"))
    text = "ASCII" if args.ascii else "typographic"
    print(f"{'case (' + text + ' text)':<42}{'':<19}{'wall s':>9}{'cpu s':>8}{'peak MB':>10}")
    big = f"{args.mb:g} MB paragraph"
    if "found" in cases:
        p = big_project(work / "found", args.mb, [UNIQUE], args.ascii)
        for command in ("check --no-cache", "check", "build --no-cache", "build"):
            row(f"found, {big}", command, *run(p, command))
    if "ambiguous" in cases:
        p = big_project(work / "ambiguous", args.mb, [AMBIGUOUS, AMBIGUOUS], args.ascii)
        row(f"ambiguous x2, {big}", "check --no-cache", *run(p, "check --no-cache", expect=1))
    if "missing" in cases:
        p = big_project(work / "missing", args.mb, ["ships were never seen at the harbour of Tarsk"], args.ascii)
        row(f"missing, {big}", "check --no-cache", *run(p, "check --no-cache", expect=1))
    if "citers" in cases:
        steps: list[tuple[int, float]] = []  # (N, CPU seconds): steadier than wall time here
        for n in (int(x) for x in args.citers.split(",")):
            wall, cpu, mb = run(citers_project(work / f"citers-{n}", n), "build")
            note = ""
            if steps:
                n0, c0 = steps[-1]
                per = (cpu - c0) / (n - n0)
                first = (steps[1][1] - steps[0][1]) / (steps[1][0] - steps[0][0]) if len(steps) > 1 else per
                note = f"{per * 1000:.2f} ms CPU per statement added ({per / first:.2f}x the first step)"
            steps.append((n, cpu))
            row(f"{n} statements cite one passage", "build", wall, cpu, mb, note)
    if "history" in cases:
        p = history_project(work / "history", args.history_mb, args.ascii)
        before = leftovers(p)  # other processes on this machine may have theirs in /dev/shm
        wall, cpu, mb = run(p, "build")
        left = sorted(leftovers(p) - before)
        row(f"history, {args.history_mb:g} MB old source", "build", wall, cpu, mb,
            f"left behind: {', '.join(left) if left else 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
