"""Synthetic briefgen projects, and their plain-MkDocs twins, for the performance benchmark.

    python benchmarks/generate.py OUT --briefings 40 --sources 10          # a briefgen project
    python benchmarks/generate.py OUT --briefings 40 --sources 10 --twin   # its plain-MkDocs twin

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
pages; sources are reached from the briefing, not listed in the nav.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from corpus import (
    ADJS,
    NOUNS,
    ORIGINS,
    PLACES_GENERIC,
    SUBJECTS,
    TIMES,
    TOPICS,
    VERBS,
    SourceSpec,
    make_source,
    place_name,
    slug,
)

SITE_NAME = "Synthetic briefings"
MIN_CITATIONS = 20

# -- the corpus ----------------------------------------------------------------------------------

@dataclass
class BriefingSpec:
    id: str
    title: str
    as_of: dt.date
    tags: list[str]
    sources: list[SourceSpec]
    annotations: dict  # summary, facts, questions, timeline as in briefing.yml


def _cite(src: SourceSpec, quote: str, origin: str | None = None, **extra) -> dict:
    c: dict = {src.id: quote}
    if origin:
        c["origin"] = origin
    c.update(extra)
    return c


class _Quotes:
    """Hands out the sources' quotes round robin, so every source is cited and none twice."""

    def __init__(self, sources: list[SourceSpec], per_source: int):
        self.queue = [(s, q) for k in range(per_source) for s in sources for q in s.markers[k:k + 1]]
        self.pos = 0
        self.spread = len(sources) > 1

    def take(self) -> tuple[SourceSpec, str]:
        item = self.queue[self.pos]
        self.pos += 1
        return item

    def two_distinct(self) -> list[tuple[SourceSpec, str]]:
        a = self.take()
        b = self.take()
        if b[0] is a[0] and self.spread:  # the round robin wraps: look for another source
            queue, pos = self.queue, self.pos
            for k in range(pos, len(queue)):
                if queue[k][0] is not a[0]:
                    queue[pos - 1], queue[k] = queue[k], queue[pos - 1]
                    b = queue[pos - 1]
                    break
        return [a, b]


def _summary(rng: random.Random, quotes: _Quotes, place: str, origin: Callable[[int], str]) -> list[dict]:
    summary = []
    for k in range(4):
        (s1, q1), (s2, q2) = quotes.two_distinct()
        summary.append({"text": f"{rng.choice(SUBJECTS).capitalize()} described *{rng.choice(ADJS)}* "
                                f"{rng.choice(NOUNS)} moving near {place} {rng.choice(TIMES)}.",
                        "cite": [_cite(s1, q1, origin(k)), _cite(s2, q2, origin(k + 3))]})
    summary.append({"id": "assessment", "assessment": rng.choice(["low", "moderate", "high"]),
                    "text": f"The evidence so far fits a *partial* change in {place} better than a full one."})
    return summary


def _facts(rng: random.Random, quotes: _Quotes, n_facts: int, origin: Callable[[int], str]) -> list[dict]:
    facts = []
    for k in range(n_facts):
        (s1, q1), (s2, q2) = quotes.two_distinct()
        second = _cite(s2, q2, origin(k + 1))
        if k == 3:
            second["disputes"] = True
        facts.append({"id": f"fact-{k + 1}", "fact": f"{rng.choice(ADJS).capitalize()} {rng.choice(NOUNS)}",
                      "value": f"About {rng.randint(2, 90)} seen near {rng.choice(PLACES_GENERIC)}, "
                               f"*{rng.choice(['rising', 'falling', 'unchanged'])}* since "
                               f"{rng.choice(['Monday', 'the weekend', 'last week', 'early March'])}",
                      "cite": [_cite(s1, q1, origin(k)), second]})
    return facts


def _questions(rng: random.Random, quotes: _Quotes, place: str, origin: Callable[[int], str]) -> list[dict]:
    evidence = []
    bears = [{"change": "for", "status-quo": "against"}, {"change": "against", "status-quo": "for"},
             {"change": "neutral", "status-quo": "neutral"}]
    for k in range(3):
        s, q = quotes.take()
        evidence.append({"text": f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} "
                                 f"{rng.choice(NOUNS)} were {rng.choice(ADJS)}.",
                         "cite": [_cite(s, q, origin(k + 5))], "bears": bears[k]})
    return [{"id": "direction", "question": f"Is the situation in {place} changing for good?",
             "status": "open",
             "hypotheses": [{"id": "change", "label": "A lasting change is under way"},
                            {"id": "status-quo", "label": "A temporary disruption only"}],
             "evidence": evidence,
             "watch": [f"New imagery of {rng.choice(PLACES_GENERIC)}",
                       f"An official statement from {place}"]}]


