"""What a command prints: MkDocs-style log lines, and the report of problems with its count."""

from __future__ import annotations

import json
import logging
import os
import re
import sys

import click

from ..diagnostics import Problem, Report, inert

# `--format`: how each problem is printed. text: `path:line:col: severity: message` (standard
# error); github: a GitHub Actions workflow command, which the runner turns into an annotation
# at that line of the pull request; json: one JSON object per line. The last two go to standard
# output, where tools read them; the count line stays on standard error in every format.
FORMATS = ("text", "github", "json")
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def _command_data(text: str) -> str:
    """Text as GitHub's workflow-command format needs it: % and line ends escaped, so a message
    cannot end the command early or start another on a line of its own."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    """A property value (file=...): also : and , escaped, which end a property."""
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(p: Problem) -> str:
    # inert(): control and bidi characters shown as escapes, as in the text format.
    return (f"::{_GITHUB_LEVEL[p.severity]} file={_command_property(inert(p.pos.path))},"
            f"line={p.pos.line},col={p.pos.col}::{_command_data(inert(p.message))}")


def json_line(p: Problem) -> str:
    # ASCII-only JSON: every other character is an escape, so no byte of it can disturb a terminal.
    return json.dumps({"file": p.pos.path, "line": p.pos.line, "col": p.pos.col,
                       "severity": p.severity, "message": p.message})


def _problem_line(p: Problem, fmt: str) -> tuple[str, bool]:
    """The line for one problem, and whether it goes to standard error."""
    if fmt == "github":
        return github_line(p), False
    if fmt == "json":
        return json_line(p), False
    return str(p), True

# SGR colours by severity: red, yellow, cyan; the verdict in bold red or green.
_COLOURS = {"error": "31", "warning": "33", "note": "36", "failed": "1;31", "passed": "32"}
# The severity after `path:line:col: ` (or at the start of a one-line `error:`), and the counts
# and verdict of the summary line. A message's own words are never coloured: only these tokens.
_SEVERITY = re.compile(r"^((?:.*?:\d+:\d+: )?(?:internal )?)(error|warning|note)(?=:)")
_SUMMARY = re.compile(r"\b(\d+) (error|warning|note)s?\b|\b(failed|passed)\b")


def colour_wanted(stream: object = None) -> bool:
    """Colour on a terminal, as https://no-color.org asks: a non-empty NO_COLOR turns it off,
    a non-empty FORCE_COLOR turns it on for a pipe too (a CI log that shows colours)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream if stream is not None else sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def _sgr(word: str, key: str) -> str:
    return f"\x1b[{_COLOURS[key]}m{word}\x1b[0m"


def say(line: str) -> None:
    """One diagnostic line to stderr: `path:line:col: error: ...`, `error: ...` or the summary."""
    colour = colour_wanted()
    if colour:
        if line.startswith("briefgen: "):
            line = "briefgen: " + _SUMMARY.sub(_paint_summary, line[len("briefgen: "):])
        else:
            line = _SEVERITY.sub(lambda m: m[1] + _sgr(m[2], m[2]), line, count=1)
    # color=True: click would strip the codes it did not expect, on a pipe under FORCE_COLOR
    click.echo(line, err=True, color=colour)


def _paint_summary(m: re.Match[str]) -> str:
    if m[3]:
        return _sgr(m[3], m[3])
    return m[0] if m[1] == "0" else _sgr(m[0], m[2])


class _MkDocsStyle(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"


class _HideStaging(logging.Filter):
    """MkDocs names the staging folder it builds in, and times its own part of the build;
    users only need to know about site/ and the whole build (briefgen's own line says both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        return not msg.startswith(("Cleaning site directory", "Building documentation to directory",
                                   "Documentation built in"))


def setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_MkDocsStyle())
    handler.addFilter(_HideStaging())
    for name in ("mkdocs", "briefgen"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.propagate = False


def print_report(report: Report, strict: bool, always: bool = False, fmt: str = "text") -> None:
    """Every problem, then one line that counts them (printed when there are any, or `always`).
    Notes (findings about the evidence) are left out under --quiet, like other INFO lines."""
    quiet = logging.getLogger("briefgen").getEffectiveLevel() > logging.INFO
    for p in report.sorted():
        if not (quiet and p.severity == "note"):
            line, err = _problem_line(p, fmt)
            if err:
                say(line)  # the text format, coloured on a terminal
            else:
                click.echo(line)
    e, w = len(report.errors), len(report.warnings)
    if e or w or always or (report.notes and not quiet):
        verdict = "failed" if report.failed(strict) else "passed"
        tail = " (--strict makes warnings fail)" if w and strict and not e else ""
        say(f"briefgen: {report.counts()}; {verdict}{tail}")
