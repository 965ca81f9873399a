"""README and docs/ stay true: the example briefing checks clean, the commands exist (like
datasette's), and every console command they show runs as shown."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest
from conftest import http_get, wait_for

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
    every = _sentence("Every command takes") | _sentence("Every command also takes")
    commands = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| `briefgen ([a-z-]+)([^`]*)`", commands, re.M))
    for name, command in main.commands.items():
        documented = _option_strings(rows[name]) | every
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                assert set(param.opts) & documented, f"briefgen {name} {param.opts[0]} is not in README"
        actual = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        assert _option_strings(rows[name]) <= actual, f"README's briefgen {name} row names an option it lacks"
        assert every <= actual, f"briefgen {name} lacks a shared option"
    shared = {o for p in main.params if p.name in ("project", "quiet", "debug") for o in p.opts}
    assert shared <= every


# -- every console command the docs show, run -------------------------------------------------------
#
# Each ```console block of README.md, CONTENT-FORMAT.md and docs/*.md runs as one shell session
# (so `cd` and `echo $?` work as a reader's would) in a fresh clone of this repository, whose
# content/, mkdocs.yml and docs/ are then replaced by this tree's. Substituted, and only this:
# - the install steps (`python3 -m venv ...`, `pip install ...`) are not run: `briefgen` on PATH
#   runs this tree's code (a network install of a placeholder URL cannot run here);
# - `briefgen serve` is given `--dev-addr 127.0.0.1:0` (port 8000 may be taken on a shared
#   machine), runs in the background until its page is served, and is then stopped;
# - what a block says happened before it (a saved article, a broken briefing) is made by SETUP;
# - the commands in SKIPPED are not run, for the reason given.
# A command must exit 0 unless the block's next command is `echo $?`, which shows its status.
# Output the doc shows must be the command's output line for line (durations aside: "0.50
# seconds" matches any); a line `…` stands for any number of lines.

DOCS = [REPO / "README.md", REPO / "CONTENT-FORMAT.md", *sorted((REPO / "docs").glob("*.md"))]
INSTALL = re.compile(r"^(python3 -m venv \S+ && \. \S+/bin/activate|pip install (\S+|\"[^\"]+\"))( && |$)")
SKIPPED = {
    'pip install -e ".[test]" && python -m pytest':
        "the whole suite, this test included: .ci/run runs it (see test_readme_names_the_test_command_that_ci_runs)",
    "python benchmarks/run.py --serve        # about 5 minutes; see benchmarks/README.md":
        "five minutes of benchmark; tests/test_benchmark_smoke.py runs each benchmark small",
}
ARTICLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Port closed after strike | Reuters</title>
<meta property="og:title" content="Port closed after strike"><meta property="og:site_name" content="Reuters">
<meta property="article:published_time" content="2025-03-04T09:30:00Z">
<link rel="canonical" href="https://www.reuters.com/world/port-closed-after-strike-2025-03-04/"></head>
<body><article><h1>Port closed after strike</h1>
<p>The harbour authority closed the container port on Tuesday after a drone struck a fuel depot, officials said.</p>
<p>Ships waiting offshore were told to hold position until divers had inspected the berths.</p>
</article></body></html>
"""


def _break_the_example(project: Path) -> None:
    """What docs/commands.md says it did: a quote broken, a source id and a key misspelt."""
    yml = project / "content/khmeimim/briefing.yml"
    text = yml.read_text(encoding="utf-8")
    for old, new in [('jpost: "Russia is packing up military', 'jpost: "Russia is packing military'),
                     ("source: japantimes\n        quote: \"examined", "source: japantime\n        quote: \"examined"),
                     ('quote: "scaling down its presence', 'qoute: "scaling down its presence')]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    yml.write_text(text, encoding="utf-8")


SETUP = {
    ("commands.md", "briefgen check"): _break_the_example,
    ("README.md", "briefgen add-source port-closure saved-article.html      # or a URL, or a .txt file and --outlet NAME"):
        lambda project: (project / "saved-article.html").write_text(ARTICLE, encoding="utf-8"),
}


@dataclass
class Step:
    command: str
    shown: list[str] = field(default_factory=list)


def console_blocks(path: Path) -> list[list[Step]]:
    blocks = []
    for body in re.findall(r"^```console\n(.*?)^```$", path.read_text(encoding="utf-8"), re.M | re.S):
        steps: list[Step] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:]))
            else:
                assert steps, f"{path.name}: a console block starts with output, not a command"
                steps[-1].shown.append(line)
        blocks.append(steps)
    return blocks


BLOCKS = [(path.name, n, steps) for path in DOCS for n, steps in enumerate(console_blocks(path))]


def test_the_docs_show_commands_and_every_exception_is_still_in_them():
    commands = {(name, s.command) for name, _, steps in BLOCKS for s in steps}
    assert len(BLOCKS) >= 5 and len(commands) >= 9
    assert set(SETUP) <= commands, set(SETUP) - commands
    assert set(SKIPPED) <= {c for _, c in commands}, set(SKIPPED) - {c for _, c in commands}


def _same_lines(actual: list[str], shown: list[str]) -> bool:
    """`shown` matches `actual` line for line, each `…` standing for any run of lines."""
    def norm(line: str) -> str:
        return re.sub(r"\b\d+\.\d+ seconds\b", "N seconds", line.rstrip())
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "…" else re.escape(norm(line) + "\n") for line in shown)
    return re.fullmatch(pattern, "".join(norm(line) + "\n" for line in actual)) is not None


