"""What changed, in words (briefgen/analysis/words.py), against hand-written answers."""

from __future__ import annotations

from briefgen.analysis.changes import Change
from briefgen.analysis.words import Part, describe, groups, parts

CRANES = Change("fact-cranes", "fact", "changed", "Damaged cranes",
                {"value": "Two cranes damaged", "corroboration": "single-source"},
                {"value": "Three cranes damaged", "corroboration": "corroborated"})
REOPENING = Change("q-reopening", "question", "changed", "When will the port reopen?",
                   {"status": "open", "leaning": None, "tallies": {"soon": [0, 0, 0], "weeks": [1, 0, 0]}},
                   {"status": "leaning", "leaning": "In weeks", "tallies": {"soon": [0, 1, 0], "weeks": [2, 0, 1]}},
                   {"soon": "Within days", "weeks": "In weeks"})


def test_parts_name_values_in_words_never_ids():
    assert parts(CRANES) == [Part("value", "Two cranes damaged", "Three cranes damaged"),
                             Part("corroboration", "single source", "corroborated")]
    assert parts(REOPENING) == [Part("status", "open", "leaning"), Part("leans to", "", "In weeks"),
                                Part("evidence on “Within days”", "0 for, 0 against", "0 for, 1 against"),
                                Part("evidence on “In weeks”", "1 for, 0 against", "2 for, 0 against, 1 neutral")]


def test_a_sentence_for_the_terminal_and_the_feed():
    assert describe(CRANES) == ("Fact “Damaged cranes”: value changed from “Two cranes damaged” to “Three cranes "
                                "damaged”; corroboration moved from single source to corroborated")
    assert describe(REOPENING) == (
        "Question “When will the port reopen?”: status moved from open to leaning; now leans to “In weeks”; "
        "evidence on “Within days” moved from 0 for, 0 against to 0 for, 1 against; "
        "evidence on “In weeks” moved from 1 for, 0 against to 2 for, 0 against, 1 neutral")


def test_changes_are_grouped_by_kind_in_reading_order():
    added = Change("fact-repairs", "fact", "added", "Repair time", None, {"fact": "Repair time"})
    gone = Change("summary-2", "summary", "removed", "Ships go north.", {"text": "Ships go north."}, None)
    assert groups([REOPENING, CRANES, added, gone]) == [
        ("Bottom line", [gone]), ("Key facts", [CRANES, added]), ("Questions", [REOPENING])]
