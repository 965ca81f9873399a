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
from conftest import REPO, build_ok, tree_hash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen import pipeline
from briefgen.caches import parsecache
from briefgen.caches.parsecache import CACHE_DIR
from briefgen.strategy import Strategy
from briefgen.text import sourcetext

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


def entry_files(project: Path) -> list[Path]:
    """The cache's files, one a source (`.briefgen-cache/sources/<key>.json`)."""
    return sorted((project / CACHE_DIR / "sources").glob("*.json"))


def read_entry(path: Path) -> tuple[str, dict]:
    """The stamp and the entry of a cache file (a header line, then the entry)."""
    header, _, body = path.read_bytes().partition(b"\n")
    return json.loads(header)["stamp"], json.loads(body)


def entry_bytes(stamp: str, entry) -> bytes:
    """A cache file with a correct digest, as a forger (or a future bug) would write it."""
    body = json.dumps(entry).encode()
    return json.dumps({"stamp": stamp, "digest": parsecache.digest(stamp, body)}).encode() + b"\n" + body


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
    for path in entry_files(project):
        if content == "WRONG-ROWS":  # our stamp and digest, nonsense entries: each source is parsed again
            stamp, entry = read_entry(path)
            entry["blocks"] = [["x", None, 3, 4, "5", 6]]
            path.write_bytes(entry_bytes(stamp, entry))
        else:
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
    assert len(entry_files(project)) == 2
    (project / CACHE_DIR / "sources/notes.json").write_text("mine")  # not named as the cache names
    old = project / CACHE_DIR / "sources.json"
    old.write_bytes(b"every entry, as briefgen kept them before")
    (project / "content/harbour/sources/ledger.txt").unlink()
    pipeline.check(project)
    assert len(entry_files(project)) - 1 == 1  # and notes.json
    assert (project / CACHE_DIR / "sources/notes.json").read_text() == "mine"
    assert not old.exists()


def test_an_edit_writes_one_entry_and_reads_only_those_looked_up(project, parses):
    pipeline.check(project)
    before = {p.name: p.stat().st_mtime_ns for p in entry_files(project)}
    source = project / "content/harbour/sources/ledger.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nΈνα ακόμη — one more line.\n", encoding="utf-8")
    parses.clear()
    pipeline.check(project)
    assert parses == ["ledger"]
    after = {p.name: p.stat().st_mtime_ns for p in entry_files(project)}
    kept = before.keys() & after.keys()
    assert len(kept) == 1 and all(before[n] == after[n] for n in kept), "the wire's entry is not written again"
    assert len(after) == 2


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


# -- what the cache trusts: nothing a hand or a disk can change unnoticed ---------------------

def test_cached_text_edited_by_hand_cannot_make_a_missing_quote_pass(project, parses):
    expected = problems(pipeline.check(project, Strategy(parse_cache=False)))
    assert any("briefing.yml:19:" in p and "quote not found" in p for p in expected)
    pipeline.check(project)
    path, = (p for p in entry_files(project) if b"northern cranes" in p.read_bytes())
    data = path.read_bytes()
    assert data.count(b"northern cranes stopped working") == 2  # the block's text and its normalised form
    path.write_bytes(data.replace(b"northern cranes stopped working", b"southern cranes kept working"))
    parses.clear()
    assert problems(pipeline.check(project)) == expected
    assert "wire" in parses


@pytest.mark.parametrize("damage", [
    lambda e: e.update(blocks=[[-1, 0, "p1", "x", 0, "x"]]),
    lambda e: e.update(blocks=[[0, 0, "p1", "x", 0]]),
    lambda e: e.update(blocks=[[True, 0, "p1", "x", 0, "x"]]),
    lambda e: e.update(unused=[-1]),
    lambda e: e.update(unused="0"),
    lambda e: e.pop("unused"),
    lambda e: e.update(extra=1),
    lambda e: e.update(blocks={"0": 1}),
], ids=["negative-token", "short-row", "bool-index", "negative-drop", "unused-text", "no-unused",
        "extra-key", "blocks-mapping"])
def test_a_well_digested_entry_of_the_wrong_shape_is_parsed_again(project, parses, damage):
    expected = problems(pipeline.check(project, Strategy(parse_cache=False)))
    pipeline.check(project)
    for path in entry_files(project):
        stamp, entry = read_entry(path)
        damage(entry)
        path.write_bytes(entry_bytes(stamp, entry))
    parses.clear()
    assert problems(pipeline.check(project)) == expected
    assert sorted(parses) == ["ledger", "wire"]


