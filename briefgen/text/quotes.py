"""Locate analyst quotes in source text the way a reader would see it.

A citation is a quote that must occur exactly once in its source. Both sides are compared
after the same normalisation (normalise.py: the rules, and the offset maps that let every hit
point back at the raw characters, for highlighting and diagnostics).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

from .normalise import INVISIBLE, OffsetMap, normalised

# Joins normalised blocks: normalised text never contains it (all whitespace
# becomes " "), so no normalised quote can match across two blocks.
_SEP = "\n"
_WORD = re.compile(r"\w+")
_MIN_RATIO = 0.5  # below this a suggestion misleads more than it helps
_MAX_PROBE = 200  # longer quotes: score their start only, keeps difflib cheap
_MAX_PASSAGE = 120  # suggestions are shown inline in one error message
_CANDIDATES = 30  # aligned windows scored per closest() call
_PROBES = 6  # the quote's longest words, and as many word pairs, are counted (a C scan each)
_VOTERS = 4  # of those, the rarest vote for where the quote may be
_MAX_HITS = 2000  # a probe found more often than this says little about where


def _lower(text: str) -> str:
    """Lowercase without changing length (e.g. 'İ' lowers to 2 chars), so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):  # no character grew (none ever shrinks): str.lower at C speed
        return low

    # Lower the runs between such characters, keeping them as they are (still C speed per run).
    def lower_run(m: re.Match[str]) -> str:
        run = m.group()
        return low if len(low := run.lower()) == len(run) else run

    return _growers().sub(lower_run, text)


@lru_cache(maxsize=1)
def _growers() -> re.Pattern[str]:
    """Runs of characters that lowercase to one character, or one character that does not."""
    odd = "".join(c for c in map(chr, range(0x110000)) if len(c.lower()) != 1)
    return re.compile(f"[^{re.escape(odd)}]+|[{re.escape(odd)}]")


def _clip(passage: str) -> str:
    """Cut an over-long suggestion at a word boundary so error messages stay one line."""
    if len(passage) <= _MAX_PASSAGE:
        return passage
    cut = passage.rfind(" ", 0, _MAX_PASSAGE)
    if cut <= 0:
        cut = _MAX_PASSAGE - 1
    return passage[:cut] + "\u2026"


@dataclass(frozen=True)
class Occurrence:
    """Where a quote occurs, in raw coordinates so callers can highlight the original text."""

    block: int  # index into the blocks given to SourceIndex
    start: int  # raw offset in that block's text (inclusive), on a real char of the quote
    end: int  # raw offset (exclusive)


