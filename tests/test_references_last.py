"""References that last, in three languages (issue 21): what version 1 of a briefing handed out
("[2]", a `#q-…` passage link, a `#summary-1` row link) means the same thing after version 2.

The briefing quotes a Greek, a Spanish and an English report (written for this test). Version 2
puts a new statement first, citing a new source (`afp.md`, first by file name) and an earlier
passage of the Greek report; adds an earlier timeline event and a fact whose quote overlaps an
older one; and removes a fact. Every expected
anchor and number below is worked out by hand from these texts and the rules in
CONTENT-FORMAT.md: passage anchors are `q-` and the quote's words, NFC and lower-cased, letters
of every script kept; source numbers are given in order of first citation and then kept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import build_ok, parse_html
from gitrepo import git, write

MKDOCS = "site_name: Ports\ntheme: material\nplugins: [search]\n"

GREEK = """\
---
title: Το λιμάνι κλειστό
outlet: Καθημερινή Ηπείρου
lang: el
---
Το λιμάνι του Πειραιά έκλεισε τη Δευτέρα, είπαν οι αρχές.

Οι λιμενεργάτες μέτρησαν έντεκα πλοία σε αναμονή.
"""

SPANISH = """\
---
title: El muelle, vacío
outlet: Diario del Puerto
lang: es
---
Los últimos compañeros abandonaron el muelle el martes.

El ministro dijo que la reapertura llegará pronto.
"""

ENGLISH = """\
---
title: Port shut
outlet: Coast Wire
---
The port closed on Monday, officials said.

Eleven ships waited offshore.
"""

AFP = """\
---
title: Dockers back
outlet: AFP
---
Dockers returned on Thursday.
"""

V1 = """\
title: Ports
as_of: 2025-03-05
summary:
  - text: The port closed on Monday.
    cite: [{wire: "The port closed on Monday"}, {kathimerini: "Το λιμάνι του Πειραιά έκλεισε"}]
  - text: The last workers left the quay.
    cite: [{pais: "Los últimos compañeros abandonaron el muelle"}]
facts:
  - id: ships
    fact: Ships waiting
    value: Eleven
    cite: [{kathimerini: "έντεκα πλοία", origin: Dockers}]
  - id: reopening
    fact: Reopening
    value: Soon
    cite: [{pais: "la reapertura llegará pronto", origin: Ministry}]
timeline:
  - date: 2025-03-03
    text: The port closes.
    cite: [{wire: "The port closed on Monday"}]
"""

V2 = """\
title: Ports
as_of: 2025-03-07
summary:
  - text: Dockers are back, the authorities say.
    cite: [{afp: "Dockers returned on Thursday"}, {kathimerini: "είπαν οι αρχές"}]
  - text: The port closed on Monday.
    cite: [{wire: "The port closed on Monday"}, {kathimerini: "Το λιμάνι του Πειραιά έκλεισε"}]
  - text: The last workers left the quay.
    cite: [{pais: "Los últimos compañeros abandonaron el muelle"}]
facts:
  - id: ships
    fact: Ships waiting
    value: Eleven
    cite: [{kathimerini: "έντεκα πλοία", origin: Dockers}]
  - id: officials
    fact: Who said so
    value: Officials
    cite: [{wire: "closed on Monday, officials said", origin: Officials}]
timeline:
  - date: 2025-03-01
    text: Ships wait offshore.
    cite: [{wire: "Eleven ships waited offshore"}]
  - date: 2025-03-03
    text: The port closes.
    cite: [{wire: "The port closed on Monday"}]
