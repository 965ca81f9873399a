"""Corroboration by origin, the coverage matrix and hypothesis tallies (contract: "Analysis")."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from briefgen import pipeline
from briefgen.engine.site import build_site

REPO = Path(__file__).resolve().parents[1]

SOURCES = {
    "wire": ("Example Wire", "Satellite photos from Orbital show two cargo jets at the base. "
             "Officials in the capital deny any withdrawal is planned."),
    "daily": ("The Daily", "Pictures released by Orbital show two cargo jets on the apron. "
              "A local reporter counted forty trucks leaving the gate."),
    "herald": ("The Herald", "Our correspondent saw two cargo jets land at dawn. "
               "Diplomats say a withdrawal is likely within weeks."),
}

BRIEFING = """\
title: Test briefing
as_of: 2024-12-14
summary:
  - text: Two cargo jets are at the base.
    cite: [{wire: "two cargo jets at the base"}]
  - text: It is too early to call it a withdrawal.
    assessment: low
facts:
  - id: corroborated
    fact: Cargo jets
    value: Two cargo jets
    cite:
      - {wire: "two cargo jets at the base", origin: Orbital}
      - {herald: "two cargo jets land at dawn"}          # origin defaults to the outlet
  - id: single-origin
    fact: Photos
    value: Orbital's photos show jets
    cite:
      - {wire: "Satellite photos from Orbital", origin: orbital }
      - {daily: "Pictures released by Orbital", origin: " Orbital"}
  - id: single-source
    fact: Trucks
    value: Forty trucks left
    cite: [{daily: "counted forty trucks leaving the gate"}]
  - id: contested
    fact: Withdrawal
    value: A withdrawal is likely
    cite:
      - {herald: "a withdrawal is likely within weeks", origin: Diplomats}
      - {wire: "deny any withdrawal is planned", origin: Officials, disputes: true}
questions:
  - id: leave
    question: Will they leave?
    hypotheses:
      - {id: leave, label: They leave}
      - {id: stay, label: They stay}
    evidence:
      - text: Jets are there.
        cite: [{wire: "two cargo jets at the base"}]
        bears: {leave: for, stay: neutral}
      - text: Officials deny it.
        cite: [{wire: "deny any withdrawal is planned"}]
        bears: {leave: against, stay: for}
      - text: Diplomats expect it.
        cite: [{herald: "a withdrawal is likely within weeks"}]
        bears: {leave: for}
      - text: Trucks left.
        cite: [{daily: "counted forty trucks leaving the gate"}]
        bears: {leave: for}
    watch: [Jets take off loaded]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("analysis")
    _write_test_project(root)
    outcome = build_site(root)
    assert not outcome.report.errors, outcome.report.sorted()
    return root


def _json(root: Path) -> dict:
    return json.loads((root / "site" / "test" / "briefing.json").read_text())


def test_every_corroboration_status(built: Path) -> None:
    facts = {f["id"]: f for f in _json(built)["facts"]}
    assert {k: f["corroboration"] for k, f in facts.items()} == {
        "corroborated": "corroborated", "single-origin": "single-origin",
        "single-source": "single-source", "contested": "contested"}


def test_origins_compare_case_insensitively_and_show_first_spelling(built: Path) -> None:
    f = {f["id"]: f for f in _json(built)["facts"]}
    # "orbital" and " Orbital" are the origin first written as "Orbital" (fact 'corroborated'),
    # and are shown that one way across the briefing.
    assert f["single-origin"]["origins"] == ["Orbital"]
    assert f["single-origin"]["outlets"] == ["Example Wire", "The Daily"]
    assert f["corroborated"]["origins"] == ["Orbital", "The Herald"]


def test_disputing_citation_is_kept_apart(built: Path) -> None:
    f = {f["id"]: f for f in _json(built)["facts"]}["contested"]
    assert f["origins"] == ["Diplomats"] and f["outlets"] == ["The Herald"]
    assert f["disputed_by"] == ["Officials"]
    html = (built / "site" / "test" / "facts" / "index.html").read_text()
    row = re.search(r'<tr id="fact-contested"[^>]*>(.*?)</tr>', html, re.S).group(1)
    disputed = re.search(r'class="bg-disputed">(.*?)</div>', row, re.S).group(1)
    assert "wire" in disputed and "herald" not in disputed
    assert "disputed by Officials" in row


