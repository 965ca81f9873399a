"""`briefgen serve`: serves the site on loopback, rebuilds on an edit, keeps the last good site."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import http_get, wait_for

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def served(tmp_path: Path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
