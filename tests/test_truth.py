"""Truth at a glance: every mark a reader scans says what the annotations say.

One small project, written here by hand, is built for real once. Every expectation below is
read off the YAML and the source texts in this file, not off briefgen's output: the sources are
numbered as briefing.yml first cites them (wire [1], ledger [2]); a source cited twice by one statement gets a
letter per citation in written order; a disputing citation carries ✕ in its label.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import build_ok, make_project

from briefgen.cli import main

WIRE = """\
---
title: Port reopens after the storm
outlet: Harbour Wire
published: 2025-03-04
url: https://wire.example/port
---
The port reopened on Monday after three days of closure.

Officials denied the port had reopened for cargo traffic.

Ferries resumed their crossings at dawn.
"""

LEDGER = """\
---
title: Ships return to the harbour
outlet: City Ledger
published: 2025-03-04
---
Ships were seen docking at the port on Monday morning.

The harbour master said cargo cranes stayed idle.
"""

BRIEFING = """\
title: The port after the storm
as_of: 2025-03-05
summary:
  - id: reopened
    text: The port reopened on Monday.
    cite:
      - wire: "The port reopened on Monday"
        origin: Port Authority
      - ledger: "Ships were seen docking at the port"
        origin: port authority
  - id: judgment
    text: Cargo traffic will take a week to recover.
    assessment: low
facts:
  - id: port-open
    fact: Port status
    value: Open since Monday
    cite:
      - wire: "The port reopened on Monday"
        origin: PORT AUTHORITY
      - ledger: "Ships were seen docking at the port"
      - wire: "Officials denied the port had reopened"
        disputes: true
        origin: Ministry
  - id: ferries
    fact: Ferries
    value: Crossings resumed at dawn
    cite:
      - wire: "Ferries resumed their crossings at dawn"
questions:
  - id: cargo
    question: Is cargo moving?
    status: open
    hypotheses:
      - {id: moving, label: Cargo is moving}
      - {id: idle, label: Cargo is idle}
    evidence:
      - text: The cranes stayed idle.
        cite: [{ledger: "cargo cranes stayed idle"}]
        bears: {moving: against, idle: for}
    watch: [Cranes working again]
  - id: ferry-service
    question: Is the ferry service back?
    status: leaning
    hypotheses:
      - {id: back, label: Ferries run again}
      - {id: suspended, label: Ferries are still suspended}
    evidence:
      - text: Crossings resumed at dawn.
        cite: [{wire: "Ferries resumed their crossings"}]
        bears: {back: for, suspended: against}
  - id: reopening
    question: Did the port reopen?
    status: resolved
    answer: reopened
    hypotheses:
      - {id: reopened, label: It reopened on Monday}
      - {id: closed, label: It is still closed}
    evidence:
      - text: Ships docked on Monday.
        cite: [{ledger: "Ships were seen docking"}]
        bears: {reopened: for, closed: against}
      - text: Cranes stayed idle.
        cite: [{ledger: "cargo cranes stayed idle"}]
        bears: {reopened: neutral}
    watch: [A closure order]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("truth"), {
        "content/port/briefing.yml": BRIEFING,
        "content/port/sources/wire.md": WIRE,
        "content/port/sources/ledger.md": LEDGER,
    })
    build_ok(project)
    return project / "site"


def page(site: Path, rel: str):
    return lxml.html.fromstring((site / rel / "index.html").read_text(encoding="utf-8"))


def text(el) -> str:
    return " ".join(el.text_content().split())


def previews(doc) -> dict[str, dict[str, str]]:
    """The page's preview data by key: what a reader sees on hover, focus or tap."""
    out = {}
    for div in doc.xpath('//template[@id="bg-previews"]//div[@data-ref]'):
        fields = {i.get("data-f"): (i.text or "") for i in div.xpath("./i")}
        out[div.get("data-ref")] = {**fields, "href": div.get("data-href"),
                                    "disputes": div.get("data-disputes") == "1"}
    return out


# -- markers, labels and the coverage matrix -----------------------------------------------------

def test_fact_markers_label_every_citation_of_the_fact_once(site: Path):
    doc = page(site, "port/facts")
    row = doc.get_element_by_id("fact-port-open")
    evidence = row.xpath('./td[@data-label="Evidence"]')[0]
    support = [text(a) for a in evidence.xpath('./sup/a[contains(@class, "bg-cite")]')]
    disputed = [text(a) for a in evidence.xpath('.//div[@class="bg-disputed"]//a')]
    assert support == ["[1a]", "[2]"]
    assert disputed == ["[✕1b]"]


def test_marker_label_is_its_preview_label_on_every_page(site: Path):
    for rel in ("port", "port/facts", "port/questions"):
        doc = page(site, rel)
        data = previews(doc)
        markers = doc.xpath('//a[contains(@class, "bg-cite")][@data-ref]')
        assert markers, rel
        for a in markers:
            assert f"[{data[a.get('data-ref')]['label']}]" == text(a), (rel, text(a))


