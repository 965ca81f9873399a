"""Check stage: everything that needs the whole briefing, reported all at once.

Quote matching happens here (and only here): the occurrences found are handed on to resolve,
so a build never matches a quote twice.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..analysis.analyse import Analysis, analyse
from ..diagnostics import Pos, Report
from ..model import Briefing, Citation, Question, statements
from ..text.normalise import normalised
from ..text.quotes import Occurrence
from ..text.sourcetext import Dropped, ParseMemo, SourceDoc, parse_source


@dataclass(frozen=True)
class Checked:
    """A briefing that passed the checks, with its parsed sources, each citation's place and
    the briefing's analysis (computed once, here, since the warnings need it)."""

    briefing: Briefing
    docs: dict[str, SourceDoc]
    analysis: Analysis
    matches: dict[Citation, Occurrence] = field(default_factory=dict)


def check_briefing(b: Briefing, report: Report, cache: ParseMemo | None = None) -> Checked:
    docs = {sid: parse_source(s, cache) for sid, s in b.sources.items()}
    checked = Checked(b, docs, analyse(b))
    for doc in docs.values():
        for raw, pos in doc.unused_drops:
            report.warning(pos, f"drop string {raw!r} drops nothing in {doc.source.path}")
        _check_drops(doc, report)
    _check_ids(b, report)
    cited: set[str] = set()
    for st in statements(b):
        for c in st.citations:
            _check_citation(c, checked, report)
            cited.add(c.source)
    _check_questions(b, report)
    for sid, s in b.sources.items():
        if sid not in cited:
            report.warning(s.pos, f"source '{sid}' is not cited by any statement")
    # Findings are about evidence that checked out: beside an error in the briefing's files
    # (an unknown source, a broken id) they would be noise, and often wrong.
    if not any(p.severity == "error" and p.pos.path.startswith(f"{b.dir}/") for p in report.problems):
        _findings(b, checked.analysis, report)
    return checked


def _findings(b: Briefing, analysis: Analysis, report: Report) -> None:
    """What the evidence shows, said as notes: true of an honest briefing, so never a failure.
    The pages show the same (the corroboration badges); here the writer sees it at its line."""
    for f in b.facts:
        c = analysis.facts[f.id]
        if c.status == "single-origin":
            report.note(f.pos, f"fact '{f.id}' rests on one origin ({c.origins[0]}), reported by "
                        f"{len(c.sources)} sources")
        elif c.status == "single-source" and c.sources:
            report.note(f.pos, f"fact '{f.id}' rests on one source ('{c.sources[0]}')")
        elif c.status == "contested":
            report.note(f.pos, f"fact '{f.id}' is contested: disputed by {', '.join(c.disputed_by)}")


def _check_citation(c: Citation, checked: Checked, report: Report) -> None:
    doc = checked.docs.get(c.source)
    if doc is None and c.source in checked.briefing.unloaded:
        return  # its own problem was reported where it is declared
    if doc is None:
        known = sorted(checked.briefing.sources)
        hint = difflib.get_close_matches(c.source, known, n=1, cutoff=0.5)
        tail = (f"; did you mean '{hint[0]}'?" if hint else
                f"; known sources: {', '.join(known)}" if known else "; this briefing has no sources yet")
        report.error(c.source_pos, f"unknown source '{c.source}'{tail}")
        return
    hits = doc.index.find(c.quote, limit=2)  # a second one is enough to know it is ambiguous
    if len(hits) == 1:
        checked.matches[c] = hits[0]
        return
    path = doc.source.path
    if hits:
        total = doc.index.count(c.quote)
        # Where, by line: a few of the occurrences, never a map of a million of them.
        shown = doc.index.find(c.quote, limit=_SHOWN) if total > len(hits) else hits
        where = _lines([doc.blocks[h.block].line for h in shown], total)
        report.error(c.quote_pos, f"quote occurs {total} times in {path} ({where}); quote more "
                     "words so it occurs exactly once")
        return
    dropped = _in_dropped(doc, c.quote)
    if dropped is not None:
        report.error(c.quote_pos, f"quote not found in {path}: it is in the block at line {dropped.line}, "
                     f"which drop string {dropped.drop!r} leaves out; make that drop string longer, or remove it")
        return
    near = doc.index.closest(c.quote)
    # The suggestion is framed by one ellipsis each side, whatever the passage starts or ends with.
    tail = f'; did you mean "...{near.strip().strip(".…").strip()}..."?' if near else ""
    report.error(c.quote_pos, f"quote not found in {path}{tail}")


_SHOWN = 10  # occurrences of an ambiguous quote whose lines are named


