"""What a command prints: MkDocs-style log lines, and the report of problems with its count."""

from __future__ import annotations

import logging
import sys

import click

from ..diagnostics import Report


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


def print_report(report: Report, strict: bool, always: bool = False) -> None:
    """Every problem, then one line that counts them (printed when there are any, or `always`).
    Notes (findings about the evidence) are left out under --quiet, like other INFO lines."""
    quiet = logging.getLogger("briefgen").getEffectiveLevel() > logging.INFO
    for p in report.sorted():
        if not (quiet and p.severity == "note"):
            click.echo(str(p), err=True)
    e, w = len(report.errors), len(report.warnings)
    if e or w or always or (report.notes and not quiet):
        verdict = "failed" if report.failed(strict) else "passed"
        tail = " (--strict makes warnings fail)" if w and strict and not e else ""
        click.echo(f"briefgen: {report.counts()}; {verdict}{tail}", err=True)
