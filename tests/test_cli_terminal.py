"""The command as a terminal sees it: colour only on a terminal (never in a pipe or under
NO_COLOR), and one exit status per kind of outcome, each from a real process."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, make_project

from briefgen.cli import main

RED, YELLOW, CYAN, RESET = "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[0m"


def broken_project(tmp_path: Path) -> Path:
    """One error (a quote that is not in the source) and one warning (an unknown key, in Greek):
    colour must leave every other character of a line as it was."""
    project = make_project(tmp_path, {})
    assert CliRunner().invoke(main, ["-C", str(project), "new", "gavan", "--title", "Гавань"]).exit_code == 0
    yml = project / "content/gavan/briefing.yml"
    text = yml.read_text(encoding="utf-8").replace('"one thing worth briefing"', '"δύο πράγματα"')
    yml.write_text(text.replace("tags: []", "tags: []\nσημειώσεις: x"), encoding="utf-8")
    return project


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**base, "PYTHONPATH": str(REPO), **extra}


def on_a_terminal(args: list[str], environ: dict[str, str]) -> tuple[int, str]:
    """Run briefgen with stdout and stderr on a pseudo-terminal, as in an interactive shell."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", *args], stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env=environ)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("briefgen printed nothing for 60 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def in_a_pipe(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True, text=True,
                          env=environ, timeout=120)


def test_problems_and_the_summary_are_coloured_on_a_terminal(tmp_path):
    project = broken_project(tmp_path)
    status, out = on_a_terminal(["-C", str(project), "check"], env())
    assert status == 1, out
    lines = out.splitlines()
    assert any(ln.startswith("content/gavan/briefing.yml:") and f": {RED}error{RESET}: quote not found" in ln
               for ln in lines), out
    assert any(f": {YELLOW}warning{RESET}: unknown key 'σημειώσεις' in briefing.yml" in ln for ln in lines), out
    assert lines[-1] == (f"briefgen: {RED}1 error{RESET}, {YELLOW}1 warning{RESET}; "
                         f"\x1b[1;31mfailed{RESET}")


def test_notes_are_cyan_and_a_pass_green_on_a_terminal():
    status, out = on_a_terminal(["-C", str(REPO), "check", "--no-cache"], env())
    assert status == 0, out
    assert f": {CYAN}note{RESET}: fact 'heavy-lift' rests on one origin" in out
    assert out.splitlines()[-1] == f"briefgen: 0 errors, 0 warnings, {CYAN}5 notes{RESET}; \x1b[32mpassed{RESET}"


def test_no_colour_with_no_color_set_even_on_a_terminal(tmp_path):
    project = broken_project(tmp_path)
    status, out = on_a_terminal(["-C", str(project), "check"], env(NO_COLOR="1"))
    assert status == 1 and "\x1b" not in out
    assert out.splitlines()[-1] == "briefgen: 1 error, 1 warning; failed"


def test_no_colour_in_a_pipe_unless_forced(tmp_path):
    project = broken_project(tmp_path)
    plain = in_a_pipe(["-C", str(project), "check"], env())
    assert plain.returncode == 1 and "\x1b" not in plain.stderr
    assert plain.stderr.splitlines()[-1] == "briefgen: 1 error, 1 warning; failed"
    forced = in_a_pipe(["-C", str(project), "check"], env(FORCE_COLOR="1"))
    assert forced.returncode == 1 and f": {RED}error{RESET}: quote not found" in forced.stderr
    # NO_COLOR wins over FORCE_COLOR: the reader asked for none.
    both = in_a_pipe(["-C", str(project), "check"], env(FORCE_COLOR="1", NO_COLOR="1"))
    assert "\x1b" not in both.stderr


def test_a_one_line_error_is_coloured_too(tmp_path):
    status, out = on_a_terminal(["-C", str(tmp_path), "new", "harbour"], env())
    assert status == 1
    assert out.startswith(f"{RED}error{RESET}: {tmp_path} has no mkdocs.yml (or properdocs.yml)"), out


# -- exit status: 0 passed, 1 content or user error, 2 usage, 3 a bug --------------------------------