def _timeline(rng: random.Random, quotes: _Quotes, as_of: dt.date) -> list[dict]:
    timeline = []
    for k in range(3):
        s, q = quotes.take()
        timeline.append({"date": as_of - dt.timedelta(days=3 - k),
                         "text": f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} movement "
                                 f"near {rng.choice(PLACES_GENERIC)}.",
                         "cite": [_cite(s, q)]})
    return timeline


def make_briefing(seed: int, i: int, n_sources: int) -> BriefingSpec:
    """Briefing number i (0-based), independent of how many briefings the project has."""
    rng = random.Random(f"briefgen-bench:{seed}:{i}")
    place = place_name(rng)
    topic, title_fmt = TOPICS[i % len(TOPICS)]
    bid = f"b{i + 1:04d}-{topic}-{place.lower()}"
    as_of = dt.date(2024, 1, 1) + dt.timedelta(days=(i * 7) % 700)
    # Statements: 4 summary x 2 cites, >= 6 facts x 2 cites, 3 evidence, 3 timeline events.
    n_facts = max(6, math.ceil((n_sources - 14) / 2))
    needed = 8 + 2 * n_facts + 3 + 3
    assert needed >= MIN_CITATIONS
    per_source = math.ceil(needed / n_sources) + 1
    sources = [make_source(rng, bid, j, place, per_source, as_of - dt.timedelta(days=rng.randint(0, 5)))
               for j in range(n_sources)]
    quotes = _Quotes(sources, per_source)
    origins = rng.sample(ORIGINS, len(ORIGINS))

    def origin(k: int) -> str:
        return origins[k % len(origins)]

    # In this order: each part draws from rng, and briefing i must stay the same.
    annotations = {"summary": _summary(rng, quotes, place, origin),
                   "facts": _facts(rng, quotes, n_facts, origin),
                   "questions": _questions(rng, quotes, place, origin),
                   "timeline": _timeline(rng, quotes, as_of)}
    return BriefingSpec(bid, title_fmt.format(p=place), as_of, [topic, place.lower()], sources,
                        annotations)


def citation_count(b: BriefingSpec) -> int:
    a = b.annotations
    return (sum(len(s.get("cite", [])) for s in a["summary"]) + sum(len(f["cite"]) for f in a["facts"])
            + sum(len(e["cite"]) for q in a["questions"] for e in q["evidence"])
            + sum(len(t["cite"]) for t in a["timeline"]))


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


def generate_twin(root: Path, briefings: int, sources: int, seed: int = 0,
                  nav_briefings: int | None = None) -> list[BriefingSpec]:
    """Write the plain-MkDocs twin: docs/ with the same pages as Markdown, and a bounded nav.

    The nav has briefgen's shape: the index, then the newest briefings first, each with its
    three pages; sources are not in the nav. `nav_briefings` bounds how many briefings it lists
    (None: all of them); the others are still built and reached from the index. Give it the
    bound briefgen uses (extra.briefgen.nav_briefings) for a like-for-like comparison.
    """
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
    (docs / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    for b in specs:
        for rel, text in _twin_pages(b).items():
            path = docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
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
    ap.add_argument("--nav-briefings", type=int, default=None,
                    help="twin only: list only the N newest briefings in the nav (default: all; "
                         "briefgen lists 10 unless extra.briefgen.nav_briefings says otherwise)")
    args = ap.parse_args(argv)
    if args.briefings < 1 or args.sources < 1:
        ap.error("--briefings and --sources must be at least 1")
    if args.twin:
        specs = generate_twin(args.out, args.briefings, args.sources, args.seed, args.nav_briefings)
    else:
        specs = generate(args.out, args.briefings, args.sources, args.seed)
    n_src = sum(len(b.sources) for b in specs)
    n_cit = sum(citation_count(b) for b in specs)
    print(f"wrote {'twin' if args.twin else 'briefgen project'} {args.out}: {len(specs)} briefings, "
          f"{n_src} sources, {n_cit} citations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
