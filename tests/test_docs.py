"""README stays true: its example briefing checks clean, its commands exist (like datasette's)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click

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


def _option_strings(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])\b", text))


def _sentence(start: str) -> set[str]:
    line = re.search(rf"^{re.escape(start)}.*$", README, re.M)
    assert line, f"README lost its sentence starting {start!r}"
    return _option_strings(line.group(0))


def test_readme_and_help_name_the_same_options() -> None:
    """Each command's row names its own options; two sentences name the ones all commands share."""
    every, all_but_init = _sentence("Every command takes"), _sentence("All but `init` also take")
    commands = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `briefgen ([a-z-]+)([^`]*)`", commands, re.M))
    for name, command in main.commands.items():
        documented = _option_strings(rows[name]) | every | (all_but_init if name != "init" else set())
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                assert set(param.opts) & documented, f"briefgen {name} {param.opts[0]} is not in README"
        actual = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        assert _option_strings(rows[name]) <= actual, f"README's briefgen {name} row names an option it lacks"
        assert every | (all_but_init if name != "init" else set()) <= actual, f"briefgen {name} lacks a shared option"
    shared = {o for p in main.params if p.name in ("project", "quiet", "debug") for o in p.opts}
    assert shared <= every | all_but_init


def test_how_it_works_names_files_that_exist() -> None:
    """README's "How it works" points a reader at files and folders: each one is there."""
    section = README.split("## How it works", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", section))
    assert len(named) > 20  # the section names the modules it describes
    package = REPO / "briefgen"
    missing = sorted(n for n in named if not ((package / n).exists() or (REPO / n).exists()))
    assert missing == []


def test_the_plugin_options_are_documented() -> None:
    """Every option the MkDocs plugin declares is in README and CONTENT-FORMAT.md."""
    from briefgen.engine.options import BriefgenOptions

    content_format = (REPO / "CONTENT-FORMAT.md").read_text(encoding="utf-8")
    for name, _ in BriefgenOptions._schema:
        assert f"{{briefgen: {{{name}: " in README and f"      {name}: " in content_format, name
