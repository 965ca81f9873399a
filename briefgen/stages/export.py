"""briefing.json: the machine-readable briefing, every href relative to the briefing's folder."""

from __future__ import annotations

import json
from typing import Any

from ..analysis.changes import Story
from ..analysis.words import describe
from ..model import statements
from ..text.citeview import source_numbers
from ..urls import Urls, page_of
from .resolve import Resolved


def briefing_json(r: Resolved, urls: Urls, story: Story | None = None) -> str:
    b, a = r.briefing, r.analysis
    here = page_of(b.id, "summary")  # hrefs read from the briefing's folder, like its index page

    def href(kind: str, fragment: str = "", source: str | None = None) -> str:
        return urls.rel(here, page_of(b.id, kind, source), fragment)

    numbers = story.numbers if story is not None and story.numbers else source_numbers(b)
    sources = [{"id": s.id, "number": numbers.get(s.id), "lang": s.lang, "title": s.title, "outlet": s.outlet,
                "url": s.url,
                "published": s.published.isoformat() if s.published else None,
                "author": s.author, "reliability": s.reliability, "page": href("source", source=s.id)}
               for s in b.sources.values()]
    out_statements = []
    for st in statements(b):
        item: dict[str, Any] = {"id": st.anchor, "kind": st.kind, "text": st.text,
                                "href": href(st.page, st.anchor)}
        if st.assessment:
            item["assessment"] = st.assessment
        item["citations"] = [{"source": c.source, "quote": c.quote,
                              "origin": a.origins[c], "disputes": c.disputes,
                              "href": href("source", r.anchor_of.get(c, ""), c.source)}
                             for c in st.citations]
        out_statements.append(item)
    facts = []
    for f in b.facts:
        c = a.facts[f.id]
        facts.append({"id": f.id, "fact": f.fact, "value": f.value, "href": href("facts", f.anchor),
                      "outlets": list(c.outlets), "origins": list(c.origins),
                      "disputed_by": list(c.disputed_by), "corroboration": c.status})
    questions = [{"id": q.id, "question": q.question, "status": q.status,
                  # the hypothesis that answers a resolved question; null while it is not settled
                  "answer": q.answer if q.settled else None,
                  "href": href("questions", q.anchor),
                  "hypotheses": [{"id": t.hypothesis, "label": t.label, "for": t.for_,
                                  "against": t.against, "neutral": t.neutral}
                                 for t in a.tallies[q.id]],
                  "watch": list(q.watch)} for q in b.questions]
    doc = {"id": b.id, "title": b.title, "lang": b.lang, "as_of": b.as_of.isoformat(), "tags": list(b.tags),
           "sources": sources, "statements": out_statements, "facts": facts, "questions": questions,
           **versions_json(story, b.as_of.isoformat())}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def versions_json(story: Story | None, as_of: str) -> dict[str, Any]:
    """`version` (this one's date and commit) and `changes`, one entry per earlier version, newest
    first: what changed from `since` to `as_of`. Without history: no commit, no changes."""
    if story is None:
        return {"version": {"as_of": as_of, "commit": None}, "changes": []}
    return {"version": {"as_of": story.as_of, "commit": story.commit},
            "changes": [{"since": step.since, "as_of": step.as_of, "commit": step.commit,
                         "items": [{"id": c.id, "kind": c.kind, "change": c.change, "before": c.before,
                                    "after": c.after, "text": describe(c)} for c in step.items]}
                        for step in story.steps]}
