"""The benchmark still runs: a tiny size, one run, no serve. No timed assertions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"


def test_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, str(RUN), "--quick", "--workdir", str(tmp_path)],
                         capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ratio briefgen/twin" in out.stdout
    assert "median source page briefgen" in out.stdout
    assert "where the time goes" in out.stdout


def test_generated_quotes_pass_briefgen_check(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import citation_count, generate, generate_twin
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    specs = generate(tmp_path / "p", 2, 3, seed=1)
    assert all(citation_count(b) >= 20 for b in specs)
    twin = generate_twin(tmp_path / "t", 2, 3, seed=1)
    assert [b.id for b in twin] == [b.id for b in specs]  # the same briefings, deterministically
    assert (tmp_path / "t" / "docs" / specs[0].id / "sources" / f"{specs[0].sources[0].id}.md").is_file()
    out = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(tmp_path / "p"), "check"],
                         capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert out.returncode == 0, out.stderr
    assert "0 errors, 0 warnings" in out.stderr


def test_the_resources_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "resources_bench.py"), "--mb", "0.2",
                          "--history-mb", "0.2", "--citers", "20,40", "--workdir", str(tmp_path)],
                         capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                         timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    for case in ("found, 0.2 MB paragraph", "ambiguous x2", "missing", "40 statements cite one passage",
                 "history, 0.2 MB old source"):
        assert case in out.stdout, out.stdout
    assert "left behind: nothing" in out.stdout


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
