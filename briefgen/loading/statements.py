"""Reads the statements of briefing.yml (summary, facts, questions, timeline) into the model."""

from __future__ import annotations

import datetime
import difflib
import unicodedata

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Pos
from ..model import (
    BEARINGS,
    CONFIDENCE,
    STATUSES,
    Bearing,
    Citation,
    Evidence,
    Fact,
    Hypothesis,
    Question,
    SummaryItem,
    TimelineEvent,
)
from . import keys
from .yamlfields import Fields, plain_text
from .yamlnodes import YamlDoc, is_invalid

CITE_KEYS = tuple(keys.CITATION)
# Every id the templates give the page's own parts (`bg-sources`, `bg-timeline`, ...) starts so;
# a statement with such an id would make the page's own links jump to it.
PAGE_ID_PREFIX = "bg-"


class AnnotationReader:
    def __init__(self, doc: YamlDoc, source_ids: set[str]):
        self.doc, self.source_ids = doc, source_ids

    # -- citations ---------------------------------------------------------------------------
    def citations(self, f: Fields, what: str, required: bool) -> tuple[Citation, ...]:
        node = f.value_node("cite")
        if node is None:
            if required and f.ok:
                self.doc.report.error(f.pos, f"{what} needs 'cite' (at least one citation)")
            return ()
        nodes: list[Node]
        if isinstance(node, MappingNode):  # one citation written without the list around it
            nodes = [node]
        else:
            nodes = self.doc.sequence(node, f"'cite' in {what}") or []
        if not nodes and required:
            self.doc.report.error(f.pos_of("cite"), f"{what} needs at least one citation")
        out = (self.citation(n, what) for n in nodes)
        return tuple(c for c in out if c is not None)

    def citation(self, node: Node, what: str) -> Citation | None:
        if isinstance(node, ScalarNode) and isinstance(node.value, str) and node.value:
            self.doc.report.error(self.doc.pos(node), f"a citation of {what} needs the quoted words: "
                                  f"write `- {node.value}: \"exact words\"`")
            return None
        items = self.doc.mapping(node, f"a citation of {what}")
        if items is None:
            return None
        if "source" in items:
            f = Fields(self.doc, node, "a citation", CITE_KEYS)
            source, quote = f.text("source", required=True), f.text("quote", required=True)
            source_pos, quote_pos = f.pos_of("source"), f.pos_of("quote")
        else:
            source, source_pos, quote, quote_pos = self._short_form(node, items)
            f = Fields(self.doc, node, "a citation", CITE_KEYS[2:] + ((source,) if source else ()))
        if not source or not quote:
            return None
        quote = unicodedata.normalize("NFC", quote)  # composed, as the source text is (stages/load.py)
        return Citation(source, quote, f.text("origin"), f.flag("disputes"), f.text("note"),
                        self.doc.pos(node), source_pos, quote_pos)

    def _short_form(self, node: Node, items: dict[str, tuple[Node, Node]]) -> tuple[str | None, Pos, str | None, Pos]:
        candidates = [k for k in items if k not in CITE_KEYS]
        known = [k for k in candidates if k in self.source_ids]
        if len(known) == 1:
            key = known[0]
        elif len(candidates) == 1:
            key = candidates[0]
        else:
            pos = self.doc.pos(node)
            if not candidates:
                self.doc.report.error(pos, "a citation needs a source: write `<source-id>: \"quote\"`"
                                      " or `source:` and `quote:`")
            else:
                self.doc.report.error(pos, "a citation names one source, found "
                                      + ", ".join(repr(c) for c in candidates))
            return None, pos, None, pos
        key_node, value_node = items[key]
        value = self.doc.scalar(value_node, f"the quote from '{key}'")
        if is_invalid(value):
            return key, self.doc.pos(key_node), None, self.doc.pos(value_node)
        if isinstance(value, str):
            value = plain_text(self.doc.report, value, self.doc.pos(value_node), f"the quote from '{key}'")
        if not isinstance(value, str) or not value.strip():
            self.doc.report.error(self.doc.pos(value_node), f"the quote from '{key}' must be text "
                                  "(the exact words of the source)")
            value = None
        return key, self.doc.pos(key_node), value, self.doc.pos(value_node)

    def anchor_id(self, f: Fields, what: str) -> str | None:
        """A statement's `id`, which becomes its element id as written: never one of the page's."""
        sid = f.slug("id")
        if sid is not None and sid.startswith(PAGE_ID_PREFIX):
            self.doc.report.error(f.pos_of("id"), f"{what}: id '{sid}' is reserved: ids starting "
                                  f"with '{PAGE_ID_PREFIX}' name the page's own parts (like "
                                  "'bg-sources', its Sources heading); choose another")
            return None
        return sid

    # -- statements --------------------------------------------------------------------------
    def summary(self, nodes: list[Node]) -> tuple[SummaryItem, ...]:
        out = []
        for n, node in enumerate(nodes, 1):
            f = Fields(self.doc, node, f"summary statement {n}", keys.SUMMARY)
            text = f.text("text", required=True)
            assessment = f.choice("assessment", CONFIDENCE)
            cites = self.citations(f, f"summary statement {n}", required=False)
            if f.ok and not f.has("cite") and not f.has("assessment"):
                self.doc.report.error(f.pos, f"summary statement {n} needs 'cite' or an 'assessment' "
                                      f"({'|'.join(CONFIDENCE)})")
            # Kept even when a field is wrong (already an error, so nothing is built): its
            # citations are still checked, so one run shows every problem.
            out.append(SummaryItem(self.anchor_id(f, f"summary statement {n}") or f"summary-{n}", text or "",
                                   cites, assessment, f.pos))
        return tuple(out)

    def facts(self, nodes: list[Node]) -> tuple[Fact, ...]:
        out = []
        for n, node in enumerate(nodes, 1):
            f = Fields(self.doc, node, f"fact {n}", keys.FACT)
            fid = f.slug("id", required=True)
            fact, value = f.text("fact", required=True), f.text("value", required=True)
            cites = self.citations(f, f"fact {fid or n}", required=True)
            out.append(Fact(fid or f"?{n}", fact or "", value or "", cites, f.pos))
        return tuple(out)

    def questions(self, nodes: list[Node]) -> tuple[Question, ...]:
        out = []
        for n, node in enumerate(nodes, 1):
            f = Fields(self.doc, node, f"question {n}", keys.QUESTION)
            qid, text = f.slug("id", required=True), f.text("question", required=True)
            status = f.choice("status", STATUSES, "open")
            name = qid or (f.text("id") if f.has("id") else None) or f"question {n}"
            hyps = self.hypotheses(f, name)
            evidence = self.evidence(f.items_of("evidence"), name)
            watch = tuple(t for t, _ in f.texts("watch"))
            answer = f.text("answer")  # a hypothesis id; check says when it names none
            out.append(Question(qid or name, text or "", status or "open", hyps, evidence, watch, f.pos,
                                answer, f.pos_of("answer") if f.has("answer") else None,
                                f.pos_of("status") if f.has("status") else None))
        return tuple(out)

    def hypotheses(self, q: Fields, qid: str) -> tuple[Hypothesis, ...]:
        nodes = q.items_of("hypotheses", required=True)
        if isinstance(q.value_node("hypotheses"), SequenceNode) and len(nodes) < 2:
            self.doc.report.error(q.pos_of("hypotheses"), f"question '{qid}' needs at least two "
                                  "competing hypotheses")
        out = []
        for node in nodes:
            f = Fields(self.doc, node, f"a hypothesis of '{qid}'", keys.HYPOTHESIS)
            hid, label = f.slug("id", required=True), f.text("label", required=True)
            # Known by the id as written, so `bears` on it is not reported a second time.
            written = hid or (f.text("id") if f.has("id") else None)
            if written:
                out.append(Hypothesis(written, label or "", f.pos))
        return tuple(out)

    def evidence(self, nodes: list[Node], qid: str) -> tuple[Evidence, ...]:
        out = []
        for n, node in enumerate(nodes, 1):
            what = f"evidence {n} of '{qid}'"
            f = Fields(self.doc, node, what, keys.EVIDENCE)
            text = f.text("text", required=True)
            cites = self.citations(f, what, required=True)
            bears = self.bears(f, what)
            out.append(Evidence(self.anchor_id(f, what) or f"q-{qid}-e{n}", text or "", cites, bears, f.pos))
        return tuple(out)

    def bears(self, f: Fields, what: str) -> tuple[tuple[str, Bearing, Pos], ...]:
        node = f.value_node("bears")
        if node is None:
            return ()
        items = self.doc.mapping(node, f"'bears' in {what}") or {}
        out = []
        for hid, (key_node, value_node) in items.items():
            value = self.doc.scalar(value_node, f"'bears' on '{hid}'")
            if is_invalid(value):
                continue
            if value not in BEARINGS:
                hint = difflib.get_close_matches(str(value), BEARINGS, n=1)
                tail = f"; did you mean '{hint[0]}'?" if hint else ""
                self.doc.report.error(self.doc.pos(value_node), f"'bears' on '{hid}' must be "
                                      f"for, against or neutral, not {value!r}{tail}")
                continue
            out.append((hid, value, self.doc.pos(key_node)))
        return tuple(out)

    def timeline(self, nodes: list[Node]) -> tuple[TimelineEvent, ...]:
        out = []
        for n, node in enumerate(nodes, 1):
            f = Fields(self.doc, node, f"timeline event {n}", keys.TIMELINE)
            date, text = f.date("date", required=True), f.text("text", required=True)
            cites = self.citations(f, f"timeline event {n}", required=True)
            anchor = self.anchor_id(f, f"timeline event {n}") or f"timeline-{n}"
            out.append(TimelineEvent(anchor, date or datetime.date.min, text or "", cites, f.pos))
        return tuple(sorted(out, key=lambda e: e.date))