@pytest.mark.parametrize("args, status, says", [
    (["check"], 0, "briefgen: 0 errors, 0 warnings, 5 notes; passed"),
    (["check", "--site-dir", "x"], 2, "Error: No such option '--site-dir'"),
    (["build", "--no-such-option"], 2, "Error: No such option '--no-such-option'"),
    (["new"], 2, "Error: Missing argument 'BRIEFING_ID'."),
    (["serve", "--dev-addr", "127.0.0.1:99999"], 1, "error: --dev-addr must be HOST:PORT"),
    (["add-source", "khmeimim", "x.txt", "--timeout", "nan"], 1, "error: --timeout must be"),
])
def test_each_exit_status_from_a_real_process(args, status, says):
    proc = in_a_pipe(["-C", str(REPO), *args], env())
    assert proc.returncode == status, proc.stderr
    assert says in proc.stderr


def test_content_errors_exit_1(tmp_path):
    proc = in_a_pipe(["-C", str(broken_project(tmp_path)), "build"], env())
    assert proc.returncode == 1 and not (tmp_path / "project" / "site").exists()


def test_a_bug_exits_3_and_asks_for_a_report(tmp_path, monkeypatch):
    """A bug cannot be made on purpose from outside; one is put where check runs."""
    project = broken_project(tmp_path)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("briefgen.pipeline.check", broken)
    result = CliRunner().invoke(main, ["-C", str(project), "check"])
    assert result.exit_code == 3
    assert result.stderr == ("internal error: ZeroDivisionError: a bug (run with --debug for details, "
                             "and please report it)\n")


_PRINTS_THEN_RUNS = """
import sys
print("printed before the command, still in Python's buffer")
sys.argv = ["briefgen", *sys.argv[1:]]
from briefgen.cli import run
run()
"""


def test_a_command_that_ends_at_once_has_printed_every_line_into_a_file(tmp_path):
    """`briefgen` ends its process without tearing the interpreter down (cli.run): what the
    process printed to a file, which Python buffers whole, is written before it goes."""
    project = broken_project(tmp_path)
    for fmt in ("json", "text"):  # problems on standard output; on standard error, nothing else there
        with open(tmp_path / "out.txt", "w") as out, open(tmp_path / "err.txt", "w") as err:
            status = subprocess.run([sys.executable, "-c", _PRINTS_THEN_RUNS, "-C", str(project), "check",
                                     "--format", fmt], stdout=out, stderr=err, timeout=120,
                                    env={k: v for k, v in env().items() if k != "PYTHONUNBUFFERED"}).returncode
        assert status == 1
        first, *lines = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
        assert first == "printed before the command, still in Python's buffer"
        severities = [json.loads(line)["severity"] for line in lines]
        assert severities == (["warning", "error"] if fmt == "json" else [])  # by line: the key comes first
        assert (tmp_path / "err.txt").read_text(encoding="utf-8").endswith("briefgen: 1 error, 1 warning; failed\n")


def test_under_a_profiler_the_command_ends_as_python_does_so_the_profile_is_written(tmp_path):
    """Ending at once would lose what a profiler or coverage tool writes at exit."""
    out = tmp_path / "briefgen.prof"
    proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "briefgen", "--version"],
                          capture_output=True, text=True, env=env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("briefgen, version ")
    assert out.stat().st_size > 0


_STOPPED_WHILE_IMPORTING = """
import sys
from briefgen.console import run

class StopsTheImport:  # as if Ctrl-C came while Python read the command's modules
    def find_spec(self, name, path=None, target=None):
        if name == "briefgen.cli":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, StopsTheImport())
run()
"""


def test_ctrl_c_while_the_command_is_still_importing_exits_130_without_a_traceback():
    proc = subprocess.run([sys.executable, "-c", _STOPPED_WHILE_IMPORTING, "--version"], capture_output=True,
                          text=True, timeout=60, env=env())
    assert (proc.returncode, proc.stdout, proc.stderr) == (130, "", "")


def test_the_console_script_is_the_one_that_stops_quietly():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "briefgen"]
    assert script.value == "briefgen.console:run"
