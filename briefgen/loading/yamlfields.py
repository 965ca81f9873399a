"""Typed access to the keys of one YAML mapping, reporting every wrong value with its position."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from ..diagnostics import BIDI, Pos, Report
from ..text.direction import is_language_tag
from .yamlnodes import YamlDoc, as_date, is_invalid

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
HTTP_URL = re.compile(r"https?://[^\s/?#]+\S*\Z", re.IGNORECASE)
_NO_BIDI = str.maketrans(dict.fromkeys(BIDI))


def without_bidi(text: str) -> tuple[str, list[str]]:
    """The text without bidi controls, and the code points removed (for the warning)."""
    if BIDI.isdisjoint(text):
        return text, []
    return text.translate(_NO_BIDI), sorted({f"U+{ord(c):04X}" for c in text if c in BIDI})


_SURROGATE = re.compile("[\ud800-\udfff]")  # only a YAML escape ("\\ud800") can make one


def plain_text(report: Report, text: str, pos: Pos, what: str) -> str:
    """`text` without bidi controls or lone surrogates, warning where they were."""
    if _SURROGATE.search(text):
        found = ", ".join(sorted({f"U+{ord(c):04X}" for c in _SURROGATE.findall(text)}))
        report.warning(pos, f"{what} holds a lone surrogate ({found}), which is not a character "
                       "and cannot be written; removed")
        text = _SURROGATE.sub("", text)
    clean, removed = without_bidi(text)
    if removed:
        report.warning(pos, f"{what} holds bidi control characters ({', '.join(removed)}); "
                       "removed, as they can reorder or reverse the text shown after them")
    return clean


def is_slug(value: str) -> bool:
    return bool(SLUG.match(value))


def is_http_url(value: str) -> bool:
    return bool(HTTP_URL.match(value))


class Fields:
    """One mapping in a YAML document. Unknown keys become warnings as soon as it is read."""

    def __init__(self, doc: YamlDoc, node: Node, what: str, known: Iterable[str]):
        self.doc, self.what, self.node = doc, what, node
        self.pos = doc.pos(node)
        self.items = doc.mapping(node, what) or {}
        self.ok = isinstance(node, MappingNode)
        doc.unknown_keys(self.items, known, what)

    def has(self, key: str) -> bool:
        return key in self.items

    def value_node(self, key: str) -> Node | None:
        return self.items[key][1] if key in self.items else None

    def pos_of(self, key: str) -> Pos:
        return self.doc.pos(self.items[key][1]) if key in self.items else self.pos

    def key_pos(self, key: str) -> Pos:
        return self.doc.pos(self.items[key][0]) if key in self.items else self.pos

    def _missing(self, key: str, required: bool) -> None:
        if required and self.ok:
            self.doc.report.error(self.pos, f"{self.what} needs '{key}'")

    def raw(self, key: str, required: bool = False) -> Any:
        node = self.value_node(key)
        if node is None:
            self._missing(key, required)
            return None
        value = self.doc.scalar(node, f"'{key}' in {self.what}")
        if is_invalid(value):
            return None
        if value is None or value == "":
            self._missing(key, required)
            return None
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, (datetime.date, list, dict)):
            self.doc.report.error(self.pos_of(key), f"'{key}' in {self.what} must be text")
            return None
        # A number or a yes/no typed as a title is still meant as text.
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        if not BIDI.isdisjoint(text) or _SURROGATE.search(text):  # rare: only then is the position worked out
            text = plain_text(self.doc.report, text, self.pos_of(key), f"'{key}' in {self.what}")
        return text.strip() or None

    def slug(self, key: str, required: bool = False) -> str | None:
        value = self.text(key, required)
        if value is not None and not is_slug(value):
            self.doc.report.error(self.pos_of(key), f"{self.what}: '{key}' must be a slug "
                                  f"(lowercase letters, digits and '-'), not {value!r}")
            return None
        return value

    def date(self, key: str, required: bool = False) -> datetime.date | None:
        value = self.raw(key, required)
        if value is None:
            return None
        # The text as typed, so a YAML timestamp and a quoted string follow the same rule.
        node = self.value_node(key)
        typed = node.value if isinstance(node, ScalarNode) and isinstance(node.value, str) else str(value)
        parsed = as_date(typed)
        if parsed is None:
            self.doc.report.error(self.pos_of(key), f"'{key}' in {self.what} must be a date like "
                                  f"2024-12-14 (or 2024-12-14T09:30Z), not {typed!r}")
        return parsed

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not is_http_url(value):
            self.doc.report.error(self.pos_of(key), f"'{key}' in {self.what} must be an http(s) URL, "
                                  f"not {value!r}")
            return None
        return value

    def choice(self, key: str, choices: Iterable[str], default: str | None = None) -> str | None:
        choices = tuple(choices)
        value = self.text(key)
        if value is None:
            return default
        if value not in choices:
            self.doc.report.error(self.pos_of(key), f"'{key}' in {self.what} must be one of "
                                  f"{', '.join(choices)}, not {value!r}")
            return default
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.doc.report.error(self.pos_of(key), f"'{key}' in {self.what} must be true or false")
            return default
        return value

    def items_of(self, key: str, required: bool = False) -> list[Node]:
        node = self.value_node(key)
        if node is None or (getattr(node, "tag", "").endswith(":null")):
            self._missing(key, required)
            return []
        return self.doc.sequence(node, f"'{key}' in {self.what}") or []

    def texts(self, key: str) -> list[tuple[str, Pos]]:
        out = []
        for node in self.items_of(key):
            value = self.doc.scalar(node, f"an item of '{key}' in {self.what}")
            if is_invalid(value) or value is None:
                continue
            if isinstance(value, (datetime.date, bool)):
                self.doc.report.error(self.doc.pos(node), f"items of '{key}' in {self.what} must be text")
                continue
            pos = self.doc.pos(node)
            out.append((plain_text(self.doc.report, str(value), pos, f"an item of '{key}' in {self.what}"), pos))
        return out


def language(f: Fields | None, what: str, report: Report) -> str | None:
    """`lang:`, a BCP 47 tag (ar, ru, el, pt-BR), or an error at it."""
    lang = f.text("lang") if f is not None else None
    if f is not None and lang is not None and not is_language_tag(lang):
        report.error(f.pos_of("lang"), f"'lang' of {what} must be a BCP 47 language tag such as ar, ru, "
                     f"el or pt-BR, not {lang!r}")
        return None
    return lang