def test_matrix_cell_shows_support_and_dispute_each_linking_to_its_own_passage(site: Path):
    doc = page(site, "port/facts")
    data = previews(doc)
    row = doc.xpath('//table[contains(@class, "bg-matrix")]/tbody/tr[th/a[@href="#fact-port-open"]]')[0]
    wire, ledger = row.xpath("./td")  # columns [1] wire, [2] ledger
    def said(a) -> tuple[str, str]:  # (the mark a reader sees, what a screen reader says)
        return text(a.xpath('./span[@aria-hidden="true"]')[0]), text(a.xpath('./span[@class="bg-sr"]')[0])

    assert [said(a) for a in ledger.xpath("./a")] == [("✓", "City Ledger supports it [2]")]
    wire_links = wire.xpath("./a")
    assert [said(a) for a in wire_links] == [("✓", "Harbour Wire supports it [1a]"),
                                             ("✕", "Harbour Wire disputes it [1b]")]
    support, dispute = wire_links
    assert data[support.get("data-ref")]["label"] == "1a"
    assert data[support.get("data-ref")]["quote"] == "The port reopened on Monday"
    assert data[dispute.get("data-ref")]["label"] == "✕1b"
    assert data[dispute.get("data-ref")]["quote"] == "Officials denied the port had reopened"
    assert data[dispute.get("data-ref")]["disputes"] is True
    assert support.get("href") != dispute.get("href")
    # Each lands on its own passage of the wire's page.
    src = page(site, "port/sources/wire")
    for a, words in ((support, "The port reopened on Monday"), (dispute, "Officials denied the port had reopened")):
        anchor = a.get("href").split("#", 1)[1]
        assert text(src.get_element_by_id(anchor)) == words
    # The same citations in the table above share these previews.
    table = doc.get_element_by_id("fact-port-open")
    assert {a.get("data-ref") for a in table.xpath(".//a[@data-ref]")} >= {support.get("data-ref"),
                                                                          dispute.get("data-ref")}


def test_corroboration_sits_beside_the_fact_name(site: Path):
    doc = page(site, "port/facts")
    head = doc.get_element_by_id("fact-port-open").xpath("./th")[0]
    assert head.xpath('.//span[contains(@class, "bg-badge--contested")]')
    assert text(head.xpath('.//span[@class="bg-origins"]')[0]) == "2 outlets support it; disputed by Ministry"
    assert [text(th) for th in doc.xpath('//table[contains(@class, "bg-facts")]/thead//th')] == [
        "Fact and corroboration", "What is known", "Evidence"]
    summary = page(site, "port")
    first = summary.xpath('//section[@aria-labelledby="bg-facts"]//li')[0]
    assert first.getchildren()[0].get("class") == "bg-badge bg-badge--contested"


# -- origins in one form -------------------------------------------------------------------------

def test_each_origin_is_shown_as_first_written_everywhere(site: Path):
    doc = page(site, "port/facts")
    origins = {p["origin"] for p in previews(doc).values()}
    assert "Port Authority" in origins
    assert not origins & {"port authority", "PORT AUTHORITY"}
    summary = previews(page(site, "port"))
    assert {p["origin"] for p in summary.values()} == {"Port Authority"}
    data = json.loads((site / "port" / "briefing.json").read_text(encoding="utf-8"))
    fact = next(f for f in data["facts"] if f["id"] == "port-open")
    # The ledger's citation of this fact names no origin: its outlet is the origin.
    assert fact["origins"] == ["Port Authority", "City Ledger"]
    cited = {c["origin"] for s in data["statements"] for c in s["citations"]}
    assert not cited & {"port authority", "PORT AUTHORITY"}


def test_bottom_line_shows_how_many_origins_each_statement_rests_on(site: Path):
    doc = page(site, "port")
    reopened, judgment = doc.get_element_by_id("reopened"), doc.get_element_by_id("judgment")
    chip = reopened.xpath('./span[contains(@class, "bg-support")]')[0]
    # Two sources, one origin written two ways: one origin.
    assert text(chip) == "1 origin: Port Authority"  # visible "1 origin", the names for screen readers
    assert reopened.getchildren()[0] is chip
    assert not judgment.xpath('.//span[contains(@class, "bg-support")]')
    assert "Assessment · low confidence" in text(judgment)


# -- questions: open, leaning, settled --------------------------------------------------------------

def test_open_question_shows_counts_never_a_leaning(site: Path):
    q = page(site, "port/questions").get_element_by_id("q-cargo")
    assert "leans" not in text(q)
    assert "Open: no answer yet. 1 piece of evidence so far" in text(q)
    summary = page(site, "port")
    open_items = summary.xpath('//section[@aria-labelledby="bg-open"]//li')
    cargo = next(li for li in open_items if "Is cargo moving?" in text(li))
    assert "leans" not in text(cargo)
    assert "no answer yet; 1 piece of evidence so far" in text(cargo)


def test_leaning_question_keeps_the_leaning_wording(site: Path):
    q = page(site, "port/questions").get_element_by_id("q-ferry-service")
    assert "The evidence so far leans to: Ferries run again (1 for, 0 against)" in text(q)


