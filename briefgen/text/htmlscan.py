"""Well-formed HTML read as the standard library's `html.parser.HTMLParser` reads it (with
`convert_charrefs`), by one compiled regular expression: several times faster on briefgen's own
pages, which are well-formed (our templates and markdown-it escape what they print).

`scan` calls its handler with HTMLParser's events in HTMLParser's order: start tags (names
lowercased; the attributes handed over unread, `read_attributes` reads them as HTMLParser
would: names lowercased, values unquoted and unescaped, a bare attribute None), self-closing
start tags, end tags, and text with its character references replaced (cut at other places:
join it). Comments, `<!DOCTYPE>` and `<?…>` are read and dropped; the content of `script` and
`style` is text, not markup.

It reads only markup that every Python version briefgen runs on (3.10 to 3.14, before and after
html.parser's 2025 changes) reads alike. On anything else (markup HTMLParser repairs, a `<` that
starts a construct this does not know, an attribute value with a reference not ended by `;`,
`textarea`, `title` and their kind) it raises `Unsure`, and the caller reads the page again with
`stdlib_scan`, which is HTMLParser itself: the same events, slowly.
"""

from __future__ import annotations

import re
from html import unescape
from html.entities import html5
from html.parser import HTMLParser
from typing import Protocol, TypeAlias

# A start tag's attributes: from `scan` the text after the tag's name, unread (`read_attributes`
# reads it, so a handler reads only those it looks at); from `stdlib_scan` read already.
Attributes: TypeAlias = "str | dict[str, str | None]"


class Handler(Protocol):
    def start(self, tag: str, attrs: Attributes) -> None: ...
    def startend(self, tag: str) -> None: ...
    def end(self, tag: str) -> None: ...
    def data(self, text: str) -> None: ...


class Unsure(Exception):
    """Markup `scan` does not read: read the page with `stdlib_scan` instead."""


_WS = r"[\t\n\r\f ]"  # HTML's spaces; Unicode's other spaces are read differently: unsure
_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_BARE = r"[^\s\"'=<>`/]+"  # an unquoted value; one that a `/` or another space ends is unsure
_ATTRIBUTES = rf"""(?:{_WS}+{_NAME}(?:{_WS}*={_WS}*(?:"[^"]*"|'[^']*'|{_BARE}(?=[\t\n\r\f >])))?)*"""


def _any_case(name: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in name)


def _raw(name: str) -> str:
    """A whole `script` or `style` element: its content is text up to the first `</name` (in any
    case, Unicode's too: `</ſcript>` ends a script for some Python versions), which must be
    `</name>` in ASCII (maybe with spaces before the `>`)."""
    letters = _any_case(name)
    return rf"<({letters})({_ATTRIBUTES}){_WS}*>((?:[^<]|<(?!/\s*(?i:{name})))*)</{letters}{_WS}*>"


# Text up to the next `<`, then what that `<` starts (every `<` starts something here), the
# commonest first.
_TOKEN = re.compile(rf"""([^<]*)(?:                                   # 1 text
    <(?!(?:{_any_case("script")}|{_any_case("style")})(?![-a-zA-Z0-9]))
     ([a-zA-Z][-a-zA-Z0-9]*)({_ATTRIBUTES}){_WS}*(/?)>  # 2 tag 3 attributes 4 /
  | </([a-zA-Z][-a-zA-Z0-9]*){_WS}*>       # 5 an end tag
  | (<)(?![a-zA-Z/!?])                     # 6 a `<` that starts nothing is text
  | {_raw("script")} | {_raw("style")}     # 7 8 9, 10 11 12: name, attributes, content
  | <!--(?!-?>)(?:[^-]|-(?!-))*-->         # a comment with no -- inside
  | <![dD][oO][cC][tT][yY][pP][eE][^>]*>
  | <\?[^>]*>
  | \Z
  | (<)                                    # 13 any other markup (`<script/>`, `</ p>`): unsure
)""", re.VERBOSE)
_ATTRIBUTE = re.compile(rf"""{_WS}+({_NAME})(?:({_WS}*={_WS}*)(?:"([^"]*)"|'([^']*)'|({_BARE})))?""")
# A reference every Python version reads alike in an attribute value: numeric, or named with `;`.
_REFERENCE = re.compile(r"&(?:#[0-9]+;|#[xX][0-9a-fA-F]+;|([a-zA-Z][a-zA-Z0-9]*;))")
# Read as text of their own (or not) by some Python versions: HTMLParser decides.
_UNSURE = frozenset("iframe noembed noframes noscript plaintext textarea title xmp".split())


def _value(raw: str) -> str:
    if "&" not in raw:
        return raw
    references = _REFERENCE.findall(raw)
    if len(references) != raw.count("&") or any(name and name not in html5 for name in references):
        raise Unsure(raw)
    return unescape(raw)


def read_attributes(attrs: Attributes) -> dict[str, str | None]:
    """A start tag's attributes as `dict(attrs)` of HTMLParser's (the last of a name wins); may
    raise Unsure (a value with a reference Python versions read differently)."""
    if isinstance(attrs, dict):
        return attrs
    return {name.lower(): _value(double or single or bare) if equals else None
            for name, equals, double, single, bare in _ATTRIBUTE.findall(attrs)}


def scan(html: str, handler: Handler) -> None:
    """Calls the handler as HTMLParser would for this page, or raises Unsure."""
    start, startend, end, data = handler.start, handler.startend, handler.end, handler.data
    for text, tag, raw, slash, closed, lt, script, s_raw, s_text, style, t_raw, t_text, other in _TOKEN.findall(html):
        if text:
            data(unescape(text) if "&" in text else text)
        if tag:
            tag = tag.lower()
            if tag in _UNSURE:
                raise Unsure(tag)
            if slash:
                startend(tag)
            else:
                start(tag, raw)
        elif closed:
            end(closed.lower())
        elif lt:
            data(lt)
        elif script or style:
            _raw_element(handler, *((script, s_raw, s_text) if script else (style, t_raw, t_text)))
        elif other:
            raise Unsure(other)


def _raw_element(handler: Handler, tag: str, raw: str, text: str) -> None:
    tag = tag.lower()
    handler.start(tag, raw)
    if text:
        handler.data(text)  # as it is: no references are replaced in it
    handler.end(tag)


class _Stdlib(HTMLParser):
    def __init__(self, handler: Handler) -> None:
        super().__init__(convert_charrefs=True)
        self.handler = handler

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handler.start(tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handler.startend(tag)

    def handle_endtag(self, tag: str) -> None:
        self.handler.end(tag)

    def handle_data(self, data: str) -> None:
        self.handler.data(data)


def stdlib_scan(html: str, handler: Handler) -> None:
    """The same events from HTMLParser itself: any page, read slowly."""
    parser = _Stdlib(handler)
    parser.feed(html)
    parser.close()
