"""Which files a briefing's sources are: regular files inside the briefing folder, never a link
that leads out of it, loops or dangles, and never a path a `file:` entry cannot name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from yaml.nodes import ScalarNode

from ..diagnostics import Report
from .paths import OUTSIDE, resolve_inside, special_kind
from .yamlfields import Fields


def claimed_files(folder: Path, home: Path, entries: dict[str, Fields], report: Report) -> dict[str, Path]:
    """The file each entry's `file:` names, if it is a readable source inside the folder."""
    files: dict[str, Path] = {}
    for sid, e in entries.items():
        file = _file_entry(e, sid, report)
        if file is None:
            continue
        target, escape = resolve_inside(folder / file, home)
        if escape == OUTSIDE or Path(file).is_absolute():
            report.error(e.pos_of("file"), f"'file' of source '{sid}' must be inside the briefing folder")
        elif escape:
            report.error(e.pos_of("file"), f"'file' of source '{sid}' {escape}")
        elif target.suffix not in (".md", ".txt"):
            report.error(e.pos_of("file"), f"'file' of source '{sid}' must be a .md or .txt file")
        elif (problem := _not_a_file(target)) is not None:
            report.error(e.pos_of("file"), f"source '{sid}': {problem}: {file}")
        else:
            files[sid] = target
    return files


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a source (a name too long is an OSError, not a False).
    Looked at with stat, never opened: a FIFO would wait for a writer forever."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot open the file ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    kind = special_kind(mode)
    return None if kind is None else f"{kind}, not a regular file"


def _file_entry(e: Fields, sid: str, report: Report) -> str | None:
    """The `file:` of a source entry, or None (reported when it is there but unusable)."""
    node = e.value_node("file")
    if node is None:
        return None
    file = e.text("file")
    if file is None:
        if isinstance(node, ScalarNode) and (node.tag.endswith(":null") or not str(node.value).strip()):
            report.error(e.pos_of("file"), f"'file' of source '{sid}' is empty; name its file "
                         f"(like sources/{sid}.md) or delete the key")
        return None
    if any(c in file for c in "\0\n\r"):
        report.error(e.pos_of("file"), f"'file' of source '{sid}' contains a control character; "
                     "write the file's path relative to the briefing folder")
        return None
    return file