"""

# Worked out by hand from V1: the anchors a reader of version 1 could have copied.
V1_PASSAGES = {
    "wire": {"q-the-port-closed-on-monday": "The port closed on Monday"},
    "kathimerini": {"q-το-λιμάνι-του-πειραιά-έκλεισε": "Το λιμάνι του Πειραιά έκλεισε",
                    "q-έντεκα-πλοία": "έντεκα πλοία"},
    "pais": {"q-los-últimos-compañeros-abandonaron-el-muelle": "Los últimos compañeros abandonaron el muelle",
             "q-la-reapertura-llegará-pronto": "la reapertura llegará pronto"},
}


def references_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    sources = {"content/ports/sources/kathimerini.md": GREEK, "content/ports/sources/pais.md": SPANISH,
               "content/ports/sources/wire.md": ENGLISH}
    write(root, {"mkdocs.yml": MKDOCS, ".gitignore": "site/\n.briefgen-cache/\n", **sources,
                 "content/ports/briefing.yml": V1})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "version 1")
    write(root, {"content/ports/sources/afp.md": AFP, "content/ports/briefing.yml": V2})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "version 2")
    return root


def _page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def _moved(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="bg-moved"[^>]*>(.*?)</script>', html, re.S)
    assert m, "no map of moved rows on the page"
    return json.loads(m.group(1))


def test_every_earlier_anchor_and_number_keeps_its_meaning(tmp_path: Path):
    root = references_project(tmp_path / "p")
    build_ok(root)
    site = root / "site"

    # Passages: every passage of version 1 still has its anchor, on the same words.
    for sid, passages in V1_PASSAGES.items():
        ids = parse_html(_page(site, f"ports/sources/{sid}")).ids
        for anchor, words in passages.items():
            if anchor == "q-la-reapertura-llegará-pronto":
                continue  # its fact was removed: nothing cites it now (see below)
            assert anchor in ids, (sid, anchor, sorted(ids))
            assert ids[anchor] == words
    # The new, earlier Greek citation took an anchor of its own words; the old ones did not move.
    greek = parse_html(_page(site, "ports/sources/kathimerini")).ids
    assert greek["q-είπαν-οι-αρχές"] == "είπαν οι αρχές"

    # Numbers: version 1 cited wire, kathimerini, pais in that order: [1], [2], [3]. afp, new in
    # version 2 and first by file name and by citation, takes [4].
    data = json.loads((site / "ports" / "briefing.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["number"] for s in data["sources"]} == {"wire": 1, "kathimerini": 2, "pais": 3, "afp": 4}
    summary = _page(site, "ports")
    first = re.search(r'<li id="summary-1".*?</li>', summary, re.S).group(0)
    assert re.findall(r">\[(\d+)\]</a>", first) == ["4", "2"]

    # Rows: version 1's links land on the same statement, event or fact today.
    assert _moved(summary) == {"2025-03-05": {"summary-1": ["to", "summary-2"], "summary-2": ["to", "summary-3"],
                                              "timeline-1": ["to", "timeline-2"]}}
    assert _moved(_page(site, "ports/facts")) == {"2025-03-05": {"fact-reopening": ["removed", "2025-03-07"]}}
    ids = parse_html(summary).ids
    assert "The port closed on Monday." in ids["summary-2"]
    assert "The last workers left the quay." in ids["summary-3"]
    assert "The port closes." in ids["timeline-2"]


def test_a_quote_overlapping_an_older_one_is_marked_exactly_and_moves_nothing(tmp_path: Path):
    root = references_project(tmp_path / "p")
    build_ok(root)
    html = _page(root / "site", "ports/sources/wire")
    ids = parse_html(html).ids
    # "The port closed on Monday, officials said.": both quotes hold exactly their words. The
    # longer (new) one is one mark; the older one is cut where it opens, and keeps its anchor.
    assert ids["q-the-port-closed-on-monday"] == "The port closed on Monday"
    assert ids["q-closed-on-monday-officials-said"] == "closed on Monday, officials said"
    assert ('<mark id="q-the-port-closed-on-monday" class="bg-hl">The port </mark>'
            '<mark id="q-closed-on-monday-officials-said" class="bg-hl">'
            '<mark class="bg-hl" data-bg-of="q-the-port-closed-on-monday">closed on Monday</mark>, officials said</mark>') in html
