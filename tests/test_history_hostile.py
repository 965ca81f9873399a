"""History from hostile or odd commits: names that would leave the temporary folder, a folder
that becomes a file, impossible dates and deep nesting in old versions, a committed cache link.

Each old version is written to a temporary folder and loaded; a commit can hold any tree (made
here with `git hash-object --literally`, as a hostile one would be). Nothing outside the
project's own output may be touched, and the build must go on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import V1, git, history_project

from briefgen.history.versions import read_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(root: Path, *args: str, data: bytes | None = None) -> str:
    return subprocess.run(["git", *args], cwd=root, input=data, capture_output=True,
                          check=True).stdout.decode().strip()


def _blob(root: Path, data: bytes) -> str:
    return _git(root, "hash-object", "-w", "--stdin", data=data)


def _tree(root: Path, entries: list[tuple[str, str, str]]) -> str:
    """A tree object with these raw entries, names unchecked (as a hostile commit can hold)."""
    raw = b"".join(mode.encode() + b" " + name.encode() + b"\0" + bytes.fromhex(oid) for mode, name, oid in entries)
    return _git(root, "hash-object", "-w", "-t", "tree", "--literally", "--stdin", data=raw)


def _commit_velmor(root: Path, entries: list[tuple[str, str, str]], message: str) -> str:
    """A commit on HEAD whose content/velmor holds `entries`; HEAD moves, the working tree stays."""
    content = _tree(root, [("40000", "velmor", _tree(root, entries))])
    top = _tree(root, [("100644", ".gitignore", _git(root, "rev-parse", "HEAD:.gitignore")),
                       ("40000", "content", content),
                       ("100644", "mkdocs.yml", _git(root, "rev-parse", "HEAD:mkdocs.yml"))])
    commit = _git(root, "-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit-tree", top,
                  "-p", _git(root, "rev-parse", "HEAD"), "-m", message)
    _git(root, "update-ref", "HEAD", commit)
    return commit


def _version(root: Path, as_of: str, extra: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [("100644", "briefing.yml", _blob(root, V1.replace("2024-12-01", as_of).encode())),
            ("40000", "sources", _git(root, "rev-parse", "HEAD:content/velmor/sources")), *extra]


def _build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", "-C", str(root), "build"], capture_output=True, text=True)


@pytest.mark.parametrize("name", ["{outside}/planted.md", "..", ".git", "a\\b.md"])
def test_a_file_name_in_an_old_commit_never_leaves_the_temporary_folder(tmp_path, name):
    root = tmp_path / "p"
    history_project(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.md"
    victim.write_text("someone's notes\n", "utf-8")
    payload = _blob(root, b"written from a hostile commit\n")
    if name == "..":  # a chain of '..' folders down to the victim
        inner = _tree(root, [("100644", "victim.md", payload)])
        for _ in range(12):
            inner = _tree(root, [("40000", "..", inner)])
        extra = [("40000", "..", inner)]
    else:
        extra = [("100644", name.format(outside=outside), payload)]
    _commit_velmor(root, _version(root, "2024-12-04", extra), "hostile")
    _commit_velmor(root, _version(root, "2024-12-05", []), "next")  # would delete what was written
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert victim.read_text("utf-8") == "someone's notes\n"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.md"]
    if name != "a\\b.md":  # on Linux a backslash is an ordinary character; still refused
        assert "holds a file name that is not safe to write" in done.stderr
    as_ofs = [s.as_of for s, _ in read_history(root, ["velmor"], None).of("velmor")]
    assert "2024-12-04" not in as_ofs and "2024-12-05" in as_ofs  # only the hostile version is left out


def test_a_folder_that_becomes_a_file_between_versions(tmp_path):
    """An ordinary history: sources/extra.md/ is a folder in one commit and a file in the next."""
    root = tmp_path / "p"
    history_project(root)
    note = _blob(root, b"---\ntitle: T\noutlet: O\n---\nSome words.\n")
    sources = _git(root, "rev-parse", "HEAD:content/velmor/sources")
    with_folder = [("100644", "briefing.yml", _blob(root, V1.replace("2024-12-01", "2024-12-04").encode())),
                   ("40000", "sources", sources), ("40000", "extra.md", _tree(root, [("100644", "inner.md", note)]))]
    _commit_velmor(root, with_folder, "a folder named extra.md")
    _commit_velmor(root, _version(root, "2024-12-05", [("100644", "extra.md", note)]), "now a file")
    done = _build(root)
    assert done.returncode == 0, done.stderr
    as_ofs = [s.as_of for s, _ in read_history(root, ["velmor"], None).of("velmor")]
    assert as_ofs[-2:] == ["2024-12-04", "2024-12-05"]


@pytest.mark.parametrize("text", [
    "as_of: 2024-02-30\n",  # a typo: an impossible date
    "{as_of: 2024-12-04, x: " + "[" * 60_000 + "]" * 60_000 + "}\n",  # crashed libyaml 6.0.3's composer
    "as_of: 2024-12-04\nx: " + "[" * 60_000 + "]" * 60_000 + "\n",
    "{as_of: 2024-12-04, n: " + "9" * 5000 + "}\n",  # past Python's int-from-text limit
], ids=["impossible-date", "deep-flow-as-of", "deep-flow", "huge-int"])
def test_an_old_briefing_yml_that_cannot_be_read_leaves_the_build_going(tmp_path, text):
    root = tmp_path / "p"
    history_project(root)
    _commit_velmor(root, [("100644", "briefing.yml", _blob(root, text.encode())),
                          ("40000", "sources", _git(root, "rev-parse", "HEAD:content/velmor/sources"))], "odd")
    done = _build(root)  # a subprocess: a crash of the interpreter shows as a negative code
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert [s.as_of for s, _ in read_history(root, ["velmor"], None).of("velmor")] == \
        ["2024-12-01", "2024-12-02", "2024-12-03"]


@pytest.mark.parametrize("nested", ["[" * 60_000 + "]" * 60_000, "\n" + "- " * 60_000 + "x"], ids=["flow", "dashes"])
def test_current_content_nested_past_what_libyaml_survives_is_an_error_not_a_crash(tmp_path, nested):
    root = tmp_path / "p"
    history_project(root, commits=0)
    (root / "content/velmor/briefing.yml").write_text("title: T\nx: " + nested + "\n", "utf-8")
    done = _build(root)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    assert re.search(r"content/velmor/briefing\.yml:[23]:\d+: error: invalid YAML: nested more than 200 levels deep",
                     done.stderr), done.stderr


def test_a_committed_cache_link_is_not_followed(tmp_path):
    """`.briefgen-cache` committed as a link (the scaffold's ignore pattern once matched only
    folders): the build works without cache and writes nothing where the link points."""
    root = tmp_path / "p"
    history_project(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "history.json").write_text("someone's file\n", "utf-8")
    (root / ".briefgen-cache").symlink_to(elsewhere)
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert ".briefgen-cache is a link" in done.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["history.json"]
    assert (elsewhere / "history.json").read_text("utf-8") == "someone's file\n"


def test_a_committed_link_for_the_earlier_pages_folder_is_not_followed(tmp_path):
    """`.briefgen-cache/earlier` committed as a link: each briefing's kept earlier pages were read
    and written where it led (a file outside the project overwritten with briefgen's JSON)."""
    root = tmp_path / "p"
    history_project(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    briefings = sorted(p.name for p in (root / "content").iterdir())
    for name in briefings:
        (elsewhere / f"{name}.json").write_text("someone's file\n", "utf-8")
    (root / ".briefgen-cache").mkdir()
    (root / ".briefgen-cache" / "earlier").symlink_to(elsewhere, target_is_directory=True)
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("earlier in the cache folder is not a folder of its own; earlier versions' pages "
                             "are not kept") == 1
    assert list((root / "site").glob("*/versions/*/index.html"))  # the earlier pages are built all the same
    assert {p.name: p.read_text("utf-8") for p in elsewhere.iterdir()} == \
        {f"{name}.json": "someone's file\n" for name in briefings}


def test_a_staging_link_is_refused_and_nothing_where_it_points_is_touched(tmp_path):
    root = tmp_path / "p"
    history_project(root)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "123-photos").mkdir(parents=True)  # looks like a dead build's staging folder
    (root / ".briefgen-build").symlink_to(elsewhere)
    done = _build(root)
    assert done.returncode == 1
    assert ".briefgen-build is a link" in done.stderr and "Traceback" not in done.stderr
    assert (elsewhere / "123-photos").is_dir()


def test_cache_files_are_written_through_a_fresh_temporary_file(tmp_path):
    """A link planted under the temporary name a cache save once used (`history.<pid>.tmp`,
    `.sources-<pid>.tmp`) is never written through. In this process, so the pid is known."""
    import os

    from briefgen import pipeline

    root = tmp_path / "p"
    history_project(root)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", "utf-8")
    cache = root / ".briefgen-cache"
    cache.mkdir()
    for name in (f"history.{os.getpid()}.tmp", f".sources-{os.getpid()}.tmp"):
        (cache / name).symlink_to(victim)
    read_history(root, ["velmor"], cache)
    pipeline.check(root)
    assert victim.read_text("utf-8") == "precious\n"
    assert (cache / "history.json").is_file() and not (cache / "history.json").is_symlink()
    assert (cache / "sources").is_dir() and all(p.is_file() and not p.is_symlink() for p in (cache / "sources").iterdir())


def test_control_characters_and_lone_surrogates_from_yaml_escapes_keep_pages_and_feeds_valid(tmp_path):
    """YAML escapes make characters a file could not hold: ESC and BEL (not allowed in XML, so a
    feed reader would reject the whole feed) and a lone surrogate (not a character at all)."""
    import xml.etree.ElementTree as ET

    root = tmp_path / "p"
    history_project(root)
    yml = root / "content/velmor/briefing.yml"
    text = yml.read_text("utf-8").replace("title: Port closure at Velmor", 'title: "Port \\e[31mclosure\\a at \\ud800Velmor"')
    text = text.replace("value: Two cranes damaged", 'value: "Two\\e cranes \\ud83d damaged"')
    yml.write_text(text, "utf-8")
    git(root, "commit", "-q", "-a", "-m", "escapes")
    (root / "content/velmor/briefing.yml").write_text(text.replace("2024-12-03", "2024-12-04"), "utf-8")
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert "holds a lone surrogate (U+D800)" in done.stderr
    for feed in (root / "site/feed.xml", root / "site/velmor/feed.xml"):
        ET.fromstring(feed.read_bytes())  # well-formed XML
    assert "\x1b" not in (root / "site/velmor/feed.xml").read_text("utf-8")


def test_a_project_folder_whose_name_starts_with_a_space_has_its_history(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    history_project(repo / " proj")
    shutil.rmtree(repo / " proj/.git")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "all at once")
    history = read_history(repo / " proj", ["velmor"], None)
    assert history.unavailable is None and [s.as_of for s, _ in history.of("velmor")] == ["2024-12-03"]


def test_replace_refs_do_not_change_history(tmp_path):
    """`git replace` shows content no commit holds; history reads the commits themselves."""
    root = tmp_path / "p"
    history_project(root)
    first = git(root, "rev-parse", "HEAD~2:content/velmor/briefing.yml").strip()
    forged = _blob(root, V1.replace("The port of Velmor is closed.", "REPLACED statement").encode())
    git(root, "replace", first, forged)
    history = read_history(root, ["velmor"], None)
    texts = [r.label for s, _ in history.of("velmor") for r in s.rows if r.kind == "summary"]
    assert "REPLACED statement" not in texts and "The port of Velmor is closed." in texts


def test_a_history_git_cannot_walk_is_said_so(tmp_path):
    """A lost object (a damaged clone): the build goes on and says git could not read the
    history, not that the briefing was never committed."""
    root = tmp_path / "p"
    history_project(root)
    tree = _git(root, "rev-parse", "HEAD~1:content/velmor")
    (root / ".git/objects" / tree[:2] / tree[2:]).unlink()
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert "History not available: git could not read the history" in done.stderr
    assert "never committed" not in done.stderr


def _program(path: Path, marker: Path) -> str:
    """A program that only notes that it ran (and fails, as a refused signature would)."""
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\nexit 1\n', "utf-8")
    path.chmod(0o755)
    return str(path)


def _sign_head(root: Path) -> None:
    """HEAD rewritten with a `gpgsig` header, so `git log --show-signature` would verify it."""
    raw = subprocess.run(["git", "cat-file", "commit", "HEAD"], cwd=root, capture_output=True, check=True).stdout
    head, message = raw.split(b"\n\n", 1)
    signature = b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    signed = _git(root, "hash-object", "-t", "commit", "-w", "--stdin", data=head + b"\n" + signature + b"\n\n" + message)
    _git(root, "update-ref", "HEAD", signed)


def test_programs_named_in_the_repositorys_config_are_never_run(tmp_path):
    """A shared repository's .git/config names programs for git to run: a signature checker
    (with log.showSignature), an fsmonitor hook, a pager, an external diff, hooks. The build
    reads the history and runs none of them."""
    root = tmp_path / "p"
    history_project(root)
    _sign_head(root)
    marker = tmp_path / "ran.txt"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("reference-transaction", "post-index-change", "post-checkout", "fsmonitor-watchman"):
        _program(hooks / hook, marker)
    planted = {"log.showSignature": "true", "gpg.program": _program(tmp_path / "gpg", marker),
               "core.fsmonitor": _program(tmp_path / "fsmonitor", marker),
               "core.pager": _program(tmp_path / "pager", marker), "pager.log": _program(tmp_path / "logpager", marker),
               "diff.external": _program(tmp_path / "extdiff", marker), "core.hooksPath": str(hooks)}
    for key, value in planted.items():
        _git(root, "config", key, value)
    assert subprocess.run(["git", "log", "-1"], cwd=root, capture_output=True).returncode == 0
    assert marker.read_text("utf-8").startswith(str(tmp_path / "gpg"))  # the plant works on plain git ...
    marker.unlink()
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), marker.read_text("utf-8")  # ... and never under the build
    page = (root / "site/velmor/changes/index.html").read_text("utf-8")
    assert all(f'id="v-2024-12-0{day}"' in page for day in (1, 2, 3))


