"""`briefgen serve`: serves the site on loopback, rebuilds on an edit, keeps the last good site."""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import http_get, wait_for

from briefgen.engine.hosts import allows

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def served(tmp_path: Path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(tmp_path), "serve",
                                 "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "Khmeimim" in http_get(base + "/khmeimim/")), "serve never came up"
        yield tmp_path, base, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_rebuilds_on_edit_and_injects_live_reload(served) -> None:
    project, base, _ = served
    page = base + "/khmeimim/sources/jpost/"
    assert "livereload" in http_get(page)
    source = project / "content" / "khmeimim" / "sources" / "jpost.md"
    source.write_text(source.read_text() + "\nA sentence added while serving.\n")
    assert wait_for(lambda: "A sentence added while serving." in http_get(page)), "the edit never showed"


def test_serve_keeps_the_last_good_site_when_an_edit_breaks_it(served) -> None:
    project, base, log = served
    briefing = project / "content" / "khmeimim" / "briefing.yml"
    briefing.write_text(briefing.read_text().replace("as_of: 2024-12-14", "as_of: not-a-date"))
    # The rebuild ran and reported the mistake in the terminal ...
    assert wait_for(lambda: "content/khmeimim/briefing.yml:10:8: error: 'as_of'" in log.read_text())
    # ... and the reader still sees the last good site.
    assert "Russia packs up at Khmeimim" in http_get(base + "/khmeimim/")


# -- only its own address: DNS rebinding ---------------------------------------------------------

def request(base: str, host: str | None) -> tuple[int, str, str]:
    """GET / from the server at `base` with this Host header (none when None): status, type, body."""
    port = int(base.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", "/", skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode("utf-8")
    finally:
        conn.close()


def own_and_forged(port: int) -> tuple[list[str], list[str | None]]:
    own = [f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "127.0.0.1", f"[::1]:{port}",
           f"LocalHost:{port}"]
    forged = [f"rebind.attacker.example:{port}", "rebind.attacker.example", f"127.0.0.1:{port + 1}",
              f"localhost.attacker.example:{port}", f"127.0.0.1:{port}.attacker.example",
              f"10.0.0.7:{port}", f"127.0.0.1:{port},evil.example", "", None]
    return own, forged


def assert_answers_only_its_own_address(base: str) -> None:
    port = int(base.rsplit(":", 1)[1])
    own, forged = own_and_forged(port)
    for host in own:
        status, _, body = request(base, host)
        assert status == 200 and "Khmeimim" in body, host
    for host in forged:
        status, kind, body = request(base, host)
        assert status == (421 if host else 400), host
        assert kind.startswith("text/plain") and len(body) < 200, host
        assert "Khmeimim" not in body and "<" not in body, host
    # The live-reload poll is the server's own too: it answers no other name either.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/livereload/0/0", headers={"Host": f"rebind.attacker.example:{port}"})
    assert conn.getresponse().status == 421
    conn.close()


def test_serve_answers_only_requests_that_name_its_own_address(served) -> None:
    _, base, log = served
    assert_answers_only_its_own_address(base)
    assert '"GET / HTTP/1.1" code 421' in log.read_text()  # the terminal shows what was refused


@pytest.mark.parametrize("engine", [
    "mkdocs",
    pytest.param("properdocs", marks=pytest.mark.skipif(importlib.util.find_spec("properdocs") is None,
                                                          reason="ProperDocs is not installed")),
])
def test_mkdocs_serve_with_the_plugin_answers_only_its_own_address(tmp_path: Path, engine: str) -> None:
    """Plain `mkdocs serve` (or ProperDocs'): the plugin guards the server it made (on_serve)."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    (tmp_path / "docs").mkdir()  # MkDocs insists on it
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", engine, "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        up = wait_for(lambda: proc.poll() is not None or "Khmeimim" in http_get(base + "/khmeimim/"))
        assert up and proc.poll() is None, log.read_text()
        assert_answers_only_its_own_address(base)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("host, port, header, expected", [
    ("127.0.0.1", 8000, "127.0.0.1:8000", True),
    ("127.0.0.1", 8000, "localhost", True),
    ("127.0.0.1", 8000, "[::1]:8000", True),
    ("127.0.0.1", 8000, "127.0.0.1:8001", False),
    ("127.0.0.1", 8000, "127.0.0.1:", False),
    ("127.0.0.1", 8000, "[::1]x:8000", False),
    ("127.0.0.1", 8000, "[::1", False),
    ("127.0.0.1", 8000, "192.168.1.5:8000", False),  # bound to loopback: only loopback names
    ("::1", 8000, "[::1]:8000", True),
    ("::1", 8000, "[0:0:0:0:0:0:0:1]:8000", False),  # spelled otherwise than it was bound
    ("localhost", 8000, "LOCALHOST:8000", True),
    ("briefs.lan", 8000, "briefs.lan:8000", True),  # the name it was bound to
    ("briefs.lan", 8000, "other.lan:8000", False),
    ("0.0.0.0", 8000, "192.168.1.5:8000", True),  # every address: any address, typed by hand
    ("0.0.0.0", 8000, "[fe80::1]:8000", True),
    ("0.0.0.0", 8000, "briefs.attacker.example:8000", False),  # but no name: names can be rebound
    ("::", 8000, "192.168.1.5", True),
])
def test_which_host_headers_name_the_server(host, port, header, expected) -> None:
    assert allows(header, host, port) is expected


# -- the address and port ------------------------------------------------------------------------

def test_port_0_serves_on_a_free_port_and_says_which(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "-C", str(tmp_path), "serve",
                                 "--dev-addr", "127.0.0.1:0"], stdout=subprocess.DEVNULL, stderr=err)
    try:
        assert wait_for(lambda: proc.poll() is not None or "Serving on" in log.read_text()), log.read_text()
        port = int(re.search(r"Serving on http://127\.0\.0\.1:(\d+)/$", log.read_text(), re.M)[1])
        assert port != 0
        base = f"http://127.0.0.1:{port}"
        assert request(base, f"127.0.0.1:{port}")[0] == 200
        assert request(base, "127.0.0.1:0")[0] == 421  # the port it serves on, not the one asked for
    finally:
        proc.terminate()
        proc.wait(timeout=10)

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_port_in_use_is_one_line_before_anything_is_built(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "briefgen", "-C", str(tmp_path), "serve",
                               "--dev-addr", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"error: cannot listen on 127.0.0.1:{port}: the port is in use "
                                        "(another `briefgen serve` or `mkdocs serve`?); stop that server, "
                                        "or choose another port with --dev-addr"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "mkdocs.yml"]  # nothing built
