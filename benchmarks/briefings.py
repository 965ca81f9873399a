"""What the synthetic briefings say: briefing i of a seed, with its sources (corpus.py) and its
annotations (summary, facts, a question, a timeline) citing them, the same whatever the number
of briefings. generate.py writes them out as a briefgen project and as plain-MkDocs twins."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

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
)

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
