"""Corroboration by independent origin, and hypothesis tallies (the contract's "Analysis").

Two outlets repeating one imagery company are one origin: corroboration counts origins.
`analyse` is the stage: it computes all of it once per briefing, as plain frozen data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Briefing, Citation, Fact, Question, statements


@dataclass(frozen=True)
class Corroboration:
    status: str  # corroborated | single-origin | single-source | contested
    outlets: tuple[str, ...]
    origins: tuple[str, ...]
    disputed_by: tuple[str, ...]
    sources: tuple[str, ...]  # supporting source ids


@dataclass(frozen=True)
class Tally:
    hypothesis: str
    label: str
    for_: int
    against: int
    neutral: int


def origin_of(c: Citation, briefing: Briefing) -> str:
    """Who the information comes from, as written on this citation (or its source's outlet)."""
    if c.origin and c.origin.strip():
        return c.origin.strip()
    source = briefing.sources.get(c.source)
    return source.outlet if source else c.source


def _key(name: str) -> str:
    return name.strip().casefold()


def origin_forms(briefing: Briefing) -> dict[str, str]:
    """One form per origin for the whole briefing: the first written in briefing.yml (by line
    and column), so "Maxar" and "maxar" are one origin shown one way on every page."""
    cited = sorted((c for st in statements(briefing) for c in st.citations),
                   key=lambda c: (c.pos.line, c.pos.col))
    forms: dict[str, str] = {}
    for c in cited:
        name = origin_of(c, briefing)
        forms.setdefault(_key(name), name)
    return forms


def _distinct(names: list[str], forms: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Distinct case-insensitively after trimming, each shown in its briefing-wide form (else as
    first written here)."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(_key(name), (forms or {}).get(_key(name), name.strip()))
    return tuple(seen.values())


def corroboration(fact: Fact, briefing: Briefing, forms: Mapping[str, str] | None = None) -> Corroboration:
    support = [c for c in fact.citations if not c.disputes]
    against = [c for c in fact.citations if c.disputes]
    outlets = _distinct([briefing.sources[c.source].outlet for c in support if c.source in briefing.sources])
    origins = _distinct([origin_of(c, briefing) for c in support], forms)
    sources = tuple(dict.fromkeys(c.source for c in support))
    if against:
        status = "contested"
    elif len(origins) >= 2:
        status = "corroborated"
    elif len(sources) >= 2:
        status = "single-origin"
    else:
        status = "single-source"
    return Corroboration(status, outlets, origins, _distinct([origin_of(c, briefing) for c in against], forms),
                         sources)


def tallies(question: Question) -> list[Tally]:
    out = []
    for h in question.hypotheses:
        bearings = [e.bearing(h.id) for e in question.evidence]
        out.append(Tally(h.id, h.label, bearings.count("for"), bearings.count("against"),
                         bearings.count("neutral")))
    return out


def leaning(question: Question) -> Tally | None:
    """The hypothesis the evidence currently favours most (for minus against), if any stands out.
    Only a question the analyst marked `leaning` shows it: the analyst's status is the call,
    the tally is evidence."""
    return _leaning(tallies(question)) if question.status == "leaning" else None


def _leaning(counted: Sequence[Tally]) -> Tally | None:
    ranked = sorted(counted, key=lambda t: t.for_ - t.against, reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0].for_ - ranked[0].against == ranked[1].for_ - ranked[1].against):
        return None
    return ranked[0] if ranked[0].for_ > 0 else None


@dataclass(frozen=True)
class Analysis:
    """Everything the "Analysis" part of the contract derives from one briefing, computed once
    (by `analyse`) and read by check's warnings, the page templates and briefing.json.

    Keyed by id; with duplicate ids (an error that stops the build) the first one wins."""

    facts: Mapping[str, Corroboration]  # fact id -> its corroboration
    tallies: Mapping[str, tuple[Tally, ...]]  # question id -> one tally per hypothesis
    # question id -> the hypothesis the evidence favours, for a question marked `leaning` only
    leaning: Mapping[str, Tally | None]
    origins: Mapping[Citation, str]  # every citation of the briefing -> its origin, in its one form
    support: Mapping[str, tuple[str, ...]]  # summary statement anchor -> origins of its supporting citations
    citations: int
    open_questions: int
    by_status: Mapping[str, int]  # corroboration status -> how many facts have it


def analyse(briefing: Briefing) -> Analysis:
    """The analysis of one loaded briefing; a pure function of it."""
    forms = origin_forms(briefing)
    facts: dict[str, Corroboration] = {}
    for f in briefing.facts:
        if f.id not in facts:
            facts[f.id] = corroboration(f, briefing, forms)
    tallied: dict[str, tuple[Tally, ...]] = {}
    leans: dict[str, Tally | None] = {}
    for q in briefing.questions:
        if q.id not in tallied:
            tallied[q.id] = tuple(tallies(q))
            leans[q.id] = _leaning(tallied[q.id]) if q.status == "leaning" else None
    cited = [c for st in statements(briefing) for c in st.citations]
    origins = {c: forms[_key(origin_of(c, briefing))] for c in cited}
    support = {s.anchor: _distinct([origins[c] for c in s.citations if not c.disputes])
               for s in briefing.summary}
    by_status: dict[str, int] = {}
    for c in facts.values():
        by_status[c.status] = by_status.get(c.status, 0) + 1
    return Analysis(facts, tallied, leans, origins, support, len(cited),
                    sum(q.status != "resolved" for q in briefing.questions), by_status)
