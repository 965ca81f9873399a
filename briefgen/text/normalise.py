"""The matching contract's normalisation, and where each normalised character came from.

Sources come from HTML with typographic quotes, dashes, no-break spaces and invisible
characters, while analysts type plain ASCII; comparing raw strings would reject quotes a reader
considers identical. So both sides are normalised with the same rules:

- invisible characters are dropped; quote and dash variants fold to ASCII (one character each);
- a run of whitespace (invisibles inside it do not break it) becomes one space;
- a space touching a dash is dropped (``a - b`` == ``a—b``), and so are leading and trailing ones.

`normalised` applies them at C speed. `OffsetMap` says, for any character of the result, which
raw characters it came from, so a hit can be highlighted in the original. It stores only the
places where normalising changed the length (a few per paragraph of real text), never a number
per character: a 20 MB paragraph once took 1.5 GB of Python ints to map.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right

# Invisible to a reader, so they must not break a match inside a word.
# Bidi controls too (diagnostics.BIDI, spelt out so the parse cache's stamp sees a change): they
# are removed from quotes, and news pages in Arabic or Hebrew are full of them.
# Arabic tatweel (a stretching stroke, like a soft hyphen) and the harakat (short-vowel marks,
# shadda, sukun, superscript alef): present in one copy of a text and left out of another, so a
# quote typed without them still matches.
# A quote copied from a page (select-to-cite) leaves out the bidi controls, which check would
# remove with a warning, and soft hyphens, a line-breaking hint no reader sees; it keeps the
# marks, which are written after their letter, of its last letter.
_UNQUOTED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u00ad"
_MARKS = "\u0640" + "".join(map(chr, range(0x064B, 0x0660))) + "\u0670"
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff" + _UNQUOTED + _MARKS)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# Typographic variants an analyst cannot be expected to type.
FOLD = {
    **dict.fromkeys("'\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys('"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb', '"'),
    **dict.fromkeys(_DASHES, "-"),
    # Arabic comma, semicolon and question mark, typed as their Latin forms
    "\u060c": ",", "\u061b": ";", "\u061f": "?",
}
_TABLE = str.maketrans({**FOLD, **dict.fromkeys(INVISIBLE)})  # None: delete
# Only what must change is matched: re.sub keeps a piece of text per match, and a pattern that
# matched every space (r"\s+") made ten times the text in pieces. \s is exactly str.isspace().
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # a run, or one whitespace character that is not " "
_DASH_SPACE = re.compile(r" - ?|- ")  # a dash with a space on either side

_I = re.escape("".join(sorted(INVISIBLE)))
_D = re.escape(_DASHES)
# A gap is a maximal run of whitespace and invisibles. Only those that change the length matter
# to the map: two or more characters, an invisible alone, or one space beside a dash. (One
# whitespace character elsewhere becomes one space: the offset stays as it was.)
_CHANGING_GAP = re.compile(rf"[\s{_I}]{{2,}}|[{_I}]|(?<=[{_D}])\s|\s(?=[{_D}])")
_GAP = re.compile(rf"[\s{_I}]*")
_THROUGH_LAST_SPACE = re.compile(rf"[\s{_I}]*\s")
_A_SPACE = re.compile(r"\s")


def normalised(text: str) -> str:
    """`text` by the matching rules, at C speed."""
    return _DASH_SPACE.sub("-", _SPACES.sub(" ", text.translate(_TABLE))).strip(" ")


def _typecode(n: int) -> str:
    return "I" if n < 2**32 else "Q"


class OffsetMap:
    """For character k of normalised(raw): the raw span [start(k), end(k)) it came from; a
    collapsed whitespace run maps to the whole run, from its first to its last space.

    Kept per changing gap (see _CHANGING_GAP), in raw order: where its output starts in the
    normalised text, its raw span, and whether it left a space. Between two gaps the texts run
    in step; a lookup is a bisection."""

    def __init__(self, raw: str) -> None:
        self._raw = raw  # not a copy: the block's own text
        code = _typecode(len(raw) + 1)
        self._at, self._from, self._to = array(code), array(code), array(code)
        self._kept = bytearray()
        n = len(raw)
        lead = _GAP.match(raw).end()  # type: ignore[union-attr]  # (it matches the empty string)
        tail = max(self._tail(raw), lead)
        dropped = 0
        if lead:
            self._add(0, 0, lead, 0)
            dropped = lead
        for m in _CHANGING_GAP.finditer(raw, lead, tail):
            a, b = m.span()
            kept = int(_A_SPACE.search(raw, a, b) is not None
                       and raw[a - 1] not in _DASHES and raw[b] not in _DASHES)
            self._add(a - dropped, a, b, kept)
            dropped += b - a - kept
        if tail < n:
            self._add(tail - dropped, tail, n, 0)

    @staticmethod
    def _tail(raw: str) -> int:
        """Where the trailing run of whitespace and invisibles starts. (A loop over that run only:
        stripping would copy the whole text, and a regex search from the end is quadratic.)"""
        k = len(raw)
        while k and (raw[k - 1].isspace() or raw[k - 1] in INVISIBLE):
            k -= 1
        return k

    def _add(self, at: int, start: int, end: int, kept: int) -> None:
        self._at.append(at)
        self._from.append(start)
        self._to.append(end)
        self._kept.append(kept)

    @property
    def gaps(self) -> int:
        """How many places changed the length: what the map costs, 13 bytes each."""
        return len(self._at)

    def start(self, k: int) -> int:
        i = bisect_right(self._at, k) - 1
        if i < 0:
            return k
        at, kept = self._at[i], self._kept[i]
        if kept and k == at:  # the space a whitespace run became: its first whitespace character
            return _A_SPACE.search(self._raw, self._from[i], self._to[i]).start()  # type: ignore[union-attr]
        return self._to[i] + k - at - kept

    def end(self, k: int) -> int:
        i = bisect_right(self._at, k) - 1
        if i >= 0 and self._kept[i] and k == self._at[i]:
            return _THROUGH_LAST_SPACE.match(self._raw, self._from[i], self._to[i]).end()  # type: ignore[union-attr]
        return self.start(k) + 1


def rules() -> dict[str, object]:
    """The rules above as data, for a script that must normalise exactly as `normalised` does
    (select-to-cite, templates/assets/cite.js): what is removed, what folds to what, and what
    counts as whitespace (Python's `\\s`, which is not JavaScript's); and, for the words it copies
    as the page spells them, what they leave out and which marks follow a letter."""
    return {"invisible": "".join(sorted(INVISIBLE)), "fold": dict(sorted(FOLD.items())),
            "spaces": "".join(c for c in map(chr, range(0x10000)) if c.isspace()), "dash": "-",
            "unquoted": _UNQUOTED, "marks": _MARKS}
