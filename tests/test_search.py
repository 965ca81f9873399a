"""Search (issue 23): each statement, fact, question and evidence row is an entry of its own in the
built site's search index, found at its anchor, with the words the page shows there: no table
header run together with the row, no words meant for screen readers only, no controls.

Expectations are written by hand from tests/search_project.py."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import build_ok, make_project
from search_project import CAFE_NFD, FILES

from briefgen.stages.searchable import SearchEntry, entries


def _index(project: Path) -> list[dict]:
    return json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    project = make_project(tmp_path_factory.mktemp("search"), {
        **FILES, "docs/about.md": "# About\n\nWho writes these briefings.\n\n## Contact {#contact}\n\nWrite to the desk.\n",
        "mkdocs.yml": "site_name: Test briefings\ntheme: material\nplugins: [search]\nmarkdown_extensions: [attr_list]\n"})
    build_ok(project)
    return _index(project)


def _at(docs: list[dict], location: str) -> dict:
    found = [d for d in docs if d["location"] == location]
    assert len(found) == 1, f"{len(found)} entries at {location!r}: {[d['location'] for d in docs]}"
    return found[0]


# Every row of the briefing: (location, title, text), the text as the row shows it (Markdown's
# emphasis gone, the words of every script as written, the decomposed accent kept decomposed).
ROWS = [
    ("harbour/#summary-1", "Bottom line", "The port has been closed since Monday."),
    ("harbour/#summary-2", "Bottom line", "Οι αρχές λένε ότι το λιμάνι είναι κλειστό."),
    ("harbour/#summary-3", "Bottom line", "توقفت الرافعات عن العمل منذ يوم الاثنين."),
    ("harbour/#timeline-1", "9 Dec 2024", f"A {CAFE_NFD} owner sees the cranes at work."),
    ("harbour/facts/#fact-port", "Λιμάνι", "Κλειστό από τη Δευτέρα"),
    ("harbour/facts/#fact-ships", "Ships", "Left the port before the weekend"),
    ("harbour/questions/#q-reopen-e1", "Evidence: Will the port reopen this week?", "قالت السلطات إن الرافعات متوقفة"),
]


@pytest.mark.parametrize(("location", "title", "text"), ROWS, ids=[r[0] for r in ROWS])
def test_each_row_is_an_entry_at_its_anchor_with_its_own_words(docs, location, title, text):
    doc = _at(docs, location)
    assert (doc["title"], doc["text"]) == (title, text)


def test_a_question_is_found_by_its_words_and_its_hypotheses_not_its_tallies(docs):
    doc = _at(docs, "harbour/questions/#q-reopen")
    assert doc["title"] == "Will the port reopen this week?"
    assert doc["text"].startswith("Open: no answer yet.")
    assert doc["text"].endswith("It reopens by Friday It stays closed")
    assert " for" not in doc["text"] and "against" not in doc["text"]


def test_the_decomposed_accent_is_kept_as_written(docs):
    text = _at(docs, "harbour/#timeline-1")["text"]
    assert CAFE_NFD in text and unicodedata.normalize("NFC", CAFE_NFD) not in text


def test_each_page_has_one_entry_of_its_own_before_its_rows(docs):
    """Material's search groups a page's rows under the first entry of that page's URL."""
    pages = ["harbour/", "harbour/facts/", "harbour/questions/",
             "harbour/sources/greek/", "harbour/sources/arabic/", "harbour/sources/wire/", ""]
    for url in pages:
        own = [i for i, d in enumerate(docs) if d["location"].split("#")[0] == url]
        assert own and docs[own[0]]["location"] == url, f"{url!r}: its first entry is not the page"
        assert [docs[i]["location"] for i in own].count(url) == 1
    assert _at(docs, "harbour/facts/")["title"] == "Key facts · Harbour closes"
    assert _at(docs, "harbour/sources/greek/")["title"] == "Ελληνικό Πρακτορείο: Το λιμάνι κλείνει"


