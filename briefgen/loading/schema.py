"""The JSON Schema (Draft 2020-12) of briefing.yml and of a source's front matter, for editors.

Built from the tables the loader reads: the keys and their meanings (keys.py), the allowed
values (model.py), the spelling of slugs, dates, URLs and language tags (yamlfields.py,
yamlnodes.py, text/direction.py). It accepts what `briefgen check --strict` accepts as far as
a schema can tell: whether a quote occurs in its source, or a `bears` names a hypothesis of the
question, only `check` knows. A value the loader reads as text (a number typed as a title) is
accepted as the loader accepts it; an optional key may be left empty (null), as in YAML.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from ..model import BEARINGS, CONFIDENCE, RELIABILITY, STATUSES
from ..text.direction import BCP47
from . import keys
from .statements import PAGE_ID_PREFIX
from .yamlfields import HTTP_URL, SLUG
from .yamlnodes import DATE

DRAFT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]


def _ecma(pattern: re.Pattern[str]) -> str:
    """A Python pattern the loader matches from the start to its end, as an anchored pattern in
    the dialect JSON Schema uses (ECMA-262, which has no \\Z and no flags): an ignore-case
    pattern spells each letter outside a character class in both cases."""
    body = pattern.pattern.removesuffix(r"\Z")
    if pattern.flags & re.IGNORECASE:
        out, in_class, escaped = [], False, False
        for c in body:
            if escaped or not (c.isascii() and c.isalpha()) or in_class:
                out.append(c)
            else:
                out.append(f"[{c.lower()}{c.upper()}]")
            in_class = (in_class and (escaped or c != "]")) or (not escaped and c == "[")
            escaped = not escaped and c == "\\"
        body = "".join(out)
    return f"^(?:{body})$"


_RESERVED = "|".join(keys.CITATION)
_SLUG = _ecma(SLUG)
# A required value the loader reads as missing when it is empty. (Only spaces is not refused:
# the loader strips it to nothing and, for a title, falls back to the folder's name.)
NOT_EMPTY = {"minLength": 1}


def _described(table: dict[str, str], key: str, schema: Schema) -> Schema:
    return {"description": table[key], **schema}


def _mapping(table: dict[str, str], fields: dict[str, Schema], required: tuple[str, ...] = (),
             **more: Any) -> Schema:
    """A mapping that takes exactly the keys of `table` (an unknown key is what `check` warns of)."""
    if set(fields) != set(table):  # a key the loader knows and the schema does not, or the reverse
        raise ValueError(f"schema and loader disagree on keys: {sorted(set(fields) ^ set(table))}")
    props = {k: _described(table, k, fields[k]) for k in table}
    out: Schema = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return {**out, **more}


def _optional(schema: Schema) -> Schema:
    """An optional key may also be written with nothing after it."""
    return {"anyOf": [schema, {"type": "null"}]}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _list(item: Schema, at_least: int = 0, empty_ok: bool = True) -> Schema:
    schema: Schema = {"type": "array", "items": item}
    if at_least:
        schema["minItems"] = at_least
    return _optional(schema) if empty_ok else schema


def _cite(at_least: int) -> Schema:
    # One citation may be written without the list around it.
    return {"anyOf": [_ref("citation"), _list(_ref("citation"), at_least, empty_ok=False)]}


def _definitions() -> dict[str, Schema]:
    text: Schema = {"type": ["string", "number", "boolean"]}
    return {
        "text": text,
        "required-text": {**text, **NOT_EMPTY},
        "slug": {"type": "string", "pattern": _SLUG},
        "statement-id": {"type": "string", "pattern": f"^(?!{PAGE_ID_PREFIX})" + _SLUG[1:]},
        "date": {"type": "string", "pattern": _ecma(DATE)},
        "language": {"type": "string", "pattern": _ecma(BCP47)},
        "url": {"type": "string", "pattern": _ecma(HTTP_URL)},
        "texts": _list({"type": ["string", "number", "null"]}),
        "citation": {"type": "object", "if": {"required": ["source"]},
                     "then": _ref("long-citation"), "else": _ref("short-citation")},
        "long-citation": _long_citation(),
        "short-citation": _short_citation(),
        "source": _source(keys.SOURCE),
        "source-entry": _source(keys.SOURCE_ENTRY),
        "summary": _mapping(keys.SUMMARY, {
            "id": _ref("statement-id"), "text": _ref("required-text"), "cite": _cite(0),
            "assessment": {"enum": list(CONFIDENCE)}},
            ("text",), anyOf=[{"required": ["cite"]}, {"required": ["assessment"]}]),
        "fact": _mapping(keys.FACT, {
            "id": _ref("slug"), "fact": _ref("required-text"), "value": _ref("required-text"),
            "cite": _cite(1)}, ("id", "fact", "value", "cite")),
        "question": _question(),
        "hypothesis": _mapping(keys.HYPOTHESIS, {"id": _ref("slug"), "label": _ref("required-text")},
                               ("id", "label")),
        "evidence": _mapping(keys.EVIDENCE, {
            "id": _ref("statement-id"), "text": _ref("required-text"), "cite": _cite(1),
            "bears": {"type": "object", "additionalProperties": {"enum": list(BEARINGS)}}},
            ("text", "cite")),
        "timeline-event": _mapping(keys.TIMELINE, {
            "id": _ref("statement-id"), "date": _ref("date"), "text": _ref("required-text"),
            "cite": _cite(1)}, ("date", "text", "cite")),
    }


def _long_citation() -> Schema:
    return _mapping(keys.CITATION, {
        "source": _ref("required-text"), "quote": _ref("required-text"),
        "origin": _optional(_ref("text")), "disputes": {"type": ["boolean", "null"]},
        "note": _optional(_ref("text"))}, ("source", "quote"))


def _short_citation() -> Schema:
    """`<source-id>: "quote"` and any of origin, disputes, note: exactly one key that is no
    citation key. A schema cannot count the keys a pattern matches, so for each set of the
    optional keys present it says how many keys there are in all."""
    optional = [k for k in keys.CITATION if k not in ("source", "quote")]
    long_form = _long_citation()["properties"]
    one_each = []
    for n in range(len(optional) + 1):
        for present in itertools.combinations(optional, n):
            absent = {k: False for k in optional if k not in present}
            one_each.append({"if": {"properties": absent, "required": list(present)},
                             "then": {"minProperties": n + 1, "maxProperties": n + 1}})
    return {
        "type": "object",
        "properties": {k: long_form[k] for k in optional},
        "patternProperties": {f"^(?!(?:{_RESERVED})$)" + _SLUG[1:]: {
            "description": "<source-id>: the exact words of that source (must occur exactly once in it).",
            "type": "string", **NOT_EMPTY}},
        "additionalProperties": False,
        "minProperties": 1,
        "allOf": one_each,
    }


def _source(table: dict[str, str]) -> Schema:
    fields: dict[str, Schema] = {
        "title": _optional(_ref("text")), "outlet": _optional(_ref("text")),
        "author": _optional(_ref("text")), "published": _optional(_ref("date")),
        "url": _optional(_ref("url")), "accessed": _optional(_ref("date")),
        "reliability": _optional({"enum": sorted(RELIABILITY) + sorted(g.lower() for g in RELIABILITY)}),
        "drop": _ref("texts"), "publish": _optional({"enum": ["full", "excerpts"], "default": "full"}),
        "paraphrased": {"type": ["boolean", "null"]}, "lang": _optional(_ref("language")),
    }
    if "file" in table:
        fields["file"] = {"type": "string", **NOT_EMPTY}
    return _mapping(table, fields)


def _question() -> Schema:
    return _mapping(keys.QUESTION, {
        "id": _ref("slug"), "question": _ref("required-text"),
        "status": _optional({"enum": list(STATUSES), "default": "open"}),
        "answer": _optional(_ref("text")),
        "hypotheses": _list(_ref("hypothesis"), 2, empty_ok=False),
        "evidence": _list(_ref("evidence")), "watch": _ref("texts")},
        ("id", "question", "hypotheses"))


def briefing_schema() -> Schema:
    """The schema of a briefing.yml."""
    reserved = {"not": {"enum": list(keys.CITATION)}}
    root = _mapping(keys.BRIEFING, {
        "title": _ref("required-text"), "as_of": _ref("date"), "lang": _optional(_ref("language")),
        "tags": _ref("texts"),
        "sources": _optional({"type": "object", "propertyNames": {**_ref("slug"), **reserved},
                              "additionalProperties": _ref("source-entry")}),
        "summary": _list(_ref("summary")), "facts": _list(_ref("fact")),
        "questions": _list(_ref("question")), "timeline": _list(_ref("timeline-event")),
    }, ("title", "as_of"))
    return {"$schema": DRAFT, "title": "briefgen briefing.yml",
            "description": "A briefing: summary, key facts, questions and timeline, each statement "
                           "citing the exact words of its sources.",
            **root, "$defs": _definitions()}


def front_matter_schema() -> Schema:
    """The schema of a `.md` source's front matter (its `outlet` and `title` may instead be in
    the briefing's `sources:` entry, so neither is required here)."""
    return {"$schema": DRAFT, "title": "briefgen source front matter",
            "description": "Metadata of one source article; a `sources:` entry in briefing.yml "
                           "wins key by key.",
            **_source(keys.SOURCE), "$defs": _definitions()}
