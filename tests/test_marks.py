"""Marks around quoted words (briefgen/text/marks.py), rendered by the one markdown-it instance."""

from __future__ import annotations

from markdown_it.token import Token

from briefgen.text.marks import PIECE, insert_mark
from briefgen.text.markup import markdown


def _render(children: list[Token]) -> str:
    md = markdown()
    return md.renderer.renderInline(children, md.options, {})


def test_marks_split_a_text_without_copying_it_and_render_the_same_words():
    """Two nested marks in one text token: the pieces between them point into the token's own
    string, so a mark in a 20 MB paragraph does not keep a second copy of it."""
    text = "Officials said the port <of> Velmor & its quay were closed on Monday."
    original = Token("text", "", 0, content=text)
    outer = insert_mark([original], 15, 46, {"id": "q-outer"}, [])
    assert outer is not None
    inner = insert_mark(outer, 24, 28, {"id": "q-inner"}, [])
    assert inner is not None
    pieces = [t for t in inner if t.type == PIECE]
    assert len(pieces) == 5  # before, outer-before-inner, inner, outer-after-inner, after
    assert all(t.meta["text"] is text for t in pieces)
    assert original.content == text  # the token given is left as it was
    assert _render(inner) == ('Officials said <mark id="q-outer">the port <mark id="q-inner">&lt;of&gt;</mark>'
                              ' Velmor &amp; its quay</mark> were closed on Monday.')


def test_a_mark_that_cannot_nest_with_emphasis_is_refused():
    children = markdown().parseInline("the *northern cranes* stopped")[0].children
    assert insert_mark(children, 8, 25, {"id": "q"}, []) is None  # starts inside the emphasis
