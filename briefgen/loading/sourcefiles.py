"""Which files a briefing's sources are: regular files inside the briefing folder, never a link
that leads out of it, loops or dangles, and never a path a `file:` entry cannot name."""

from __future__ import annotations

import errno
from pathlib import Path

from yaml.nodes import ScalarNode

from ..diagnostics import Report
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
    """Why `path` cannot be read as a source (a name too long is an OSError, not a False)."""
    try:
        return None if path.is_file() else "file not found"
    except OSError as exc:
        return f"cannot open the file ({exc.strerror or exc})"


OUTSIDE = "is a symlink that leads outside the briefing folder"


def resolve_inside(path: Path, home: Path) -> tuple[Path, str | None]:
    """Where `path` really is, and why it may not be read, said of it ("is a symlink that loops");
    None: a file inside `home`, or a missing one.

    Symlinks are followed to the end before the check, so a link to /etc/passwd, or a chain of
    links that leaves the folder, is refused however it is spelt; a loop is refused too."""
    try:
        target = path.resolve(strict=False)
        if not target.is_relative_to(home):
            return target, OUTSIDE
        if path.is_symlink() and not target.exists():
            return target, "is a symlink to a missing file"
    except RuntimeError:  # a loop, before Python 3.13
        return path, "is a symlink that loops"
    except OSError as exc:  # ELOOP from Python 3.13 on; or a name too long, a folder not readable
        return path, "is a symlink that loops" if exc.errno == errno.ELOOP else \
            f"cannot be opened ({exc.strerror or exc})"
    return target, None


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