def test_resolved_question_is_settled_with_its_answer(site: Path):
    doc = page(site, "port/questions")
    assert text(doc.xpath("//h1")[0]) == "Questions"
    settled = doc.xpath('//section[@aria-labelledby="bg-settled"]')[0]
    q = settled.xpath('.//section[@id="q-reopening"]')[0]
    words = text(q)
    assert "Answer: It reopened on Monday" in words
    assert "Settled by 1 piece of evidence for it:" in words
    assert [(text(a), a.get("href")) for a in q.xpath('.//ul[@class="bg-settling"]//a')] == [
        ("Ships docked on Monday.", "#q-reopening-e1")]
    for stale in ("leans", "not a conclusion", "Watch for", "A closure order"):
        assert stale not in words
    # Open questions come before "Settled" and are not inside it.
    assert not settled.xpath('.//section[@id="q-cargo"]')

    summary = page(site, "port")
    still_open = text(summary.xpath('//section[@aria-labelledby="bg-open"]')[0])
    assert "Did the port reopen?" not in still_open
    done = text(summary.xpath('//section[@aria-labelledby="bg-settled"]')[0])
    assert "Did the port reopen? resolved" in done and "Answer: It reopened on Monday" in done

    data = json.loads((site / "port" / "briefing.json").read_text(encoding="utf-8"))
    answers = {q["id"]: q["answer"] for q in data["questions"]}
    assert answers == {"cargo": None, "ferry-service": None, "reopening": "reopened"}


# -- source pages: a disputing passage disputes, it is not disputed --------------------------------

def test_disputing_passage_says_it_disputes(site: Path):
    html = (site / "port" / "sources" / "wire" / "index.html").read_text(encoding="utf-8")
    assert "disputed" not in html.lower()
    doc = lxml.html.fromstring(html)
    mark = doc.xpath('//mark[normalize-space(.)="Officials denied the port had reopened"]')[0]
    count = mark.getnext().xpath(".//a")[0]
    assert count.get("aria-label") == "Disputes 1 statement"
    assert text(count) == "✕1"
    side = doc.get_element_by_id("bg-by-" + mark.get("id"))
    assert [text(a) for a in side.xpath('./a[contains(@class, "bg-backlink")]')] == ["✕ Disputes fact Port status: Open since Monday"]
    # The passage that supports the same fact is only cited.
    supported = doc.xpath('//mark[normalize-space(.)="The port reopened on Monday"]')[0]
    assert supported.getnext().xpath(".//a")[0].get("aria-label") == "Cited by 2 statements"


# -- problems and findings -----------------------------------------------------------------------

def _run(project: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(project), *args])


def test_findings_are_notes_that_never_fail_strict(tmp_path: Path):
    project = make_project(tmp_path, {
        "content/port/briefing.yml": BRIEFING,
        "content/port/sources/wire.md": WIRE,
        "content/port/sources/ledger.md": LEDGER,
    })
    result = _run(project, "check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        "content/port/briefing.yml:15:5: note: fact 'port-open' is contested: disputed by Ministry",
        "content/port/briefing.yml:25:5: note: fact 'ferries' rests on one source ('wire')",
        "briefgen: 0 errors, 0 warnings, 2 notes; passed",
    ]
    quiet = _run(project, "-q", "check", "--strict")
    assert quiet.exit_code == 0 and "note:" not in quiet.output


def test_plain_mkdocs_strict_passes_on_notes(tmp_path: Path):
    project = make_project(tmp_path, {
        "mkdocs.yml": "site_name: T\ntheme: material\nplugins: [search, briefgen]\n",
        "docs/about.md": "# About\n",
        "content/port/briefing.yml": BRIEFING,
        "content/port/sources/wire.md": WIRE,
        "content/port/sources/ledger.md": LEDGER,
    })
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "note: fact 'ferries' rests on one source ('wire')" in result.stderr


@pytest.mark.parametrize("front, byline", [
    ("author: Jane Roe\nurl: https://wire.example/a\n", "Jane Roe · read the original ↗"),
    ("url: https://wire.example/a\n", "read the original ↗"),
    ("author: Jane Roe\n", "Jane Roe"),
    ("published: 2025-03-04\naccessed: 2025-03-05\n", "4 Mar 2025 · captured 5 Mar 2025"),
    ("", ""),
])
def test_a_source_byline_separates_only_what_it_has(tmp_path: Path, front: str, byline: str):
    """No dot before the first part or after the last, whichever of author, date, capture and
    link a source has (one with only a link read "· read the original")."""
    project = make_project(tmp_path, {
        "content/b/briefing.yml": 'title: B\nas_of: 2025-03-06\nsummary:\n  - text: A.\n    cite: [{s: "ships returned"}]\n',
        "content/b/sources/s.md": f"---\ntitle: Ships\noutlet: Wire\n{front}---\nThe ships returned.\n",
    })
    build_ok(project)
    page = lxml.html.fromstring((project / "site/b/sources/s/index.html").read_text(encoding="utf-8"))
    (line,) = page.xpath('//p[@class="bg-byline"]')
    assert " ".join(line.text_content().split()) == byline
