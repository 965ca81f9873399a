"""Golden tests: each folder in tests/cases/ is a small project and the exact output of `briefgen check`.

A case folder holds:

- `project/`       the site project (mkdocs.yml, content/...), invented text only;
- `expected.txt`   the exact standard error of `briefgen -C project check` (trailing whitespace
                   of each line and of the whole text is ignored, nothing else);
- `exit_code.txt`  the expected exit status (default 1);
- `links.txt`      optional: symlinks made in the copy at test time, one `path -> target` a line
                   (a link to an absolute path such as /etc/passwd cannot be committed: an sdist
                   holding one cannot be built or installed);
                   (a mistake on the command line, e.g. `init` over a file, is one `error: ` line);
- `args.txt`       the command and flags after `-C project` (default `check`);
- `xfail`          optional: the reason (a known bug) the case fails today; run as a strict
                   xfail, so the case starts failing the suite as soon as the bug is fixed and the
                   file must be removed.

The command runs with the case's parent folder as the working directory and `-C project`, the
way a user points briefgen at a project folder; it runs on a copy, and the copy must come out
unchanged (check builds nothing).

Goldens are written by hand from the input and reviewed, never regenerated from the code's
output: an intended change of a message means editing each expected.txt it touches, by eye.
Cases with an `xfail` file say what the output should be once the bug is fixed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.caches.parsecache import CACHE_DIR
from briefgen.cli import main

CASES_DIR = Path(__file__).parent / "cases"


def _cases(with_xfail: bool = True) -> list:
    params = []
    for d in sorted(p for p in CASES_DIR.iterdir() if (p / "project").is_dir()):
        marks = []
        reason_file = d / "xfail"
        if with_xfail and reason_file.is_file():
            marks.append(pytest.mark.xfail(strict=True, reason=reason_file.read_text().strip()))
        params.append(pytest.param(d, id=d.name, marks=marks))
    return params


def _tree(root: Path) -> dict[str, str]:
    """Every file's hash, except the parse cache: the one thing `check` may write."""
    def state(p: Path) -> str:
        if p.is_symlink():  # never followed: it may loop, dangle or leave the project
            return "link:" + os.readlink(p)
        return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"

    return {p.relative_to(root).as_posix(): state(p)
            for p in sorted(root.rglob("*")) if CACHE_DIR not in p.relative_to(root).parts}


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def run_case(case: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int, BaseException | None]:
    shutil.copytree(case / "project", workdir / "project", symlinks=True)  # links stay links
    links = case / "links.txt"
    for line in links.read_text(encoding="utf-8").splitlines() if links.is_file() else []:
        if line.strip():
            name, target = (part.strip() for part in line.split("->", 1))
            (workdir / "project" / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, workdir / "project" / name)
    before = _tree(workdir / "project")
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.is_file() else ["check"]
    monkeypatch.chdir(workdir)
    result = CliRunner().invoke(main, ["-C", "project", *args])
    assert _tree(workdir / "project") == before, "`briefgen check` changed files in the project"
    exc = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.stderr, result.exit_code, exc


def test_cases_exist() -> None:
    assert len(_cases()) >= 18


@pytest.mark.parametrize("case", _cases())
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr, code, exc = run_case(case, tmp_path, monkeypatch)
    # No mistake a user can make may end in a traceback or an "internal error".
    assert exc is None, f"exception escaped: {exc!r}"
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    expected_file, code_file = case / "expected.txt", case / "exit_code.txt"
    assert _normal(stderr) == _normal(expected_file.read_text(encoding="utf-8"))
    want = int(code_file.read_text()) if code_file.is_file() else 1
    assert code == want


