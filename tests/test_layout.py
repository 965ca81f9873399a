"""The core (the stages and what they read with) imports nothing from the engine adapter or the
site engine, so another engine can replace MkDocs without touching it (issue #13)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"
CORE = ["stages", "analysis", "loading", "text", "history", "caches"]
CORE_FILES = ["pipeline.py", "strategy.py", "model.py", "diagnostics.py", "urls.py"]
FORBIDDEN = ("briefgen.engine", "mkdocs", "material", "properdocs")


def _imports(path: Path) -> list[str]:
    """Every module `path` imports, relative imports spelled out from the package root."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names += [module] + [f"{module}.{a.name}" for a in node.names]
    return names


def test_the_core_imports_nothing_from_the_engine_or_mkdocs() -> None:
    files = [p for d in CORE for p in sorted((PACKAGE / d).rglob("*.py"))]
    files += [PACKAGE / f for f in CORE_FILES]
    assert len(files) > 25  # the folders exist and were found
    wrong = [(p.relative_to(PACKAGE).as_posix(), name) for p in files for name in _imports(p)
             if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    assert wrong == []


def test_the_engine_is_found_by_the_check() -> None:
    """The check above can fail: the engine's own modules import what it forbids."""
    found = [name for p in sorted((PACKAGE / "engine").glob("*.py")) for name in _imports(p)]
    assert any(n.startswith("mkdocs.") for n in found)
    assert "briefgen.engine.guard" in found  # `from . import guard` inside engine/
