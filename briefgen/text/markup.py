"""The one markdown-it instance: untrusted text in, inert HTML out.

`js-default` keeps raw HTML off (it is shown as text); links are further limited to http(s), and
images from articles are shown as their description rather than loaded from a stranger's server.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from html import escape
from typing import TYPE_CHECKING, cast

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict


def _http_only(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


def _image_as_text(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return f'<span class="bg-image">[image{": " + escape(alt) if alt else ""}]</span>'


def _link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # Links lead off-site to pages nobody here vouches for. Said on a copy: the token stream is
    # check's (serve keeps it between rebuilds), and rendering changes nothing it reads.
    token = tokens[idx]
    return "<a" + self.renderAttrs(token.copy(attrs={**token.attrs, "rel": "nofollow noopener noreferrer"})) + ">"


def make_markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # on first use: a check served from the cache never parses

    md = MarkdownIt("js-default")
    md.validateLink = _http_only  # type: ignore[method-assign]  # markdown-it-py's way to replace it
    md.add_render_rule("image", _image_as_text)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("bg_cited_by", _cited_by)
    md.add_render_rule("bg_text", _text_piece)
    return md


@cache
def markdown() -> MarkdownIt:
    """The process's one instance: it keeps no state between calls (each parse gets its own)."""
    return make_markdown()


def inline(md: MarkdownIt, text: str) -> Markup:
    """Annotation text (a statement, a value) as inline HTML."""
    return Markup(md.renderInline(text))


def _text_piece(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # A stretch of a source's text that a mark split (marks.PIECE): sliced only now.
    from markdown_it.common.utils import escapeHtml

    meta = tokens[idx].meta
    return escapeHtml(meta["text"][meta["start"]:meta["end"]])


def _cited_by(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    # The page renderer decides what follows a highlighted passage (back-links, original link).
    hook = env.get("bg_cited_by")
    return str(hook(tokens[idx].meta)) if hook else ""


def plain(md: MarkdownIt, text: str) -> str:
    """Inline Markdown as the words a reader sees (for link previews and page descriptions)."""
    tokens = md.parseInline(text)
    renderer = cast("RendererHTML", md.renderer)  # js-default renders HTML
    return renderer.renderInlineAsText(tokens[0].children or [], md.options, {}) if tokens else text
