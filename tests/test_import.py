"""`briefgen add`: importing saved pages, text files and URLs as sources.

The fixtures in tests/fixtures/import/ are invented pages written for these tests. No test
touches the network: URL imports use a patched urlopen or a local port nobody listens on.
"""

from __future__ import annotations

import datetime
import io
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

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
    with pytest.raises(UserError, match="http or https"):
        add(project, ARTICLE, url="javascript:alert(1)")


# --- URLs (no network) ---------------------------------------------------------------------


def test_url_fetch_failure_is_a_user_error(project: Path) -> None:
    # Port 9 (discard) on the loopback interface: nothing listens, so this fails at once.
    with pytest.raises(UserError, match=r"could not fetch http://127\.0\.0\.1:9/article: .*offline"):
        add(project, "http://127.0.0.1:9/article", timeout=2)


class FakeResponse(io.BytesIO):
    def __init__(self, data: bytes, url: str) -> None:
        super().__init__(data)
        self.url = url

    def geturl(self) -> str:
        return self.url


def test_url_import_with_patched_fetch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_urlopen(request: urllib.request.Request, timeout: float) -> FakeResponse:
        seen.update(url=request.full_url, agent=request.get_header("User-agent"), timeout=timeout)
        return FakeResponse(NO_OG.read_bytes(), "https://www.valley-post.example/rail?utm=x")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    path = add(project, "https://valley-post.example/r", timeout=3)
    assert seen["url"] == "https://valley-post.example/r" and seen["timeout"] == 3
    assert seen["agent"]
    meta, body = read_source(path)
    assert meta["outlet"] == "valley-post.example"
    assert meta["url"] == "https://www.valley-post.example/rail?utm=x"  # after redirects
    assert "Crews worked in shifts around the clock" in collapse(body)


def test_url_http_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_urlopen(request: urllib.request.Request, timeout: float) -> FakeResponse:
        raise urllib.error.HTTPError(request.full_url, 404, "Not Found", None, None)  # type: ignore[arg-type]

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(UserError, match="could not fetch .*HTTP 404 Not Found"):
        add(project, "https://news.example/gone")


def test_url_timeout(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_urlopen(request: urllib.request.Request, timeout: float) -> FakeResponse:
        raise TimeoutError("timed out")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(UserError, match="could not fetch .*timed out"):
        add(project, "https://news.example/slow")
