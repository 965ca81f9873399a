"""What a failure of the machine says to the user: a full disk, a read-only folder, a path
through a file. Such an OSError is no bug in briefgen and no mistake in the content, so it is
one short `error:` line that names the path and what to do, never a traceback.

Short, because an OSError can carry a lot: a failed `shutil.copytree` lists every file it could
not copy (a full disk gave a one-line message of 19 KB), and a path can be as long as the
system allows.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from .diagnostics import inert

LIMIT = 160  # characters of a path or argument shown in a message

# errno: (what happened, what to do)
_ADVICE = {
    errno.ENOSPC: ("no space left on the device", "free some space and run again"),
    errno.EDQUOT: ("disk quota exceeded", "free some space and run again"),
    errno.EFBIG: ("file too large for this file system or limit", "free some space or raise the limit"),
    errno.EROFS: ("the file system is read-only", "make it writable, or write elsewhere"),
    errno.EACCES: ("permission denied", "give this user access to it, or write elsewhere"),
    errno.EPERM: ("operation not permitted", "give this user access to it, or write elsewhere"),
    errno.ENOTDIR: ("a folder on this path is a file", "choose another path"),
    errno.EISDIR: ("is a folder", "name a file"),
    errno.ENAMETOOLONG: ("file name too long", "choose a shorter path"),
    errno.ELOOP: ("too many levels of symbolic links", "remove the loop"),
    errno.EMFILE: ("too many open files", "raise the limit (ulimit -n) and run again"),
    errno.ENFILE: ("too many open files on the system", "close some programs and run again"),
    errno.EIO: ("input/output error", "check the disk"),
}


def clip(text: str, limit: int = LIMIT) -> str:
    """`text` with control characters escaped, its middle cut when longer than `limit`."""
    text = inert(text)
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]}"


def shown_path(path: object) -> str:
    """A path from an OSError, relative to the current folder when inside it, clipped."""
    name = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    try:
        relative = Path(name).resolve().relative_to(Path.cwd().resolve())
        name = relative.as_posix() if str(relative) != "." else "."
    except (ValueError, OSError):
        pass
    return clip(name)


def describe(exc: OSError) -> str:
    """One line: the path (the destination of a copy), what happened, and what to do."""
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        return _describe_copy(exc.args[0])
    path = exc.filename2 if exc.filename2 is not None else exc.filename
    what, todo = _ADVICE.get(exc.errno or 0, (exc.strerror or str(exc) or type(exc).__name__, ""))
    text = clip(what) + (f"; {todo}" if todo else "")
    return f"{shown_path(path)}: {text}" if path is not None else text


def _describe_copy(failures: list[object]) -> str:
    """shutil.copytree's error: a list of (source, destination, reason), one per file."""
    first = failures[0]
    destination, reason = (first[1], first[2]) if isinstance(first, tuple) and len(first) == 3 else ("", first)
    more = f" (and {len(failures) - 1} more files)" if len(failures) > 1 else ""
    return f"copying into {shown_path(destination)} failed: {clip(str(reason))}{more}"