def test_facts_page_names_origins_per_row(built: Path) -> None:
    html = (built / "site" / "test" / "facts" / "index.html").read_text()
    row = re.search(r'<tr id="fact-single-origin"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "2 outlets, 1 origin: Orbital" in row
    assert "bg-badge--single-origin" in row


def test_coverage_matrix_cells(built: Path) -> None:
    html = (built / "site" / "test" / "facts" / "index.html").read_text()
    matrix = html[html.index('class="bg-table bg-matrix"'):]
    rows = re.findall(r"<tr><th scope=\"row\"><a href=\"#fact-([a-z-]+)\">.*?</tr>", matrix, re.S)
    assert rows == ["corroborated", "single-origin", "single-source", "contested"]
    contested = re.search(r'#fact-contested">.*?</tr>', matrix, re.S).group(0)
    cells = re.findall(r'bg-cell--(\w+)', contested)
    # columns in number order, as first cited: wire (summary), herald (fact 'corroborated'), daily
    assert cells == ["disputes", "supports", "silent"]
    assert "Example Wire disputes it" in contested and "The Daily is silent" in contested
    assert re.search(r'bg-cell--supports"><a class="bg-rel bg-rel--supports" href="\.\./sources/herald/#q-', contested)


def test_tallies_count_only_hypotheses_named_in_bears(built: Path) -> None:
    q = _json(built)["questions"][0]
    assert q["hypotheses"] == [
        {"id": "leave", "label": "They leave", "for": 3, "against": 1, "neutral": 0},
        {"id": "stay", "label": "They stay", "for": 1, "against": 0, "neutral": 1}]
    assert q["watch"] == ["Jets take off loaded"] and q["status"] == "open"


def test_summary_of_an_open_question_counts_evidence_and_names_no_leaning(built: Path) -> None:
    # 'leave' has no status (open): its tally favours "They leave", but only the analyst's
    # `status: leaning` may say so.
    html = (built / "site" / "test" / "index.html").read_text()
    assert "leans" not in html
    assert "no answer yet; 4 pieces of evidence so far" in html


def test_assessment_is_marked_as_judgment_with_legend(built: Path) -> None:
    html = (built / "site" / "test" / "index.html").read_text()
    item = re.search(r'<li id="summary-2" class="([^"]+)"[^>]*>(.*?)</li>', html, re.S)
    assert "bg-statement--assessment" in item.group(1)
    assert "low confidence" in item.group(2)
    assert "Assessments are the analyst’s judgment" in html
    statement = [s for s in _json(built)["statements"] if s["id"] == "summary-2"][0]
    assert statement == {"id": "summary-2", "kind": "summary", "text": "It is too early to call it a withdrawal.",
                         "href": "./#summary-2", "assessment": "low", "citations": []}


def test_example_briefing_analysis(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "mkdocs.yml", tmp_path)
    outcome = build_site(tmp_path)
    assert not outcome.report.errors
    data = json.loads((tmp_path / "site" / "khmeimim" / "briefing.json").read_text())
    status = {f["id"]: f["corroboration"] for f in data["facts"]}
    # Both outlets rest on Maxar's imagery for the aircraft: one origin, not two.
    assert status["heavy-lift"] == "single-origin"
    assert {"corroborated", "contested", "single-source"} <= set(status.values())
    q = {q["id"]: q for q in data["questions"]}["exit-or-drawdown"]
    assert len(q["hypotheses"]) == 2 and all(h["for"] + h["against"] + h["neutral"] for h in q["hypotheses"])


def test_reliability_grade_shown_with_meaning(tmp_path: Path) -> None:
    root = tmp_path
    (root / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\n")
    b = root / "content" / "g"
    (b / "sources").mkdir(parents=True)
    (b / "sources" / "s.txt").write_text("A line worth citing here.\n")
    (b / "briefing.yml").write_text(textwrap.dedent("""\
        title: G
        as_of: 2024-01-01
        sources: {s: {outlet: Wire, title: Story, reliability: b}}
        summary: [{text: Cited., cite: [{s: "worth citing"}]}]
        """))
    assert not build_site(root).report.errors
    for page in ("g/index.html", "g/sources/s/index.html"):
        html = (root / "site" / page).read_text()
        # In words on the page, not in a hover title (Material's tooltips parse titles as HTML).
        assert '<span class="bg-grade">grade B<span class="bg-grade-word"> · usually reliable</span></span>' in html
        assert "Admiralty scale" in html


def _write_test_project(root: Path) -> None:
    (root / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\n")
    b = root / "content" / "test"
    (b / "sources").mkdir(parents=True)
    (b / "briefing.yml").write_text(BRIEFING)
    for sid, (outlet, text) in SOURCES.items():
        (b / "sources" / f"{sid}.md").write_text(f"---\ntitle: {sid} story\noutlet: {outlet}\n---\n{text}\n")


def _checked_test_briefing(root: Path):
    _write_test_project(root)
    outcome = pipeline.check(root)
    assert not outcome.report.errors
    return outcome.checked[0]


def test_analysis_is_plain_frozen_data_of_the_briefing(tmp_path: Path) -> None:
    a = _checked_test_briefing(tmp_path).analysis
    assert {k: c.status for k, c in a.facts.items()} == {
        "corroborated": "corroborated", "single-origin": "single-origin",
        "single-source": "single-source", "contested": "contested"}
    assert [(t.hypothesis, t.for_, t.against, t.neutral) for t in a.tallies["leave"]] == [
        ("leave", 3, 1, 0), ("stay", 1, 0, 1)]
    assert a.leaning["leave"] is None  # open: the tally leans, the analyst has not called it
    # BRIEFING cites 1 (summary) + 2 + 2 + 1 + 2 (facts) + 4 (evidence) times
    assert (a.citations, a.open_questions) == (12, 1)
    assert dict(a.by_status) == {"corroborated": 1, "single-origin": 1, "single-source": 1, "contested": 1}
    assert sorted(set(a.origins.values())) == ["Diplomats", "Example Wire", "Officials", "Orbital",
                                               "The Daily", "The Herald"]
    with pytest.raises(AttributeError):
        a.citations = 0  # type: ignore[misc]


def test_a_build_computes_each_facts_corroboration_once(tmp_path: Path, monkeypatch) -> None:
    from briefgen.analysis import analyse

    calls: list[str] = []
    real = analyse.corroboration

    def counted(fact, briefing, forms=None):
        calls.append(fact.id)
        return real(fact, briefing, forms)

    monkeypatch.setattr(analyse, "corroboration", counted)
    root = tmp_path
    _checked_test_briefing(root)
    calls.clear()
    assert not build_site(root).report.errors
    # once each, in check; templates and briefing.json read the result
    assert sorted(calls) == ["contested", "corroborated", "single-origin", "single-source"]
    html = (root / "site" / "test" / "facts" / "index.html").read_text()
    assert "bg-badge--single-origin" in html and "bg-badge--contested" in html
