"""The Python-Markdown extension that hands Zensical briefgen's pages as they are.

Zensical runs no MkDocs plugins: it reads every page from Markdown files in a docs folder and
renders each with Python-Markdown. briefgen's pages are HTML it has rendered and escaped
already (source text must never reach an engine as Markdown: Python-Markdown would pass raw
HTML and `javascript:` links through), so the staged file of each page starts with MARK and
this extension puts the rest into Markdown's stash of raw HTML, which Markdown puts back
unchanged after its own parsing. Pages without MARK (the project's own docs pages) are
Markdown as usual.

The text is taken before Markdown's own whitespace normalisation (which would strip tabs and
the stash's control characters), and the placeholder put in after it.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.util import HTML_PLACEHOLDER

MARK = "<!-- briefgen: rendered page -->"  # the first line of every page briefgen stages
_PLACEHOLDER_START = HTML_PLACEHOLDER.split("%s")[0]  # "\x02wzxhzdk:"


class _Take(Preprocessor):  # type: ignore[misc]  # Python-Markdown ships no type hints
    def run(self, lines: list[str]) -> list[str]:
        if not lines or lines[0] != MARK:
            return lines
        # Markdown puts the stash back by its placeholders (STX "wzxhzdk:<n>" ETX) until none is
        # left: one in the page (a YAML "\u0002" escape) would recurse without end. Its STX goes
        # in as a character reference, which a browser reads as the same character.
        html = "\n".join(lines[1:]).replace(_PLACEHOLDER_START, "&#2;" + _PLACEHOLDER_START[1:])
        self.md.htmlStash.store(html)
        return [MARK]


class _Put(Preprocessor):  # type: ignore[misc]  # Python-Markdown ships no type hints
    def run(self, lines: list[str]) -> list[str]:
        if lines and lines[0] == MARK and not any(line.strip() for line in lines[1:]):
            return [self.md.htmlStash.get_placeholder(0)]
        return lines


class RenderedPages(Extension):  # type: ignore[misc]  # Python-Markdown ships no type hints
    def extendMarkdown(self, md: Markdown) -> None:
        # Before normalize_whitespace (30), which would change the text; after it, before
        # html_block (20), the placeholder alone.
        md.preprocessors.register(_Take(md), "briefgen_take", 1000)
        md.preprocessors.register(_Put(md), "briefgen_put", 25)


def makeExtension(**kwargs: Any) -> RenderedPages:
    return RenderedPages(**kwargs)