def test_a_promisor_remote_is_never_fetched_from(tmp_path):
    """A partial clone fetches a missing object from its promisor remote, and for a local one runs
    the repository's `remote.<name>.uploadpack`, even where `protocol.file.allow` says always."""
    root = tmp_path / "p"
    history_project(root)
    marker = tmp_path / "ran.txt"
    for key, value in {"core.repositoryformatversion": "1", "extensions.partialClone": "origin",
                       "remote.origin.url": str(root), "remote.origin.promisor": "true",
                       "remote.origin.uploadpack": _program(tmp_path / "uploadpack", marker),
                       "protocol.allow": "always", "protocol.file.allow": "always"}.items():
        _git(root, "config", key, value)
    tree = _git(root, "rev-parse", "HEAD~1:content/velmor")
    (root / ".git/objects" / tree[:2] / tree[2:]).unlink()
    subprocess.run(["git", "cat-file", "-e", tree], cwd=root, capture_output=True)
    assert marker.is_file()  # the plant works on plain git ...
    marker.unlink()
    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), marker.read_text("utf-8")  # ... and never under the build
    assert "History not available: git could not read the history" in done.stderr


# -- where old versions are written, and what a kill leaves -------------------------------------

def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_old_versions_are_written_only_inside_the_projects_staging_folder(tmp_path, monkeypatch):
    import os

    from briefgen.stages import load

    root = tmp_path / "p"
    history_project(root)
    seen: list[Path] = []
    real = load.load_briefing

    def spy(top: Path, folder: Path, report):
        seen.append(folder)
        assert (folder / "briefing.yml").is_file()
        return real(top, folder, report)

    monkeypatch.setattr(load, "load_briefing", spy)
    history = read_history(root, ["velmor"], None)
    assert [s.as_of for s, _ in history.of("velmor")] == ["2024-12-01", "2024-12-02", "2024-12-03"]
    assert len(seen) == 3
    staging = root.resolve() / ".briefgen-build"
    for folder in seen:
        assert folder.is_relative_to(staging), folder
        assert folder.relative_to(staging).parts[0].startswith(f"{os.getpid()}-history-")
    assert not staging.exists()  # removed after, with nothing else staging there