def test_no_header_run_ons_controls_or_screen_reader_words(docs):
    everything = " ".join(d["title"] + " " + d["text"] for d in docs)
    for words in ("What is known", "Fact and corroboration", "FactWhat", "Cited in", "Supports", "Disputes",
                  "disputes 1 statement", "Link to this", "copy", "[1]", "[2]", "1 origin", "is silent",
                  "read the original", "single source", "contested", "▲", "▼"):
        assert words not in everything, f"the search index holds {words!r}"
    # Everything a table row says stays apart from its neighbours' words.
    assert "weekendLeft" not in everything and "ΛιμάνιΚλειστό" not in everything


def test_source_pages_are_found_by_their_text(docs):
    assert _at(docs, "harbour/sources/arabic/")["text"].endswith(
        "قالت السلطات إن الرافعات توقفت عن العمل منذ يوم الاثنين. وأضافت أن السفن غادرت الميناء.")


def test_the_projects_own_pages_keep_their_entries(docs):
    assert _at(docs, "about/")["title"] == "About"
    assert "Write to the desk." in _at(docs, "about/#contact")["text"]


def test_text_is_escaped_as_the_index_holds_it(tmp_path):
    """Material shows titles and texts as HTML: what the page shows as text is escaped there."""
    files = dict(FILES)
    files["content/harbour/briefing.yml"] = FILES["content/harbour/briefing.yml"].replace(
        "value: Left the port before the weekend", "value: Left the port <b>before</b> the weekend & more")
    project = make_project(tmp_path, files)
    build_ok(project)
    doc = _at(_index(project), "harbour/facts/#fact-ships")
    assert doc["text"] == "Left the port &lt;b&gt;before&lt;/b&gt; the weekend &amp; more"


def test_locations_follow_use_directory_urls_false(tmp_path):
    project = make_project(tmp_path, {**FILES, "mkdocs.yml": "site_name: T\ntheme: material\nplugins: [search]\n"
                                                             "use_directory_urls: false\n"})
    build_ok(project)
    docs = _index(project)
    assert _at(docs, "harbour/facts.html#fact-port")["text"] == "Κλειστό από τη Δευτέρα"
    assert _at(docs, "harbour/index.html#summary-1")["title"] == "Bottom line"
    assert not [d for d in docs if d["location"].startswith("harbour/facts/")]


def test_without_a_search_plugin_no_index_is_written(tmp_path):
    project = make_project(tmp_path, {**FILES, "mkdocs.yml": "site_name: T\ntheme: material\nplugins: []\n"})
    build_ok(project)
    assert not (project / "site/search").exists()


# -- on Zensical: the same rows, in the index it writes (search.json, "items") ------------------


