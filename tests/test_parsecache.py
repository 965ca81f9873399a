"""The parse cache (.briefgen-cache/): a check reads unchanged sources back instead of parsing
them, and a cache can make a run faster, never different.

Parses are counted by wrapping `sourcetext.token_stream` (it still does the work), so each
test sees which sources were really parsed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefgen import pipeline, sourcetext
from briefgen.parsecache import CACHE_DIR
from briefgen.strategy import Strategy
from conftest import REPO, build_ok, tree_hash

WIRE = """\
    ---
    title: Harbour cranes fall silent
    outlet: Example Wire
    ---
    The harbour master said the *northern cranes* stopped working on Tuesday morning.

    Subscribe to our newsletter for more.

    Dock workers counted eleven idle ships waiting beyond the breakwater at dusk.
    """

LEDGER = "Officials said the port would reopen on Friday.\nA second line of the ledger.\n"

BRIEFING = """\
    title: Harbour strike
    as_of: 2024-11-06
    sources:
      wire:
        drop: ["Subscribe to our newsletter"]
      ledger:
        outlet: Port Ledger
        title: Notice to shippers
    summary:
      - text: The cranes stopped.
        cite:
          - wire: "northern cranes stopped working"
      - text: Ships wait.
        cite:
          - wire: "eleven idle ships waiting"
          - ledger: "reopen on Friday"
      - text: A quote that is not there.
        cite:
          - wire: "southern cranes kept working"
    """


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = sourcetext.token_stream

    def counting(source):
        seen.append(source.id)
        return real(source)

    monkeypatch.setattr(sourcetext, "token_stream", counting)
    return seen


@pytest.fixture
def project(tmp_path, make_project) -> Path:
    return make_project(tmp_path, {"content/harbour/briefing.yml": BRIEFING,
                                   "content/harbour/sources/wire.md": WIRE,
                                   "content/harbour/sources/ledger.txt": LEDGER})


def problems(outcome: pipeline.Outcome) -> list[str]:
    return [str(p) for p in outcome.report.problems]


def test_second_check_parses_nothing_and_reports_the_same(project, parses):
    first = pipeline.check(project)
    assert sorted(parses) == ["ledger", "wire"]
    assert any("quote not found" in p for p in problems(first))
    parses.clear()
    second = pipeline.check(project)
    assert parses == []
    assert problems(second) == problems(first)
    assert problems(pipeline.check(project, Strategy(parse_cache=False))) == problems(first)


def test_an_edited_source_is_parsed_again_and_its_quotes_checked_against_the_new_text(project, parses):
    pipeline.check(project)
    parses.clear()
    wire = project / "content/harbour/sources/wire.md"
    wire.write_text(wire.read_text().replace("eleven idle ships", "twelve idle ships"))
    outcome = pipeline.check(project)
    assert parses == ["wire"]
    # The old quote fails, and the suggestion comes from the new text.
    assert any("briefing.yml:15:" in p and "quote not found" in p and "twelve idle ships" in p
               for p in problems(outcome))
    assert problems(outcome) == problems(pipeline.check(project, Strategy(parse_cache=False)))


def test_changed_drop_strings_parse_the_source_again(project, parses):
    pipeline.check(project)
    parses.clear()
    yml = project / "content/harbour/briefing.yml"
    yml.write_text(yml.read_text().replace('drop: ["Subscribe to our newsletter"]',
                                           'drop: ["Subscribe to our newsletter", "No such line"]'))
    outcome = pipeline.check(project)
    assert parses == ["wire"]
    assert any("drop string 'No such line' drops nothing" in p for p in problems(outcome))
    assert problems(outcome) == problems(pipeline.check(project, Strategy(parse_cache=False)))


@pytest.mark.parametrize("content", [
    b"\x00\xff not json",
    b'{"stamp": "0/old", "sources": {}}',
    b"[1, 2, 3]",
    "WRONG-ROWS",
])
def test_a_broken_or_stale_cache_is_ignored_and_rewritten(project, parses, content):
    expected = problems(pipeline.check(project, Strategy(parse_cache=False)))
    pipeline.check(project)
    path = project / CACHE_DIR / "sources.json"
    if content == "WRONG-ROWS":  # our stamp, nonsense entries: each source is parsed again
        data = json.loads(path.read_text())
        for entry in data["sources"].values():
            entry["blocks"] = [["x", None, 3, 4, "5", 6]]
        content = json.dumps(data).encode()
    path.write_bytes(content)
    parses.clear()
    assert problems(pipeline.check(project)) == expected
    assert sorted(parses) == ["ledger", "wire"]
    parses.clear()
    assert problems(pipeline.check(project)) == expected
    assert parses == []  # and the cache written back is good again


def test_an_unwritable_cache_only_costs_time(project, parses):
    (project / CACHE_DIR).write_text("a file where the cache folder would go")
    expected = problems(pipeline.check(project, Strategy(parse_cache=False)))
    assert problems(pipeline.check(project)) == expected
    assert problems(pipeline.check(project)) == expected


def test_the_cache_keeps_only_the_sources_of_the_last_run(project):
    pipeline.check(project)
    path = project / CACHE_DIR / "sources.json"
    assert len(json.loads(path.read_text())["sources"]) == 2
    (project / "content/harbour/sources/ledger.txt").unlink()
    pipeline.check(project)
    assert len(json.loads(path.read_text())["sources"]) == 1


def test_a_build_from_a_warm_cache_is_byte_for_byte_a_build_without_it(tmp_path, parses):
    projects = []
    for name in ("cold", "warm"):
        root = tmp_path / name
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        projects.append(root)
    cold, warm = projects
    build_ok(cold, strategy=Strategy(parse_cache=False))
    pipeline.check(warm)
    parses.clear()
    build_ok(warm)
    # Blocks came from the cache; the tokens a source page renders are parsed once, for it.
    assert sorted(parses) == sorted(p.stem for p in (warm / "content/khmeimim/sources").iterdir())
    site_of = {k: v for k, v in tree_hash(cold / "site").items() if not k.startswith("sitemap")}
    assert {k: v for k, v in tree_hash(warm / "site").items() if not k.startswith("sitemap")} == site_of
