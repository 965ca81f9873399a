"""One source file read into a Source: its front matter and its `sources:` entry in
briefing.yml, layered key by key (the entry wins), text composed (NFC) as quotes are."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from ..diagnostics import Pos, Report
from ..model import RELIABILITY, Source
from . import keys
from .yamlfields import Fields, language
from .yamlnodes import YamlDoc

T = TypeVar("T")

SOURCE_KEYS = tuple(keys.SOURCE)
# Also read by the importer, so both agree on where front matter ends.
FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(root: Path, path: Path, report: Report) -> str | None:
    """A user file as text: UTF-8 with or without BOM, CRLF or LF; None (reported) otherwise."""
    name = rel(root, path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        report.error(Pos(name), "file not found")
        return None
    except OSError as exc:
        report.error(Pos(name), f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        offset = exc.start + bom
        line = data.count(b"\n", 0, offset) + 1
        col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        report.error(Pos(name, line, col), f"not valid UTF-8 (byte {offset} is 0x{data[offset]:02x});"
                     " save the file as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _front_matter(name: str, text: str, report: Report) -> tuple[Fields | None, str, int] | None:
    """A .md source's front matter (None if it has none), its body and the body's first line;
    None if the front matter is broken (reported)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return None, text, 1
    doc = YamlDoc(name, report, line_offset=1)
    before = len(report.problems)
    node = doc.compose(m.group(1) or "")
    if len(report.problems) > before:
        return None
    front = Fields(doc, node, "front matter", SOURCE_KEYS) if node is not None else None
    return front, text[m.end():], text.count("\n", 0, m.end()) + 1


@dataclass(frozen=True)
class _Layers:
    """A source's metadata: its `sources:` entry, then its front matter; the first with a key wins."""

    layers: tuple[Fields, ...]
    where: Pos  # where to report a problem with no key of its own

    def pick(self, key: str) -> Fields | None:
        return next((x for x in self.layers if x.has(key)), None)

    def where_of(self, key: str) -> Pos:
        layer = self.pick(key)
        return layer.pos_of(key) if layer is not None else self.where

    def get(self, key: str, how: Callable[[Fields, str], T]) -> T | None:
        layer = self.pick(key)
        return how(layer, key) if layer else None

    def text(self, key: str) -> str | None:
        return self.get(key, Fields.text)


def _publish(f: Fields, key: str) -> str | None:
    return f.choice(key, ("full", "excerpts"))


def load_source(root: Path, sid: str, path: Path, entry: Fields | None, report: Report) -> Source | None:
    name = rel(root, path)
    text = read_text(root, path, report)
    if text is None:
        return None
    # Composed (NFC), as quotes are: text pasted from a PDF or typed on some keyboards spells
    # "é" as "e" + a combining accent, which looks the same and would never match.
    text = unicodedata.normalize("NFC", text)
    kind: Literal["md", "txt"] = "md" if path.suffix == ".md" else "txt"
    split = _front_matter(name, text, report) if kind == "md" else (None, text, 1)
    if split is None:
        return None  # reported; guessing its title and outlet would only add noise
    front, body, body_line = split
    where = entry.pos if entry is not None else Pos(name)
    meta = _Layers(tuple(x for x in (entry, front) if x is not None and x.ok), where)
    title, outlet = meta.text("title"), meta.text("outlet")
    for key, value in (("title", title), ("outlet", outlet)):
        if value is None and meta.pick(key) is None:
            report.error(where, f"source '{sid}' needs '{key}' (in its front matter or its `sources:` entry)")
    if title is None or outlet is None:
        return None
    reliability = meta.text("reliability")
    if reliability is not None and reliability.upper() not in RELIABILITY:
        report.error(meta.where_of("reliability"),
                     f"'reliability' of source '{sid}' must be an Admiralty grade A-F, not {reliability!r}")
        reliability = None
    drop_layer = meta.pick("drop")
    return Source(
        id=sid, path=name, kind=kind, body=body, body_line=body_line, title=title, outlet=outlet,
        author=meta.text("author"), published=meta.get("published", Fields.date), url=meta.get("url", Fields.url),
        accessed=meta.get("accessed", Fields.date), reliability=reliability.upper() if reliability else None,
        drop=tuple(drop_layer.texts("drop")) if drop_layer else (),
        publish="excerpts" if meta.get("publish", _publish) == "excerpts" else "full",
        paraphrased=bool(meta.get("paraphrased", Fields.flag)), pos=where,
        lang=language(meta.pick("lang"), f"source '{sid}'", report),
    )