def _fresh_clone(tmp_path: Path) -> Path:
    project = tmp_path / "briefgen"
    subprocess.run(["git", "clone", "-q", str(REPO), str(project)], check=True, capture_output=True, timeout=120)
    for name in ("content", "docs"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _environment(tmp_path: Path) -> dict[str, str]:
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "briefgen").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m briefgen "$@"\n')
    (shims / "briefgen").chmod(0o755)
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**environ, "PATH": f"{shims}{os.pathsep}{environ['PATH']}", "PYTHONPATH": str(REPO)}


MARK = "\x1e"  # between one command's output and the next; no command prints it


def _script(steps: list[Step]) -> str:
    lines = ["exec 2>&1", "__s=0"]
    for step in steps:  # (exit $__s): the status the last command left, for an `echo $?`
        lines += [f"printf '{MARK}\\n'; (exit $__s)", step.command, f"__s=$?; printf '{MARK}%d\\n' $__s"]
    return "\n".join(lines + [f"printf '{MARK}%s\\n' \"$PWD\""]) + "\n"


@pytest.mark.parametrize("doc, n, steps", BLOCKS, ids=[f"{name}-{n}" for name, n, _ in BLOCKS])
def test_each_console_command_in_the_docs_runs_as_shown(tmp_path, doc, n, steps):
    shallow = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True).stdout.strip()
    if shallow != "false":
        pytest.skip(f"not a full git checkout ({shallow or 'no git'}): the example would build without its "
                    "history, fewer pages than shown")
    project, environ = _fresh_clone(tmp_path), _environment(tmp_path)
    run = []
    for step in steps:
        if step.command in SKIPPED:
            continue
        command = INSTALL.sub("", step.command)
        if command.strip():
            run.append(Step(command, step.shown))
        if (doc, step.command) in SETUP:
            SETUP[doc, step.command](project)
    serve = run.pop() if run and run[-1].command.startswith("briefgen serve") else None
    assert not any(s.command.startswith("briefgen serve") for s in run), "serve must end its block"
    if not run and serve is None:
        pytest.skip(f"nothing here runs: {[s.command for s in steps]}")
    out = subprocess.run(["bash", "-c", _script(run)], cwd=project, env=environ, capture_output=True,
                         text=True, timeout=600).stdout
    parts = out.split(MARK)[1:]
    where = Path(parts[-1].strip())
    for i, step in enumerate(run):
        printed, status = parts[2 * i].split("\n")[1:-1], int(parts[2 * i + 1].strip())
        told = i + 1 < len(run) and run[i + 1].command == "echo $?"
        assert status == 0 or told, f"`{step.command}` exited {status}:\n" + "\n".join(printed)
        if step.shown:
            assert _same_lines(printed, step.shown), (f"`{step.command}` printed\n" + "\n".join(printed)
                                                      + "\nnot as the doc shows:\n" + "\n".join(step.shown))
    if serve is not None:
        _serve_as_shown(serve.command, where, environ)


def _serve_as_shown(command: str, where: Path, environ: dict[str, str]) -> None:
    log = where / "serve-log.txt"
    with log.open("w") as out:
        proc = subprocess.Popen(["bash", "-c", f"exec {command} --dev-addr 127.0.0.1:0"], cwd=where, env=environ,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        served = re.compile(r"Serving on (http://127\.0\.0\.1:\d+/)")
        assert wait_for(lambda: served.search(log.read_text())), log.read_text()
        url = served.search(log.read_text())[1]
        assert "My first briefing" in http_get(url + "first-briefing/"), log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_screenshot_is_a_real_png_1280_wide_and_small():
    """README's picture of a briefing (docs/screenshot.py retakes it): a PNG whose header says
    1280 px wide, under 200 KB so the README loads quickly."""
    shot = (REPO / "docs" / "screenshot.png").read_bytes()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and shot[12:16] == b"IHDR"
    assert int.from_bytes(shot[16:20], "big") == 1280
    assert len(shot) < 200_000
    assert "docs/screenshot.png)" in README


def test_how_it_works_names_files_that_exist() -> None:
    """docs/internals.md's "How it works" points a reader at files and folders: each is there."""
    internals = (REPO / "docs" / "internals.md").read_text(encoding="utf-8")
    section = internals.split("## How it works", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", section))
    assert len(named) > 20  # the section names the modules it describes
    package = REPO / "briefgen"
    missing = sorted(n for n in named if not ((package / n).exists() or (REPO / n).exists()))
    assert missing == []


def test_the_plugin_options_are_documented() -> None:
    """Every option the MkDocs plugin declares is in README and CONTENT-FORMAT.md's example."""
    from briefgen.engine.options import BriefgenConfig

    content_format = (REPO / "CONTENT-FORMAT.md").read_text(encoding="utf-8")
    for name, _ in BriefgenConfig._schema:
        assert f"briefgen: {{{name}: " in README and f"      {name}: " in content_format, name


def test_links_between_the_docs_lead_to_files_in_the_repository() -> None:
    """CONTENT-FORMAT.md and docs/ link to each other by relative paths: each is a file. (README
    links by address, as PyPI shows it away from the repository: test_packaging.py.)"""
    pages = [REPO / "CONTENT-FORMAT.md", *sorted((REPO / "docs").glob("*.md"))]
    links = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:|#", target):
                continue
            links += 1
            assert (page.parent / target.split("#")[0]).is_file(), f"{page.name}: {target}"
    assert links >= 5
