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
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

SITE_NAME = "Synthetic briefings"
SOURCE_BYTES = 5000  # aim for about 5 KB of Markdown body per source
MIN_CITATIONS = 20

# -- vocabulary ----------------------------------------------------------------------------------

OUTLETS = ["The Northern Courier", "Daily Ledger", "Harbour Times", "The Meridian Post",
           "Coastal Wire", "The Evening Standard-Bearer", "Frontier Gazette", "Capital Observer",
           "The Plains Herald", "Riverside Chronicle", "Atlas News Agency", "The Weekly Dispatch"]
AUTHORS = ["Amira Haddad", "Jonas Lindqvist", "Priya Raman", "Tomasz Kowal", "Elena Marchetti",
           "Samuel Okafor", "Hana Sato", "Diego Alvarez", "Mei Chen", "Oliver Brandt"]
ORIGINS = ["Maxar", "Planet Labs", "Reuters", "Associated Press", "the defence ministry",
           "local officials", "a port authority spokesman", "the interior ministry",
           "satellite analysts at CSIS", "a regional governor", "the coast guard", "AFP",
           "an opposition monitor", "customs records", "shipping trackers"]
TOPICS = [("port", "Port closure at {p}"), ("convoy", "Convoys near {p}"),
          ("airbase", "Activity at {p} air base"), ("grain", "Grain shipments from {p}"),
          ("border", "Border crossings at {p}"), ("strike", "Strike damage in {p}"),
          ("election", "Disputed count in {p}"), ("pipeline", "Pipeline outage near {p}"),
          ("flood", "Flood response in {p}"), ("talks", "Ceasefire talks in {p}")]
SYL = ["ka", "ra", "vel", "mor", "tan", "sil", "bor", "den", "lis", "gor", "nav", "tes", "mar",
       "ost", "el", "vin", "dor", "shan", "ul", "kes", "rin", "pol", "zar", "hem"]
SUBJECTS = ["officials", "residents", "analysts", "the ministry", "the governor", "witnesses",
            "port workers", "aid groups", "military sources", "traders", "the mayor",
            "diplomats", "engineers", "the regional council", "satellite images", "drivers"]
VERBS = ["said", "reported", "confirmed", "denied", "suggested", "warned", "estimated",
         "acknowledged", "claimed", "noted", "insisted", "indicated"]
NOUNS = ["trucks", "containers", "ships", "aircraft", "checkpoints", "warehouses", "convoys",
         "cranes", "tankers", "barracks", "generators", "ferries", "patrols", "depots", "rail cars"]
ADJS = ["northern", "damaged", "temporary", "unmarked", "heavy", "civilian", "armoured",
        "empty", "overloaded", "newly built", "abandoned", "guarded", "refrigerated", "idle"]
PLACES_GENERIC = ["the harbour", "the old airfield", "the ring road", "the river crossing",
                  "the industrial zone", "the main square", "the rail yard", "the coastal highway",
                  "the customs post", "the fuel terminal", "the southern district"]
TIMES = ["on Tuesday", "late on Friday", "early this week", "over the weekend", "since Monday",
         "before dawn", "in recent days", "on Thursday evening", "last month", "this morning"]
CONNECT = ["However,", "Meanwhile,", "At the same time,", "By contrast,", "In addition,",
           "According to one account,", "Separately,", "Even so,", "For now,", "Still,"]
CLAUSES = ["which could not be independently verified", "although details remain unclear",
           "as pressure on the authorities mounted", "a claim that others disputed",
           "citing people familiar with the matter", "without giving further details",
           "in a statement posted online", "after weeks of speculation",
           "amid growing concern among residents", "in what appeared to be a planned move"]