@pytest.fixture(scope="module")
def zensical_index(tmp_path_factory: pytest.TempPathFactory) -> dict:
    pytest.importorskip("zensical", reason="the test extra installs Zensical (briefgen[zensical])")
    from briefgen.engine.site import build_site

    project = make_project(tmp_path_factory.mktemp("zsearch"), {
        **FILES, "docs/about.md": "# About\n\nWho writes these briefings.\n\n## Contact {#contact}\n\nWrite to the desk.\n",
        "mkdocs.yml": "site_name: Test briefings\ntheme: material\nplugins: [search]\nmarkdown_extensions: [attr_list]\n"})
    assert not build_site(project, engine="zensical").report.errors
    return json.loads((project / "site/search.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items(zensical_index: dict) -> list[dict]:
    return zensical_index["items"]


@pytest.mark.parametrize(("location", "title", "text"), ROWS, ids=[r[0] for r in ROWS])
def test_on_zensical_each_row_is_a_hit_at_its_anchor_under_its_pages_breadcrumb(items, location, title, text):
    item = _at(items, location)
    assert (item["title"], item["text"], item["level"]) == (title, text, 2)
    page = _at(items, location.split("#")[0])
    assert page["level"] == 1 and item["path"] == page["path"] and page["path"][0] == "Harbour closes"


def test_on_zensical_the_index_is_told_the_contents_languages(zensical_index):
    # English by default, then the Greek and Arabic of the sources (its search splits CJK text
    # into words only for a language it is told of).
    assert zensical_index["config"]["lang"] == ["en", "ar", "el"]


def test_on_zensical_the_projects_own_pages_keep_zensicals_entries(items):
    assert _at(items, "about/")["title"] == "About"
    assert "Write to the desk." in _at(items, "about/#contact")["text"]
    # Zensical's own items for our pages (a heading run together with its table) are gone.
    assert not [i for i in items if i["location"].startswith("harbour/") and "What is known" in i["text"]]


# -- the reader of marks, on hand-written pages ---------------------------------------------------

def test_marks_make_rows_titles_and_texts():
    html = ('<p>Lead</p><table><thead data-search-exclude><tr><th>Fact</th><th>What</th></tr></thead>'
            '<tr id="r1" data-bg-entry><th><span data-bg-title>Port</span> <span>badge</span></th>'
            '<td data-bg-text>Closed <em>since</em> Monday</td><td data-bg-text>says <b>one</b></td></tr></table>')
    assert entries(html, "Page") == (SearchEntry("", "Page", "Lead"),
                                     SearchEntry("r1", "Port", "Closed since Monday says one"))


def test_a_row_without_marks_is_all_its_words_under_the_attributes_title():
    html = '<ol><li id="s1" data-bg-entry="Bottom line">One<span class="bg-sr"> hidden</span></li><li>Two</li></ol>'
    assert entries(html, "P") == (SearchEntry("", "P", "Two"), SearchEntry("s1", "Bottom line", "One"))


def test_excluded_regions_end_at_their_own_end_tag():
    """Material's indexer ends an excluded region at the first end tag of its name; this does not."""
    html = '<p>a <span data-search-exclude>x <span>y</span> z</span> b<button hidden>copy</button></p>'
    assert entries(html, "P") == (SearchEntry("", "P", "a b"),)


def test_headings_with_ids_outside_rows_start_sections():
    html = ('<article><p>Intro</p><h2 id="h">Part <i>two</i></h2><p>Body</p>'
            '<div id="r" data-bg-entry="Row"><h3 id="inner">Not a section</h3></div><p>More</p></article>')
    assert entries(html, "P") == (SearchEntry("", "P", "Intro"), SearchEntry("h", "Part two", "Body More"),
                                  SearchEntry("r", "Row", "Not a section"))


def test_material_offline_copies_the_index_with_the_rows(tmp_path):
    """Material's `offline` plugin copies the index into search_index.js after every other
    plugin's post-build: the rows are in it already."""
    project = make_project(tmp_path, {**FILES, "mkdocs.yml": "site_name: T\ntheme: material\n"
                                                             "plugins: [search, offline]\n"})
    build_ok(project)
    script = (project / "site/search/search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    docs = json.loads(script.removeprefix("var __index = "))["docs"]
    assert _at(docs, "harbour/facts.html#fact-port")["text"] == "Κλειστό από τη Δευτέρα"


def test_on_zensical_a_breadcrumb_shows_quotes_and_ampersands_as_written(tmp_path):
    """Zensical's dialog shows `&quot;` as those six characters: a title's quotes stay quotes in
    the breadcrumb of our hits, its `&` and `<` escaped as in their titles."""
    pytest.importorskip("zensical", reason="the test extra installs Zensical (briefgen[zensical])")
    from briefgen.engine.site import build_site

    project = make_project(tmp_path, {
        "content/port/briefing.yml": ('title: "Port & harbour: \\"reopening\\" <soon>"\nas_of: 2024-11-06\nsummary:\n'
                                      '  - text: Ships returned.\n    cite:\n      - wire: "ships returned"\n'),
        "content/port/sources/wire.md": "---\ntitle: Ships\noutlet: Wire\n---\n\nThe ships returned on Monday.\n",
    })
    assert not build_site(project, engine="zensical").report.errors
    items = json.loads((project / "site/search.json").read_text(encoding="utf-8"))["items"]
    assert _at(items, "port/#summary-1")["path"] == ['Port &amp; harbour: "reopening" &lt;soon&gt;', "Summary"]
