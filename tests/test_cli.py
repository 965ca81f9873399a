"""The `briefgen` command as a user runs it: help, version, new, init, check and build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import REPO, SiteReader, make_project, tree_hash

import briefgen
from briefgen.cli import main

COMMANDS = sorted(main.commands)


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="briefgen")


def test_top_level_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: briefgen [OPTIONS] COMMAND [ARGS]...")
    for name in ("build", "check", "serve", "new", "init"):
        assert re.search(rf"^\s+{name}\s+\S", result.output, re.M), f"{name} missing from --help"


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"briefgen, version {briefgen.__version__}"


def test_python_dash_m_version_in_a_subprocess():
    proc = subprocess.run([sys.executable, "-m", "briefgen", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"briefgen, version {briefgen.__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: briefgen {command} [OPTIONS]")
    summary = main.commands[command].get_short_help_str(limit=200).rstrip(".")
    assert summary and summary[:30] in " ".join(result.output.split())


def test_new_creates_a_briefing_that_check_accepts_and_never_overwrites(tmp_path):
    project = make_project(tmp_path, {})
    result = run("-C", str(project), "new", "harbour-watch")
    assert result.exit_code == 0, result.output
    folder = project / "content" / "harbour-watch"
    assert (folder / "briefing.yml").is_file() and any((folder / "sources").iterdir())

    checked = run("-C", str(project), "check")
    assert checked.exit_code == 0, checked.stderr
    assert "0 errors" in checked.stderr

    (folder / "briefing.yml").write_text((folder / "briefing.yml").read_text() + "# my own edits\n")
    before = tree_hash(project)
    again = run("-C", str(project), "new", "harbour-watch")
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert tree_hash(project) == before


def test_new_rejects_a_bad_or_reserved_id_without_creating_anything(tmp_path):
    project = make_project(tmp_path, {})
    for bad in ("Harbour Watch", "search"):
        result = run("-C", str(project), "new", bad)
        assert result.exit_code == 1, bad
        assert result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.output + result.stderr
    assert not (project / "content").exists()


def test_init_creates_a_project_that_builds_and_refuses_to_run_twice(tmp_path):
    target = tmp_path / "newsroom"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "mkdocs.yml").is_file() and (target / "content").is_dir()

    built = run("-C", str(target), "build")
    assert built.exit_code == 0, built.stderr
    site = target / "site"
    assert (site / "index.html").is_file() and (site / "first-briefing" / "index.html").is_file()
    counts = SiteReader(site).follow_everything()
    assert counts["cite"] >= 1

    before = tree_hash(target)
    again = run("init", str(target))
    assert again.exit_code == 1
    assert "never overwrites" in again.stderr
    assert tree_hash(target) == before


def test_check_writes_only_its_cache(tmp_path):
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    before = tree_hash(project)
    result = run("-C", str(project), "check", "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert tree_hash(project) == before
    result = run("-C", str(project), "check")
    assert result.exit_code == 0, result.stderr
    after = tree_hash(project)
    assert {k: v for k, v in after.items() if not k.startswith(".briefgen-cache")} == before
    cached = sorted(k for k in after if k.startswith(".briefgen-cache"))
    assert cached[:2] == [".briefgen-cache", ".briefgen-cache/sources"] and len(cached) == 3  # the one source's
    assert re.fullmatch(r"\.briefgen-cache/sources/[0-9a-f]{32}\.json", cached[2])
    assert not (project / "site").exists()


def test_check_reports_errors_as_path_line_col_and_exits_1(tmp_path):
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    yml = project / "content/harbour/briefing.yml"
    yml.write_text(yml.read_text().replace('"one thing worth briefing"', '"two things worth briefing"'))
    result = run("-C", str(project), "check")
    assert result.exit_code == 1
    assert re.search(r"^content/harbour/briefing\.yml:\d+:\d+: error: quote not found", result.stderr, re.M)
    assert result.stderr.rstrip().splitlines()[-1] == "briefgen: 1 error, 0 warnings; failed"
    assert not (project / "site").exists()


def test_build_ends_with_a_line_of_counts_and_the_time(tmp_path):
    files = {}
    for bid, sources in (("harbour", ("wire", "herald")), ("airfield", ("desk",))):
        cites = "\n".join(f"      - {s}: \"{s} saw it at the {bid}\"" for s in sources)
        files[f"content/{bid}/briefing.yml"] = (f"title: {bid.title()}\nas_of: 2024-05-02\nsummary:\n"
                                                f"  - text: Seen.\n    cite:\n{cites}\n"
                                                f"  - text: Seen again.\n    cite:\n{cites.splitlines()[0]}\n")
        for s in sources:
            files[f"content/{bid}/sources/{s}.md"] = (f"---\ntitle: Report\noutlet: {s.title()}\n---\n"
                                                      f"The {s} saw it at the {bid} on Monday.\n")
    project = make_project(tmp_path, files)
    result = run("-C", str(project), "build")
    assert result.exit_code == 0, result.stderr
    last = result.stderr.rstrip().splitlines()[-1]
    # 2 briefings, 3 sources; citations: harbour 2 + 1, airfield 1 + 1
    assert re.fullmatch(r"INFO\s+-\s+Built 2 briefings, 3 sources, 5 citations \(\d+ pages\) "
                        r"into site/ in \d+(\.\d+)? seconds", last), last
    assert (project / "site" / "index.html").is_file()
    # Two lines in all (and that a project outside git has no history): MkDocs' own timing and
    # the staging folder it builds in are not shown.
    assert len(result.stderr.strip().splitlines()) == 3, result.stderr
    assert "History not available" in result.stderr.splitlines()[1]
    assert ".briefgen-build-" not in result.stderr and "Documentation built" not in result.stderr


def test_quiet_build_prints_nothing_on_success(tmp_path):
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    result = run("-C", str(project), "-q", "build")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and (project / "site/harbour/index.html").is_file()


# -- options where users put them ------------------------------------------------------------------

def test_shared_options_work_after_the_command_name_too(tmp_path):
    project = make_project(tmp_path, {})
    assert run("new", "harbour", "-C", str(project), "--quiet").exit_code == 0
    after = run("build", "-C", str(project), "--quiet")
    assert after.exit_code == 0, after.output
    assert after.stderr == "" and (project / "site/harbour/index.html").is_file()
    before = run("-C", str(project), "-q", "check", "--debug")
    assert before.exit_code == 0 and before.stderr == "", before.stderr  # quiet: nothing on success
    loud = run("check", "-C", str(project))
    assert loud.exit_code == 0 and "Checked 1 briefing" in loud.stderr


def test_a_project_folder_given_relative_to_the_current_one_builds(tmp_path, monkeypatch):
    """MkDocs reads a relative site_dir against the config's folder: this built into project/project/."""
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = run("-C", project.name, "-q", "build")
    assert result.exit_code == 0, result.stderr
    assert (project / "site/harbour/index.html").is_file() and not (project / project.name).exists()


