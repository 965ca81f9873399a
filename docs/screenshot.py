"""Retakes docs/screenshot.png, README's picture of a briefing: the example's summary page at
1280 px wide in Debian's Chromium, light scheme. Run from the repository root:

    python docs/screenshot.py

It builds the example into a temporary folder, serves it on 127.0.0.1 and never leaves it."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshot.png"
PREVIEW = "#bg-pop"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No line per request: the script prints only what it wrote."""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "example"
        shutil.copytree(REPO / "content", project / "content")
        shutil.copy(REPO / "mkdocs.yml", project)
        subprocess.run([sys.executable, "-m", "briefgen", "-C", str(project), "-q", "build"], check=True)
        handler = functools.partial(Quiet, directory=str(project / "site"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            shoot(f"http://127.0.0.1:{server.server_address[1]}/khmeimim/")
        finally:
            server.shutdown()
    print(f"{OUT.relative_to(REPO)}: {OUT.stat().st_size // 1024} KB")


def shoot(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 760}, color_scheme="light")
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url.split("/khmeimim")[0])
                   else route.abort())
        page.goto(url)
        page.wait_for_selector("article")
        page.evaluate("document.fonts.ready")
        # Hovering a citation marker shows what the page is for: the statement's quoted passage.
        page.locator("a.bg-cite").first.hover()
        page.wait_for_selector(PREVIEW, state="visible")
        page.screenshot(path=str(OUT))
        browser.close()


if __name__ == "__main__":
    main()
