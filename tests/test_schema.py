"""`briefgen schema` (#27): a JSON Schema editors check briefing.yml against, which accepts every
briefing `check` accepts and refuses, at the right key, what `check --strict` refuses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from briefgen import pipeline
from briefgen.cli import main

REPO = Path(__file__).resolve().parents[1]


class AsTyped(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2): a date is the text typed."""


AsTyped.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="briefgen")


@pytest.fixture(scope="module")
def schema() -> dict:
    result = run("schema")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def front_matter() -> dict:
    result = run("schema", "front-matter")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def leaf_paths(errors) -> set[tuple]:
    """Where each innermost error is (an anyOf's failure holds its branches' errors)."""
    out: set[tuple] = set()
    for e in errors:
        out |= leaf_paths(e.context) if e.context else {tuple(e.absolute_path)}
    return out


def problems(schema: dict, data) -> set[tuple]:
    return leaf_paths(jsonschema.Draft202012Validator(schema).iter_errors(data))


def test_both_schemas_are_draft_2020_12(schema, front_matter):
    for s in (schema, front_matter):
        assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(s)


def _described(node, where="") -> list[str]:
    """Every property of every mapping in the schema that has no description."""
    missing = []
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if isinstance(sub, dict) and not sub.get("description"):  # False: "absent" in an if
                missing.append(f"{where}/{key}")
        for key, sub in node.items():
            missing += _described(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for n, sub in enumerate(node):
            missing += _described(sub, f"{where}/{n}")
    return missing


def test_every_key_has_a_description_and_the_allowed_values(schema, front_matter):
    assert _described(schema) == [] and _described(front_matter) == []
    defs = schema["$defs"]
    assert list(schema["properties"]) == ["title", "as_of", "lang", "tags", "sources", "summary", "facts",
                                          "questions", "timeline"]
    assert schema["required"] == ["title", "as_of"] and schema["additionalProperties"] is False
    assert defs["question"]["properties"]["status"]["anyOf"][0]["enum"] == ["open", "leaning", "resolved"]
    assert defs["summary"]["properties"]["assessment"]["enum"] == ["low", "moderate", "high"]
    assert defs["evidence"]["properties"]["bears"]["additionalProperties"]["enum"] == ["for", "against", "neutral"]
    source = front_matter["properties"]
    assert set(source) == {"title", "outlet", "author", "published", "url", "accessed", "reliability", "drop",
                           "publish", "paraphrased", "lang"}
    assert source["publish"]["anyOf"][0]["enum"] == ["full", "excerpts"]
    assert set(source["reliability"]["anyOf"][0]["enum"]) == set("ABCDEFabcdef")
    assert "Admiralty" in source["reliability"]["description"]
    assert set(defs["source-entry"]["properties"]) == set(source) | {"file"}


GOOD = """\
title: Λιμάνι σε απεργία
as_of: 2024-11-06
lang: el
tags: [ports, 2024]
sources:
  wire:
    file: sources/wire.txt
    outlet: Harbour Wire
    title: Pilots join the strike
    published: 2024-11-05T09:30Z
    url: https://example.com/wire
    reliability: b
    publish: full
    drop: ["Subscribe"]
summary:
  - text: Dock workers are on strike.
    cite:
      - wire: "Dock workers walked out"
  - text: One citation without the list around it.
    cite: {wire: "walked out on Monday", origin: Port authority}
  - id: long-form
    text: The long form.
    cite:
      - source: wire
        quote: "Οι λιμενεργάτες απεργούν"
        disputes: false
        note: In *Greek*.
  - text: Too early to say.
    assessment: moderate
facts:
  - id: strike
    fact: Strike
    value: Under way
    cite: [{wire: "Dock workers", origin: Port authority, disputes: true, note: see}]
questions:
  - id: how-long
    question: How long?
    status: resolved
    answer: short
    hypotheses:
      - {id: short, label: A week}
      - {id: long, label: A month}
    evidence:
      - text: Pilots joined.
        cite: [{wire: "Pilots joined"}]
        bears: {short: against, long: for}
    watch: [Talks]
timeline:
  - date: 2024-11-04
    text: The walkout.
    cite:
      - wire: "walked out"
"""

WIRE = "Subscribe to our newsletter\nDock workers walked out on Monday.\nPilots joined them.\nΟι λιμενεργάτες απεργούν.\n"


def project_with(tmp_path: Path, briefing: str) -> Path:
    folder = tmp_path / "content" / "port"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "briefing.yml").write_text(briefing, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    return tmp_path


def test_a_briefing_with_every_form_passes_both(schema, tmp_path):
    report = pipeline.check(project_with(tmp_path, GOOD)).report
    assert not report.failed(strict=True), "\n".join(map(str, report.sorted()))
    assert problems(schema, yaml.load(GOOD, AsTyped)) == set()


# Each: what is written in place of the summary (or added), and where the schema must say so.
# Every one of them fails `briefgen check --strict`, as the test below makes sure.
START = "title: Port strike\nas_of: 2024-11-06\n"
CITED = "summary:\n  - text: On strike.\n    cite:\n      - wire: \"Dock workers walked out\"\n"
Q = ("questions:\n  - id: how-long\n    question: How long?\n    hypotheses:\n      - {id: short, label: A week}\n"
     "      - {id: long, label: A month}\n")
BAD = {
    "unknown top key": (START + CITED + "titel: x\n", ()),
    "title left empty": ("title: \"\"\nas_of: 2024-11-06\n" + CITED, ("title",)),
    "no as_of": ("title: Port strike\n" + CITED, ()),
    "date as a number": ("title: Port strike\nas_of: 20241106\n" + CITED, ("as_of",)),
    "date in another spelling": ("title: Port strike\nas_of: 2024-W45-2\n" + CITED, ("as_of",)),
    "bad lang": (START + "lang: english!\n" + CITED, ("lang",)),
    "tags as a mapping": (START + "tags: {a: 1}\n" + CITED, ("tags",)),
    "status not allowed": (START + CITED + Q + "    status: closed\n", ("questions", 0, "status")),
    "bearing not allowed": (START + CITED + Q + "    evidence:\n      - text: Clue.\n        cite: [{wire: \"Pilots joined\"}]\n"
                            "        bears: {short: maybe}\n", ("questions", 0, "evidence", 0, "bears", "short")),
    "one hypothesis": (START + CITED + "questions:\n  - id: q\n    question: Q?\n    hypotheses:\n      - {id: a, label: A}\n",
                       ("questions", 0, "hypotheses")),
    "hypotheses as text": (START + CITED + "questions:\n  - id: q\n    question: Q?\n    hypotheses: a, b\n",
                           ("questions", 0, "hypotheses")),
    "question id not a slug": (START + CITED + Q.replace("id: how-long", "id: How long"), ("questions", 0, "id")),
    "assessment not allowed": (START + "summary:\n  - text: Sure.\n    assessment: certain\n",
                               ("summary", 0, "assessment")),
    "no cite and no assessment": (START + "summary:\n  - text: Uncited.\n", ("summary", 0)),
    "statement id of the page's own": (START + CITED.replace("  - text", "  - id: bg-sources\n    text"),
                                       ("summary", 0, "id")),
    "two sources in one citation": (START + "summary:\n  - text: S.\n    cite:\n      - {wire: \"Dock workers\", ledger: \"x\"}\n",
                                    ("summary", 0, "cite", 0)),
    "misspelt origin": (START + "summary:\n  - text: S.\n    cite:\n      - wire: \"Dock workers\"\n        orign: Maxar\n",
                        ("summary", 0, "cite", 0)),
    "quote without source": (START + "summary:\n  - text: S.\n    cite:\n      - quote: \"Dock workers\"\n",
                             ("summary", 0, "cite", 0)),
    "long form without quote": (START + "summary:\n  - text: S.\n    cite:\n      - source: wire\n",
                                ("summary", 0, "cite", 0)),
    "empty quote": (START + "summary:\n  - text: S.\n    cite:\n      - wire: \"\"\n",
                    ("summary", 0, "cite", 0, "wire")),
    "a quote that is a number": (START + "summary:\n  - text: S.\n    cite:\n      - wire: 2024\n",
                                 ("summary", 0, "cite", 0, "wire")),
    "a citation as bare text": (START + "summary:\n  - text: S.\n    cite:\n      - wire\n",
                                ("summary", 0, "cite", 0)),
    "disputes not true or false": (START + "summary:\n  - text: S.\n    cite:\n      - wire: \"Dock workers\"\n"
                                   "        disputes: maybe\n", ("summary", 0, "cite", 0, "disputes")),
    "fact without id": (START + CITED + "facts:\n  - fact: F\n    value: V\n    cite: [{wire: \"Pilots joined\"}]\n",
                        ("facts", 0)),
    "fact with no citation": (START + CITED + "facts:\n  - id: f\n    fact: F\n    value: V\n    cite: []\n",
                              ("facts", 0, "cite")),
    "timeline without date": (START + CITED + "timeline:\n  - text: T.\n    cite: [{wire: \"Pilots joined\"}]\n",
                              ("timeline", 0)),
    "reliability grade G": (START + "sources:\n  wire:\n    reliability: G\n" + CITED, ("sources", "wire", "reliability")),
    "publish not allowed": (START + "sources:\n  wire:\n    publish: partial\n" + CITED, ("sources", "wire", "publish")),
    "url not http": (START + "sources:\n  wire:\n    url: ftp://example.com/x\n" + CITED, ("sources", "wire", "url")),
    "unknown source key": (START + "sources:\n  wire:\n    autor: Ann\n" + CITED, ("sources", "wire")),
    "reserved source id": (START + "sources:\n  note:\n    file: sources/wire.txt\n" + CITED, ("sources",)),
    "source id not a slug": (START + "sources:\n  Wire:\n    file: sources/wire.txt\n" + CITED, ("sources",)),
    "not a mapping": ("- title: Port strike\n", ()),
}


@pytest.mark.parametrize("name", list(BAD))
def test_the_schema_refuses_what_check_refuses(name, schema, tmp_path):
    text, where = BAD[name]
    report = pipeline.check(project_with(tmp_path, text)).report
    assert report.failed(strict=True), f"check accepts {name!r}; the case is wrong"
    assert any(p.pos.path == "content/port/briefing.yml" for p in report.problems)
    found = problems(schema, yaml.load(text, AsTyped))
    assert where in found, f"{name}: schema says {sorted(found)}"


def _projects() -> list[Path]:
    roots = {p.parent.parent.parent for p in REPO.glob("tests/**/content/*/briefing.yml")}
    return sorted(roots | {REPO})


def _as_typed(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), AsTyped)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None  # check refuses these too (and they are no briefing for an editor)


