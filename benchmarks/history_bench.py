"""What reading history costs a build: 40 briefings x 20 versions each, in a real git repository.

    python benchmarks/history_bench.py [--briefings 40] [--sources 10] [--versions 20] [--runs 10]
                                        [--instructions]

Writes the synthetic project of generate.py, then commits each briefing 20 times (one commit
per briefing and version: as_of moves a day, a fact value changes, facts are added, the
question moves from open to leaning, a source is added half-way). Then times, interleaved, after
one uncounted warm-up of each, `python -m briefgen -C P -q build`:

- without history: the same folder with `GIT_DIR` pointing nowhere, so git finds no repository;
- with history, cache warm: `.briefgen-cache/history.json` from the previous build (the usual
  case: old versions never change), HEAD unchanged since;
- with history, after a commit: the same, after an empty commit (each push in CI, whose Pages
  workflow restores the cache): HEAD moved, so git is asked which versions there are, and none
  has to be loaded;
- with history, cache cold: history.json deleted before the build (a fresh clone, CI's first build).

Each round runs the four once each, in an order that rotates from round to round, so a slow
spell of a shared machine falls on every mode alike. Prints medians of wall and CPU time (user
+ sys of the child and its worker) and, as the ratio, the median over rounds of each round's
own ratio to the build without history, with the middle half of those ratios: on a machine
whose speed drifts by 10% from one minute to the next, a ratio within one round is what holds
still. Then read_history alone in this process. The target, <= 1.10x, is for the warm cache
and after a commit.

`--instructions` counts instead of timing: one build of the first three modes each under
valgrind's callgrind (every process it starts included; about four minutes a build), a figure
that does not move with the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=root, check=True, capture_output=True)


def version_doc(final: dict, v: int, versions: int) -> dict:
    """Version v (0-based) of a briefing whose last version is `final`."""
    doc = yaml.safe_load(yaml.safe_dump(final))  # a deep copy
    back = versions - 1 - v
    doc["as_of"] = final["as_of"] - dt.timedelta(days=back)
    keep = max(2, len(final["facts"]) - back // 4)
    doc["facts"] = doc["facts"][:keep]
    if back:
        doc["facts"][0]["value"] = f"{doc['facts'][0]['value']} (estimate {v})"
    doc["questions"][0]["status"] = "open" if back > versions // 4 else "leaning"
    return doc


def make_history(root: Path, briefings: int, sources: int, versions: int) -> None:
    generate(root, briefings, sources)
    (root / ".gitignore").write_text("site/\n.briefgen-cache/\n.briefgen-*/\n", encoding="utf-8")
    finals = {p.parent.name: yaml.safe_load(p.read_text("utf-8"))
              for p in sorted((root / "content").glob("*/briefing.yml"))}
    late = {bid: sorted((root / "content" / bid / "sources").glob("*.md"))[-1] for bid in finals}
    held = {bid: path.read_bytes() for bid, path in late.items()}
    for path in late.values():
        path.unlink()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "settings")
    for v in range(versions):
        for bid, final in finals.items():
            folder = root / "content" / bid
            if v == versions // 2:
                late[bid].write_bytes(held[bid])
            text = yaml.safe_dump(version_doc(final, v, versions), sort_keys=False, allow_unicode=True, width=100)
            (folder / "briefing.yml").write_text(text, encoding="utf-8")
            git(root, "add", "--", f"content/{bid}")
            git(root, "commit", "-q", "-m", f"{bid}: version {v + 1}")
    # A clone (CI, a colleague) has its objects packed; 800 commits' worth of loose objects
    # would make git read thousands of small files instead.
    git(root, "gc", "-q")


def timed_build(root: Path, env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(root), "-q", "build"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def counted_build(root: Path, env: dict[str, str], out: Path) -> int:
    """Instructions executed by one build and every process it starts (git, the worker), as
    valgrind's callgrind counts them: the same count for the same build however busy the
    machine is, where wall and CPU time drift by 10% on a shared one."""
    tag = f"b{len(list(out.iterdir()))}"
    done = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                           f"--callgrind-out-file={out}/{tag}.%p",
                           sys.executable, "-m", "briefgen", "-C", str(root), "-q", "build"],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"build under valgrind failed:\n{done.stderr[-3000:]}")
    total = 0
    for f in out.glob(f"{tag}.*"):
        found = re.search(r"^(?:summary|totals): (\d+)", f.read_text("utf-8", "replace"), re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total


def count_instructions(root: Path, modes: dict[str, dict[str, str]]) -> int:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    for env in modes.values():  # warm the parse cache and history.json (not counted)
        timed_build(root, env)
    print(f"{'build':<26}{'instructions':>16}{'x':>8}   (valgrind --tool=callgrind, one build each)")
    with tempfile.TemporaryDirectory(prefix="briefgen-callgrind-") as tmp:
        counts = {}
        for mode in ("without history", "history, cache warm", "history, after a commit"):
            if mode.endswith("commit"):
                git(root, "commit", "-q", "--allow-empty", "-m", "a commit that changes no briefing")
            counts[mode] = counted_build(root, modes[mode], Path(tmp))
            print(f"{mode:<26}{counts[mode]:16,d}{counts[mode] / counts['without history']:8.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--briefings", type=int, default=40)
    ap.add_argument("--sources", type=int, default=10)
    ap.add_argument("--versions", type=int, default=20)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out", type=Path, default=None, help="keep the project here")
    ap.add_argument("--reuse", action="store_true", help="time the project already in --out")
    ap.add_argument("--samples", action="store_true", help="print every run's wall time too")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions under valgrind instead of timing (one build per mode, minutes each)")
    args = ap.parse_args(argv)
    root = args.out or Path(tempfile.mkdtemp(prefix="briefgen-history-bench-")) / "project"
    if not args.reuse:
        t = time.perf_counter()
        make_history(root, args.briefings, args.sources, args.versions)
        print(f"{args.briefings} briefings x {args.versions} versions committed in {time.perf_counter() - t:.1f} s")

    base = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    modes = {"without history": {**base, "GIT_DIR": str(root / "no-such-git-dir")},
             "history, cache warm": base, "history, after a commit": base, "history, cache cold": base}
    cache = root / ".briefgen-cache" / "history.json"
    if args.instructions:
        return count_instructions(root, modes)
    results: dict[str, list[tuple[float, float]]] = {m: [] for m in modes}
    order = list(modes)
    for run in range(args.runs + 1):
        for mode in order[run % len(order):] + order[:run % len(order)]:
            if mode.endswith("cold"):
                cache.unlink(missing_ok=True)
            elif mode.endswith("commit"):
                git(root, "commit", "-q", "--allow-empty", "-m", "a commit that changes no briefing")
            sample = timed_build(root, modes[mode])
            if run:  # the first round warms the disk and the parse cache
                results[mode].append(sample)
    plain = results["without history"]
    print(f"{'build':<26}{'wall s':>8}{'cpu s':>8}{'wall x':>8}{'cpu x':>8}   "
          f"(medians of {args.runs} rounds; x: of each round's ratio, middle half in brackets)")
    for mode, samples in results.items():
        walls = [w / p for (w, _), (p, _) in zip(samples, plain)]
        cpus = [c / p for (_, c), (_, p) in zip(samples, plain)]
        quart = statistics.quantiles(walls, n=4) if len(walls) > 1 else [walls[0]] * 3
        print(f"{mode:<26}{statistics.median(w for w, _ in samples):8.2f}"
              f"{statistics.median(c for _, c in samples):8.2f}{statistics.median(walls):8.2f}"
              f"{statistics.median(cpus):8.2f}   [{quart[0]:.2f}-{quart[2]:.2f}]"
              + ("   wall: " + " ".join(f"{w:.2f}" for w, _ in samples) if args.samples else ""))

    from briefgen.history.versions import read_history

    ids = sorted(p.name for p in (root / "content").iterdir())
    for label, keep in (("cold", False), ("warm", True)):
        if not keep:
            cache.unlink(missing_ok=True)
        t = time.perf_counter()
        h = read_history(root, ids, root / ".briefgen-cache")
        n = sum(len(h.of(b)) for b in ids)
        print(f"read_history alone, cache {label}: {time.perf_counter() - t:.3f} s for {n} versions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
