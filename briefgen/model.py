"""The content model: plain frozen data, each value keeping where the user wrote it.

Nothing here knows about files, HTML or MkDocs; later stages read these objects only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from .diagnostics import Pos

Kind = Literal["summary", "fact", "evidence", "timeline"]
Bearing = Literal["for", "against", "neutral"]

CONFIDENCE = ("low", "moderate", "high")
STATUSES = ("open", "leaning", "resolved")
BEARINGS = ("for", "against", "neutral")
RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}


@dataclass(frozen=True)
class Citation:
    source: str
    quote: str
    origin: str | None
    disputes: bool
    note: str | None
    pos: Pos  # the citation mapping
    source_pos: Pos  # the source id as written
    quote_pos: Pos  # the quote as written


@dataclass(frozen=True)
class SummaryItem:
    anchor: str
    text: str
    citations: tuple[Citation, ...]
    assessment: str | None
    pos: Pos


@dataclass(frozen=True)
class Fact:
    id: str
    fact: str
    value: str
    citations: tuple[Citation, ...]
    pos: Pos

    @property
    def anchor(self) -> str:
        return f"fact-{self.id}"


@dataclass(frozen=True)
class Hypothesis:
    id: str
    label: str
    pos: Pos


@dataclass(frozen=True)
class Evidence:
    anchor: str
    text: str
    citations: tuple[Citation, ...]
    bears: tuple[tuple[str, Bearing, Pos], ...]  # hypothesis id, bearing, where the id was written
    pos: Pos

    def bearing(self, hypothesis_id: str) -> Bearing | None:
        return next((b for h, b, _ in self.bears if h == hypothesis_id), None)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    status: str
    hypotheses: tuple[Hypothesis, ...]
    evidence: tuple[Evidence, ...]
    watch: tuple[str, ...]
    pos: Pos
    answer: str | None = None  # the hypothesis id that answers it, as written (`answer:`)
    answer_pos: Pos | None = None
    status_pos: Pos | None = None  # where `status:` was written, if it was

    @property
    def anchor(self) -> str:
        return f"q-{self.id}"

    @property
    def settled(self) -> bool:
        """Resolved with a known answer: shown as settled, with the answer stated as one."""
        return self.status == "resolved" and self.answer_hypothesis is not None

    @property
    def answer_hypothesis(self) -> Hypothesis | None:
        return next((h for h in self.hypotheses if h.id == self.answer), None)


@dataclass(frozen=True)
class TimelineEvent:
    anchor: str
    date: datetime.date
    text: str
    citations: tuple[Citation, ...]
    pos: Pos


@dataclass(frozen=True)
class Source:
    id: str
    path: str  # relative to the project root, POSIX separators
    kind: Literal["md", "txt"]
    body: str  # the text after front matter, BOM removed, line ends normalised to LF
    body_line: int  # the file line the body starts at (1-based)
    title: str
    outlet: str
    author: str | None = None
    published: datetime.date | None = None
    url: str | None = None
    accessed: datetime.date | None = None
    reliability: str | None = None
    drop: tuple[tuple[str, Pos], ...] = ()
    publish: Literal["full", "excerpts"] = "full"
    paraphrased: bool = False
    pos: Pos = field(default_factory=lambda: Pos("?"))  # where its metadata was declared
    lang: str | None = None  # BCP 47 tag of the article's language, as written


@dataclass(frozen=True)
class Briefing:
    id: str
    dir: str  # content/<id>, relative to the project root
    title: str
    as_of: datetime.date
    tags: tuple[str, ...]
    sources: dict[str, Source]
    summary: tuple[SummaryItem, ...]
    facts: tuple[Fact, ...]
    questions: tuple[Question, ...]
    timeline: tuple[TimelineEvent, ...]
    pos: Pos
    unloaded: frozenset[str] = frozenset()  # sources that exist but failed to load (reported)
    lang: str | None = None  # BCP 47 tag of the analyst's writing (`lang:`), if given


@dataclass(frozen=True)
class Statement:
    """Any cited sentence of a briefing, seen the same way by resolve, render and briefing.json."""

    kind: Kind
    anchor: str
    page: Literal["summary", "facts", "questions"]
    label: str  # a short, stable name: "Summary 2", "Fact: Heavy transport aircraft"
    text: str  # what it says (a fact: its value), as written (Markdown)
    citations: tuple[Citation, ...]
    assessment: str | None = None
    topic: str = ""  # what it is about, for naming it beside a passage: a fact's name, a question
    date: datetime.date | None = None  # a timeline event's date


def statements(b: Briefing) -> Iterator[Statement]:
    for n, s in enumerate(b.summary, 1):
        yield Statement("summary", s.anchor, "summary", f"Summary {n}", s.text, s.citations, s.assessment)
    for f in b.facts:
        yield Statement("fact", f.anchor, "facts", f"Fact: {f.fact}", f.value, f.citations, topic=f.fact)
    for q in b.questions:
        for e in q.evidence:
            yield Statement("evidence", e.anchor, "questions", f"Evidence on: {q.question}", e.text, e.citations,
                            topic=q.question)
    for t in b.timeline:
        yield Statement("timeline", t.anchor, "summary", f"Timeline: {t.date.isoformat()}", t.text, t.citations,
                        date=t.date)
