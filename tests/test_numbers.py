"""Source numbers that last: "[2]" in last week's message means the same outlet today.

Expectations are worked out by hand from the versions below: without history, sources are
numbered in the order briefing.yml first cites them; with history, a number once given in a
committed version is kept, a new source takes the next one, a withdrawn one leaves a gap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import build_ok
from gitrepo import git, write

MKDOCS = "site_name: Numbers\ntheme: material\nplugins: [search]\n"


def source(title: str, outlet: str, text: str) -> str:
    return f"---\ntitle: {title}\noutlet: {outlet}\n---\n{text}\n"


ZETA = source("Storm hits the coast", "Zeta Post", "The storm reached the coast at noon.")
MID = source("Power cut", "Mid Daily", "Power was cut in three districts.")
AFP = source("Evacuations", "AFP", "Thousands were evacuated overnight.")

V1 = """\
title: Storm
as_of: 2025-01-10
summary:
  - text: The storm reached the coast.
    cite: [{zeta: "reached the coast at noon"}]
  - text: Power was cut.
    cite: [{mid: "Power was cut in three districts"}]
"""

# Version 2 adds afp.md (first by file name) and cites it first.
V2 = """\
title: Storm
as_of: 2025-01-11
summary:
  - text: Thousands were evacuated as the storm reached the coast.
    cite: [{afp: "Thousands were evacuated"}, {zeta: "reached the coast at noon"}]
  - text: Power was cut.
    cite: [{mid: "Power was cut in three districts"}]
"""

# Version 3 (working tree only) withdraws the Mid Daily report.
V3 = """\
title: Storm
as_of: 2025-01-12
summary:
  - text: Thousands were evacuated as the storm reached the coast.
    cite: [{afp: "Thousands were evacuated"}, {zeta: "reached the coast at noon"}]
"""


def _sources_list(site: Path) -> list[str]:
    html = (site / "storm" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="bg-sources"'):]
    return re.findall(r'<span class="bg-num" aria-hidden="true">\[(\d+)\]</span> <a [^>]*><strong><bdi>([^<]+)</bdi></strong>',
                      section)


def _first_markers(site: Path) -> list[str]:
    html = (site / "storm" / "index.html").read_text(encoding="utf-8")
    item = re.search(r'<li id="summary-1".*?</li>', html, re.S).group(0)
    return re.findall(r">\[([^\]]+)\]</a>", item)


def _json_numbers(site: Path) -> dict[str, int]:
    data = json.loads((site / "storm" / "briefing.json").read_text(encoding="utf-8"))
    return {s["id"]: s["number"] for s in data["sources"]}


def _project(root: Path, versions: list[str], committed: int) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    write(root, {"mkdocs.yml": MKDOCS, ".gitignore": "site/\n.briefgen-cache/\n"})
    files = {"content/storm/sources/zeta.md": ZETA, "content/storm/sources/mid.md": MID}
    for n, text in enumerate(versions):
        if n == 1:
            files["content/storm/sources/afp.md"] = AFP
        write(root, {**files, "content/storm/briefing.yml": text})
        if n == 2:
            (root / "content/storm/sources/mid.md").unlink()
        if n < committed:
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"version {n + 1}")
    return root


def test_without_history_sources_are_numbered_as_first_cited(tmp_path: Path):
    root = tmp_path / "p"
    root.mkdir()
    write(root, {"mkdocs.yml": MKDOCS, "content/storm/briefing.yml": V2, "content/storm/sources/zeta.md": ZETA,
                 "content/storm/sources/mid.md": MID, "content/storm/sources/afp.md": AFP})
    build_ok(root)
    assert _sources_list(root / "site") == [("1", "AFP"), ("2", "Zeta Post"), ("3", "Mid Daily")]
    assert _first_markers(root / "site") == ["1", "2"]
    assert _json_numbers(root / "site") == {"afp": 1, "mid": 3, "zeta": 2}


def test_committed_numbers_are_kept_and_a_new_source_takes_the_next(tmp_path: Path):
    root = _project(tmp_path / "p", [V1, V2], committed=2)
    build_ok(root)
    # Version 1 numbered zeta [1] (cited first) and mid [2]; afp arrived in version 2.
    assert _sources_list(root / "site") == [("1", "Zeta Post"), ("2", "Mid Daily"), ("3", "AFP")]
    assert _first_markers(root / "site") == ["3", "1"]
    assert _json_numbers(root / "site") == {"afp": 3, "mid": 2, "zeta": 1}
    facts = (root / "site" / "storm" / "index.html").read_text(encoding="utf-8")
    assert 'id="bg-source-3"' in facts and 'id="bg-source-1"' in facts


def test_a_withdrawn_source_leaves_its_number_unused(tmp_path: Path):
    root = _project(tmp_path / "p", [V1, V2, V3], committed=2)
    build_ok(root)
    assert _sources_list(root / "site") == [("1", "Zeta Post"), ("3", "AFP")]
    assert _json_numbers(root / "site") == {"afp": 3, "zeta": 1}
