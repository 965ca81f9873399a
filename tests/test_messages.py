"""What the writer is told when a quote does not check out: where, and nothing doubled."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import make_project

from briefgen.cli import main

SOURCE = """\
---
title: Harbour
outlet: Harbour Wire
---
Officials said talks would resume on Thursday.

The union said talks had stalled.

Dock workers at Port Verrin walked out on Monday, leaving at least two container ships waiting at anchor beyond the breakwater, where pilots said the swell had risen overnight and the harbour master had closed the northern channel to all traffic until further notice.
"""


def _check(tmp_path: Path, quote: str) -> list[str]:
    project = make_project(tmp_path, {
        "content/port/briefing.yml": f'title: Port\nas_of: 2025-01-01\nsummary:\n  - text: A.\n    cite: [{{wire: "{quote}"}}]\n',
        "content/port/sources/wire.md": SOURCE,
    })
    result = CliRunner().invoke(main, ["-C", str(project), "check"])
    assert result.exit_code == 1
    return [line for line in result.output.splitlines() if ": error: " in line]


def test_an_ambiguous_quote_says_on_which_lines_it_occurs(tmp_path: Path):
    # "talks" is in the paragraph on line 5 and the one on line 7 of the file; the quote opens
    # at column 19 of `    cite: [{wire: "talks"}]`.
    assert _check(tmp_path, "talks") == [
        "content/port/briefing.yml:5:19: error: quote occurs 2 times in content/port/sources/wire.md "
        "(lines 5 and 7); quote more words so it occurs exactly once"]


def test_a_long_suggestion_is_framed_by_one_ellipsis_each_side(tmp_path: Path):
    quote = ("Dock workers at Port Verrin walked out on Monday, leaving at least two container ships "
             "waiting at anchor beyond the breakwater, where pilots said the swell had rise overnight")
    (line,) = _check(tmp_path, quote)
    assert line.startswith("content/port/briefing.yml:5:19: error: quote not found in content/port/sources/wire.md; "
                           'did you mean "...Dock workers at Port Verrin walked out on Monday,')
    assert line.endswith('..."?')
    assert "…" not in line and "...." not in line