def test_every_briefing_check_accepts_in_the_repository_passes_the_schema(schema, front_matter):
    accepted, sources = 0, 0
    for root in _projects():
        report = pipeline.check(root, pipeline.Strategy(parse_cache=False)).report
        flagged = {p.pos.path for p in report.problems if p.severity != "note"}
        for path in sorted(root.glob("content/*/briefing.yml")):
            rel = path.relative_to(root).as_posix()
            if rel in flagged or path.is_symlink():
                continue
            assert problems(schema, _as_typed(path)) == set(), rel
            accepted += 1
        for path in sorted(root.glob("content/*/sources/*.md")):
            rel = path.relative_to(root).as_posix()
            if rel in flagged or path.is_symlink():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if not text.startswith("---\n"):
                continue
            matter = yaml.load(text[4:text.index("\n---", 3)], AsTyped)
            assert problems(front_matter, matter or {}) == set(), rel
            sources += 1
    assert accepted >= 12 and sources >= 30, (accepted, sources)  # none skipped by mistake


def test_init_writes_the_schema_and_maps_it_for_editors(tmp_path):
    result = run("init", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    written = json.loads((site / "briefing.schema.json").read_text(encoding="utf-8"))
    assert written == json.loads(run("schema").output)
    settings = json.loads((site / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {"./briefing.schema.json": ["content/*/briefing.yml"]}}
    briefing = site / "content" / "first-briefing" / "briefing.yml"
    first = briefing.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../briefing.schema.json"
    assert (briefing.parent / first.split("=", 1)[1]).resolve() == (site / "briefing.schema.json").resolve()
    assert problems(written, _as_typed(briefing)) == set()
