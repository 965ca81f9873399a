"""Mistakes on the command line and failures of the machine (a full disk, a read-only folder):
each is one `error:` line that says what to do, exit 1, and leaves the project as it was.

The full and read-only disks are real: small tmpfs file systems mounted in a private mount
namespace (`unshare -m`), which disappears with the shell that made it, so no mount outlives
a test, even a killed one. That needs root (CAP_SYS_ADMIN); without it those tests are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.oserrors import describe

REPO = Path(__file__).resolve().parents[1]


def briefgen(project: Path, *args: str) -> subprocess.CompletedProcess:
    """The command as a user runs it; bounded, since a regressed `serve` would serve forever."""
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=project, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root)
    (root / "docs").mkdir()
    return root


def entries(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


# -- the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("serve", "--dev-addr", "127.0.0.1:99999"),
     "error: --dev-addr must be HOST:PORT with a port from 0 (any free one) to 65535, such as "
     "127.0.0.1:8000, not '127.0.0.1:99999'"),
    (("serve", "--dev-addr", "nonsense"),
     "error: --dev-addr must be HOST:PORT with a port from 0 (any free one) to 65535, such as "
     "127.0.0.1:8000, not 'nonsense'"),
    (("serve", "--dev-addr", "127.0.0.1:-1"), None),
    (("serve", "--dev-addr", "127.0.0.1:"), None),
    (("serve", "--dev-addr", ":8000"), None),
    (("serve", "--dev-addr", "127.0.0.1:\uff18\uff10\uff10\uff10"), None),  # fullwidth digits
    (("serve", "-f", "/etc"),
     "error: /etc is a folder; name the MkDocs config file with -f (such as mkdocs.yml), or leave -f out"),
    (("build", "-f", "/etc"),
     "error: /etc is a folder; name the MkDocs config file with -f (such as mkdocs.yml), or leave -f out"),
    (("build", "-f", "content"),
     "error: content is a folder; name the MkDocs config file with -f (such as mkdocs.yml), or leave -f out"),
    (("serve", "-f", "missing.yml"), None),
    (("build", "-f", "/dev/zero"),
     "error: /dev/zero is not a regular file; name the MkDocs config file with -f (such as mkdocs.yml)"),
    (("build", "-d", "mkdocs.yml/site"),
     "error: mkdocs.yml/site: a folder on this path is a file; choose another path"),
])
def test_a_mistake_on_the_command_line_is_one_error_line(project, args, message):
    before = entries(project)
    result = briefgen(project, *args)
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "internal error" not in line
    if message is not None:
        assert line == message
    assert entries(project) == before


def test_a_fifo_for_the_config_file_is_refused_before_it_is_read(project):
    """Opening a FIFO blocks until a writer comes: the read would hang forever."""
    os.mkfifo(project / "pipe.yml")
    result = briefgen(project, "build", "-f", "pipe.yml")
    assert result.returncode == 1
    assert result.stderr == ("error: pipe.yml is not a regular file; name the MkDocs config file with -f "
                             "(such as mkdocs.yml)\n")


def test_a_config_that_is_no_mapping_is_an_error_at_its_first_line(project):
    (project / "list.yml").write_text("- site_name\n- theme\n")
    result = briefgen(project, "build", "-f", "list.yml")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "list.yml:1:1: error: the configuration must be a mapping of settings (site_name: ...), not a list",
        "briefgen: 1 error, 0 warnings; failed"]


def test_a_config_mkdocs_refuses_is_one_line_after_mkdocs_own(project):
    (project / "odd.yml").write_text("site_name: [a, list]\ntheme: material\nplugins: [briefgen]\n")
    result = briefgen(project, "-q", "build", "-f", "odd.yml")
    assert result.returncode == 1
    *mkdocs_says, ours = result.stderr.splitlines()
    assert any("site_name" in line for line in mkdocs_says)
    assert ours == ("error: odd.yml: MkDocs refused the configuration (the lines above say why); "
                    "fix it and run again")
    assert not (project / "site").exists() and not (project / ".briefgen-build").exists()


def test_a_huge_argument_is_not_printed_whole(project):
    """A 19 KB message was seen; an argument is shown clipped, its start and end kept."""
    result = briefgen(project, "serve", "--dev-addr", "127.0.0.1:" + "9" * 19_000)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert len(line) < 300 and line.startswith("error: --dev-addr must be HOST:PORT") and "…" in line


# -- an OSError in a few words -------------------------------------------------------------------

def test_a_failed_copy_of_many_files_is_said_in_one_short_line():
    """shutil.copytree raises one Error listing every file it could not copy."""
    failures = [(f"/build/site/page-{n}.html", f"/disk/site/page-{n}.html", "[Errno 28] No space left on device")
                for n in range(400)]
    assert describe(shutil.Error(failures)) == ("copying into /disk/site/page-0.html failed: "
                                                "[Errno 28] No space left on device (and 399 more files)")


def test_an_oserror_names_the_destination_and_what_to_do():
    exc = OSError(28, "No space left on device")
    exc.filename, exc.filename2 = "/usr/share/theme/a.js", "/disk/site/a.js"
    assert describe(exc) == "/disk/site/a.js: no space left on the device; free some space and run again"
    long = OSError(30, "Read-only file system", "/ro/" + "x" * 5000)
    text = describe(long)
    assert len(text) < 250
    assert text.endswith(": the file system is read-only; make it writable, or write elsewhere")


# -- a full disk and a read-only folder, for real ------------------------------------------------

def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k none /mnt"], capture_output=True, timeout=30)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _can_mount(), reason="mounting a small tmpfs in a private mount "
                                  "namespace needs root (CAP_SYS_ADMIN)")


def in_own_mounts(script: str, tmp_path: Path, **env: str) -> str:
    """Run a bash script in a private mount namespace (its mounts vanish when it ends); its output."""
    proc = subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-eu", "-c", script],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PY": sys.executable, **env})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@needs_mounts
def test_a_full_disk_is_one_line_and_leaves_the_site_as_it_was(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # The first build fits on an 8 MB disk; then a filler leaves 300 KB, and the next build
    # runs out of space part-way through (the site is about 3 MB).
    in_own_mounts("""
        mkdir disk
        mount -t tmpfs -o size=8m briefgen-test disk
        cp -a "$PROJECT" disk/p && cd disk/p
        "$PY" -m briefgen -q build
        find site -type f -exec sha256sum {} + | sort > "$OUT/site-before"
        dd if=/dev/zero of=filler bs=64k 2>/dev/null || true
        truncate -s -300K filler
        set +e
        "$PY" -m briefgen -q build 2> "$OUT/stderr"; echo $? > "$OUT/rc"
        find site -type f -exec sha256sum {} + | sort > "$OUT/site-after"
        ls -A > "$OUT/entries"
    """, tmp_path, PROJECT=str(project), OUT=str(out))
    assert (out / "rc").read_text().strip() == "1"
    (line,) = (out / "stderr").read_text().splitlines()
    assert re.fullmatch(r"error: \.briefgen-build/\S+: no space left on the device; free some space and "
                        r"run again", line), line
    assert len(line) < 300
    assert (out / "site-after").read_text() == (out / "site-before").read_text()
    assert (out / "site-before").read_text().count("index.html") >= 5
    assert (out / "entries").read_text().split() == [".briefgen-cache", "content", "docs", "filler",
                                                     "mkdocs.yml", "site"]


@needs_mounts
def test_a_full_disk_under_a_site_dir_elsewhere_is_one_short_line(project, tmp_path):
    """site_dir on another file system: the build is copied there file by file, and every file
    that does not fit used to be listed in one message."""
    out = tmp_path / "out"
    out.mkdir()
    in_own_mounts("""
        mkdir disk
        mount -t tmpfs -o size=1m briefgen-test disk
        set +e
        "$PY" -m briefgen -q -C "$PROJECT" build -d "$PWD/disk/site" 2> "$OUT/stderr"; echo $? > "$OUT/rc"
        ls -A disk > "$OUT/entries"
    """, tmp_path, PROJECT=str(project), OUT=str(out))
    assert (out / "rc").read_text().strip() == "1"
    (line,) = (out / "stderr").read_text().splitlines()
    assert line.startswith("error: ") and "No space left on device" in line and len(line) < 400, line
    assert (out / "entries").read_text() == ""
    assert not (project / ".briefgen-build").exists()


@needs_mounts
def test_a_read_only_project_or_site_dir_is_one_line(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    in_own_mounts("""
        mount --bind "$PROJECT" "$PROJECT"
        mount -o remount,bind,ro "$PROJECT"
        set +e
        cd "$PROJECT"
        "$PY" -m briefgen -q build 2> "$OUT/in-project"; echo $? >> "$OUT/rc"
        "$PY" -m briefgen -q check 2> "$OUT/check"; echo $? >> "$OUT/rc"
    """, tmp_path, PROJECT=str(project), OUT=str(out))
    in_own_mounts("""
        mkdir ro
        mount -t tmpfs -o size=1m,ro briefgen-test ro
        set +e
        "$PY" -m briefgen -q -C "$PROJECT" build -d "$PWD/ro/site" 2> "$OUT/elsewhere"; echo $? >> "$OUT/rc"
    """, tmp_path, PROJECT=str(project), OUT=str(out))
    # check writes only its cache, which is a help, not a must: it passes on a read-only disk.
    assert (out / "rc").read_text().split() == ["1", "0", "1"]
    assert (out / "in-project").read_text() == (
        "error: .briefgen-build: the file system is read-only; make it writable, or write elsewhere\n")
    assert (out / "check").read_text() == ""
    (line,) = (out / "elsewhere").read_text().splitlines()
    assert re.fullmatch(r"error: ro/\S*: the file system is read-only; make it writable, "
                        r"or write elsewhere", line), line
    # The project was writable the second time: the build kept its cache (the parse cache, and
    # the briefings and pages it rendered, the templates it compiled, each valid whatever became of the site), nothing else.
    kept = [e for e in entries(project) if e.startswith(".briefgen-cache/")]
    assert all(re.fullmatch(r"\.briefgen-cache/(sources|sources/[0-9a-f]{32}\.json|briefings|pages|templates"
                            r"|briefings/[0-9a-f]{32}\.briefing|pages/[0-9a-f]{32}\.page|templates/[0-9a-f]{40}\.code)",
                            e) for e in kept), kept
    assert [e for e in entries(project) if not e.startswith(".briefgen-cache/")] == sorted([
                                       ".briefgen-cache",
                                       "content", "content/khmeimim", "content/khmeimim/briefing.yml",
                                       "content/khmeimim/sources", "content/khmeimim/sources/japantimes.md",
                                       "content/khmeimim/sources/jpost.md", "docs", "mkdocs.yml"])


@needs_mounts
def test_serve_keeps_the_last_good_site_when_the_disk_fills_up(project, tmp_path):
    """A rebuild that fails on the machine is one ERROR line in the terminal, not a traceback, and
    the reader keeps the last good site."""
    out = tmp_path / "out"
    out.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    poll = ("import sys, time, urllib.request\n"
            "for _ in range(600):\n"
            "    try:\n"
            "        if b'Khmeimim' in urllib.request.urlopen(sys.argv[1], timeout=5).read(): sys.exit(0)\n"
            "    except OSError: pass\n"
            "    time.sleep(0.1)\n"
            "sys.exit(1)\n")
    in_own_mounts("""
        mkdir disk
        mount -t tmpfs -o size=8m briefgen-test disk
        cp -a "$PROJECT" disk/p
        # timeout: the server ends even if this test is killed before its trap runs
        timeout 120 "$PY" -m briefgen -C disk/p serve --dev-addr "127.0.0.1:$PORT" 2> "$OUT/log" &
        server=$!
        trap 'kill $server; wait $server || true' EXIT
        "$PY" -c "$POLL" "http://127.0.0.1:$PORT/khmeimim/"
        dd if=/dev/zero of=disk/filler bs=64k 2>/dev/null || true
        truncate -s -300K disk/filler
        echo "A sentence added on a full disk." >> disk/p/content/khmeimim/sources/jpost.md
        for _ in $(seq 600); do grep -qi "no space left" "$OUT/log" && break; sleep 0.1; done
        page="http://127.0.0.1:$PORT/khmeimim/sources/jpost/"  # MkDocs' server stalls after a failed rebuild
        "$PY" -c "import urllib.request as u; print(u.urlopen('$page', timeout=10).read().decode())" > "$OUT/page"
    """, tmp_path, PROJECT=str(project), OUT=str(out), PORT=str(port), POLL=poll)
    log = (out / "log").read_text()
    failed = [line for line in log.splitlines() if "no space left" in line]
    assert len(failed) == 1 and re.fullmatch(r"ERROR\s+-  disk/p/\.briefgen-build/\S+: no space left on the "
                                             r"device; free some space and run again", failed[0]), log
    assert "Traceback" not in log
    page = (out / "page").read_text()
    assert "Khmeimim" in page and "A sentence added on a full disk." not in page
