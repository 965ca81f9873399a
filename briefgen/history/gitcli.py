"""The git command line, as history reads it: a few processes for everything.

Why the command line and not a library: git is already there wherever the project is a git
repository (GitHub's runners, every analyst's machine), it reads every repository layout
(worktrees whose .git is a file, packed and alternate objects, shallow clones, which it reports)
and a library (pygit2, dulwich) would be a new compiled or slow dependency. Replace refs are
ignored: they would show content no commit holds.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from pathlib import Path
from typing import IO

# A shared repository's .git/config can name programs for git to run. The command line wins
# over every config file, so these settings switch each of them off for read-only work: the
# signature checker `git log` runs on signed commits (gpg.program), the fsmonitor hook, the
# pager (no terminal here anyway), an external diff, and hooks.
_NO_PROGRAMS = ("-c", "log.showSignature=false", "-c", "core.fsmonitor=false", "-c", "core.pager=cat",
                "-c", "diff.external=", "-c", "core.hooksPath=/dev/null")
# Taken from the user's environment, never needed to read history.
_UNSET = ("GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND")


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    # A partial clone fetches a missing object from its promisor remote, and for a local remote
    # runs the repository's `remote.<name>.uploadpack`. An empty GIT_ALLOW_PROTOCOL refuses
    # every transport, over any `protocol.<name>.allow` a config file sets (a `-c
    # protocol.allow=never` would not be). No replace refs: they would show content no commit
    # holds, and the cache (by tree id) would keep it after the ref is gone.
    env.update(GIT_ALLOW_PROTOCOL="", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat",
               GIT_OPTIONAL_LOCKS="0", LC_ALL="C", GIT_NO_REPLACE_OBJECTS="1")
    return env


def git(project: Path, *args: str, data: bytes | None = None) -> bytes | None:
    """git's output for these arguments in the project, None when git fails or is missing."""
    try:
        done = subprocess.run(["git", *_NO_PROGRAMS, *args], cwd=project, input=data, capture_output=True,
                              env=_environment())
    except OSError:  # git is not installed
        return None
    return done.stdout if done.returncode == 0 else None


def batch(project: Path, requests: list[str]) -> list[tuple[str, str, bytes] | None]:
    """(object id, type, content) for each `rev:path` or object id; None where it is missing."""
    if not requests:
        return []
    out = git(project, "cat-file", "--batch", data="".join(r + "\n" for r in requests).encode())
    if out is None:
        return [None] * len(requests)
    found: list[tuple[str, str, bytes] | None] = []
    at = 0
    for _ in requests:
        end = out.index(b"\n", at)
        head = out[at:end].decode().split()
        if len(head) != 3:  # "<request> missing" or "ambiguous"
            found.append(None)
            at = end + 1
            continue
        size = int(head[2])
        found.append((head[0], head[1], out[end + 1:end + 1 + size]))
        at = end + 1 + size + 1
    return found


_CHUNK = 1 << 20  # bytes copied at a time from git to a file
_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def blobs_into(project: Path, oids: list[str], folder: Path) -> set[str]:
    """Write each blob among `oids` to folder/<object id>, streamed through in chunks: an old
    version's source can be hundreds of megabytes, and `batch` would hold it whole (twice, while
    the pipe is read). Returns the ids written; a missing object, or anything but a blob, is not."""
    if not oids:
        return set()
    try:  # the same settings and environment as git() above: the repository's config runs nothing
        proc = subprocess.Popen(["git", *_NO_PROGRAMS, "cat-file", "--batch"], cwd=project,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=_environment())
    except OSError:  # git is not installed
        return set()
    assert proc.stdin is not None and proc.stdout is not None
    # Requests go in from a thread while answers are read here: written all at once first,
    # a full pipe each way would block both processes.
    feeder = threading.Thread(target=_feed, args=(proc.stdin, oids), daemon=True)
    feeder.start()
    written: set[str] = set()
    try:
        for _ in oids:
            head = proc.stdout.readline().split()
            if not head:
                break  # git stopped
            if len(head) != 3:  # "<request> missing"
                continue
            oid, size = head[0].decode("ascii", "replace"), int(head[2])
            keep = head[1] == b"blob" and _OBJECT_ID.fullmatch(oid) is not None
            with open(folder / oid, "xb") if keep else open(os.devnull, "wb") as out:
                while size:
                    chunk = proc.stdout.read(min(size, _CHUNK))
                    if not chunk:
                        raise OSError("git cat-file stopped in the middle of an object")
                    out.write(chunk)
                    size -= len(chunk)
            proc.stdout.read(1)  # the newline after each object
            if keep:
                written.add(oid)
    finally:
        proc.kill()  # done or failed: git has nothing more to say
        proc.stdout.close()
        proc.wait()
        feeder.join()
    return written


def _feed(stdin: IO[bytes], oids: list[str]) -> None:
    try:
        for oid in oids:
            stdin.write(oid.encode() + b"\n")
        stdin.close()
    except OSError:  # git was stopped: its answers say what was read
        pass


def object_ids(project: Path, requests: list[str]) -> list[str | None]:
    """The object id of each `rev:path` (None where there is none), without reading contents."""
    if not requests:
        return []
    out = git(project, "cat-file", "--batch-check=%(objectname)",
               data="".join(r + "\n" for r in requests).encode())
    lines = out.decode("utf-8", "replace").split("\n") if out is not None else []
    return [x if x and " " not in x else None for x in (lines + [""] * len(requests))[:len(requests)]]


def tree_entries(data: bytes) -> list[tuple[str, str, str]]:
    """(mode, name, object id) of a raw git tree object."""
    out, at = [], 0
    while at < len(data):
        space, nul = data.index(b" ", at), data.index(b"\0", at)
        out.append((data[at:space].decode(), data[space + 1:nul].decode("utf-8", "surrogateescape"),
                    data[nul + 1:nul + 21].hex()))
        at = nul + 21
    return out


def first_parent_log(project: Path, *args: str) -> list[tuple[str, list[str], set[str]]] | None:
    """(commit, its parents, the briefing folders it touched) for each commit that
    `git log --first-parent <args>` lists, newest first; None when git cannot read them."""
    out = git(project, "log", "--first-parent", "--format=%x01%H %P", "--name-only", "--relative",
               "--no-renames", "--no-ext-diff", "--no-textconv", "-z", *args)
    if out is None:
        return None
    found = []
    for chunk in out.split(b"\x01")[1:]:
        parts = chunk.replace(b"\n", b"\0").split(b"\0")
        commit, *parents = parts[0].decode().split()
        seen = {p.decode("utf-8", "surrogateescape").split("/")[1] for p in parts[1:]
                if p.startswith(b"content/") and p.count(b"/") >= 2}
        found.append((commit, parents, seen))
    return found
