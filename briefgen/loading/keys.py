"""Every key a briefing.yml mapping or a source's front matter may hold, with what it means.

The loader reads its allowed keys from these tables (an unknown key is a warning, an error
under --strict), and `briefgen schema` builds the editors' JSON Schema from the same tables
(loading/schema.py), so a key cannot be added to one without the other.
"""

from __future__ import annotations

BRIEFING = {
    "title": "The briefing's title (plain text). Required.",
    "as_of": "The date the briefing is current to, like 2024-12-14. Required.",
    "lang": "BCP 47 tag of the language the analyst writes in (en, ar, ru, el, pt-BR).",
    "tags": "Tags for the briefing (plain text each).",
    "sources": "Metadata of sources, and files that do not follow the naming: source id -> entry.",
    "summary": "The bottom line, one statement each, most important first.",
    "facts": "The key-facts table, one row each.",
    "questions": "Unresolved questions, each with competing hypotheses and the evidence on them.",
    "timeline": "Dated events, each cited; shown on the summary page.",
}

SOURCE = {
    "title": "Headline (plain text). Required here or in the other place (front matter / entry).",
    "outlet": "Publication name, e.g. \"The Jerusalem Post\". Required here or in the other place.",
    "author": "Byline.",
    "published": "Date (or date-time) of publication, like 2024-12-13.",
    "url": "The original article: an http or https address.",
    "accessed": "Date the text was captured, like 2024-12-14.",
    "reliability": "NATO/Admiralty source grade: A completely reliable, B usually reliable, C fairly "
                   "reliable, D not usually reliable, E unreliable, F reliability cannot be judged.",
    "drop": "Boilerplate: top-level blocks (or .txt lines) whose normalised text starts with one of "
            "these strings are left out. A string that drops nothing is a warning.",
    "publish": "full (default): publish the whole text; excerpts: only the quoted words of each citation.",
    "paraphrased": "true: the text is the analyst's own summary of the report, not the article.",
    "lang": "BCP 47 tag of the article's language (ar, ru, el, pt-BR).",
}

# A `sources:` entry in briefing.yml takes a source's keys and the file it claims.
SOURCE_ENTRY = {
    "file": "The source's file, relative to the briefing folder and inside it (a .md or .txt file).",
    **SOURCE,
}

# The citation keys besides a short form's `<source-id>: "quote"`; source ids may not be one.
CITATION = {
    "source": "Long form: the id of the cited source.",
    "quote": "Long form: the exact words of the source (must occur exactly once in it).",
    "origin": "Who the information really comes from (an imagery company, a wire service, a named "
              "official); without it, the source's outlet.",
    "disputes": "true: the passage contradicts the statement it is attached to.",
    "note": "The analyst's remark on this citation (inline Markdown).",
}

_ID = "Optional id (a slug); the statement's anchor on its page, so it can be linked to."
_CITE = ("Citations: each `<source-id>: \"exact words\"` (short form) or `source:` and `quote:` "
         "(long form), plus any of origin, disputes, note.")

SUMMARY = {
    "id": _ID,
    "text": "The statement (inline Markdown). Required.",
    "cite": _CITE + " A summary statement needs `cite` or an `assessment`.",
    "assessment": "An analyst judgment that needs no citation: low, moderate or high confidence.",
}

FACT = {
    "id": "The fact's id (a slug); its row is `fact-<id>`. Required.",
    "fact": "What the row is about (plain text). Required.",
    "value": "What is known (inline Markdown). Required.",
    "cite": _CITE + " At least one.",
}

QUESTION = {
    "id": "The question's id (a slug); its anchor is `q-<id>`. Required.",
    "question": "The question (plain text). Required.",
    "status": "open (default), leaning or resolved.",
    "answer": "With status resolved: the id of the hypothesis that answers it.",
    "hypotheses": "The competing answers, at least two.",
    "evidence": "Cited clues, each saying which hypotheses it bears on.",
    "watch": "Indicators that would settle it (inline Markdown each).",
}

HYPOTHESIS = {
    "id": "The hypothesis's id (a slug). Required.",
    "label": "The hypothesis (plain text). Required.",
}

EVIDENCE = {
    "id": _ID,
    "text": "The clue (inline Markdown). Required.",
    "cite": _CITE + " At least one.",
    "bears": "Hypothesis id -> for, against or neutral; a hypothesis left out is not counted.",
}

TIMELINE = {
    "id": _ID,
    "date": "The date of the event, like 2024-12-13. Required.",
    "text": "What happened (inline Markdown). Required.",
    "cite": _CITE + " At least one.",
}