def _check_drops(doc: SourceDoc, report: Report) -> None:
    """A drop string meant for one piece of boilerplate that takes several blocks is usually too
    short ("Russia" drops every paragraph starting with it): said, naming what it took."""
    taken: dict[str, list[Dropped]] = {}
    for d in doc.dropped:
        taken.setdefault(d.drop, []).append(d)
    for raw, pos in doc.source.drop:
        blocks = taken.get(raw, [])
        if len(blocks) > 1:
            named = "; ".join(f"line {d.line}: \"{_opening(d.text)}\"" for d in blocks[:_SHOWN])
            more = f"; and {len(blocks) - _SHOWN} more" if len(blocks) > _SHOWN else ""
            report.warning(pos, f"drop string {raw!r} drops {len(blocks)} blocks of {doc.source.path} "
                           f"({named}{more}); if only one is boilerplate, quote more of it")


def _opening(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")


def _in_dropped(doc: SourceDoc, quote: str) -> Dropped | None:
    """The dropped block a quote that was not found is in, if any."""
    needle = normalised(quote)
    return next((d for d in doc.dropped if needle and needle in normalised(d.text)), None) if needle else None


def _lines(lines: list[int], total: int) -> str:
    """Where the occurrences are, by file line: "both in line 10", "lines 8 and 12", "lines 3,
    5 and 9, and 40 more"."""
    distinct = sorted(set(lines))
    more = f", and {total - len(lines)} more" if total > len(lines) else ""
    if len(distinct) == 1:
        if not more:
            return f"{'both' if total == 2 else f'all {total}'} in line {distinct[0]}"
        return f"line {distinct[0]}{more}"
    named = [str(n) for n in distinct]
    return "lines " + ", ".join(named[:-1]) + " and " + named[-1] + more


def _check_ids(b: Briefing, report: Report) -> None:
    def unique(items: list[tuple[str, Pos]], what: str, within: str = "",
               taken: dict[str, Pos] | None = None) -> None:
        seen: dict[str, Pos] = dict(taken or {})
        for ident, pos in items:
            if ident in seen:
                report.error(pos, f"duplicate {what} '{ident}'{within} (first at line {seen[ident].line}); "
                             "ids must differ, or a link lands on the wrong row")
            else:
                seen[ident] = pos

    unique([(f.id, f.pos) for f in b.facts], "fact id")
    unique([(q.id, q.pos) for q in b.questions], "question id")
    for q in b.questions:
        unique([(h.id, h.pos) for h in q.hypotheses], "hypothesis id", f" in question '{q.id}'")
    # Anchors that share a page must differ too.
    unique([(s.anchor, s.pos) for s in b.summary] + [(t.anchor, t.pos) for t in b.timeline],
           "statement id", " on the summary page")
    unique([(e.anchor, e.pos) for q in b.questions for e in q.evidence], "evidence id",
           " on the questions page", _question_ids(b, report))


def _question_ids(b: Briefing, report: Report) -> dict[str, Pos]:
    """The ids templates/questions.html gives each question's own parts (evidence may not take
    one); two questions whose parts share one (question 'x-h' and the heading of 'x') are an error."""
    ids: dict[str, tuple[str, Pos]] = {}
    for q in b.questions:
        for ident in (q.anchor, f"{q.anchor}-h", f"{q.anchor}-evidence",
                      *(f"{q.anchor}-h-{h.id}" for h in q.hypotheses)):
            first, pos = ids.setdefault(ident, (q.id, q.pos))
            if first != q.id:  # the same id twice is reported as a duplicate question id
                report.error(q.pos, f"question '{q.id}' gives the page the id '{ident}', which question "
                             f"'{first}' (line {pos.line}) already uses; rename one")
    return {ident: pos for ident, (_, pos) in ids.items()}


def _check_questions(b: Briefing, report: Report) -> None:
    for q in b.questions:
        known = [h.id for h in q.hypotheses]
        _check_answer(q, known, report)
        for e in q.evidence:
            for hid, _, pos in e.bears:
                if hid not in known:
                    hint = difflib.get_close_matches(hid, known, n=1, cutoff=0.5)
                    tail = f"; did you mean '{hint[0]}'?" if hint else f"; hypotheses: {', '.join(known)}"
                    report.error(pos, f"unknown hypothesis '{hid}' in 'bears' of question '{q.id}'{tail}")


def _check_answer(q: Question, known: list[str], report: Report) -> None:
    """`answer:` names one of the question's hypotheses, and goes with `status: resolved`."""
    if q.answer is not None and q.answer_pos is not None and q.answer not in known:
        hint = difflib.get_close_matches(q.answer, known, n=1, cutoff=0.5)
        tail = f"; did you mean '{hint[0]}'?" if hint else f"; hypotheses: {', '.join(known)}"
        report.error(q.answer_pos, f"question '{q.id}': answer '{q.answer}' is not one of its "
                     f"hypotheses{tail}")
    elif q.status == "resolved" and q.answer is None:
        report.warning(q.status_pos or q.pos, f"question '{q.id}' is resolved but names no answer; "
                       "add 'answer: <hypothesis id>', or set status to open or leaning")
    elif q.answer is not None and q.status != "resolved" and q.answer_pos is not None:
        report.warning(q.answer_pos, f"question '{q.id}' has an answer but status '{q.status}'; "
                       "set 'status: resolved' to show it as settled, or remove the answer")
