"""`briefgen add`: importing saved pages, text files and URLs as sources.

The fixtures in tests/fixtures/import/ are invented pages written for these tests. No test
touches the network: URL imports talk to a real HTTP server on 127.0.0.1 started here.
"""

from __future__ import annotations

import datetime
import http.server
import re
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.diagnostics import UserError
from briefgen.importer import _derive_id, add_source

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ARTICLE = FIXTURES / "article.html"
NO_OG = FIXTURES / "no-og.html"
TODAY = datetime.date(2024, 11, 6)
CANONICAL = "https://www.coastal-ledger.example/world/harbour-cranes-fall-silent"
LEDGER_ID = "coastal-ledger-harbour-cranes-fall-silent-at-port"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content" / "port").mkdir(parents=True)
    (tmp_path / "content" / "port" / "briefing.yml").write_text(
        "title: Port closure\nas_of: 2024-11-06\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Imports\ntheme: material\n", encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment would send even 127.0.0.1 out of the machine.
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def read_source(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta, body


def collapse(text: str) -> str:
    return " ".join(text.split())


def add(project: Path, target: object, **kwargs: object) -> Path:
    kwargs.setdefault("today", TODAY)
    return add_source(project, "port", str(target), **kwargs)  # type: ignore[arg-type]


# --- saved HTML pages ---------------------------------------------------------------------


def test_html_metadata_is_filled(project: Path) -> None:
    path = add(project, ARTICLE)
    assert path == project / "content" / "port" / "sources" / f"{LEDGER_ID}.md"
    meta, _ = read_source(path)
    assert meta == {
        "title": "Harbour cranes fall silent at Port Veloria",
        "outlet": "The Coastal Ledger",
        "author": "Mara Lindqvist",
        "published": datetime.date(2024, 11, 5),
        "url": CANONICAL,  # the canonical link, its #fragment dropped
        "accessed": TODAY,
    }
    assert list(meta) == ["title", "outlet", "author", "published", "url", "accessed"]


def test_html_body_keeps_article_and_drops_boilerplate(project: Path) -> None:
    _, body = read_source(add(project, ARTICLE))
    for wanted in ("Dock workers at Port Veloria stopped loading container ships",
                   "Union representatives said they would meet the harbour authority",
                   "roughly a third of the region's imported grain"):
        assert wanted in collapse(body)
    for unwanted in ("World news section", "Business and markets",  # nav
                     "Gullwing", "Advertisement",  # ads
                     "Most read", "Lighthouse keeper", "tram line",  # most-read aside
                     "Subscribe", "subscribe", "newsletter", "Sign up", "unlimited access",
                     "All rights reserved", "alert(", "onerror", "tracker", "<img", "<script"):
        assert unwanted not in body, unwanted
    # Paragraphs are separated by blank lines, and the title is not repeated as a heading.
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert len(paragraphs) == 6
    assert not body.lstrip().startswith("#")


def test_imported_sentence_is_found_verbatim(project: Path) -> None:
    _, body = read_source(add(project, ARTICLE))
    sentence = ("The authority said in a short statement that the suspension was a precaution "
                "while engineers inspected the quay walls, which were damaged in a storm last month.")
    assert sentence in collapse(body)
    quote = "\"We have not been told how long this will last,\" said one agent"
    assert quote in collapse(body)


def test_html_without_open_graph_needs_outlet(project: Path) -> None:
    with pytest.raises(UserError, match="--outlet"):
        add(project, NO_OG)
    assert not (project / "content" / "port" / "sources").exists() or \
        not list((project / "content" / "port" / "sources").iterdir())


def test_html_without_open_graph_with_outlet(project: Path) -> None:
    path = add(project, NO_OG, outlet="Valley Post")
    assert path.name == "valley-post-rail-freight-line-reopens-after.md"
    meta, body = read_source(path)
    assert meta == {"title": "Rail freight line reopens after landslide",
                    "outlet": "Valley Post", "accessed": TODAY}
    # trafilatura keeps this page's <h1>; it repeats the title, so it is left out.
    assert "# Rail freight" not in body
    assert "nine days after a landslide buried the tracks" in collapse(body)
    assert "Front page" not in body and "rights reserved" not in body


def test_outlet_falls_back_to_domain_without_www(project: Path) -> None:
    meta, _ = read_source(add(project, NO_OG, url="https://www.valley-post.example/rail/"))
    assert meta["outlet"] == "valley-post.example"
    assert meta["url"] == "https://www.valley-post.example/rail/"


def test_overrides_win_and_hostile_title_stays_data(project: Path) -> None:
    title = "Cranes: idle\n---\nurl: javascript:alert(1) <script>x</script> #tag"
    path = add(project, ARTICLE, title=title, outlet="Ledger", source_id="ledger")
    meta, body = read_source(path)
    assert meta["title"] == " ".join(title.split())
    assert meta["outlet"] == "Ledger"
    assert meta["url"] == CANONICAL
    assert "Dock workers" in body


# --- ids -----------------------------------------------------------------------------------


def test_derived_id_is_a_short_slug_cut_at_a_word() -> None:
    slug = _derive_id("Reuters", "Russia packs up at Syrian base, satellite images show")
    assert slug == "reuters-russia-packs-up-at-syrian-base-satellite"
    assert len(slug) <= 50
    assert _derive_id("Le Monde", "Ça bouge à Kyiv!") == "le-monde-ca-bouge-a-kyiv"
    assert _derive_id("The Jerusalem Post", "Bases") == "jerusalem-post-bases"
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", _derive_id("X", "a" * 80))


def test_id_option_overrides_the_derived_id(project: Path) -> None:
    path = add(project, ARTICLE, source_id="ledger")
    assert path == project / "content" / "port" / "sources" / "ledger.md"


@pytest.mark.parametrize("bad", ["Ledger", "led_ger", "../ledger", "-ledger", "", "note"])
def test_bad_or_reserved_source_id(project: Path, bad: str) -> None:
    with pytest.raises(UserError, match="id"):
        add(project, ARTICLE, source_id=bad)


# --- never overwrite -----------------------------------------------------------------------


def test_refuses_to_overwrite_by_id(project: Path) -> None:
    first = add(project, ARTICLE, source_id="ledger")
    before = first.read_bytes()
    with pytest.raises(UserError, match="content/port/sources/ledger.md"):
        add(project, NO_OG, outlet="Valley Post", source_id="ledger")
    assert first.read_bytes() == before


def test_refuses_an_id_taken_by_a_txt_source(project: Path) -> None:
    sources = project / "content" / "port" / "sources"
    sources.mkdir()
    (sources / "ledger.txt").write_text("Some text\n", encoding="utf-8")
    with pytest.raises(UserError, match="content/port/sources/ledger.txt"):
        add(project, ARTICLE, source_id="ledger")
    assert not (sources / "ledger.md").exists()


def test_refuses_the_same_url_twice(project: Path) -> None:
    add(project, ARTICLE, source_id="ledger")
    with pytest.raises(UserError, match="content/port/sources/ledger.md already imports"):
        add(project, ARTICLE, source_id="again")
    assert not (project / "content" / "port" / "sources" / "again.md").exists()


def test_refuses_a_url_listed_in_briefing_yml(project: Path) -> None:
    (project / "content" / "port" / "briefing.yml").write_text(
        "title: Port closure\nas_of: 2024-11-06\nsources:\n  ledger:\n"
        "    file: sources/ledger.txt\n    url: " + CANONICAL + "/#comments\n", encoding="utf-8")
    with pytest.raises(UserError, match="content/port/briefing.yml"):
        add(project, ARTICLE)


# --- plain text ----------------------------------------------------------------------------


def test_txt_import_with_outlet(project: Path, tmp_path: Path) -> None:
    txt = tmp_path / "notes.txt"
    txt.write_text("\ufeffFerry strike ends after two days\r\n\r\n"
                   "The ferry crews returned to work on Friday.\r\n"
                   "# 3 seed in the cup final was not affected.\r\n"
                   "1. This line is prose, not a list.\r\n"
                   "Fares rose 5*2*3 per cent & more.\r\n", encoding="utf-8")
    path = add(project, txt, outlet="Harbour Radio")
    assert path.name == "harbour-radio-ferry-strike-ends-after-two-days.md"
    meta, body = read_source(path)
    assert meta == {"title": "Ferry strike ends after two days", "outlet": "Harbour Radio",
                    "accessed": TODAY}
    assert body.strip().split("\n\n") == [
        "The ferry crews returned to work on Friday.",
        "\\# 3 seed in the cup final was not affected.",
        "1\\. This line is prose, not a list.",
        "Fares rose 5\\*2\\*3 per cent \\& more.",
    ]


def test_txt_import_without_outlet_asks_for_it(project: Path, tmp_path: Path) -> None:
    txt = tmp_path / "notes.txt"
    txt.write_text("Ferry strike ends\nThe crews returned.\n", encoding="utf-8")
    with pytest.raises(UserError, match="pass --outlet"):
        add(project, txt)


def test_txt_not_utf8(project: Path, tmp_path: Path) -> None:
    txt = tmp_path / "latin.txt"
    txt.write_bytes("Caf\xe9 reopens\nIt did.\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        add(project, txt, outlet="X")


# --- briefing and target checks ------------------------------------------------------------


@pytest.mark.parametrize("bad", ["Port", "../port", "po rt", "", "port/x"])
def test_bad_briefing_id(project: Path, bad: str) -> None:
    with pytest.raises(UserError, match="briefing id"):
        add_source(project, bad, str(ARTICLE), today=TODAY)


def test_missing_briefing_folder(project: Path) -> None:
    with pytest.raises(UserError, match=r"content/harbour.*briefgen new harbour"):
        add_source(project, "harbour", str(ARTICLE), today=TODAY)


@pytest.mark.parametrize("target,message", [
    ("ftp://files.example/article.html", "only http and https"),
    ("missing.html", "no such file"),
])
def test_unusable_targets(project: Path, target: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        add(project, target)


def test_unsupported_file_type(project: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "article.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(UserError, match=r"\.html"):
        add(project, pdf)


def test_empty_extraction(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>",
                    encoding="utf-8")
    with pytest.raises(UserError, match="no article text"):
        add(project, page, outlet="X")


def test_bad_url_override(project: Path) -> None:
    with pytest.raises(UserError, match="only http and https"):
        add(project, ARTICLE, url="javascript:alert(1)")


# --- URLs, from a real server on 127.0.0.1 (never the network) ------------------------------


class Pages(http.server.BaseHTTPRequestHandler):
    """Each path plays one kind of server: a good page, redirects, a drip, a flood."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        route = {"/rail": self.page, "/to-rail": lambda: self.redirect("/rail?utm=x"),
                 "/to-ftp": lambda: self.redirect("ftp://127.0.0.1/rail.html"),
                 "/to-file": lambda: self.redirect("file:///etc/passwd"),
                 "/drip": self.drip, "/drip-headers": self.drip_headers,
                 "/says-huge": self.says_huge, "/floods": self.floods}.get(urlsplit(self.path).path)
        if route is None:
            self.send_error(404, "Not Found")
        else:
            route()

    def page(self) -> None:
        body = NO_OG.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def drip(self) -> None:
        """A page announced at 10 kB that arrives a byte every 0.1 s (it would take 17 min)."""
        self.send_response(200)
        self.send_header("Content-Length", "10000")
        self.end_headers()
        self.slowly(b"<p>" + b"x" * 9997)

    def drip_headers(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self.slowly(b"X-Slow: " + b"y" * 9000)

    def slowly(self, data: bytes) -> None:
        started = time.monotonic()
        for byte in data:  # stops by itself after 20 s, should the client never hang up
            if time.monotonic() - started > 20:
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)

    def says_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(21 * 2**20))
        self.end_headers()
        self.wfile.write(b"<html>")

    def floods(self) -> None:
        """More than 20 MB with no Content-Length, so only counting can stop it."""
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>flood</p>" * 10000
        try:
            for _ in range(25 * 2**20 // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_import_follows_http_redirects(project: Path, server: str) -> None:
    path = add(project, f"{server}/to-rail", timeout=10)
    meta, body = read_source(path)
    assert meta["outlet"].startswith("127.0.0.1")  # the page names no outlet: its host
    assert meta["url"] == f"{server}/rail?utm=x"  # where the redirect ended
    assert "Crews worked in shifts around the clock" in collapse(body)


def test_url_import_goes_through_the_proxy_the_environment_names(
        project: Path, server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The local server plays the proxy: a proxied request names the whole URL, which it serves.
    monkeypatch.setenv("http_proxy", server)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    meta, _ = read_source(add(project, "http://news.invalid/rail", timeout=10))
    assert meta["url"] == "http://news.invalid/rail"


@pytest.mark.parametrize("path,scheme", [("/to-ftp", "ftp://"), ("/to-file", "file://")])
def test_redirect_to_another_scheme_is_refused(project: Path, server: str, path: str,
                                               scheme: str) -> None:
    with pytest.raises(UserError, match=f"redirects to '{scheme}.*only http and https"):
        add(project, server + path, timeout=10)
    assert not (project / "content" / "port" / "sources").exists()


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_timeout_bounds_the_whole_download(project: Path, server: str, path: str) -> None:
    # Every read gets a byte within 0.1 s, so a per-read timeout would wait for 17 minutes.
    started = time.monotonic()
    with pytest.raises(UserError, match=r"no complete answer within 1\.5 s; pass a longer --timeout"):
        add(project, server + path, timeout=1.5)
    assert time.monotonic() - started < 5


class SlowHandshake(socketserver.BaseRequestHandler):
    """Starts a TLS handshake record of 16 kB and sends it a byte every 0.1 s."""

    def handle(self) -> None:
        self.request.sendall(b"\x16\x03\x03\x40\x00")
        started = time.monotonic()
        while time.monotonic() - started < 10:
            try:
                self.request.sendall(b"\x02")
            except OSError:
                return
            time.sleep(0.1)


def test_timeout_bounds_a_dripping_tls_handshake(project: Path) -> None:
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), SlowHandshake) as tls:
        tls.daemon_threads = True
        threading.Thread(target=tls.serve_forever, daemon=True).start()
        started = time.monotonic()
        with pytest.raises(UserError, match=r"no complete answer within 1\.5 s"):
            add(project, f"https://127.0.0.1:{tls.server_address[1]}/", timeout=1.5)
        assert time.monotonic() - started < 5
        tls.shutdown()


@pytest.mark.parametrize("path", ["/says-huge", "/floods"])
def test_oversized_download_is_refused(project: Path, server: str, path: str) -> None:
    with pytest.raises(UserError, match="larger than 20 MB"):
        add(project, server + path, timeout=30)


def test_url_http_error(project: Path, server: str) -> None:
    with pytest.raises(UserError, match="could not fetch .*HTTP 404 Not Found"):
        add(project, f"{server}/gone", timeout=10)


def test_url_fetch_failure_is_a_user_error(project: Path) -> None:
    # Port 9 (discard) on the loopback interface: nothing listens, so this fails at once.
    with pytest.raises(UserError, match=r"could not fetch http://127\.0\.0\.1:9/article: .*offline"):
        add(project, "http://127.0.0.1:9/article", timeout=2)


@pytest.mark.parametrize("target", ["http://[::1", "http://[::1/x", "https://", "http:// spaced"])
def test_malformed_url_is_one_line_on_the_command_line(project: Path, target: str) -> None:
    result = CliRunner().invoke(main, ["-C", str(project), "add-source", "port", target])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: cannot import {target!r}") and "valid URL" in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


# --- files on disk -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["huge.html", "huge.txt"])
def test_oversized_file_is_refused(project: Path, tmp_path: Path, name: str) -> None:
    big = tmp_path / name
    with big.open("wb") as out:  # sparse: 21 MB on disk costs nothing
        out.truncate(21 * 2**20)
    started = time.monotonic()
    with pytest.raises(UserError, match=f"{name} is larger than 20 MB"):
        add(project, big, outlet="X", title="Big")
    assert time.monotonic() - started < 5


def test_txt_with_title_keeps_every_line(project: Path, tmp_path: Path) -> None:
    txt = tmp_path / "notes.txt"
    txt.write_text("Ferry crews returned to work on Friday.\nFares rose.\n", encoding="utf-8")
    meta, body = read_source(add(project, txt, outlet="Harbour Radio", title="Ferry strike ends"))
    assert meta["title"] == "Ferry strike ends"
    assert body.strip().split("\n\n") == ["Ferry crews returned to work on Friday.", "Fares rose."]


def test_txt_with_title_may_be_one_line(project: Path, tmp_path: Path) -> None:
    txt = tmp_path / "one.txt"
    txt.write_text("Only one line of reporting here.\n", encoding="utf-8")
    _, body = read_source(add(project, txt, outlet="X", title="One"))
    assert body.strip() == "Only one line of reporting here."
    with pytest.raises(UserError, match="a title line, then the text"):
        add(project, txt, outlet="X", source_id="again")


# --- hostile page metadata -----------------------------------------------------------------


HOSTILE = """<!DOCTYPE html><html><head>
<meta property="og:site_name" content="Evil&#10;url: javascript:alert(1)&#10;reliability: A&#8238;reversed">
<meta property="og:title" content="Title&#13;&#10;---&#10;publish: excerpts &#x2067;iso&#x2069; end">
<meta name="author" content="&#x202D;Eve&#9;&#11;Smith&#x200F;">
<meta property="og:url" content="javascript:alert(1)">
<meta property="article:published_time" content="20x4-13-45">
<title>x</title></head><body><article>
<p>The council met on Tuesday and voted to close the old harbour road for repairs.</p>
<p>Work is expected to last three weeks, the council said in a statement.</p>
</article></body></html>"""


def test_hostile_metadata_becomes_plain_one_line_text(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(HOSTILE, encoding="utf-8")
    path = add(project, page)
    meta, _ = read_source(path)
    assert set(meta) == {"title", "outlet", "author", "accessed"}  # nothing injected, no bad url
    assert meta["outlet"] == "Evil url: javascript:alert(1) reliability: Areversed"
    assert meta["title"] == "Title --- publish: excerpts iso end"
    assert meta["author"] == "Eve Smith"
    header = path.read_text(encoding="utf-8").split("\n---\n")[0]
    assert not re.search("[\x00-\x08\x0b-\x1f\u202a-\u202e\u2066-\u2069\u200e\u200f]", header)
    assert header.count("\n") == 4  # "---" and one line per key


# --- without trafilatura (the `import` extra) ----------------------------------------------


BLOCKED = ("import sys; sys.modules['trafilatura'] = None; sys.argv[0] = 'briefgen';"
           "from briefgen.cli import main; main()")


def run_blocked(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", BLOCKED, "-C", str(project), *args],
                          capture_output=True, text=True, timeout=60)


def test_html_without_trafilatura_names_the_extra(project: Path) -> None:
    result = run_blocked(project, "add-source", "port", str(ARTICLE))
    assert result.returncode == 1, result.stderr
    assert result.stderr == ('error: importing HTML pages needs trafilatura: '
                             'pip install "briefgen[import]"\n')
    assert not (project / "content" / "port" / "sources").exists()


def test_txt_and_check_work_without_trafilatura(project: Path, tmp_path: Path) -> None:
    txt = tmp_path / "notes.txt"
    txt.write_text("Ferry strike ends\nThe ferry crews returned to work on Friday.\n", encoding="utf-8")
    result = run_blocked(project, "add-source", "port", str(txt), "--outlet", "Harbour Radio")
    assert result.returncode == 0, result.stderr
    written = project / "content" / "port" / "sources" / "harbour-radio-ferry-strike-ends.md"
    assert "The ferry crews returned to work on Friday." in written.read_text(encoding="utf-8")
    checked = run_blocked(project, "check")
    assert "0 errors" in checked.stderr, checked.stderr


def test_init_new_and_build_work_without_trafilatura(tmp_path: Path) -> None:
    site = tmp_path / "site-project"
    for project, args in ((tmp_path, ("init", str(site))), (site, ("new", "harbour")),
                          (site, ("build",))):
        result = run_blocked(project, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert (site / "content" / "harbour" / "briefing.yml").is_file()
    assert (site / "site" / "index.html").is_file()


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e400", "86401"])
def test_timeout_must_be_a_positive_finite_number(project: Path, value: str) -> None:
    """NaN and infinity pass a plain `> 0` check; each would reach the download as a crash."""
    result = CliRunner().invoke(main, ["-C", str(project), "add-source", "port",
                                       "http://127.0.0.1:9/", "--timeout", value])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: --timeout must be a number of seconds above 0")
    assert len(result.stderr.splitlines()) == 1


def test_a_timeout_that_is_no_number_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(project), "add-source", "port",
                                       "http://127.0.0.1:9/", "--timeout", "soon"])
    assert result.exit_code == 2 and "--timeout" in result.output
