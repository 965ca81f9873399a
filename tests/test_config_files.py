"""Which config file a command reads (mkdocs.yml, else ProperDocs' properdocs.yml) and what of
docs_dir it leaves out (exclude_docs), in real builds."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import make_project

from briefgen.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="briefgen")


# -- ProperDocs' properdocs.yml ---------------------------------------------------------------------

def site_name(project):
    found = re.search(r'<meta property="og:site_name" content="([^"]*)">',
                      (project / "site" / "index.html").read_text(encoding="utf-8"))
    return found and found[1]


PROPERDOCS = "site_name: Ναυτικά νέα\ntheme: material\nplugins: [search]\n"


def test_a_properdocs_project_builds_without_f(tmp_path):
    project = make_project(tmp_path, {"properdocs.yml": PROPERDOCS})
    (project / "mkdocs.yml").unlink()  # make_project adds one; this project is ProperDocs' own
    assert run("-C", str(project), "new", "harbour").exit_code == 0  # a project, though without mkdocs.yml
    result = run("-C", str(project), "build")
    assert result.exit_code == 0, result.stderr
    assert site_name(project) == "Ναυτικά νέα"
    assert "Using" not in result.stderr


def test_with_both_config_files_build_says_which_one_it_reads(tmp_path):
    project = make_project(tmp_path, {"properdocs.yml": PROPERDOCS})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    result = run("-C", str(project), "build")
    assert result.exit_code == 0, result.stderr
    assert ("WARNING -  Using mkdocs.yml; properdocs.yml is there too and is not read "
            "(pass -f properdocs.yml to build from it)\n") in result.stderr
    assert site_name(project) == "Test briefings"
    chosen = run("-C", str(project), "build", "-f", "properdocs.yml")
    assert chosen.exit_code == 0 and "Using" not in chosen.stderr
    assert site_name(project) == "Ναυτικά νέα"


def test_a_config_file_in_another_folder_is_refused_with_the_folder_to_build(tmp_path):
    # MkDocs (and the plugin) find docs_dir and content/ beside the config file: a build that
    # checked -C's folder and staged beside sub/mkdocs.yml failed with two errors that blamed
    # the content and a staging folder.
    project = make_project(tmp_path, {"sub/mkdocs.yml": PROPERDOCS})
    for command in (["build"], ["serve"]):
        result = run("-C", str(project), *command, "-f", "sub/mkdocs.yml")
        assert result.exit_code == 1, result.output
        assert result.stderr == (f"error: -f sub/mkdocs.yml: the config file is not in the project folder "
                                 f"({project}); briefgen reads content/ beside the config file, as MkDocs "
                                 f"reads docs_dir beside it: run briefgen with -C {project / 'sub'} to build "
                                 "the project there\n")
    assert not (project / "site").exists() and not (project / "sub" / "site").exists()
    # Spelled through another folder, the file in the project folder is taken
    elsewhere = run("-C", str(project / "sub"), "build", "-f", "../sub/mkdocs.yml")
    assert "content:1:1: error: no content/ folder here" in elsewhere.stderr  # sub/ has none
    assert "not in the project folder" not in elsewhere.stderr
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    assert run("-C", str(project), "build", "-f", "./mkdocs.yml").exit_code == 0


def test_pages_that_exclude_docs_leaves_out_are_not_in_the_nav_either(tmp_path):
    """This repository keeps its documentation in the example's docs/ and excludes it by name."""
    project = make_project(tmp_path, {
        "mkdocs.yml": "site_name: Test\ntheme: material\nexclude_docs: |\n  /notes-internes.md\n",
        "docs/about.md": "# À propos\n", "docs/notes-internes.md": "# Notes internes\n"})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    result = run("-C", str(project), "build")
    assert result.exit_code == 0, result.stderr
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="about/"' in index and "notes-internes" not in index
    assert not (project / "site" / "notes-internes").exists() and "excluded" not in result.stderr


def test_f_through_a_link_and_back_reads_the_file_mkdocs_reads(tmp_path):
    # `x/..` is taken away as text by MkDocs; the system would follow x, a link out of the
    # project, and briefgen read the site_dir of a config file elsewhere.
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    (tmp_path / "outside" / "inner").mkdir(parents=True)
    (tmp_path / "outside" / "mkdocs.yml").write_text(f"site_name: Outside\nsite_dir: {tmp_path / 'victim'}\n"
                                                     "theme: material\nplugins: [briefgen]\n", encoding="utf-8")
    (project / "x").symlink_to(tmp_path / "outside" / "inner")
    result = run("-C", str(project), "build", "-f", "x/../mkdocs.yml")
    assert result.exit_code == 0, result.stderr
    assert (project / "site" / "index.html").is_file() and not (tmp_path / "victim").exists()


def test_f_naming_a_folder_says_so(tmp_path):
    # Said of the folder as MkDocs would find it (`x/..` taken away as text): never a cue to build
    # another folder (`-f ..` advised `-C` the parent), nor a way through a link out of the project.
    (tmp_path / "content").mkdir()
    (tmp_path / "x").symlink_to("/etc", target_is_directory=True)
    for given, shown in (("", "."), (".", "."), ("..", ".."), ("/", "/"), ("content", "content"),
                         ("x/../content", "content")):
        result = run("-C", str(tmp_path), "build", "-f", given)
        assert result.exit_code == 1
        assert result.stderr == (f"error: {shown} is a folder; name the MkDocs config file with -f (such as "
                                 "mkdocs.yml), or leave -f out\n"), given


def test_f_spelled_through_a_link_to_the_project_folder_is_the_project_s_file(tmp_path):
    # A shell's $PWD keeps the link's spelling; the project folder is the real one.
    project = make_project(tmp_path, {})
    assert run("-C", str(project), "new", "harbour").exit_code == 0
    (tmp_path / "link").symlink_to(project, target_is_directory=True)
    result = run("-C", str(project), "build", "-f", str(tmp_path / "link" / "mkdocs.yml"))
    assert result.exit_code == 0, result.stderr
