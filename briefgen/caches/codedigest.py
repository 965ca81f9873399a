"""What a kept result was made with: briefgen's own code and templates, by content.

A result kept in `.briefgen-cache/` may be read by a later briefgen (an upgrade, an edited
checkout), so kept pages are keyed by this digest: any change to a module or template makes
every key new. File times are never used: a fresh checkout's are all new, and an edit in the
same second keeps them.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any


def hash_tree(h: Any, folder: Path) -> None:
    """Every file under folder, by relative path and content, in a fixed order (compiled
    modules left out: imports write them, and they follow from the sources)."""
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(root, name)
            h.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogatepass") + b"\0")
            try:
                h.update(path.read_bytes())
            except OSError:  # unreadable here is unreadable to the build too: still a state
                h.update(b"\1unreadable")
            h.update(b"\0")


@functools.cache
def code_digest() -> str:
    """briefgen's modules and templates (inside the wheel, or beside the package in a source
    checkout): one value per installation."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent
    hash_tree(h, package)
    if not (package / "templates").is_dir() and (package.parent / "templates").is_dir():
        hash_tree(h, package.parent / "templates")
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """A project's folder (its templates), by content; empty when it is not a folder."""
    h = hashlib.blake2b(digest_size=16)
    if folder.is_dir() and not folder.is_symlink():
        hash_tree(h, folder)
    return h.hexdigest()
