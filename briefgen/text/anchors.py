"""Passage anchors that last: `#q-…` made from the quoted words alone, in any script.

A link to a passage is shared in chats and emails, so its anchor must not move when another
citation is added or removed. It is therefore a function of the passage's own words and nothing
else: no position, no counter. Letters of every script are kept (NFC, lower-cased, as MkDocs'
`slugify_unicode` keeps them), so a Greek or Arabic quote gets a readable anchor, not `passage-2`.
A quote too long for the anchor is cut at a word and given four hex digits of a digest of all its
words, so two long quotes that open alike still differ.
"""

from __future__ import annotations

import hashlib
import unicodedata

MAX_SLUG = 48  # characters of words kept in the anchor, before the digest


def _words(text: str) -> list[str]:
    """Runs of letters, digits and combining marks (an Arabic shadda, a Devanagari vowel sign)."""
    out, word = [], []
    for ch in unicodedata.normalize("NFC", text).lower():
        if unicodedata.category(ch)[0] in "LNM":
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def digest(words: list[str], size: int = 2) -> str:
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=size).hexdigest()


def passage_slug(text: str) -> str:
    """`q-` and the quote's words joined by '-', cut at a word, with a digest if anything was cut."""
    words = _words(text)
    if not words:
        return "q-" + digest([text])  # only punctuation or symbols: still its own words' anchor
    kept: list[str] = []
    for w in words:
        if len("-".join(kept + [w])) > MAX_SLUG:
            break
        kept.append(w)
    if not kept:  # one very long word
        kept = [words[0][:MAX_SLUG]]
    slug = "-".join(kept)
    return f"q-{slug}" if kept == words else f"q-{slug}-{digest(words)}"


def unique_slug(text: str, taken: set[str]) -> str:
    """The passage's slug. Two passages meet only when their words do (they differ in case or
    punctuation: "Port, open" and "port open") or their digests collide; then the later one also
    carries a digest of its exact text, which still depends on nothing but itself."""
    name = passage_slug(text)
    if name in taken:
        name = f"{name}-{hashlib.blake2b(text.encode('utf-8'), digest_size=4).hexdigest()}"
    taken.add(name)
    return name
