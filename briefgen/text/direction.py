"""Language and writing direction of a text: what `lang` and `dir` attributes say.

Arabic or Hebrew text in a left-to-right page puts full stops, quotation marks and ellipses at
the wrong end, and a date next to an Arabic outlet jumps across it. Pages mark each run of source
text with its language (when the analyst gave one) and its direction, and isolate titles and
outlets where they sit beside numbers (templates use <bdi>).
"""

from __future__ import annotations

import re
import unicodedata

# BCP 47, as far as a page needs it: a language subtag, then script, region or variant subtags.
BCP47 = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# Languages written right to left, and the scripts that are (a tag like `az-Arab` says so).
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr",
                            "ug", "ur", "yi"})
_RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr"})
_SAMPLE = 4000  # characters looked at to tell a text's direction


def is_language_tag(tag: str) -> bool:
    return BCP47.fullmatch(tag) is not None


def primary(tag: str) -> str:
    """The language subtag, lower-cased: 'pt-BR' -> 'pt'."""
    return tag.split("-", 1)[0].lower()


def direction(lang: str | None, text: str = "") -> str:
    """'rtl' or 'ltr': from the language tag when there is one (a script subtag wins), else from
    the text, by which kind of strong letter it has more of."""
    if lang:
        subtags = lang.lower().split("-")
        if any(s in _RTL_SCRIPTS for s in subtags[1:]):
            return "rtl"
        if any(len(s) == 4 and s.isalpha() for s in subtags[1:]):
            return "ltr"  # another script named: Latin, Cyrillic...
        return "rtl" if subtags[0] in _RTL_LANGUAGES else "ltr"
    return strong_direction(text) or "ltr"


def source_direction(lang: str | None, title: str, body: str) -> str:
    """A source's direction: its `lang`'s, else its title's and text's letters. The text is cut
    to what is looked at first, not copied whole (a source may be megabytes)."""
    return direction(lang, title + " " + body[:_SAMPLE])


def strong_direction(text: str) -> str | None:
    """'rtl' or 'ltr' by which kind of strong letter the text has more of (in its first
    characters); None when it has none, such as a line of numbers and punctuation."""
    sample = text[:_SAMPLE]
    if sample.isascii():  # no right-to-left letter, without asking about each character
        return "ltr" if any(ch.isalpha() for ch in sample) else None
    rtl = ltr = 0
    for ch in sample:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return "rtl" if rtl > ltr else "ltr" if ltr else None


# The language a search engine should split and stem a script's words as, when no `lang` says.
_SCRIPT_LANGUAGES = {"CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "HEBREW": "he"}


def language_of(lang: str | None, text: str = "") -> str:
    """The language subtag a text is in: its `lang`, else a guess from its script (Cyrillic ->
    ru, Greek -> el, Arabic -> ar, Hebrew -> he), else 'en'. For search, not for display."""
    if lang:
        return primary(lang)
    sample = text[:_SAMPLE]
    if sample.isascii():  # no letter of another script: English, without naming every character
        return "en"
    counts: dict[str, int] = {}
    latin = 0
    for ch in sample:
        if not ch.isalpha():
            continue
        if ch < "\x80":  # an ASCII letter is a Latin one
            latin += 1
            continue
        script = unicodedata.name(ch, "").split(" ", 1)[0]
        if script in _SCRIPT_LANGUAGES:
            counts[script] = counts.get(script, 0) + 1
        elif script == "LATIN":
            latin += 1
    script, n = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
    return _SCRIPT_LANGUAGES[script] if n > latin else "en"