def _mutations() -> st.SearchStrategy:
    """Damage of any shape: cut short, bytes flipped or inserted, a JSON value swapped for another."""
    json_values = st.recursive(st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=8),
                               lambda inner: st.lists(inner, max_size=3)
                               | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)
    return st.one_of(
        st.tuples(st.just("truncate"), st.floats(0, 1)),
        st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
        st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=4)),
        st.tuples(st.just("swap"), st.floats(0, 1), json_values),
    )


def _damage(data: bytes, how: tuple) -> bytes:
    kind, where = how[0], how[1]
    at = int(where * (len(data) - 1))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ how[2]]) + data[at + 1:]
    if kind == "insert":
        return data[:at] + how[2] + data[at:]
    header, _, body = data.partition(b"\n")  # swap: a hand edit that keeps the JSON valid
    entries = json.loads(body)
    paths = _json_paths(entries)
    path = paths[int(where * (len(paths) - 1))]
    target = entries
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = how[2]
    return header + b"\n" + json.dumps(entries).encode()


def _json_paths(value, prefix=()) -> list[tuple]:
    out = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.append(prefix + (key,))
        out += _json_paths(child, prefix + (key,))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=_mutations())
def test_a_damaged_cache_of_any_shape_checks_like_no_cache(project, how):
    expected = problems(pipeline.check(project, Strategy(parse_cache=False)))
    shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
    pipeline.check(project)
    path, = (p for p in entry_files(project) if b"northern cranes" in p.read_bytes())  # the wire's: quoted
    damaged = _damage(path.read_bytes(), how)
    path.write_bytes(damaged)
    assert problems(pipeline.check(project)) == expected
    assert problems(pipeline.check(project)) == expected  # and from what that run wrote back


def test_a_build_from_a_damaged_cache_is_byte_for_byte_a_build_without_it(tmp_path, make_project):
    files = {"content/harbour/briefing.yml": BRIEFING.replace(
                 '''      - text: A quote that is not there.
        cite:
          - wire: "southern cranes kept working"
''', ""),
             "content/harbour/sources/wire.md": WIRE, "content/harbour/sources/ledger.txt": LEDGER}
    cold, warm = make_project(tmp_path, files), make_project(tmp_path, files)
    build_ok(cold, strategy=Strategy(parse_cache=False))
    pipeline.check(warm)
    for path in entry_files(warm):
        header, _, body = path.read_bytes().partition(b"\n")
        entry = json.loads(body)
        for row in entry["blocks"]:  # token indices far out of range: once an IndexError
            row[0] += 10_000
        path.write_bytes(header + b"\n" + json.dumps(entry).encode())
    build_ok(warm)
    site_of = {k: v for k, v in tree_hash(cold / "site").items() if not k.startswith("sitemap")}
    assert {k: v for k, v in tree_hash(warm / "site").items() if not k.startswith("sitemap")} == site_of


def test_a_sources_folder_that_is_a_link_is_not_followed(project, tmp_path):
    from click.testing import CliRunner

    from briefgen.cli import main

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / CACHE_DIR).mkdir()
    (project / CACHE_DIR / "sources").symlink_to(elsewhere, target_is_directory=True)
    expected = problems(pipeline.check(project, Strategy(parse_cache=False)))
    assert problems(pipeline.check(project)) == expected
    said = CliRunner().invoke(main, ["-C", str(project), "check"]).stderr
    assert list(elsewhere.iterdir()) == []
    assert "sources in the cache folder is not a folder of its own; sources are not cached" in said


def test_a_cache_entry_that_is_a_link_is_never_read(project, parses, tmp_path):
    """A repository may commit .briefgen-cache/ with links in it (the entry names are hashes of
    the text, anyone can make them): briefgen opened and read whole what they led to."""
    pipeline.check(project)
    outside = tmp_path / "outside"
    outside.mkdir()
    for entry in entry_files(project):  # each good entry moved out of the project, a link in its place
        entry.rename(outside / entry.name)
        entry.symlink_to(outside / entry.name)
    parses.clear()
    pipeline.check(project)
    assert sorted(parses) == ["ledger", "wire"]  # misses: parsed again
    assert entry_files(project) and not [e for e in entry_files(project) if e.is_symlink()]  # written anew