def test_the_project_given_after_the_command_name_wins(tmp_path):
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("-C", str(elsewhere), "check", "-C", str(project))
    assert result.exit_code == 0, result.stderr


def test_debug_after_the_command_name_shows_the_traceback(tmp_path, monkeypatch):
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("briefgen.pipeline.check", broken)
    plain = run("check", "-C", str(project))
    # 3: a bug has its own code, apart from a user's mistake (1) and click's usage errors (2)
    assert plain.exit_code == 3 and "internal error: RuntimeError: a bug" in plain.stderr
    debug = run("check", "-C", str(project), "--debug")
    assert isinstance(debug.exception, RuntimeError)


def test_an_oserror_is_the_machine_speaking_not_a_bug(tmp_path, monkeypatch):
    """A full disk where MkDocs copies the theme's files (shutil.copyfile, as a full disk fails
    it) is one `error:` line naming the destination, exit 1, and no site. Where root may mount
    a small file system, tests/test_environment.py fills a real disk."""
    import errno
    import shutil

    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0

    def full(src, dst, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))

    monkeypatch.setattr(shutil, "copyfile", full)
    result = run("-C", str(project), "-q", "build")
    assert result.exit_code == 1
    assert re.fullmatch(r"error: \S+/\.briefgen-build/\S+/site/\S+: no space left on the device; "
                        r"free some space and run again\n", result.stderr), result.stderr
    assert not (project / "site").exists() and not (project / ".briefgen-build").exists()