def test_a_killed_runs_versions_are_removed_by_the_next_read_and_a_live_ones_kept(tmp_path):
    import os

    root = tmp_path / "p"
    history_project(root)
    staging = root / ".briefgen-build"
    dead = staging / f"{_dead_pid()}-history-x1y2" / "blobs"
    dead.mkdir(parents=True)
    (dead / ("0" * 40)).write_bytes(b"an old source, left by a kill\n")
    live = staging / f"{os.getppid()}-history-a1b2"  # a running process's: not ours to remove
    live.mkdir()
    build = staging / f"{_dead_pid()}-k3j4"  # a dead build's own staging: the build removes it
    build.mkdir()
    assert len(read_history(root, ["velmor"], None).of("velmor")) == 3
    assert sorted(p.name for p in staging.iterdir()) == sorted([live.name, build.name])


def test_a_staging_folder_that_is_a_link_leaves_versions_out_and_writes_nothing_there(tmp_path):
    """As plain `mkdocs build` meets it (`briefgen build` refuses the link before it builds)."""
    import logging

    root = tmp_path / "p"
    history_project(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".briefgen-build").symlink_to(elsewhere)
    said: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("briefgen")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        history = read_history(root, ["velmor"], None)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert history.of("velmor") == ()
    assert any("could not be written to .briefgen-build/" in m for m in said), said
    assert list(elsewhere.iterdir()) == []


