"""`check --format github` and `--format json` (#27): each problem as a GitHub Actions annotation
at its line, or as one JSON object per line; the text format and the exit status unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from briefgen.commands.output import github_line, json_line
from briefgen.diagnostics import Pos, Problem

REPO = Path(__file__).resolve().parents[1]

# Greek and Arabic lines; the Greek quote says Tuesday where the source says Monday.
WIRE = "Οι λιμενεργάτες απεργούν από τη Δευτέρα.\nأضرب عمال الميناء يوم الاثنين.\n"
BRIEFING = """\
title: Λιμάνι σε απεργία
as_of: 2024-11-06
"50%, a:b": 1
sources:
  wire: {outlet: Wire, title: Strike}
summary:
  - text: On strike.
    cite:
      - wire: "Οι λιμενεργάτες απεργούν από την Τρίτη"
      - wire: "عمال الميناء"
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("formats")
    (root / "content" / "port" / "sources").mkdir(parents=True)
    (root / "content" / "port" / "sources" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (root / "content" / "port" / "briefing.yml").write_text(BRIEFING, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    return root


def check(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", "check", *args], cwd=project,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


KNOWN = "(known keys: title, as_of, lang, tags, sources, summary, facts, questions, timeline)"
NOT_FOUND = ("quote not found in content/port/sources/wire.txt; did you mean "
             "\"...Οι λιμενεργάτες απεργούν από τη Δευτέρα...\"?")


def test_github_annotations_on_standard_output(project):
    proc = check(project, "--format", "github")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"::warning file=content/port/briefing.yml,line=3,col=1::unknown key '50%25, a:b' in briefing.yml {KNOWN}",
        f"::error file=content/port/briefing.yml,line=9,col=15::{NOT_FOUND}",
    ]
    assert proc.stderr.splitlines()[-1] == "briefgen: 1 error, 1 warning; failed"


def test_json_lines_one_object_per_problem(project):
    proc = check(project, "--format", "json")
    assert proc.returncode == 1
    assert proc.stdout.isascii()  # every other character escaped
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows == [
        {"file": "content/port/briefing.yml", "line": 3, "col": 1, "severity": "warning",
         "message": f"unknown key '50%, a:b' in briefing.yml {KNOWN}"},
        {"file": "content/port/briefing.yml", "line": 9, "col": 15, "severity": "error", "message": NOT_FOUND},
    ]
    assert [list(r) for r in rows] == [["file", "line", "col", "severity", "message"]] * 2


def test_text_stays_the_default_and_strict_still_decides(project):
    proc = check(project)
    assert proc.stdout == "" and proc.returncode == 1
    assert f"content/port/briefing.yml:9:15: error: {NOT_FOUND}" in proc.stderr.splitlines()
    fixed = project.parent / "fixed"
    (fixed / "content" / "port" / "sources").mkdir(parents=True)
    (fixed / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (fixed / "content" / "port" / "sources" / "wire.txt").write_text(WIRE, encoding="utf-8")
    text = BRIEFING.replace("την Τρίτη", "τη Δευτέρα")
    (fixed / "content" / "port" / "briefing.yml").write_text(text, encoding="utf-8")
    assert check(fixed, "--format", "github").returncode == 0  # a warning alone passes
    strict = check(fixed, "--format", "github", "--strict")
    assert strict.returncode == 1 and strict.stdout.startswith("::warning file=content/port/briefing.yml,line=3,")


def test_annotations_cannot_be_ended_early_or_forge_a_command():
    # A file name with GitHub's property separators, a message with % and line ends: a line end
    # in a message would start a new line, which the runner would read as a command of its own.
    p = Problem(Pos("content/a,b:c/briefing.yml", 4, 2), "note", "50% sure\r\n::error::forged")
    assert github_line(p) == ("::notice file=content/a%2Cb%3Ac/briefing.yml,line=4,col=2::"
                              "50%25 sure\\r\\n::error::forged")
    assert "\n" not in github_line(p) and "\r" not in github_line(p)
    bidi = Problem(Pos("x.yml"), "error", "quote \u202e evil")
    assert github_line(bidi) == "::error file=x.yml,line=1,col=1::quote \\u202e evil"
    assert json.loads(json_line(p))["message"] == "50% sure\r\n::error::forged"  # JSON keeps the text


def test_the_pages_workflow_annotates_pull_requests(tmp_path):
    from briefgen.commands.installed import Origin
    from briefgen.commands.scaffold import init_project

    init_project(tmp_path / "site", Origin("briefgen==1.0", "test"))
    workflow = yaml.safe_load((tmp_path / "site" / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    runs = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert "briefgen build --strict --format github" in runs
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert workflow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"
