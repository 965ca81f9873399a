"""Work that grows with the input grows linearly: N statements citing one passage (#20).

No timings: what is counted is the work itself (comparisons of statements, back-link items)."""

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
        counts.append(len(re.findall(r'href="[^"]*#summary-\d+"', page.html)))
    # N + 1 statements cite the passage, and one cites the shorter passage inside it.
    assert counts == [100 + 2, 200 + 2]
