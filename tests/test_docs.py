"""README stays true: its example briefing checks clean, its commands exist (like datasette's)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from briefgen import pipeline
from briefgen.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_briefing_example_passes_check_against_the_example_sources(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(title: .*?)```", README, re.S).group(1)
    folder = tmp_path / "content" / "readme"
    shutil.copytree(REPO / "content" / "khmeimim" / "sources", folder / "sources")
    (folder / "briefing.yml").write_text(example, encoding="utf-8")
    report = pipeline.check(tmp_path).report
    assert not report.errors, "\n".join(map(str, report.sorted()))


def test_every_command_in_readme_exists() -> None:
    table = re.findall(r"^\| `briefgen ([a-z-]+)", README, re.M)
    assert len(table) >= 6
    assert set(table) <= set(main.commands), set(table) - set(main.commands)
    assert set(main.commands) <= set(table), f"commands missing from README: {set(main.commands) - set(table)}"


def test_readme_names_the_test_command_that_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[test]" && python -m pytest' in README
    assert 'pip install -q -e ".[test]"' in ci and "python -m pytest" in ci
