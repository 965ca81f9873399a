"""The house rules, kept by tools rather than prose: ruff (style and likely bugs), mypy (the type
hints hold) and import-linter (the layers in docs/internals.md, "How it works": each imports only what is
below it, and only the engine adapter knows MkDocs). Their settings are in pyproject.toml."""

from __future__ import annotations

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
