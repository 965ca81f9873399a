"""Resources bounded by the input (#20): N statements citing one passage cost linear work, and
a large paragraph is held as few times as it must be.

No timings: what is counted is the work itself (comparisons of statements, back-link items,
what a rendered briefing still holds)."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen import model, pipeline
from briefgen.stages.resolve import resolve
from briefgen.urls import Urls

SOURCE = "---\ntitle: Port\noutlet: Wire\n---\nOfficials said the port of Velmor was closed on Monday.\n"


def _project(make_project, tmp_path: Path, n: int) -> Path:
    lines = ["title: Port", "as_of: 2024-05-02", "summary:"]
    for i in range(n):
        lines += [f"  - text: Statement {i + 1}.", "    cite:", "      - wire: the port of Velmor was closed"]
    lines += ["  - text: Twice the same passage.", "    cite:",  # listed once, however often it cites it
              "      - wire: the port of Velmor was closed", "      - wire: the port of Velmor"]
    return make_project(tmp_path, {"content/port/briefing.yml": "\n".join(lines) + "\n",
                                   "content/port/sources/wire.md": SOURCE})


def _comparisons(monkeypatch, project: Path) -> tuple[int, list[str]]:
    """Statement comparisons while resolving, and the back-links of the cited passage."""
    checked = pipeline.check(project).checked[0]
    count = 0
    real = model.Statement.__eq__

    def counting(self, other):
        nonlocal count
        count += 1
        return real(self, other)

    monkeypatch.setattr(model.Statement, "__eq__", counting)
    r = resolve(checked)
    monkeypatch.setattr(model.Statement, "__eq__", real)
    (passage,) = [p for p in r.passages["wire"] if p.words == "the port of Velmor was closed"]
    return count, [st.label for st in passage.cited_by]


def test_statements_citing_one_passage_are_listed_once_each_without_comparing_them_all(
        tmp_path, make_project, monkeypatch):
    small, labels = _comparisons(monkeypatch, _project(make_project, tmp_path, 200))
    assert labels == [f"Summary {i}" for i in range(1, 202)]
    large, labels = _comparisons(monkeypatch, _project(make_project, tmp_path, 400))
    assert labels == [f"Summary {i}" for i in range(1, 402)]
    # Asking a list "is it there yet?" made N²/2 comparisons: 20,000 at N=200, 80,000 at 400.
    assert large <= 2 * small + 400, (small, large)


def test_the_back_links_of_a_passage_grow_with_the_statements_citing_it(tmp_path, make_project):
    counts = []
    for n in (100, 200):
        outcome = pipeline.check(_project(make_project, tmp_path, n))
        pipeline.render(tmp_path, outcome, Urls(True), "Test")
        page = next(p for p in outcome.pages if p.name == "port/sources/wire")
        counts.append(len(re.findall(r'(?<![-\w])href="[^"]*#summary-\d+"', page.html)))  # not data-href
    # N + 1 statements cite the passage, and one cites the shorter passage inside it.
    assert counts == [100 + 2, 200 + 2]


def test_a_text_fragment_of_a_whole_paragraph_names_its_first_and_last_words():
    from briefgen.text.fragments import text_fragment

    paragraph = " ".join(f"w{i}" for i in range(1_000_000))
    assert text_fragment(paragraph) == ":~:text=w0%20w1%20w2%20w3,w999996%20w999997%20w999998%20w999999"
    assert text_fragment("one  two\nthree") == ":~:text=one%20two%20three"
    assert text_fragment("a " * 10) == ":~:text=a%20a%20a%20a%20a%20a%20a%20a%20a%20a"


def test_a_quote_in_text_without_spaces_is_widened_a_little_not_to_the_whole_paragraph():
    from briefgen.stages.resolve import _MAX_WIDEN, _whole_words

    text = "甲" * 10_000 + "引用" + "乙" * 10_000
    assert _whole_words(text, 10_000, 10_002) == "甲" * _MAX_WIDEN + "引用" + "乙" * _MAX_WIDEN
    assert _whole_words("the port closed", 5, 8) == "port"


def test_a_rendered_briefing_holds_its_paragraph_only_in_its_body_and_its_page(tmp_path, make_project):
    """After rendering, a one-shot build keeps the pages: the blocks, index, token stream and
    marks of a source are made again if asked for. So while MkDocs builds, a large paragraph is
    held by the source's body and the text of its search entry (which Material's indexer held as
    well while MkDocs built, when it parsed our pages), not also by its block, its normalised
    text and the marked tokens (a 20 MB paragraph was held three more times), nor by its page's
    HTML, which waits in the spool until MkDocs prints it (caches/spool.py)."""
    import gc
    import tracemalloc

    paragraph = "Ships wait at the quay. " * 40_000 + "Officials said the port of Velmor was closed."
    project = make_project(tmp_path, {
        "content/port/briefing.yml": "title: Port\nas_of: 2024-05-02\nsummary:\n"
                                     "  - text: Closed.\n    cite: [{wire: the port of Velmor was closed}]\n",
        "content/port/sources/wire.md": f"---\ntitle: Port\noutlet: Wire\n---\n{paragraph}\n"})
    tracemalloc.start()
    try:
        outcome = pipeline.check(project)
        pipeline.render(project, outcome, Urls(True), "Test")
        gc.collect()
        large = [t.size for t in tracemalloc.take_snapshot().traces if t.size >= 0.9 * len(paragraph)]
    finally:
        tracemalloc.stop()
    assert len(large) == 2, large  # the body and its search entry's text
    page = next(p for p in outcome.pages if p.name == "port/sources/wire")
    assert '<mark id="q-the-port-of-velmor-was-closed"' in page.html
    # asked for again, the parse comes back equal
    doc = outcome.checked[0].docs["wire"]
    assert doc.blocks[0].text == paragraph
    assert [t.type for t in outcome.resolved[0].tokens("wire")[1].children][:2] == ["bg_text", "bg_mark_open"]
