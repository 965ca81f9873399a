"""One rule for every file briefgen or the MkDocs build reads from a project: it is a regular
file (or a folder) whose real path, every symlink followed to the end, is inside the project,
and reached by no link into `.git/` (or into `content/` from outside it). Anything else is
refused at its own path and never opened:

- a link that leads outside: `docs/x -> /proc/self/environ` would publish the build's
  environment, and a CI build holds the deploy token's siblings there;
- a link into `.git/` (after actions/checkout, `.git/config` holds the token itself), or from
  outside `content/` into it (MkDocs would publish a source whole, `publish: excerpts` or not);
- a link that dangles or loops: MkDocs would fail on it with a traceback, or walk a folder
  that contains itself;
- a FIFO, device or socket: opening a FIFO waits for a writer forever, /dev/zero never ends.

Links that stay inside the project are followed, as MkDocs and Jinja follow them. The loader
(stages/load.py), the template loader (stages/render.py), the MkDocs plugin (docs_dir and the
theme's folders) and `add-source` all ask the functions here.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Pos, Report

OUTSIDE = "is a symlink that leads outside the briefing folder"
MISSING = "is a symlink to a missing file"
LOOPS = "is a symlink that loops"
# MkDocs writes a file's name into the site (its URL, the sitemap), and briefgen into its marker
# of what it wrote, a name a line: as UTF-8, and without line breaks.
NOT_UTF8 = "has a name that is not UTF-8, which a site's URLs cannot hold"
CONTROL = "has a line break or another control character in its name"
# Folders of the project that a link elsewhere in it may not lead into: what MkDocs copies is
# published as it is, and what briefgen reads may end up in a page.
CLOSED = ((".git", "which holds the repository's credentials (a CI checkout's token)"),
          ("content", "whose sources would be published whole, excerpts-only ones too"),
          (".briefgen-cache", "briefgen's own cache"))


def resolve_inside(path: Path, home: Path, outside: str = OUTSIDE) -> tuple[Path, str | None]:
    """Where `path` really is, and why it may not be read, said of it ("is a symlink that loops");
    None: a file inside `home`, or a missing one. `outside` is the reason given for a path
    that leads out of `home`.

    Symlinks are followed to the end before the check, so a link to /etc/passwd, or a chain of
    links that leaves the folder, is refused however it is spelt; a loop is refused too."""
    try:
        target = path.resolve(strict=False)
        if not target.is_relative_to(home):
            return target, outside
        if path.is_symlink() and not target.exists():
            return target, MISSING
    except RuntimeError:  # a loop, before Python 3.13
        return path, LOOPS
    except OSError as exc:  # ELOOP from Python 3.13 on; or a name too long, a folder not readable
        return path, LOOPS if exc.errno == errno.ELOOP else f"cannot be opened ({exc.strerror or exc})"
    return target, None


def special_kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is, for a message; None if it is one."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def refusal(path: Path, project: Path) -> str | None:
    """Why the file or folder at `path` may not be read, said of it; None when it may be (or
    when nothing is there: a missing file is the caller's to report). `project` is resolved."""
    target, why = resolve_inside(path, project, "is a symlink that leads outside the project")
    if why is not None:
        return why
    written = Path(os.path.abspath(path))
    for name, what in CLOSED:  # a path written inside such a folder (content/...) is no way in
        if target.is_relative_to(project / name) and not written.is_relative_to(project / name):
            return f"is a symlink into {name}/, {what}"
    try:
        mode = os.stat(target).st_mode  # stat, never open: a FIFO is only looked at
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be opened ({exc.strerror or exc})"
    kind = special_kind(mode)
    return None if kind is None else f"is {kind}, not a regular file or folder"


def refused_in(folder: Path, project: Path) -> Iterator[tuple[Path, str]]:
    """Every entry under `folder` (the folder included) that may not be read, with the reason,
    in a stable order. Folders linked from inside the project are walked too, as MkDocs walks
    them; a link to a folder that contains it is a loop (MkDocs would copy it over and over)."""
    why = refusal(folder, project)
    if why is not None:
        yield folder, why
        return
    if not folder.is_dir():
        return
    # Each folder to walk, with the real folders on the way to it: a link back to one of them
    # is a loop however it goes round (`a/x -> ../b`, `b/y -> ../a`).
    stack: list[tuple[Path, frozenset[Path]]] = [(folder, frozenset())]
    while stack:
        here, way = stack.pop()
        way = way | {here.resolve()}
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            yield here, f"cannot be read ({exc.strerror or exc})"
            continue
        for entry in entries:
            path = Path(entry.path)
            why = _name_problem(entry.name)
            if why is None and entry.is_symlink():
                why = refusal(path, project)
                if why is None and entry.is_dir() and any(w.is_relative_to(path.resolve()) for w in way):
                    why = f"{LOOPS} (it leads back to a folder it is in)"
            elif why is None and not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)):
                why = f"is {special_kind(entry.stat(follow_symlinks=False).st_mode)}, not a regular file or folder"
            if why is not None:
                yield path, why
            elif entry.is_dir():
                stack.append((path, way))


def _name_problem(name: str) -> str | None:
    """What is wrong with a file name read from the system (Python keeps bytes that are not
    UTF-8 as lone surrogates), or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return NOT_UTF8
    return CONTROL if any(c < " " or c == "\x7f" for c in name) else None


def fix_for(why: str) -> str:
    """What to do about a refusal, said after it."""
    if why in (NOT_UTF8, CONTROL):
        return "rename it"
    if why.startswith("is a symlink that leads outside"):
        return "copy the file into the project instead, or remove the link"
    if why.startswith("is a symlink into"):
        return "remove the link"
    if why.startswith("is a symlink"):
        return "point it at a file in the project, or remove it"
    return "briefgen never opens such a file: remove it"


def report_refused(folder: Path, project: Path, report: Report) -> None:
    """Each entry under `folder` that may not be read, as an error at its own path."""
    for path, why in refused_in(folder, project):
        try:
            shown = path.relative_to(project).as_posix()
        except ValueError:
            shown = path.as_posix()
        report.error(Pos(shown), f"{path.name!r} {why}; {fix_for(why)}")


def read_bounded(path: Path, limit: int) -> bytes | None:
    """At most `limit` bytes of a regular file, opened without following a final link and
    without blocking (a FIFO swapped in after a check is refused by the kernel's answer, not
    waited on); None if it is not a regular file or cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return f.read(limit)
