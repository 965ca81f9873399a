"""Numbered citation labels and preview context (briefgen/text/citeview.py), against hand-written answers."""

from __future__ import annotations

import datetime

from briefgen.diagnostics import Pos
from briefgen.model import Citation, Statement
from briefgen.stages.render import day
from briefgen.text.citeview import backlink, context, gist, labels

P = Pos("content/b/briefing.yml", 1, 1)


def cite(source: str, quote: str = "q") -> Citation:
    return Citation(source, quote, None, False, None, P, P, P)


NUMBERS = {"reuters-officials-closed-the-port-of-example-after": 1, "jpost": 2, "japantimes": 3}


def test_labels_are_numbers_whatever_the_id_length():
    assert labels([cite("reuters-officials-closed-the-port-of-example-after"), cite("japantimes")], NUMBERS) == ["1", "3"]


def test_one_source_twice_in_a_statement_gets_letters():
    cites = [cite("jpost", "a"), cite("japantimes"), cite("jpost", "b"), cite("jpost", "c")]
    assert labels(cites, NUMBERS) == ["2a", "3", "2b", "2c"]


def test_context_is_a_few_words_either_side():
    block = "one two three four five six seven eight nine ten QUOTED WORDS eleven twelve thirteen"
    before, after = context(block, "QUOTED WORDS", n=3)
    assert (before, after) == ("… eight nine ten ", " eleven twelve thirteen")


def test_context_keeps_punctuation_tight_and_stops_at_the_paragraph():
    assert context("He said it, “quoted”.", "quoted") == ("He said it, “", "”.")
    assert context("quoted", "quoted") == ("", "")
    assert context("elsewhere", "quoted") == ("", "")


def test_context_looks_at_a_bounded_stretch_of_a_long_paragraph():
    """A paragraph without spaces (Chinese, say) is one long word: a preview shows a stretch of
    it, not the whole paragraph."""
    block = "甲" * 5000 + "引用" + "乙" * 5000
    before, after = context(block, "引用", n=2)
    assert before == "… " + "甲" * 80  # 2 words x 40 characters
    assert after == "乙" * 80 + " …"
    long = " ".join(f"w{i}" for i in range(100_000))
    assert context(long, "w50000", n=2) == ("… w49998 w49999 ", " w50001 w50002 …")


def test_gist_is_the_first_words_with_an_ellipsis_only_when_cut():
    assert gist("The port is closed.") == "The port is closed."
    assert gist("one two three four five six seven eight nine") == "one two three four five six seven…"
    assert gist("one two three, four", 3) == "one two three…"  # no comma before the ellipsis


def test_a_back_link_names_the_statement_in_words():
    def name(st: Statement) -> tuple[str, str, str]:
        b = backlink(st, "../#x", False, lambda text: text.replace("*", ""), day)
        return b.where, b.topic, b.words

    summary = Statement("summary", "summary-1", "summary", "Summary 1", "Ships go *north* now.", ())
    fact = Statement("fact", "fact-cranes", "facts", "Fact: Damaged cranes", "Two cranes damaged in the strike",
                     (), topic="Damaged cranes")
    event = Statement("timeline", "timeline-1", "summary", "Timeline: 2024-12-12", "The strike.", (),
                      date=datetime.date(2024, 12, 12))
    evidence = Statement("evidence", "q-x-e1", "questions", "Evidence on: Why?", "Ships are sent elsewhere.", (),
                         topic="Why?")
    assert name(summary) == ("bottom line", "", "Ships go north now.")
    assert name(fact) == ("fact", "Damaged cranes", "Two cranes damaged in…")
    assert name(event) == ("event of 12 Dec 2024", "", "The strike.")
    assert name(evidence) == ("evidence", "", "Ships are sent elsewhere.")
