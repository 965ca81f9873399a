"""YAML read as a node tree, so every value keeps the line and column the user typed it at.

PyYAML's `safe_load` throws positions away and silently keeps the last of two duplicate keys;
composing nodes and constructing scalars one by one keeps both under our control.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Pos, Report

_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_DEPTH = 200  # deeper than any briefing needs, far below Python's recursion limit
_TYPE_NAMES = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "a single value"}
_BRACKETS = re.compile(r"[\[\]{}]")
_DASHES = re.compile(rf"(?:[-?][ \t]+){{{_MAX_DEPTH}}}")  # `- - - ...`: a block list per dash


def may_be_too_deep(text: str) -> bool:
    """A cheap over-estimate of the nesting, checked before libyaml composes: libyaml recurses in
    C, and PyYAML 6.0.3's crashes the whole interpreter at about 50,000 levels, where the
    pure-Python parser raises RecursionError (reported below). Brackets are counted as if none
    were quoted, and a run of `- ` or `? ` on one line is as deep as it is long; a text that
    passes the limit this way only takes the slower parser."""
    if text.count("[") + text.count("{") > _MAX_DEPTH:  # else no bracket nesting can be that deep
        depth = 0
        for found in _BRACKETS.finditer(text):
            if found.group(0) in "[{":
                depth += 1
                if depth > _MAX_DEPTH:
                    return True
            else:
                depth = max(0, depth - 1)
    # substring tests first: they are memchr-fast, the pattern is not (a tenth of a build's YAML time)
    if not any(pair in text for pair in ("- -", "- ?", "? -", "? ?", "-\t", "?\t")):
        return False
    return _DASHES.search(text) is not None


@dataclass
class YamlDoc:
    """One YAML text (a file, or a front-matter block starting `line_offset` lines into a file)."""

    path: str
    report: Report
    line_offset: int = 0

    def pos(self, node: Node) -> Pos:
        mark = node.start_mark
        return Pos(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def compose(self, text: str) -> Node | None:
        """The document's root node; None for an empty document or one that does not parse."""
        if may_be_too_deep(text):
            # The limit is checked, not left to Python's: the pure-Python parser below recurses
            # once a level, so how deep it could go depended on how deep the stack already was
            # (a check run ahead, in its own process, passed 480 levels that on_config refused).
            deep = self._too_deep(text)
            if deep is not None:
                self._report_too_deep(*deep)
                return None
        else:
            try:
                # libyaml composes about ten times faster; the pure-Python parser words the errors,
                # so messages are the same with or without libyaml.
                node = yaml.compose(text, Loader=_FAST)
            except yaml.YAMLError:
                pass
            else:
                return None if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")) else node
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            return None if node is None or (isinstance(node, ScalarNode) and node.tag.endswith(":null")) else node
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 + self.line_offset if mark else 1
            col = mark.column + 1 if mark else 1
            what = exc.problem or exc.context or "cannot be parsed"
            ctx = exc.context_mark
            if exc.context and ctx is not None and mark is not None and exc.problem_mark is not None \
                    and ctx.line != mark.line:
                # "found X" is often far from the real mistake; name where the parser was too.
                what += f" ({exc.context} started at line {ctx.line + 1 + self.line_offset}, column {ctx.column + 1})"
            self.report.error(Pos(self.path, line, col), f"invalid YAML: {what}")
        except yaml.reader.ReaderError as exc:
            char = exc.character if isinstance(exc.character, str) else chr(exc.character)
            line = text.count("\n", 0, exc.position) + 1 + self.line_offset
            col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            self.report.error(Pos(self.path, line, col), f"invalid YAML: control character "
                              f"U+{ord(char):04X} is not allowed; delete it")
        except yaml.YAMLError as exc:
            self.report.error(Pos(self.path, 1 + self.line_offset, 1), f"invalid YAML: {exc}")
        except RecursionError:  # the pure-Python parser recurses once per level of nesting
            self._report_too_deep(*(self._too_deep(text) or (1, 1)))
        return None

    def _report_too_deep(self, line: int, col: int) -> None:
        self.report.error(Pos(self.path, line + self.line_offset, col), f"invalid YAML: nested "
                          f"more than {_MAX_DEPTH} levels deep; a briefing needs a handful")

    @staticmethod
    def _too_deep(text: str) -> tuple[int, int] | None:
        """Where the nesting passes the limit, found by an event stream (a loop, not recursion);
        None if it does not before the text ends or stops parsing. The pure-Python parser, not
        libyaml: libyaml releases differ on deep nesting (6.0.4's stops with an error of its own
        before the limit here is reached), and this runs only on a text that may be that deep."""
        depth = 0
        try:
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1
                    if depth > _MAX_DEPTH:
                        at = event.start_mark
                        return (at.line + 1, at.column + 1) if at is not None else (1, 1)
                elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
        except (yaml.YAMLError, RecursionError):
            pass
        return None

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        """Return key -> (key node, value node); report duplicate and non-string keys."""
        if not isinstance(node, MappingNode):
            self.report.error(self.pos(node), f"{what} must be a mapping, not {type_name(node)}")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.report.error(self.pos(key_node), f"keys in {what} must be plain words")
                continue
            key = str(key_node.value)
            if key in out:
                first = self.pos(out[key][0])
                self.report.error(
                    self.pos(key_node), f"duplicate key '{key}' in {what} (first at line {first.line})"
                )
                continue
            out[key] = (key_node, value_node)
        return out

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.report.error(self.pos(node), f"{what} must be a list, not {type_name(node)}")
            return None
        return list(node.value)

    def scalar(self, node: Node, what: str) -> Any:
        """The Python value of a scalar node (str, int, bool, date, None); reports non-scalars."""
        if not isinstance(node, ScalarNode):
            self.report.error(self.pos(node), f"{what} must be a single value, not {type_name(node)}")
            return _INVALID
        try:
            return SafeConstructor().construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            if node.tag.endswith(":timestamp"):
                message = f"{what} must be a date like 2024-12-14, not {node.value!r} ({exc})"
            else:
                detail = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else exc
                message = f"{what} is not a valid value: {detail}"
            self.report.error(self.pos(node), message)
            return _INVALID

    def unknown_keys(self, fields: dict[str, tuple[Node, Node]], known: Iterable[str], what: str) -> None:
        known = list(known)
        for key, (key_node, _) in fields.items():
            if key in known:
                continue
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            tail = f"; did you mean '{hint[0]}'?" if hint else f" (known keys: {', '.join(known)})"
            self.report.warning(self.pos(key_node), f"unknown key '{key}' in {what}{tail}")


class _Invalid:
    """Marker for a value already reported as wrong, so callers do not report it twice."""

    def __repr__(self) -> str:
        return "<invalid>"


_INVALID = _Invalid()


def is_invalid(value: Any) -> bool:
    return value is _INVALID


def type_name(node: Node) -> str:
    if isinstance(node, ScalarNode):
        if node.tag.endswith(":null"):
            return "empty"
        return "a single value"
    return _TYPE_NAMES.get(type(node), "something else")


# The one accepted spelling of a date, whatever the Python or YAML library: Python 3.11's
# fromisoformat takes "20241214" and 3.10's does not, and YAML has its own timestamp rules.
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
                  r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(Z|[+-]([0-9]{2}):([0-9]{2}))?)?")


def as_date(text: str) -> datetime.date | None:
    """The date of `YYYY-MM-DD` or `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|+HH:MM|-HH:MM]` (the day as
    written, whatever the offset); None for any other text or an impossible date or time."""
    m = DATE.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day, hour, minute, second, _, off_h, off_m = m.groups()
    try:
        day_of = datetime.date(int(year), int(month), int(day))
        datetime.time(int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if off_h is not None and (int(off_h) > 23 or int(off_m) > 59):
        return None
    return day_of
