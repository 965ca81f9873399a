"""Links from earlier versions: where each old row anchor lands now (history: changes.moves).

Two committed versions written here; version 2 drops the first statement (so the others move up
a number) and adds a timeline event dated before the old one (so that one moves down). The
expected map is worked out by hand from them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import build_ok
from gitrepo import git, write

MKDOCS = "site_name: Moves\ntheme: material\nplugins: [search]\n"
SOURCE = "---\ntitle: Port\noutlet: Wire\n---\nThe port closed on Monday.\n\nShips were diverted north.\n\n" \
         "Two cranes were damaged.\n\nA storm hit on Sunday.\n\nThe strike began on Saturday.\n"

V1 = """\
title: Port
as_of: 2025-03-01
summary:
  - text: The port closed.
    cite: [{wire: "The port closed on Monday"}]
  - text: Ships were diverted.
    cite: [{wire: "Ships were diverted north"}]
  - text: Cranes were damaged.
    cite: [{wire: "Two cranes were damaged"}]
facts:
  - id: cranes
    fact: Cranes
    value: Two damaged
    cite: [{wire: "Two cranes were damaged"}]
timeline:
  - date: 2025-02-23
    text: A storm hit.
    cite: [{wire: "A storm hit on Sunday"}]
"""

V2 = """\
title: Port
as_of: 2025-03-02
summary:
  - text: Ships were diverted.
    cite: [{wire: "Ships were diverted north"}]
  - text: Cranes were damaged.
    cite: [{wire: "Two cranes were damaged"}]
timeline:
  - date: 2025-02-22
    text: The strike began.
    cite: [{wire: "The strike began on Saturday"}]
  - date: 2025-02-23
    text: A storm hit.
    cite: [{wire: "A storm hit on Sunday"}]
"""


def moves_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write(root, {"mkdocs.yml": MKDOCS, ".gitignore": "site/\n.briefgen-cache/\n",
                 "content/port/sources/wire.md": SOURCE})
    for n, text in enumerate((V1, V2), 1):
        write(root, {"content/port/briefing.yml": text})
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"version {n}")
    return root


def _moved(site: Path, page: str) -> dict:
    html = (site / "port" / page / "index.html").read_text(encoding="utf-8") if page else \
        (site / "port" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="bg-moved" data-as-of="([^"]+)"[^>]*>(.*?)</script>', html, re.S)
    return {"as_of": m.group(1), "moves": json.loads(m.group(2))} if m else {}


def test_each_old_anchor_maps_to_its_row_now_or_to_its_removal(tmp_path: Path):
    root = moves_project(tmp_path / "p")
    build_ok(root)
    summary = _moved(root / "site", "")
    assert summary["as_of"] == "2025-03-02"
    assert summary["moves"] == {"2025-03-01": {
        "summary-1": ["removed", "2025-03-02"],
        "summary-2": ["to", "summary-1"],
        "summary-3": ["to", "summary-2"],
        "timeline-1": ["to", "timeline-2"],
    }}
    assert _moved(root / "site", "facts")["moves"] == {"2025-03-01": {"fact-cranes": ["removed", "2025-03-02"]}}
    assert _moved(root / "site", "questions") == {}