HEADINGS = ["What officials say", "The view from the ground", "Background", "What comes next",
            "Satellite evidence", "Reactions", "The wider picture", "Open questions"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize()


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


# -- the corpus ----------------------------------------------------------------------------------

@dataclass
class SourceSpec:
    id: str
    meta: dict
    body: str  # Markdown
    markers: list[str] = field(default_factory=list)  # quotable phrases, each once in the body


@dataclass
class BriefingSpec:
    id: str
    title: str
    as_of: dt.date
    tags: list[str]
    sources: list[SourceSpec]
    annotations: dict  # summary, facts, questions, timeline as in briefing.yml


class _Text:
    """English-like news prose from one seeded random generator."""

    def __init__(self, rng: random.Random, place: str):
        self.rng, self.place = rng, place

    def sentence(self) -> str:
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:
            s = (f"{r.choice(SUBJECTS).capitalize()} {r.choice(VERBS)} that {r.randint(2, 90)} "
                 f"{r.choice(ADJS)} {r.choice(NOUNS)} had been seen near {r.choice(PLACES_GENERIC)} "
                 f"{r.choice(TIMES)}")
        elif kind == 1:
            s = (f"{r.choice(CONNECT)} {r.choice(SUBJECTS)} in {self.place} {r.choice(VERBS)} the "
                 f"{r.choice(NOUNS)} were {r.choice(ADJS)}, {r.choice(CLAUSES)}")
        elif kind == 2:
            s = (f"The {r.choice(ADJS)} {r.choice(NOUNS)} at {r.choice(PLACES_GENERIC)} were moved "
                 f"{r.choice(TIMES)}, {r.choice(SUBJECTS)} {r.choice(VERBS)}")
        elif kind == 3:
            s = (f"{r.choice(SUBJECTS).capitalize()} {r.choice(VERBS)} the number of "
                 f"{r.choice(NOUNS)} had risen by {r.randint(3, 60)} percent {r.choice(TIMES)}, "
                 f"{r.choice(CLAUSES)}")
        elif kind == 4:
            s = (f"{r.choice(CONNECT)} there was no sign of {r.choice(ADJS)} {r.choice(NOUNS)} "
                 f"along {r.choice(PLACES_GENERIC)}, {r.choice(CLAUSES)}")
        else:
            s = (f"Asked about {r.choice(PLACES_GENERIC)}, {r.choice(SUBJECTS)} "
                 f"{r.choice(VERBS)} only that the situation in {self.place} was "
                 f"{r.choice(['calm', 'tense', 'changing quickly', 'under review', 'unclear'])}")
        return s + "."

    def decorated(self) -> str:
        """A sentence with some Markdown: emphasis, strong, or a link."""
        s = self.sentence()
        words = s.split(" ")
        if len(words) < 6:
            return s
        i = self.rng.randrange(1, len(words) - 3)
        n = self.rng.randint(1, 3)
        phrase = " ".join(words[i:i + n]).strip(",.")
        if not phrase:
            return s
        style = self.rng.randrange(3)
        if style == 0:
            wrapped = f"*{phrase}*"
        elif style == 1:
            wrapped = f"**{phrase}**"
        else:
            wrapped = f"[{phrase}](https://example.org/{_slug(phrase) or 'x'}/{self.rng.randint(100, 999)})"
        return s.replace(phrase, wrapped, 1)


def _marker_sentence(rng: random.Random, name: str) -> tuple[str, str]:
    """A plain sentence around a place name unique in its source, and the quote taken from it."""
    n, adj, noun = rng.randint(2, 95), rng.choice(ADJS), rng.choice(NOUNS)
    subj, verb, when = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(TIMES)
    quote = f"near {name} {verb} that {n} {adj} {noun}"
    return f"{subj.capitalize()} near {name} {verb} that {n} {adj} {noun} had left {when}.", quote


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return text.replace("*", "")


def _source(rng: random.Random, bid: str, j: int, place: str, n_markers: int,
            published: dt.date) -> SourceSpec:
    outlet = OUTLETS[(j + rng.randrange(len(OUTLETS))) % len(OUTLETS)]
    sid = f"{_slug(outlet.replace('The ', ''))}-{j + 1}"
    text = _Text(rng, place)
    names: list[str] = []
    while len(names) < n_markers:
        name = _name(rng)
        if name not in names and name != place:
            names.append(name)
    markers = [_marker_sentence(rng, nm) for nm in names]
    # Paragraphs of 3-6 sentences; marker sentences are spread over them, never decorated.
    paras: list[str] = []
    pending = list(markers)
    size = 0
    k = 0
    heading_at = rng.randint(2, 4)
    list_at = rng.randint(4, 6)
    while size < SOURCE_BYTES - 300 or pending:
        k += 1
        if k == heading_at:
            paras.append(f"## {rng.choice(HEADINGS)}")
        if k == list_at:
            items = [f"- {text.decorated() if rng.random() < 0.3 else text.sentence()}"
                     for _ in range(rng.randint(3, 5))]
            paras.append("\n".join(items))
        sentences = [text.decorated() if rng.random() < 0.25 else text.sentence()
                     for _ in range(rng.randint(3, 6))]
        if pending and (rng.random() < 0.6 or size > SOURCE_BYTES - 1200):
            sentences.insert(rng.randrange(len(sentences) + 1), pending.pop(0)[0])
        paras.append(" ".join(sentences))
        size = sum(len(p) + 2 for p in paras)
    body = f"{text.sentence()} {text.sentence()}\n\n" + "\n\n".join(paras) + "\n"
    plain = _plain(body)
    for _, quote in markers:
        if plain.count(quote) != 1:
            raise AssertionError(f"quote {quote!r} occurs {plain.count(quote)} times in {bid}/{sid}")
    meta = {"title": f"{rng.choice(SUBJECTS).capitalize()} describe {rng.choice(ADJS)} "
                     f"{rng.choice(NOUNS)} in {place}",
            "outlet": outlet, "author": rng.choice(AUTHORS), "published": published,
            "url": f"https://news.example.com/{bid}/{sid}", "accessed": published + dt.timedelta(days=1),
            "reliability": rng.choice("ABC")}
    return SourceSpec(sid, meta, body, [q for _, q in markers])


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
                               f"*{rng.choice(['rising', 'falling', 'unchanged'])}* since {rng.choice(['Monday', 'the weekend', 'last week', 'early March'])}",
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
    place = _name(rng)
    topic, title_fmt = TOPICS[i % len(TOPICS)]
    bid = f"b{i + 1:04d}-{topic}-{place.lower()}"
    as_of = dt.date(2024, 1, 1) + dt.timedelta(days=(i * 7) % 700)
    # Statements: 4 summary x 2 cites, >= 6 facts x 2 cites, 3 evidence, 3 timeline events.
    n_facts = max(6, math.ceil((n_sources - 14) / 2))
    needed = 8 + 2 * n_facts + 3 + 3
    assert needed >= MIN_CITATIONS
    per_source = math.ceil(needed / n_sources) + 1
    sources = [_source(rng, bid, j, place, per_source, as_of - dt.timedelta(days=rng.randint(0, 5)))
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
    summary += [f"- [{q['question']}](questions.md#{_slug(q['question'])}) ({q['status']})"
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
