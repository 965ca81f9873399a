"""What reading history costs a build: 40 briefings x 20 versions each, in a real git repository.

    python benchmarks/history_bench.py [--briefings 40] [--sources 10] [--versions 20] [--runs 5]

Writes the synthetic project of generate.py, then commits each briefing 20 times (one commit
per briefing and version: as_of moves a day, a fact value changes, facts are added, the
question moves from open to leaning, a source is added half-way). Then times, interleaved, after
one uncounted warm-up of each, `python -m briefgen -C P -q build`:

- without history: the same folder with `GIT_DIR` pointing nowhere, so git finds no repository;
- with history, cache warm: `.briefgen-cache/history.json` from the previous build (the usual
  case: old versions never change);
- with history, cache cold: history.json deleted before the build (a fresh clone, e.g. CI).

Prints medians of wall and CPU time (user + sys of the child) and the ratios to the build
without history, plus read_history alone in this process. The target is <= 1.10x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--briefings", type=int, default=40)
    ap.add_argument("--sources", type=int, default=10)
    ap.add_argument("--versions", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None, help="keep the project here")
    ap.add_argument("--reuse", action="store_true", help="time the project already in --out")
    args = ap.parse_args(argv)
    root = args.out or Path(tempfile.mkdtemp(prefix="briefgen-history-bench-")) / "project"
    if not args.reuse:
        t = time.perf_counter()
        make_history(root, args.briefings, args.sources, args.versions)
        print(f"{args.briefings} briefings x {args.versions} versions committed in {time.perf_counter() - t:.1f} s")

    base = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    modes = {"without history": {**base, "GIT_DIR": str(root / "no-such-git-dir")},
             "history, cache warm": base, "history, cache cold": base}
    cache = root / ".briefgen-cache" / "history.json"
    results: dict[str, list[tuple[float, float]]] = {m: [] for m in modes}
    for run in range(args.runs + 1):
        for mode, env in modes.items():
            if mode.endswith("cold"):
                cache.unlink(missing_ok=True)
            sample = timed_build(root, env)
            if run:  # the first round warms the disk and the parse cache
                results[mode].append(sample)
    plain = statistics.median(w for w, _ in results["without history"])
    plain_cpu = statistics.median(c for _, c in results["without history"])
    print(f"{'build':<22}{'wall s':>8}{'cpu s':>8}{'wall x':>8}{'cpu x':>8}   (median of {args.runs})")
    for mode, samples in results.items():
        wall, cpu = statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)
        print(f"{mode:<22}{wall:8.2f}{cpu:8.2f}{wall / plain:8.2f}{cpu / plain_cpu:8.2f}")

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