_SLOW_GIT = """#!/bin/sh
# Stands in for git while a build streams an old version's blobs: says so, then waits to be killed.
for blobs in "$PWD"/.briefgen-build/*-history-*/blobs; do
  case "$*" in *"cat-file --batch"*) [ -d "$blobs" ] && touch "$READY" && exec sleep 60 ;; esac
done
exec "$REAL_GIT" "$@"
"""


def test_a_build_killed_while_reading_history_leaves_nothing_outside_the_project(tmp_path):
    """SIGKILL while the old versions are being written: what is left is inside the project's
    .briefgen-build/ (never /dev/shm or /tmp), and the next build removes it."""
    import os
    import signal
    import tempfile
    import time

    root = tmp_path / "p"
    history_project(root)
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(_SLOW_GIT, "utf-8")
    fake.chmod(0o755)
    ready = tmp_path / "ready"

    def ours_outside() -> set[str]:
        places = [Path("/dev/shm"), Path(tempfile.gettempdir())]
        return {str(p) for place in places if place.is_dir() for p in place.glob("briefgen-history-*")}

    before = ours_outside()
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}", "READY": str(ready),
           "REAL_GIT": shutil.which("git"), "BRIEFGEN_JOBS": "1", "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(root), "-q", "build"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the build never streamed an old version"
    finally:
        os.killpg(build.pid, signal.SIGKILL)  # the build and the git it waits for
        build.wait()
    left = [p for p in (root / ".briefgen-build").iterdir() if p.name.startswith(f"{build.pid}-history-")]
    assert len(left) == 1 and (left[0] / "blobs").is_dir()
    assert ours_outside() == before
    assert not (root / "site").exists()

    done = _build(root)
    assert done.returncode == 0, done.stderr
    assert not (root / ".briefgen-build").exists()
    assert (root / "site" / "velmor" / "changes" / "index.html").is_file()
