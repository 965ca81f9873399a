"""Synthetic briefgen projects, and their plain-MkDocs twins, for the performance benchmark.

    python benchmarks/generate.py OUT --briefings 40 --sources 10          # a briefgen project
    python benchmarks/generate.py OUT --briefings 40 --sources 10 --twin   # its plain-MkDocs twin
    python benchmarks/generate.py OUT --briefings 40 --sources 10 --plain  # that twin, plain paragraphs only

Everything is deterministic: briefing i is the same for a given seed whatever the total count,
so "4x content" is the 1x project plus more briefings of the same shape.

A source is about 5 KB of English-like Markdown (a heading, paragraphs, some emphasis and
links, a bullet list). Each briefing cites its sources at least 20 times (summary, facts with
several origins, a question with hypotheses, evidence and watch items, a timeline). Quoted
sentences carry a place name that is unique within the source and contain no markup, so every
quote occurs exactly once, in one paragraph; generate() verifies that.

The twin has the same pages as plain Markdown for plain MkDocs + Material: docs/index.md, per
briefing index.md (summary and timeline), facts.md and questions.md, and per source a page with
the same text. Its nav is bounded the way briefgen's is: the briefings, each with its three
pages; sources are reached from the briefing, not listed in the nav. The plain-paragraphs twin
has the same pages and nav, each page the same words as paragraphs of plain text only (no
tables, lists, links, headings or emphasis): the cheapest Markdown for MkDocs to build.

What the briefings say (their sources and annotations) is in briefings.py and corpus.py.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import yaml
from briefings import BriefingSpec, citation_count, make_briefing
from corpus import slug

SITE_NAME = "Synthetic briefings"

# -- writers -------------------------------------------------------------------------------------

def _mkdocs_yml(extra: dict | None = None) -> str:
    cfg = {"site_name": SITE_NAME, "theme": {"name": "material"}, "plugins": ["search"]}
    cfg.update(extra or {})
    return yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)


def _fresh(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in ("content", "docs", "site", "mkdocs.yml"):
        p = root / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def generate(root: Path, briefings: int, sources: int, seed: int = 0) -> list[BriefingSpec]:
    """Write a briefgen project (mkdocs.yml + content/) with `briefings` x `sources` sources."""
    root = Path(root)
    _fresh(root)
    (root / "mkdocs.yml").write_text(_mkdocs_yml(), encoding="utf-8")
    specs = []
    for i in range(briefings):
        b = make_briefing(seed, i, sources)
        specs.append(b)
        folder = root / "content" / b.id
        (folder / "sources").mkdir(parents=True)
        doc = {"title": b.title, "as_of": b.as_of, "tags": b.tags, **b.annotations}
        (folder / "briefing.yml").write_text(
            yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        for s in b.sources:
            front = yaml.safe_dump(s.meta, sort_keys=False, allow_unicode=True, width=1000)
            (folder / "sources" / f"{s.id}.md").write_text(f"---\n{front}---\n\n{s.body}", encoding="utf-8")
    return specs


def _cites_md(cites: list[dict], prefix: str) -> str:
    out = []
    for c in cites:
        sid = next(k for k in c if k not in ("origin", "disputes", "note"))
        label = ("disputed by " if c.get("disputes") else "") + sid
        out.append(f"[{label}]({prefix}sources/{sid}.md \"{c[sid]}\")")
    return " ".join(out)


def _twin_pages(b: BriefingSpec) -> dict[str, str]:
    a = b.annotations
    head = f"Briefings · as of {b.as_of.isoformat()} · " + " ".join(f"`{t}`" for t in b.tags)
    tabs = "[Summary](index.md) · [Key facts](facts.md) · [Questions](questions.md)"
    summary = [f"# {b.title}", head, tabs, "## Bottom line"]
    for n, s in enumerate(a["summary"], 1):
        conf = f"**Assessment · {s['assessment']} confidence** " if s.get("assessment") else ""
        summary.append(f"{n}. {conf}{s['text']} {_cites_md(s.get('cite', []), '')}")
    summary.append("## What is still open")
    summary += [f"- [{q['question']}](questions.md#{slug(q['question'])}) ({q['status']})"
                for q in a["questions"]]
    summary.append("## Key facts")
    summary += [f"- [{f['fact']}](facts.md#{f['id']}): {f['value']}" for f in a["facts"]]
    summary.append("## Timeline")
    summary += [f"- **{t['date'].isoformat()}** {t['text']} {_cites_md(t['cite'], '')}" for t in a["timeline"]]
    summary.append("## Sources")
    summary += [f"- [**{s.meta['outlet']}**: {s.meta['title']}](sources/{s.id}.md) · "
                f"{s.meta['published'].isoformat()} · grade {s.meta['reliability']}" for s in b.sources]
    facts = ["# Key facts", b.title, tabs, "",
             "| Fact | What is known | Evidence | Origins |", "| --- | --- | --- | --- |"]
    for f in a["facts"]:
        origins = ", ".join(c.get("origin", "") for c in f["cite"])
        facts.append(f"| {f['fact']} | {f['value']} | {_cites_md(f['cite'], '')} | {origins} |")
    questions = ["# Open questions", b.title, tabs]
    for q in a["questions"]:
        questions.append(f"## {q['question']}")
        questions.append(f"Status: **{q['status']}**")
        questions.append("Hypotheses:\n\n" + "\n".join(f"- {h['label']}" for h in q["hypotheses"]))
        questions.append("Evidence:\n\n" + "\n".join(
            f"{n}. {e['text']} {_cites_md(e['cite'], '')} — "
            + ", ".join(f"{k}: {v}" for k, v in e["bears"].items())
            for n, e in enumerate(q["evidence"], 1)))
        questions.append("Watch for:\n\n" + "\n".join(f"- {w}" for w in q["watch"]))
    pages = {f"{b.id}/index.md": "\n\n".join(summary) + "\n",
             f"{b.id}/facts.md": "\n".join(facts[:3]) + "\n\n" + "\n".join(facts[3:]) + "\n",
             f"{b.id}/questions.md": "\n\n".join(questions) + "\n"}
    for s in b.sources:
        m = s.meta
        front = yaml.safe_dump({"title": f"{m['outlet']}: {m['title']}"}, sort_keys=False,
                               allow_unicode=True, width=1000)
        pages[f"{b.id}/sources/{s.id}.md"] = (
            f"---\n{front}---\n\n[{b.title}](../index.md)\n\n{m['outlet']} · grade {m['reliability']}\n\n"
            f"# {m['title']}\n\n{m['author']} · {m['published'].isoformat()} · "
            f"[read the original]({m['url']})\n\n{s.body}")
    return pages


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKER = re.compile(r"^(?:#+|-|\d+\.)\s+")  # of a heading or a list item
_RULE = re.compile(r"^\|(?:\s*-+\s*\|)+$")  # under a table's header


def plain_paragraphs(markdown: str) -> str:
    """The same words as paragraphs of plain text, one for each line of the Markdown: no
    headings, lists, tables, links or emphasis, the cheapest Markdown there is (a link keeps its
    words; its address and title go). Front matter stays as it is."""
    front = ""
    if markdown.startswith("---\n"):
        end = markdown.index("\n---\n", 3) + 5
        front, markdown = markdown[:end], markdown[end:]
    paragraphs = []
    for line in markdown.splitlines():
        if not line.strip() or _RULE.match(line.strip()):
            continue
        text = _MARKER.sub("", _LINK.sub(r"\1", line.strip()))
        paragraphs.append(" ".join(text.replace("|", " ").replace("*", "").replace("`", "").split()))
    return front + "\n" + "\n\n".join(paragraphs) + "\n"


def generate_twin(root: Path, briefings: int, sources: int, seed: int = 0,
                  nav_briefings: int | None = None, plain: bool = False) -> list[BriefingSpec]:
    """Write the plain-MkDocs twin: docs/ with the same pages as Markdown, and a bounded nav.

    The nav has briefgen's shape: the index, then the newest briefings first, each with its
    three pages; sources are not in the nav. `nav_briefings` bounds how many briefings it lists
    (None: all of them); the others are still built and reached from the index. Give it the
    bound briefgen uses (extra.briefgen.nav_briefings) for a like-for-like comparison. `plain`:
    every page holds the same words as plain paragraphs only (`plain_paragraphs`), the same
    pages in the same nav.
    """
    written = plain_paragraphs if plain else str
    root = Path(root)
    _fresh(root)
    docs = root / "docs"
    specs = [make_briefing(seed, i, sources) for i in range(briefings)]
    newest = sorted(specs, key=lambda b: (b.as_of, b.id), reverse=True)
    index = [f"# {SITE_NAME}", ""]
    for b in newest:
        first = b.annotations["summary"][0]["text"]
        index.append(f"- [{b.title}]({b.id}/index.md) · as of {b.as_of.isoformat()} · "
                     f"{len(b.sources)} sources, {citation_count(b)} citations — {first}")
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(written("\n".join(index) + "\n"), encoding="utf-8")
    for b in specs:
        for rel, text in _twin_pages(b).items():
            path = docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(written(text), encoding="utf-8")
    nav: list = [{"Briefings": "index.md"}]
    for b in (newest if nav_briefings is None else newest[:nav_briefings]):
        nav.append({b.title: [{"Summary": f"{b.id}/index.md"}, {"Key facts": f"{b.id}/facts.md"},
                              {"Questions": f"{b.id}/questions.md"}]})
    (root / "mkdocs.yml").write_text(_mkdocs_yml({"nav": nav}), encoding="utf-8")
    return specs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to write the project into (its content/, docs/, "
                                           "site/ and mkdocs.yml are replaced)")
    ap.add_argument("--briefings", type=int, default=40)
    ap.add_argument("--sources", type=int, default=10, help="sources per briefing")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--twin", action="store_true", help="write the plain-MkDocs twin instead")
    ap.add_argument("--plain", action="store_true",
                    help="write the twin with plain paragraphs only (the same words, no tables, lists, "
                         "links or emphasis) instead")
    ap.add_argument("--nav-briefings", type=int, default=None,
                    help="twin only: list only the N newest briefings in the nav (default: all; "
                         "briefgen lists 10 unless extra.briefgen.nav_briefings says otherwise)")
    args = ap.parse_args(argv)
    if args.briefings < 1 or args.sources < 1:
        ap.error("--briefings and --sources must be at least 1")
    if args.twin or args.plain:
        specs = generate_twin(args.out, args.briefings, args.sources, args.seed, args.nav_briefings, args.plain)
    else:
        specs = generate(args.out, args.briefings, args.sources, args.seed)
    n_src = sum(len(b.sources) for b in specs)
    n_cit = sum(citation_count(b) for b in specs)
    kind = "plain-paragraphs twin" if args.plain else "twin" if args.twin else "briefgen project"
    print(f"wrote {kind} {args.out}: {len(specs)} briefings, "
          f"{n_src} sources, {n_cit} citations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
