"""A briefing page's apparatus (coverage matrix, preview data) is printed in its article but is
not the content MkDocs indexes for search: the indexer never parses it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, build_ok


def _built(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    build_ok(tmp_path)
    return tmp_path / "site"


def test_matrix_and_previews_are_in_the_article_but_not_in_the_search_index(tmp_path: Path) -> None:
    site = _built(tmp_path)
    facts = (site / "khmeimim/facts/index.html").read_text("utf-8")
    start, end = facts.index("<article"), facts.index("</article>")
    for piece in ('id="bg-coverage"', 'class="bg-table bg-matrix"', 'id="bg-previews"'):
        assert start < facts.index(piece) < end, piece
    assert "bg-apparatus" not in facts  # the marker between content and apparatus is gone
    summary = (site / "khmeimim/index.html").read_text("utf-8")
    assert summary.index("<article") < summary.index('id="bg-previews"') < summary.index("</article>")
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    texts = " ".join(d["title"] + " " + d["text"] for d in docs)
    assert "Coverage: which source says what" not in texts
    assert " is silent" not in texts  # the matrix's words for an empty cell
    assert "Key facts" in texts and "Heavy transport aircraft" in texts  # the page is still indexed


def test_a_page_override_without_the_marker_is_all_content(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "templates").mkdir()
    text = (REPO / "templates/facts.html").read_text("utf-8").replace("<!-- bg-apparatus -->", "")
    (tmp_path / "templates/facts.html").write_text(text, "utf-8")
    build_ok(tmp_path)
    docs = json.loads((tmp_path / "site/search/search_index.json").read_text("utf-8"))["docs"]
    assert any("Coverage: which source says what" in d["title"] for d in docs)
