"""The house rules, kept by tools rather than prose: ruff (style and likely bugs), mypy --strict
(the type hints hold), import-linter (the layers in docs/internals.md, "How it works": each
imports only what is below it, and only the engine adapter knows MkDocs), and the sizes below
(modules under 300 lines, functions under 50). The tools' settings are in pyproject.toml."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: pip install -e \".[test]\" installs it")
    return found


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    done = _run(_tool("ruff"), "check", "--no-cache", "briefgen", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    done = _run(_tool("mypy"), "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_import_keeps_to_its_layer():
    done = _run(_tool("lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout  # the core, the engine imports (#26), the layers


# Split along a line a reader would draw when either grows past these.
MODULE_LINES = 300
FUNCTION_LINES = 50


def _python_files() -> list[Path]:
    return sorted((REPO / "briefgen").rglob("*.py"))


def test_modules_stay_under_300_lines():
    long = {p.relative_to(REPO).as_posix(): n for p in _python_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MODULE_LINES}
    assert long == {}


def function_lengths(source: str) -> dict[str, int]:
    """Lines from `def` to the function's last line (its docstring included), by qualified name."""
    out: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    out[name] = (child.end_lineno or child.lineno) - child.lineno + 1
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return out


def test_the_length_counter_counts_what_a_reader_sees():
    source = ('class A:\n    @staticmethod\n    def f():\n        """Doc."""\n\n        return 1\n\n\n'
              'def g():\n    def h():\n        pass\n    return h\n')
    assert function_lengths(source) == {"A.f": 4, "g": 4, "g.h": 2}


def test_functions_stay_under_50_lines():
    long = {f"{p.relative_to(REPO).as_posix()}:{name}": n for p in _python_files()
            for name, n in function_lengths(p.read_text(encoding="utf-8")).items() if n >= FUNCTION_LINES}
    assert long == {}