def test_config_file_and_site_dir_as_mkdocs_has_them(tmp_path):
    project = make_project(tmp_path, {"mkdocs.yml": "site_name: Default\ntheme: material\n",
                                      "other.yml": "site_name: The other site\ntheme: material\n"})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    result = run("build", "-C", str(project), "-f", "other.yml", "-d", "public", "-q")
    assert result.exit_code == 0, result.stderr
    assert not (project / "site").exists()
    page = (project / "public" / "index.html").read_text(encoding="utf-8")
    assert "The other site" in page and "Default" not in page
    long = run("-C", str(project), "build", "--config-file", "mkdocs.yml", "--site-dir", "out")
    assert long.exit_code == 0, long.stderr
    assert "into out/" in long.stderr and "Default" in (project / "out/index.html").read_text(encoding="utf-8")
    missing = run("-C", str(project), "build", "-f", "nope.yml")
    assert missing.exit_code == 1 and missing.stderr.startswith("error: nope.yml: no such file")


@pytest.mark.parametrize("command", ["check", "build"])
def test_outside_a_project_the_hint_is_init(tmp_path, command):
    result = run("-C", str(tmp_path), command)
    assert result.exit_code == 1
    assert "briefgen init <dir>" in result.stderr and "briefgen new" not in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_project_without_briefings_is_told_to_add_one(tmp_path):
    project = make_project(tmp_path, {})
    result = run("check", "-C", str(project))
    assert result.exit_code == 1 and "briefgen new <briefing-id>" in result.stderr


def test_serve_reads_the_config_file_it_is_given(tmp_path):
    """serve reads its settings before it listens: a missing -f file stops it with one line."""
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    result = run("serve", "-C", str(project), "-f", "elsewhere.yml")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: elsewhere.yml: no such file"), result.stderr


@pytest.mark.parametrize("where, arg", [("parent", "news"), ("sibling", "../news")])
def test_a_relative_project_folder_builds_with_staging_inside_it(tmp_path, monkeypatch, where, arg):
    """`briefgen -C news build` (README's own example) crashed: the staging folder became
    news/news/.briefgen-build, which MkDocs could not find."""
    project = tmp_path / "news"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (tmp_path / "sibling").mkdir()
    monkeypatch.chdir(tmp_path if where == "parent" else tmp_path / "sibling")
    result = CliRunner().invoke(main, ["-C", arg, "build"])
    assert result.exit_code == 0, result.output
    assert (project / "site" / "khmeimim" / "index.html").is_file()
    assert not (project / "news").exists() and not (tmp_path / "sibling" / ".briefgen-build").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news", "sibling"]


@pytest.mark.parametrize("args", [["new", "harbour"], ["add-source", "harbour", "notes.txt"], ["diff"]])
def test_commands_that_write_or_read_content_refuse_outside_a_project(tmp_path, monkeypatch, args):
    """`briefgen new` in any folder quietly created content/harbour/ there."""
    (tmp_path / "notes.txt").write_text("Headline\nA line.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr == (f"error: {tmp_path} has no mkdocs.yml (or properdocs.yml), so it is not a briefgen "
                             "project: run this in the project root, pass -C <project folder>, or create one with "
                             "`briefgen init <dir>`\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_short_version_flag():
    result = CliRunner().invoke(main, ["-V"])
    assert result.exit_code == 0 and result.output == f"briefgen, version {briefgen.__version__}\n"



def test_c_naming_a_link_that_loops_is_one_error_line(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    for command in (["build"], ["check"], ["serve"], ["new", "x"], ["diff"], ["add-source", "x", "a.txt"],
                    ["init", "x"]):
        result = CliRunner().invoke(main, ["-C", str(tmp_path / "loop"), *command])
        assert (result.exit_code, result.stderr) == (1, f"error: -C {tmp_path / 'loop'}: a symlink that loops, "
                                                        "not a folder\n"), command
    made = CliRunner().invoke(main, ["-C", str(tmp_path), "init", "loop"])  # the folder to make is the loop
    assert (made.exit_code, made.stderr) == (1, f"error: {tmp_path / 'loop'} exists and is not a folder; "
                                                "briefgen init never overwrites\n")