class SourceIndex:
    """Normalises every block of one source ONCE; each quote then costs one scan of the
    normalised text (str.find), never re-normalising the source. An offset map is built only
    for a block a quote lands in, and it is compact (normalise.OffsetMap)."""

    def __init__(self, blocks: Sequence[str], normalised_blocks: Sequence[str] | None = None) -> None:
        """Index the reader-visible text of each citable block of a source, in order.

        `normalised_blocks`, if given, must be `normalised()` of each block (as a cache kept it)."""
        self._blocks = list(blocks)
        self._maps: dict[int, OffsetMap] = {}
        parts = list(normalised_blocks) if normalised_blocks is not None else [normalised(b) for b in self._blocks]
        self._offsets: list[int] = []  # start of each block in self._text
        self._lengths: list[int] = []
        pos = 0
        for norm in parts:
            self._offsets.append(pos)
            self._lengths.append(len(norm))
            pos += len(norm) + len(_SEP)
        # Only the joined text is kept (one block: the same string); a block's part is a slice.
        self._text = _SEP.join(parts)

    def part(self, block: int) -> str:
        """The normalised text of one block (a slice: made when asked for, as the cache does)."""
        at = self._offsets[block]
        return self._text[at:at + self._lengths[block]]

    def find(self, quote: str, limit: int | None = None) -> list[Occurrence]:
        """The occurrences (overlapping ones too), the first `limit` of them when given: a caller
        telling 'once' from 'ambiguous' needs two, and `count` says how many there are."""
        needle = normalised(quote)
        if not needle:
            return []
        hits: list[Occurrence] = []
        pos = self._text.find(needle)
        while pos != -1 and (limit is None or len(hits) < limit):
            hits.append(self._occurrence(pos, len(needle)))
            pos = self._text.find(needle, pos + 1)
        return hits

    def count(self, quote: str) -> int:
        """How often the quote occurs, overlapping occurrences too, making nothing per
        occurrence: a one-word quote can occur a million times in a large source."""
        needle = normalised(quote)
        if not needle:
            return 0
        text, n = self._text, 0
        pos = text.find(needle)
        while pos != -1:
            n += 1
            pos = text.find(needle, pos + 1)
        return n

    def closest(self, quote: str) -> str | None:
        """Suggest the raw passage most like the quote, so an error message can show what the source says.

        Returns the passage widened to whole words, whitespace collapsed, at
        most ~120 chars; None when nothing scores a difflib ratio >= 0.5.
        Only aligned candidate windows (voted by shared words) are scored, so
        the cost is linear in the source, not quadratic.
        """
        needle = _lower(normalised(quote))[:_MAX_PROBE]
        if not needle or not self._blocks:
            return None
        best_score, best = 0.0, (0, 0)
        for start in self._candidate_starts(needle):
            s, e = self._window(start, len(needle))
            if s >= e:
                continue
            matcher = SequenceMatcher(None, needle, self._lower_text[s:e], autojunk=False)
            if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
                continue
            score = matcher.ratio()
            if score > best_score:
                best_score, best = score, (s, e)
        if best_score < _MIN_RATIO:
            return None
        return self._render(*best)

    def _map(self, block: int) -> OffsetMap:
        found = self._maps.get(block)
        if found is None:
            found = self._maps[block] = OffsetMap(self._blocks[block])
        return found

    def _span(self, block: int, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) in a block of the normalised [start, end) in that block."""
        if self._lengths[block] == len(self._blocks[block]):  # normalising changed nothing
            return start, end
        m = self._map(block)
        return m.start(start), m.end(end - 1)

    def _occurrence(self, pos: int, length: int) -> Occurrence:
        """Map a hit in the joined normalised text back to raw block offsets."""
        block = bisect_right(self._offsets, pos) - 1
        local = pos - self._offsets[block]
        return Occurrence(block, *self._span(block, local, local + length))

    @cached_property
    def _lower_text(self) -> str:
        """Case-folded joined text: suggestions should also catch case mistakes."""
        return _lower(self._text)
    def _candidate_starts(self, needle: str) -> list[int]:
        """Window starts where the quote's words line up with the source's, best first.

        Probes are the quote's longest words and word pairs; only the rarest in this source vote
        (weighted by length, so 'the' counts little), each at most _MAX_HITS times. So the work
        and memory are bounded by the quote plus a dozen C-speed scans of the source, however
        large it is (a 20 MB source once cost seconds and 1.5 GB, indexing every word)."""
        text = self._lower_text
        found = list(_WORD.finditer(needle))
        words = {m.group(): m.start() for m in reversed(found) if len(m.group()) > 2}
        pairs = {needle[a.start():b.end()]: a.start() for a, b in zip(found[::-1][1:], found[::-1])}
        probes = (sorted(words, key=len, reverse=True)[:_PROBES]
                  + sorted(pairs, key=len, reverse=True)[:_PROBES])
        counted = sorted((text.count(p), -len(p), p) for p in probes)
        voters = [c for c in counted if 0 < c[0] <= _MAX_HITS][:_VOTERS] or [c for c in counted if c[0]][:1]
        votes: Counter[int] = Counter()
        for _, _, probe in voters:
            at = {**words, **pairs}[probe]
            pos, looked = text.find(probe), 0
            while pos != -1 and looked < _MAX_HITS:  # every find counts, whole word or not
                end, looked = pos + len(probe), looked + 1
                if (pos == 0 or not text[pos - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                    block_start = self._offsets[bisect_right(self._offsets, pos) - 1]
                    votes[max(pos - at, block_start)] += len(probe)
                pos = text.find(probe, end)
        return [start for start, _ in votes.most_common(_CANDIDATES)]

    def _window(self, start: int, length: int) -> tuple[int, int]:
        """A window of about `length` chars at `start`, kept in its block and widened to whole words."""
        block = bisect_right(self._offsets, start) - 1
        lo = self._offsets[block]
        hi = lo + self._lengths[block]
        text = self._text
        s, e = start, min(start + length, hi)
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        # Widened by at most _MAX_PROBE either way: text without spaces (Chinese, a URL) would
        # otherwise make the window, and difflib's work, the whole block.
        space = text.rfind(" ", max(lo, s - _MAX_PROBE), s)
        s = space + 1 if space != -1 else lo if s - lo <= _MAX_PROBE else s
        space = text.find(" ", e, min(hi, e + _MAX_PROBE))
        e = space if space != -1 else hi if hi - e <= _MAX_PROBE else e
        return s, e

    def _render(self, s: int, e: int) -> str:
        """Raw text behind a normalised window, as a reader would see it on one line."""
        block = bisect_right(self._offsets, s) - 1
        base = self._offsets[block]
        start, end = self._span(block, s - base, e - base)
        visible = "".join(ch for ch in self._blocks[block][start:end] if ch not in INVISIBLE)
        return _clip(" ".join(visible.split()))
