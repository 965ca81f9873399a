"""Links into the original article at the quoted words: text fragments (`#:~:text=`).

Browsers find the words case-insensitively, whitespace runs read as one space, and land on the
first match: so a quote whose words recur in the source also names the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice
from typing import Any
from urllib.parse import quote as urlquote

from ..model import Source

_NON_SPACE = re.compile(r"\S+")


def text_fragment(words: str, prefix: str = "", suffix: str = "") -> str:
    """`#:~:text=` directive for the quoted words: percent-encoded, long quotes as start,end, and
    with the words around them (prefix-, ,-suffix) when the words alone could match elsewhere.
    Only the words it needs are looked at: `words` can be a whole paragraph (a block anchor)."""
    def enc(s: str) -> str:
        return urlquote(s, safe="").replace("-", "%2D")

    head = [m.group() for m in islice(_NON_SPACE.finditer(words), 11)]
    text = (f"{enc(' '.join(head[:4]))},{enc(' '.join(_last_words(words, 4)))}" if len(head) > 10
            else enc(" ".join(head)))
    return (":~:text=" + (f"{enc(prefix)}-," if prefix else "") + text
            + (f",-{enc(suffix)}" if suffix else ""))


def _last_words(text: str, n: int) -> list[str]:
    """The last n words, found in a stretch at the end that grows until it holds more than n."""
    size = 64 * n
    while True:
        lo = max(0, len(text) - size)
        found = _NON_SPACE.findall(text, lo)
        if len(found) > n or lo == 0:
            return found[-n:]
        size *= 4


def original_link(s: Source, words: str, context: tuple[str, str] = ("", "")) -> str | None:
    """The original article at the quoted words; none for a paraphrased source (not its words).
    `context`: a few words before and after, for words that occur more than once."""
    return f"{s.url}#{text_fragment(words, *context)}" if s.url and not s.paraphrased else None


def fragment_context(block_text: str, words: str, blocks: Sequence[Any], n: int = 3) -> tuple[str, str]:
    """Up to n words either side of the quote in its paragraph, when its words occur more than
    once in the source's blocks as a browser matches them (case-insensitively, any run of white
    space between words); else nothing. Nothing is copied: a source may be 20 MB."""
    parts = words.split()
    if len(parts) > 10 or not parts:  # a start,end fragment: its two ends pin it down already
        return "", ""
    pattern = re.compile(r"\s+".join(map(re.escape, parts)), re.IGNORECASE)
    found = 0
    for block in blocks:
        for _ in pattern.finditer(block.text):
            found += 1
            if found > 1:
                break
        if found > 1:
            break
    at = block_text.find(words)
    if found < 2 or at < 0:
        return "", ""
    lo, hi = max(0, at - 64 * n), min(len(block_text), at + len(words) + 64 * n)
    return " ".join(block_text[lo:at].split()[-n:]), " ".join(block_text[at + len(words):hi].split()[:n])