@pytest.mark.parametrize("case", _cases(with_xfail=False))
def test_case_format(case: Path) -> None:
    """Every golden line is `path:line:col: error|warning: message` with a project-relative path,
    then one count line; errors mean exit 1."""
    lines = _normal((case / "expected.txt").read_text(encoding="utf-8")).splitlines()
    lines = [ln for ln in lines if not ln.startswith("INFO ")]
    if len(lines) == 1 and lines[0].startswith("error: "):  # a command-line mistake: one line
        code_file = case / "exit_code.txt"
        assert (int(code_file.read_text()) if code_file.is_file() else 1) == 1
        return
    assert lines and lines[-1].startswith("briefgen: "), "the last line counts the problems"
    problems = lines[:-1]
    keys = []
    for ln in problems:
        path, line, col, rest = ln.split(":", 3)
        assert not path.startswith("/") and ".." not in path.split("/"), ln
        assert int(line) >= 1 and int(col) >= 1, ln
        assert rest.startswith((" error: ", " warning: ", " note: ")), ln
        keys.append((path, int(line), int(col)))
    assert keys == sorted(keys), "problems are sorted by file, line and column"
    errors = sum(ln.split(":", 3)[3].startswith(" error: ") for ln in problems)
    notes = sum(ln.split(":", 3)[3].startswith(" note: ") for ln in problems)
    warnings = len(problems) - errors - notes
    assert lines[-1].startswith(f"briefgen: {errors} error{'s' if errors != 1 else ''}, "
                                f"{warnings} warning{'s' if warnings != 1 else ''}"
                                + (f", {notes} note{'s' if notes != 1 else ''}" if notes else "") + "; ")
    code_file = case / "exit_code.txt"
    code = int(code_file.read_text()) if code_file.is_file() else 1
    args_file = case / "args.txt"
    strict = args_file.is_file() and "--strict" in args_file.read_text()
    assert code == (1 if errors or (strict and warnings) else 0)


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root reads files whatever their mode")
def test_unreadable_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source file that exists but cannot be read (no permission) is an error at :1:1."""
    case = CASES_DIR / "clean"
    shutil.copytree(case / "project", tmp_path / "project")
    secret = tmp_path / "project" / "content" / "port" / "sources" / "ledger.md"
    secret.chmod(0)
    try:
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(main, ["-C", "project", "check"])
    finally:
        secret.chmod(0o644)
    assert result.exit_code == 1
    assert "content/port/sources/ledger.md:1:1: error: cannot read file: Permission denied" in result.stderr


def test_unreadable_source_as_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs as root too: a `file:` that names a folder cannot be read either; it is an error, not a crash."""
    shutil.copytree(CASES_DIR / "clean" / "project", tmp_path / "project")
    briefing = tmp_path / "project" / "content" / "port"
    (briefing / "sources" / "folder.txt").mkdir()
    yml = briefing / "briefing.yml"
    yml.write_text(yml.read_text().replace("file: sources/wire.txt", "file: sources/folder.txt"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["-C", "project", "check"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert "content/port/briefing.yml:7:11: error: " in result.stderr
    assert "Traceback" not in result.stderr


def test_every_fixed_id_of_the_templates_is_reserved() -> None:
    """A statement id may not start with `bg-` (golden case page-ids) because every id the
    templates write as it is starts so; a new template id outside that prefix fails here."""
    from briefgen.loading.statements import PAGE_ID_PREFIX

    templates = Path(__file__).resolve().parents[1] / "templates"
    fixed = {m for f in templates.rglob("*.html")
             for m in re.findall(r"""\bid=["']([^"'{]+)["']""", f.read_text(encoding="utf-8"))}
    assert "bg-sources" in fixed
    assert all(i.startswith(PAGE_ID_PREFIX) for i in fixed), sorted(fixed)


@pytest.mark.parametrize("link", ["mkdocs.yml", ".gitignore", ".github", "content"])
def test_init_never_writes_through_a_dangling_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   link: str) -> None:
    """A dangling link where init would write leads outside the project: init refuses, and the
    file it points to is never created (golden case init-dangling-mkdocs shows the message)."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (project / link).symlink_to(outside / "target")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "project"])
    assert result.exit_code == 1 and result.stderr.startswith("error: "), result.stderr
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in project.iterdir()) == [link]
